"""One generic reader: parsed data to model records, by walking the model's fields.

Nothing here names a field.  For each class of :mod:`mecfs_treatments.model` the
reader builds, once, a plan from the class's attrs fields, their type hints and the
:class:`~mecfs_treatments.model.Rule` declared beside each field; then it reads a
mapping into the class with that plan.  A field added to the model is read, checked
and reported on with no change here.

What a field's type means in a data file:

- ``str``: text; white space is collapsed; empty text is refused.  A number, date or
  true/false written where text belongs is refused with a hint to quote it, never
  turned into text as YAML would read it (``pmid: 01234567`` would be octal).
- ``int``: a whole number written in plain decimal digits (``012``, ``0x1F``,
  ``1_000`` and ``+5`` are refused).
- ``bool``: ``true`` or ``false``.  ``datetime.date``: ``YYYY-MM-DD``.
- an enum: one of its values.  :class:`~mecfs_treatments.model.Source` and
  :class:`~mecfs_treatments.model.Symptom`: the id of one, looked up in the tables
  the reader was given.  Another model class: a nested mapping.
- ``tuple[X, ...]``: a list of X; a field without a default must not be empty.
- ``X | None`` and fields with a default may be left out.

Every fault is a :class:`~mecfs_treatments.errors.DatasetError` with the file, the
entry and the field's path (``evidence[0].kind``); unknown fields and unknown ids come
with "did you mean".
"""

from __future__ import annotations

import datetime as _dt
import difflib
import enum
import re
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import attrs

from ._yaml import Scalar
from .errors import DatasetError
from .model import Rule, Source, Symptom, rule_of

RecordT = TypeVar("RecordT")

__all__ = ["Reader", "did_you_mean", "entry_of", "format_path", "kind_of"]


# A path is built only when an error needs it: a chain of (parent, key) pairs.
_Path = Any
_Field = Callable[[Any, "Reader", _Path, Any], Any]

_DECIMAL = re.compile(r"0|[1-9][0-9]*")


def format_path(path: _Path) -> str | None:
    """``(((None, "evidence"), 0), "kind")`` as ``"evidence[0].kind"``."""
    parts: list[str] = []
    while path is not None:
        path, key = path
        parts.append(f"[{key}]" if isinstance(key, int) else f".{key}")
    text = "".join(reversed(parts)).lstrip(".")
    return text or None


def kind_of(value: object) -> str:
    """How a parsed value is named in an error message."""
    if value is None:
        return "nothing"
    if isinstance(value, Scalar):
        return {"bool": "true/false", "timestamp": "a date"}.get(value.kind, "a number")
    names = {
        str: "text",
        bool: "true/false",
        int: "a number",
        float: "a number",
        list: "a list",
        dict: "a mapping",
    }
    return names.get(type(value), type(value).__name__)


def did_you_mean(word: object, choices: typing.Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the nearest of ``choices``, or ``""``."""
    if not isinstance(word, str):
        return ""
    near = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {near[0]!r}?" if near else ""


class Reader:
    """Reads parsed data into model records, with the sources and symptoms it may cite.

    ``file`` and ``entry`` say where the data came from, for errors; set them (or use
    :meth:`entry_of`) before reading each entry.
    """

    __slots__ = ("entry", "file", "sources", "symptoms")

    def __init__(
        self, sources: Mapping[str, Source] | None = None, symptoms: Mapping[str, Symptom] | None = None
    ) -> None:
        self.sources: Mapping[str, Source] = {} if sources is None else sources
        """The sources a record may cite, by id."""
        self.symptoms: Mapping[str, Symptom] = {} if symptoms is None else symptoms
        """The symptoms a record may name, by id."""
        self.file: str | None = None
        self.entry: str | None = None

    def error(self, problem: str, path: _Path = None) -> DatasetError:
        """A DatasetError at ``path`` of the current entry."""
        return DatasetError(problem, file=self.file, entry=self.entry, field=format_path(path))

    def record(self, cls: type[RecordT], data: object, *, file: str | None, entry: str | None) -> RecordT:
        """Read ``data`` (a mapping) into an instance of ``cls``.

        Raises:
            DatasetError: naming ``file``, ``entry`` and the field at fault.
        """
        self.file, self.entry = file, entry
        result: RecordT = _plan(cls).read(data, self, None, None)
        return result

    def field(self, cls: type[Any], name: str, data: object, *, file: str | None, entry: str | None) -> Any:
        """Read the value of one field of ``cls`` (an overlay's addition to a list, say)."""
        self.file, self.entry = file, entry
        return _plan(cls).fields[name].read(data, self, None, name)


def entry_of(data: object, index: int | None = None) -> str | None:
    """How an entry is named in errors: its ``id``, else ``#position`` in its list."""
    if isinstance(data, Mapping):
        value = data.get("id")
        if isinstance(value, str):
            return value
    return None if index is None else f"#{index + 1}"


# --------------------------------------------------------------------- plans


class _FieldPlan:
    __slots__ = ("name", "read", "required")

    def __init__(self, name: str, read: _Field, required: bool) -> None:
        self.name = name
        self.read = read
        self.required = required


class _RecordPlan:
    """How to read one model class: a reader per field, built once."""

    def __init__(self, cls: type[Any]) -> None:
        self.cls = cls
        self.fields: dict[str, _FieldPlan] = {}
        hints = typing.get_type_hints(cls)
        for field in attrs.fields(cls):
            optional, hint = _unwrap_optional(hints[field.name])
            has_default = field.default is not attrs.NOTHING
            read = _reader_for(hint, rule_of(field), required=not has_default and not optional)
            self.fields[field.name] = _FieldPlan(field.name, read, not has_default and not optional)
        self.names = frozenset(self.fields)
        self.order = tuple(self.fields.values())

    def read(self, data: object, reader: Reader, path: _Path, key: Any) -> Any:
        here = (path, key) if key is not None else path
        if type(data) is not dict:
            raise reader.error(f"expected a mapping, got {kind_of(data)}", here)
        if not self.names.issuperset(data):
            for name in data:
                if name not in self.names:
                    shown = name if isinstance(name, str) else repr(name)
                    raise reader.error("unknown field" + did_you_mean(name, self.names), (here, shown))
        values: dict[str, Any] = {}
        for plan in self.order:
            value = data.get(plan.name)
            if value is None:
                if plan.required:
                    raise reader.error("required field is missing", (here, plan.name))
                continue
            values[plan.name] = plan.read(value, reader, here, plan.name)
        try:
            return self.cls(**values)
        except ValueError as error:  # a rule that spans fields, checked by the class
            raise reader.error(str(error), here) from None


_PLANS: dict[type[Any], _RecordPlan] = {}


def _plan(cls: type[Any]) -> _RecordPlan:
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = _RecordPlan(cls)
    return plan


def _unwrap_optional(hint: Any) -> tuple[bool, Any]:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if len(args) == 1:
            return len(args) < len(typing.get_args(hint)), args[0]
    return False, hint


def _reader_for(hint: Any, rule: Rule, *, required: bool) -> _Field:
    """The function that reads one value of the type ``hint`` under ``rule``."""
    if typing.get_origin(hint) is tuple:
        (item,) = [arg for arg in typing.get_args(hint) if arg is not Ellipsis]
        return _many(_reader_for(item, rule, required=True), rule, required=required)
    if hint is str:
        return _text(rule)
    if hint is int:
        return _integer(rule)
    if hint is bool:
        return _boolean
    if hint is _dt.date:
        return _date
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return _choice(hint)
    if hint is Source:
        return _reference("source", "sources")
    if hint is Symptom:
        return _reference("symptom", "symptoms")
    if isinstance(hint, type) and attrs.has(hint):
        plan = _plan(hint)
        return plan.read
    raise TypeError(f"the reader has no rule for the type {hint!r}")  # a new kind of field


# ------------------------------------------------------------------ readers


def _text(rule: Rule) -> _Field:
    pattern = None if rule.pattern is None else re.compile(rule.pattern)
    expected = rule.expected or f"text matching {rule.pattern}"

    def text(value: Any, reader: Reader, path: _Path, key: Any) -> str:
        if type(value) is not str:
            hint = f" (write {value.text!r} in quotes to keep it as text)" if type(value) is Scalar else ""
            raise reader.error(f"expected text, got {kind_of(value)}{hint}", (path, key))
        result = " ".join(value.split())
        if not result:
            raise reader.error("must not be empty", (path, key))
        if pattern is not None and pattern.fullmatch(result) is None:
            raise reader.error(f"expected {expected}, got {result!r}", (path, key))
        return result

    return text


def _integer(rule: Rule) -> _Field:
    minimum = rule.minimum

    def integer(value: Any, reader: Reader, path: _Path, key: Any) -> int:
        if type(value) is not Scalar or value.kind != "int":
            raise reader.error(f"expected a whole number, got {kind_of(value)}", (path, key))
        if _DECIMAL.fullmatch(value.text) is None:
            raise reader.error(
                f"write the number in plain digits (no sign, leading zero, '_' or base), got {value.text!r}",
                (path, key),
            )
        number: int = value.value
        if minimum is not None and number < minimum:
            raise reader.error(f"must be at least {minimum}, got {number}", (path, key))
        return number

    return integer


def _boolean(value: Any, reader: Reader, path: _Path, key: Any) -> bool:
    if type(value) is not Scalar or value.kind != "bool":
        raise reader.error(f"expected true or false, got {kind_of(value)}", (path, key))
    result: bool = value.value
    return result


def _date(value: Any, reader: Reader, path: _Path, key: Any) -> _dt.date:
    found: Any = value.value if type(value) is Scalar and value.kind == "timestamp" else value
    if isinstance(found, _dt.datetime):
        return found.date()
    if isinstance(found, _dt.date):
        return found
    if isinstance(found, str):
        try:
            return _dt.date.fromisoformat(found)
        except ValueError:
            pass
    shown = value.text if type(value) is Scalar else value
    raise reader.error(f"expected a date (YYYY-MM-DD), got {shown!r}", (path, key))


def _choice(enum_type: type[enum.Enum]) -> _Field:
    members = {member.value: member for member in enum_type}
    allowed = ", ".join(str(value) for value in members)

    def choice(value: Any, reader: Reader, path: _Path, key: Any) -> enum.Enum:
        found = members.get(value) if type(value) is str else None
        if found is None:
            shown = value.text if type(value) is Scalar else value
            raise reader.error(
                f"unknown value {shown!r}{did_you_mean(shown, members)}; expected one of: {allowed}",
                (path, key),
            )
        return found

    return choice


def _reference(what: str, table: str) -> _Field:
    def reference(value: Any, reader: Reader, path: _Path, key: Any) -> Any:
        records = getattr(reader, table)
        if type(value) is not str:
            if type(value) is not Scalar:
                raise reader.error(f"expected a {what} id, got {kind_of(value)}", (path, key))
            value = value.text
        found = records.get(value)
        if found is None:
            raise reader.error(f"unknown {what} {value!r}{did_you_mean(value, records)}", (path, key))
        return found

    return reference


def _many(item: _Field, rule: Rule, *, required: bool) -> _Field:
    unique, unique_key = rule.unique, rule.unique_key

    def many(value: Any, reader: Reader, path: _Path, key: Any) -> tuple[Any, ...]:
        if type(value) is not list:
            raise reader.error(f"expected a list, got {kind_of(value)}", (path, key))
        if required and not value:
            raise reader.error("must not be empty", (path, key))
        here = (path, key)
        result = tuple([item(element, reader, here, i) for i, element in enumerate(value)])
        if unique or unique_key:
            seen: set[Any] = set()
            for i, element in enumerate(result):
                if unique_key is not None:
                    element = getattr(element, unique_key)
                mark = getattr(element, "id", element)
                if mark in seen:
                    where = ((here, i), unique_key) if unique_key else (here, i)
                    raise reader.error("is repeated", where)
                seen.add(mark)
        return result

    return many
