"""Read and validate a dataset folder, and build the model objects from it.

A dataset folder holds::

    dataset.yaml          version, date, title, licence
    symptoms.yaml         a list of symptoms
    sources/*.yaml        lists of sources
    treatments/*.yaml     one treatment per file, named after its id

This module owns every "bad data" message.  Any fault raises
:class:`~mecfs_treatments.errors.DatasetError` naming the file, the entry and the
field, and nothing is returned: a catalogue is loaded whole or not at all.

PyYAML is imported here, inside the functions that need it, so that
``import mecfs_treatments`` stays cheap.
"""

from __future__ import annotations

import datetime as _dt
import enum
import gc
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from .errors import DatasetError
from .model import (
    Access,
    Alias,
    AliasKind,
    Area,
    CaseDefinition,
    Category,
    Claim,
    Condition,
    Criteria,
    DatasetInfo,
    Direction,
    Evidence,
    EvidenceGap,
    EvidenceKind,
    Guidance,
    Identifier,
    Mechanism,
    MechanismStatus,
    Note,
    NoteTopic,
    Source,
    SourceKind,
    Stance,
    Symptom,
    SymptomDomain,
    Target,
    Treatment,
)

if TYPE_CHECKING:
    import sys
    from pathlib import Path

    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "Dataset",
    "build_dataset",
    "load_bundled",
    "load_bundled_yaml",
    "load_folder",
    "parse_yaml",
    "read_folder",
]

MAX_FILE_BYTES = 1 << 20
"""Largest data file accepted, in bytes (1 MiB): a guard against runaway input."""

MAX_DEPTH = 200
"""Deepest nesting of lists and mappings accepted in a data file (the format needs 5)."""

MAX_NODES = 50_000
"""Most values (texts, numbers, lists and mappings) accepted in one data file.

The largest bundled file holds about 1,200; the limit keeps the memory a file can
take to some tens of megabytes whatever it holds.
"""

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_E = TypeVar("_E", bound=enum.Enum)
_T = TypeVar("_T")


@attrs.frozen(slots=True)
class Dataset:
    """A validated dataset: what a :class:`~mecfs_treatments.Catalog` is built from."""

    info: DatasetInfo | None
    """The dataset's version and date (``None`` if the folder has no ``dataset.yaml``)."""
    sources: tuple[Source, ...]
    """Every source, in file order."""
    symptoms: tuple[Symptom, ...]
    """Every symptom, in file order."""
    treatments: tuple[Treatment, ...]
    """Every treatment, sorted by id."""


# --------------------------------------------------------------------------- YAML


_TAG = "tag:yaml.org,2002:"


def _yaml_loader_class() -> type[Any]:
    """The safe YAML loader, C-based where PyYAML has libyaml."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_LOADER: type[Any] | None = None


def parse_yaml(text: str, file: str) -> Any:
    """Parse one YAML document safely, turning every YAML fault into a DatasetError.

    libyaml (in C, where present) parses and composes the node tree; a small
    converter then turns nodes into data itself rather than through PyYAML's general
    constructor, knowing only the core types: a tag for anything else (``!!python/…``,
    ``!!binary``, ``!!set``, merge keys, local tags) is refused, so no code can run.
    It also refuses duplicate keys (PyYAML would keep the last) and anchors and
    aliases, which the format never needs and which can make a small file huge.
    """
    import yaml

    global _LOADER
    if _LOADER is None:
        _LOADER = _yaml_loader_class()
    try:
        _check_shape(text, file, _LOADER)
        loader = _LOADER(text)
        try:
            node = loader.get_single_node()
            # An alias needs an anchor, and an anchor needs "&": most files have neither.
            data = None if node is None else _Converter(loader, "&" in text).convert(node)
        finally:
            loader.dispose()
    except yaml.composer.ComposerError as error:
        if "single document" in str(error):
            raise DatasetError("the file holds more than one YAML document", file=file) from None
        raise _yaml_error(error, text, file) from None
    except yaml.YAMLError as error:
        raise _yaml_error(error, text, file) from None
    except RecursionError:
        raise DatasetError("the YAML is nested too deeply", file=file) from None
    if data is None:
        raise DatasetError("the file is empty", file=file)
    return data


def _yaml_error(error: Any, text: str, file: str) -> DatasetError:
    import yaml

    mark = getattr(error, "problem_mark", None)
    where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
    problem = getattr(error, "problem", None) or str(error)
    if isinstance(error, yaml.reader.ReaderError):
        # A character YAML does not allow: the reader knows only its offset.
        where = f" (line {text.count(chr(10), 0, error.position) + 1})"
        code = error.character if isinstance(error.character, int) else ord(error.character)
        problem = f"the character U+{code:04X} is not allowed in YAML"
    return DatasetError(f"invalid YAML{where}: {problem}", file=file)


class _Converter:
    """Turns a composed YAML node tree into plain data: core types only."""

    __slots__ = ("_error", "_loader", "_scalar", "_seen")

    def __init__(self, loader: Any, may_alias: bool) -> None:
        import yaml

        self._loader = loader
        self._error = yaml.constructor.ConstructorError
        self._scalar = yaml.ScalarNode
        # With no "&" in the text, no node can be reached twice; otherwise every
        # node is remembered, and meeting one again is an alias.
        self._seen: set[int] | None = set() if may_alias else None

    def fail(self, problem: str, node: Any) -> Exception:
        return self._error(None, None, problem, node.start_mark)

    def convert(self, node: Any) -> Any:
        seen = self._seen
        if seen is not None:
            if id(node) in seen:
                raise self.fail("anchors and aliases are not allowed", node)
            seen.add(id(node))
        tag = node.tag
        if type(node) is self._scalar:
            if tag == "tag:yaml.org,2002:str":
                return node.value
            return self.scalar(tag, node)
        if tag == "tag:yaml.org,2002:map":
            result: dict[Any, Any] = {}
            convert = self.convert
            for key_node, value_node in node.value:
                key = convert(key_node)
                try:
                    present = key in result
                except TypeError:
                    raise self.fail("found an unhashable key", key_node) from None
                if present:
                    raise self.fail(f"duplicate key {key!r}", key_node)
                result[key] = convert(value_node)
            return result
        if tag == "tag:yaml.org,2002:seq":
            return [self.convert(item) for item in node.value]
        raise self.fail(f"could not determine a constructor for the tag {tag!r}", node)

    def scalar(self, tag: str, node: Any) -> Any:
        loader = self._loader
        name = tag[len(_TAG) :] if tag.startswith(_TAG) else None
        if name == "null":
            return None
        if name == "int" and len(node.value) > 40:
            # No field needs more than a few digits, and a long number costs quadratic time.
            raise self.fail("the number is too long", node)
        build = {
            "bool": loader.construct_yaml_bool,
            "int": loader.construct_yaml_int,
            "float": loader.construct_yaml_float,
            "timestamp": loader.construct_yaml_timestamp,
        }.get(name or "")
        if build is None:
            raise self.fail(f"could not determine a constructor for the tag {tag!r}", node)
        try:
            return build(node)
        except (ValueError, TypeError, AttributeError, OverflowError):
            # PyYAML's converters raise these for values such as 2026-13-45.
            shown = node.value if len(node.value) <= 40 else node.value[:40] + "…"
            raise self.fail(f"{shown!r} is not a valid {name}", node) from None


_LINE_BREAK = "[\\n\\r\\x85\\u2028\\u2029]"


def _check_shape(text: str, file: str, loader_class: type[Any]) -> None:
    """Refuse a document nested deeper than MAX_DEPTH, or with more than MAX_NODES values.

    Both are checked before the document is composed.  libyaml composes nodes
    recursively in C: a deep enough document overflows the C stack and kills the
    process, which no ``except`` can catch.  And each node costs some hundreds of
    bytes, so a file of a million tiny values would take hundreds of megabytes.
    Cheap upper bounds on depth and node count let ordinary files straight through;
    only a file whose bounds are too high is walked event by event, which needs
    no recursion and keeps nothing.
    """
    import yaml

    # Every node but the first comes with one of these indicators, and none
    # brings more than three (a one-pair mapping in a flow sequence: "[a: b]").
    nodes = 1 + 3 * sum(text.count(mark) for mark in ":?,-[{")
    # Flow collections: a "[" may hold an implicit one-pair mapping, so two levels.
    flow = 2 * text.count("[") + text.count("{")
    # Block collections start at a column no further right than the run of
    # indentation and "- ", "? ", ": " indicators that opens their line, each
    # level at a new column, plus one indentless sequence per mapping level.
    room = (MAX_DEPTH - flow) // 2 - 2
    if (
        nodes <= MAX_NODES
        and room > 0
        and re.search(f"{_LINE_BREAK}[ \\t?:-]{{{room + 1},}}", "\n" + text) is None
    ):
        return
    depth = nodes = 0
    parser = loader_class(text)
    try:
        while parser.check_event():
            event = parser.get_event()
            kind = type(event)
            if kind is yaml.ScalarEvent or kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                nodes += 1
                if nodes > MAX_NODES:
                    mark: Any = event.start_mark
                    raise DatasetError(
                        f"the file holds more than {MAX_NODES} values "
                        f"(line {mark.line + 1}, column {mark.column + 1})",
                        file=file,
                    )
                if kind is not yaml.ScalarEvent:
                    depth += 1
                    if depth > MAX_DEPTH:
                        mark = event.start_mark
                        raise DatasetError(
                            f"the YAML is nested more than {MAX_DEPTH} levels deep "
                            f"(line {mark.line + 1}, column {mark.column + 1})",
                            file=file,
                        )
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                depth -= 1
            elif kind is yaml.AliasEvent:
                mark = event.start_mark
                raise DatasetError(
                    f"invalid YAML (line {mark.line + 1}, column {mark.column + 1}): "
                    "anchors and aliases are not allowed",
                    file=file,
                )
    finally:
        parser.dispose()


# ---------------------------------------------------------------------- the folder


def _read_text(item: Traversable | Path, file: str, root: Path | None) -> str:
    from pathlib import Path

    if root is not None and isinstance(item, Path):
        if item.is_symlink() or not item.is_file():
            # realpath, unlike resolve, does not raise on a loop of links.
            target = Path(os.path.realpath(item))
            if not target.is_relative_to(root):
                raise DatasetError("the file is a link that points outside the dataset folder", file=file)
        if not item.is_file():
            # A pipe or a device would block or never end; a folder cannot be read.
            raise DatasetError("not a regular file (a folder, pipe, device or broken link)", file=file)
        try:
            size = item.stat().st_size
        except OSError as error:
            raise DatasetError(f"cannot read the file: {error.strerror}", file=file) from None
        if size > MAX_FILE_BYTES:
            raise DatasetError(
                f"the file is {size} bytes, over the limit of {MAX_FILE_BYTES}", file=file
            )
    try:
        with item.open("rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise DatasetError(f"cannot read the file: {error.strerror}", file=file) from None
    if len(raw) > MAX_FILE_BYTES:
        raise DatasetError(f"the file is over the limit of {MAX_FILE_BYTES} bytes", file=file)
    if not raw.strip():
        raise DatasetError("the file is empty", file=file)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise DatasetError(
            f"the file is not valid UTF-8 (line {line}, byte {error.start})", file=file
        ) from None


def _yaml_files(
    folder: Traversable | Path, rel: str, root: Path | None = None
) -> list[tuple[str, Traversable | Path]]:
    from pathlib import Path

    if not folder.is_dir():
        return []
    if root is not None and isinstance(folder, Path) and not Path(os.path.realpath(folder)).is_relative_to(root):
        raise DatasetError("the folder is a link that points outside the dataset folder", file=rel)
    items = [
        (f"{rel}/{item.name}", item)
        for item in folder.iterdir()
        if item.name.endswith((".yaml", ".yml")) and not item.name.startswith(".")
    ]
    return sorted(items, key=lambda pair: pair[0])


def read_folder(folder: Traversable | Path, *, require_treatments: bool = True) -> dict[str, Any]:
    """Read and parse every file of a dataset folder into plain data.

    Returns a mapping with ``dataset`` (mapping or ``None``), ``symptoms``
    (``(file, data)`` or ``None``), ``sources`` and ``treatments`` (lists of
    ``(file, data)``), ready for :func:`build_dataset`.  With
    ``require_treatments=False`` (an overlay folder) ``treatments/`` may be absent.
    """
    from pathlib import Path

    root: Path | None = None
    if isinstance(folder, Path):
        if not folder.is_dir():
            raise DatasetError(f"{os.fspath(folder)!r} is not a folder")
        root = folder.resolve()

    def read(rel: str, item: Traversable | Path) -> Any:
        return parse_yaml(_read_text(item, rel, root), rel)

    def present(item: Traversable | Path) -> bool:
        # A dangling link or a pipe named symptoms.yaml is an error, not an absence.
        return item.is_file() or (isinstance(item, Path) and os.path.lexists(item))

    documents: dict[str, Any] = {"dataset": None, "symptoms": None}
    meta = folder / "dataset.yaml"
    if present(meta):
        documents["dataset"] = ("dataset.yaml", read("dataset.yaml", meta))
    symptoms = folder / "symptoms.yaml"
    if present(symptoms):
        documents["symptoms"] = ("symptoms.yaml", read("symptoms.yaml", symptoms))
    documents["sources"] = [
        (rel, read(rel, item)) for rel, item in _yaml_files(folder / "sources", "sources", root)
    ]
    documents["treatments"] = [
        (rel, read(rel, item)) for rel, item in _yaml_files(folder / "treatments", "treatments", root)
    ]
    if require_treatments and not documents["treatments"]:
        raise DatasetError("the folder has no treatments/*.yaml files", file="treatments")
    return documents


def load_folder(folder: Traversable | Path) -> Dataset:
    """Read, parse and validate a dataset folder."""
    # Everything a load builds stays alive until it is done, so the cyclic garbage
    # collector would scan the growing heap again and again for nothing (about a third
    # of the time for 10,000 treatments).  It is paused meanwhile, and resumed after
    # only if it was running before.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return build_dataset(read_folder(folder))
    finally:
        if enabled:
            gc.enable()


def load_bundled() -> Dataset:
    """The dataset that ships inside the package.

    A built wheel carries a snapshot of the YAML files, validated when the wheel was
    built (see :mod:`mecfs_treatments._snapshot`); it is read without PyYAML.  Where
    there is none (a source tree, an editable install) the YAML files are read,
    parsed and validated.
    """
    from ._snapshot import open_bundled_or_warn

    reader = open_bundled_or_warn()
    if reader is not None:
        return reader.dataset()
    return load_bundled_yaml()


def load_bundled_yaml() -> Dataset:
    """The dataset that ships inside the package, read from its YAML files."""
    from importlib.resources import files

    return load_folder(files(__package__) / "data")


# ------------------------------------------------------------------ field readers


class _Fields:
    """Reads the fields of one mapping, and complains with the full location."""

    __slots__ = ("_data", "_used", "entry", "file", "path")

    def __init__(self, data: object, file: str, entry: str | None, path: str) -> None:
        self.file = file
        self.entry = entry
        self.path = path
        if not isinstance(data, Mapping):
            raise self.error(f"expected a mapping, got {_kind(data)}", None)
        self._data: Mapping[Any, Any] = data
        self._used: set[str] = set()

    def error(self, problem: str, name: str | None) -> DatasetError:
        field = self.path
        if name is not None:
            field = f"{self.path}.{name}" if self.path else name
        return DatasetError(problem, file=self.file, entry=self.entry, field=field or None)

    def _get(self, name: str, required: bool) -> Any:
        self._used.add(name)
        value = self._data.get(name)
        if value is None and required:
            raise self.error("required field is missing", name)
        return value

    def text(self, name: str, *, required: bool = True) -> Any:
        value = self._get(name, required)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.error(f"expected text, got {_kind(value)}", name)
        value = " ".join(value.split())
        if not value:
            raise self.error("must not be empty", name)
        return value

    def integer(self, name: str, *, minimum: int = 0) -> int | None:
        value = self._get(name, False)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(f"expected a whole number, got {_kind(value)}", name)
        if value < minimum:
            raise self.error(f"must be at least {minimum}, got {value}", name)
        return value

    def boolean(self, name: str) -> bool | None:
        value = self._get(name, False)
        if value is None:
            return None
        if not isinstance(value, bool):
            raise self.error(f"expected true or false, got {_kind(value)}", name)
        return value

    def date(self, name: str) -> _dt.date:
        value = self._get(name, True)
        if isinstance(value, _dt.datetime):
            return value.date()
        if isinstance(value, _dt.date):
            return value
        if isinstance(value, str):
            try:
                return _dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise self.error(f"expected a date (YYYY-MM-DD), got {value!r}", name)

    def choice(self, name: str, enum_type: type[_E], *, required: bool = True) -> Any:
        value = self._get(name, required)
        if value is None:
            return None
        return _enum(value, enum_type, lambda problem: self.error(problem, name))

    def items(self, name: str, *, required: bool = False) -> list[tuple[str, Any]]:
        """The items of a list field, each with its path ``name[i]``."""
        value = self._get(name, required)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(f"expected a list, got {_kind(value)}", name)
        if required and not value:
            raise self.error("must not be empty", name)
        prefix = f"{self.path}.{name}" if self.path else name
        return [(f"{prefix}[{i}]", item) for i, item in enumerate(value)]

    def choices(self, name: str, enum_type: type[_E], *, required: bool = False) -> tuple[Any, ...]:
        result = []
        for path, item in self.items(name, required=required):
            result.append(_enum(item, enum_type, self._reporter(path)))
        _no_repeats(result, lambda i: self.at(f"{name}[{i}]", "is repeated"))
        return tuple(result)

    def texts(self, name: str) -> tuple[str, ...]:
        result = []
        for path, item in self.items(name):
            if not isinstance(item, str) or not item.strip():
                raise self.at_path(path, f"expected non-empty text, got {_kind(item)}")
            result.append(" ".join(item.split()))
        return tuple(result)

    def _reporter(self, path: str) -> Callable[[str], DatasetError]:
        def report(problem: str) -> DatasetError:
            return self.at_path(path, problem)

        return report

    def at(self, name: str, problem: str) -> DatasetError:
        return self.error(problem, name)

    def at_path(self, path: str, problem: str) -> DatasetError:
        return DatasetError(problem, file=self.file, entry=self.entry, field=path)

    def sub(self, path: str, data: object) -> _Fields:
        return _Fields(data, self.file, self.entry, path)

    def done(self) -> None:
        for key in self._data:
            if key not in self._used:
                name = key if isinstance(key, str) else repr(key)
                raise self.error("unknown field", name)


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    names = {str: "text", bool: "true/false", int: "a number", float: "a number",
             list: "a list", dict: "a mapping"}
    return names.get(type(value), type(value).__name__)


def _enum(value: object, enum_type: type[_E], error: Callable[[str], DatasetError]) -> _E:
    if isinstance(value, str):
        try:
            return enum_type(value)
        except ValueError:
            pass
    allowed = ", ".join(str(member.value) for member in enum_type)
    raise error(f"unknown value {value!r}; expected one of: {allowed}")


def _no_repeats(values: Sequence[object], error: Callable[[int], DatasetError]) -> None:
    seen: set[object] = set()
    for i, value in enumerate(values):
        if value in seen:
            raise error(i)
        seen.add(value)


# ------------------------------------------------------------------- the builder


class _Builder:
    def __init__(self) -> None:
        self.sources: dict[str, Source] = {}
        self.source_files: dict[str, str] = {}
        self.symptoms: dict[str, Symptom] = {}

    # references -------------------------------------------------------------

    def refs(self, fields: _Fields, name: str, *, required: bool = True) -> tuple[Source, ...]:
        result = []
        for path, item in fields.items(name, required=required):
            if not isinstance(item, str):
                raise fields.at_path(path, f"expected a source id, got {_kind(item)}")
            source = self.sources.get(item)
            if source is None:
                raise fields.at_path(path, f"unknown source {item!r}")
            result.append(source)
        _no_repeats([s.id for s in result], lambda i: fields.at(f"{name}[{i}]", "is repeated"))
        return tuple(result)

    def symptom_ref(self, fields: _Fields, path: str, value: object) -> Symptom:
        if not isinstance(value, str):
            raise fields.at_path(path, f"expected a symptom id, got {_kind(value)}")
        symptom = self.symptoms.get(value)
        if symptom is None:
            raise fields.at_path(path, f"unknown symptom {value!r}")
        return symptom

    # sources ----------------------------------------------------------------

    def add_sources(self, file: str, data: object) -> None:
        if not isinstance(data, list):
            raise DatasetError(f"expected a list of sources, got {_kind(data)}", file=file)
        for i, item in enumerate(data):
            entry = _entry_id(item, i)
            f = _Fields(item, file, entry, "")
            source_id = _id(f)
            if source_id in self.sources:
                raise f.at("id", f"source id already used in {self.source_files[source_id]}")
            source = Source(
                id=source_id,
                title=f.text("title"),
                kind=f.choice("kind", SourceKind),
                publisher=f.text("publisher", required=False),
                year=f.integer("year", minimum=1000),
                authors=f.text("authors", required=False),
                url=_url(f, "url"),
                pmid=_pattern(f, "pmid", r"[1-9][0-9]{0,8}", "digits"),
                doi=_pattern(f, "doi", r"10\.\d{4,9}/\S+", "a DOI starting with 10."),
                trial_id=f.text("trial_id", required=False),
                note=f.text("note", required=False),
                verified=_default(f.boolean("verified"), True),
            )
            f.done()
            self.sources[source_id] = source
            self.source_files[source_id] = file

    # symptoms ---------------------------------------------------------------

    def add_symptoms(self, file: str, data: object) -> None:
        if not isinstance(data, list):
            raise DatasetError(f"expected a list of symptoms, got {_kind(data)}", file=file)
        broader: dict[str, tuple[_Fields, str]] = {}
        for i, item in enumerate(data):
            f = _Fields(item, file, _entry_id(item, i), "")
            symptom_id = _id(f)
            if symptom_id in self.symptoms:
                raise f.at("id", "symptom id is used twice")
            parent = f.text("broader", required=False)
            symptom = Symptom(
                id=symptom_id,
                label=f.text("label"),
                domain=f.choice("domain", SymptomDomain),
                synonyms=f.texts("synonyms"),
                criteria=f.choices("criteria", Criteria),
                hpo=_pattern(f, "hpo", r"HP:\d{7}", "an HPO id such as HP:0012378"),
                hpo_note=f.text("hpo_note", required=False),
                broader=parent,
                description=f.text("description", required=False),
                sources=self.refs(f, "sources", required=False),
            )
            f.done()
            self.symptoms[symptom_id] = symptom
            if parent is not None:
                broader[symptom_id] = (f, parent)
        for symptom_id, (f, parent) in broader.items():
            if parent not in self.symptoms:
                raise f.at("broader", f"unknown symptom {parent!r}")
            seen = {symptom_id}
            step: str | None = parent
            while step is not None:
                if step in seen:
                    raise f.at("broader", "the broader symptoms form a cycle")
                seen.add(step)
                step = self.symptoms[step].broader

    # treatments -------------------------------------------------------------

    def treatment(self, file: str, data: object) -> Treatment:
        entry = _entry_id(data, None)
        f = _Fields(data, file, entry, "")
        treatment_id = _id(f)
        stem = file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        if stem != treatment_id:
            raise f.at("id", f"the id {treatment_id!r} does not match the file name {stem!r}")

        def each(name: str, build: Callable[[_Fields], _T], *, required: bool = False) -> tuple[_T, ...]:
            result = []
            for path, item in f.items(name, required=required):
                sub = f.sub(path, item)
                result.append(build(sub))
                sub.done()
            return tuple(result)

        def claim(s: _Fields) -> Claim:
            return Claim(text=s.text("text"), sources=self.refs(s, "sources"))

        def alias(s: _Fields) -> Alias:
            return Alias(name=s.text("name"), kind=s.choice("kind", AliasKind))

        def mechanism(s: _Fields) -> Mechanism:
            return Mechanism(
                name=s.text("name"),
                description=s.text("description"),
                status=s.choice("status", MechanismStatus),
                sources=self.refs(s, "sources"),
            )

        def target(s: _Fields) -> Target:
            return Target(
                symptom=self.symptom_ref(s, f"{s.path}.symptom", s._get("symptom", True)),
                sources=self.refs(s, "sources"),
                note=s.text("note", required=False),
            )

        def evidence(s: _Fields) -> Evidence:
            symptoms = tuple(self.symptom_ref(s, p, v) for p, v in s.items("symptoms"))
            return Evidence(
                kind=s.choice("kind", EvidenceKind),
                direction=s.choice("direction", Direction),
                summary=s.text("summary"),
                sources=self.refs(s, "sources"),
                condition=_default(s.choice("condition", Condition, required=False), Condition.ME_CFS),
                population=s.text("population", required=False),
                case_definition=s.choice("case_definition", CaseDefinition, required=False),
                pem_required=s.boolean("pem_required"),
                participants=s.integer("participants", minimum=1),
                year=s.integer("year", minimum=1000),
                subgroup=s.text("subgroup", required=False),
                symptoms=symptoms,
            )

        def gap(s: _Fields) -> EvidenceGap:
            return EvidenceGap(
                kind=s.choice("kind", EvidenceKind), note=s.text("note"), sources=self.refs(s, "sources")
            )

        def note(s: _Fields) -> Note:
            return Note(topic=s.choice("topic", NoteTopic), text=s.text("text"), sources=self.refs(s, "sources"))

        def guidance(s: _Fields) -> Guidance:
            return Guidance(
                body=s.text("body"),
                stance=s.choice("stance", Stance),
                summary=s.text("summary"),
                sources=self.refs(s, "sources"),
                year=s.integer("year", minimum=1000),
            )

        def identifier(s: _Fields) -> Identifier:
            return Identifier(scheme=s.text("scheme"), value=s.text("value"))

        related = []
        for path, item in f.items("related"):
            if not isinstance(item, str) or not _ID.match(item):
                raise f.at_path(path, f"expected a treatment id, got {item!r}")
            if item == treatment_id:
                raise f.at_path(path, "a treatment cannot be related to itself")
            related.append(item)
        _no_repeats(related, lambda i: f.at(f"related[{i}]", "is repeated"))

        treatment = Treatment(
            id=treatment_id,
            name=f.text("name"),
            aliases=each("aliases", alias),
            category=f.choice("category", Category),
            access=f.choices("access", Access),
            areas=f.choices("areas", Area),
            summary=f.text("summary"),
            sources=self.refs(f, "sources"),
            uses=each("uses", claim),
            mechanisms=each("mechanisms", mechanism),
            targets=each("targets", target),
            evidence=each("evidence", evidence),
            gaps=each("gaps", gap),
            side_effects=each("side_effects", claim),
            notes=each("notes", note),
            guidance=each("guidance", guidance),
            related=tuple(related),
            identifiers=each("identifiers", identifier),
        )
        f.done()
        _no_repeats(
            [t.symptom.id for t in treatment.targets],
            lambda i: f.at(f"targets[{i}].symptom", "is repeated"),
        )
        return treatment


def _default(value: _T | None, default: _T) -> _T:
    return default if value is None else value


def _entry_id(data: object, index: int | None) -> str | None:
    if isinstance(data, Mapping) and isinstance(data.get("id"), str):
        return str(data["id"])
    return None if index is None else f"#{index + 1}"


def _id(f: _Fields) -> str:
    value = f.text("id")
    if not _ID.match(value):
        raise f.at("id", f"{value!r} is not a lowercase slug such as 'low-dose-naltrexone'")
    return str(value)


def _url(f: _Fields, name: str) -> str | None:
    value = f.text(name, required=False)
    if value is not None and not re.match(r"^https?://\S+$", value):
        raise f.at(name, f"{value!r} is not an http(s) address")
    return None if value is None else str(value)


def _pattern(f: _Fields, name: str, pattern: str, expected: str) -> str | None:
    value = f._get(name, False)
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not re.fullmatch(pattern, value):
        raise f.at(name, f"expected {expected}, got {value!r}")
    return str(value)


def build_dataset(documents: Mapping[str, Any]) -> Dataset:
    """Validate parsed documents (as returned by :func:`read_folder`) and build the model."""
    builder = _Builder()
    info = None
    if documents.get("dataset") is not None:
        file, data = documents["dataset"]
        f = _Fields(data, file, None, "")
        version = f._get("version", True)
        if isinstance(version, (int, float)) and not isinstance(version, bool):
            raise f.at("version", "write the version in quotes, as text")
        info = DatasetInfo(
            version=f.text("version"),
            date=f.date("date"),
            title=_default(f.text("title", required=False), "mecfs_treatments dataset"),
            license=f.text("license", required=False),
        )
        f.done()
    for file, data in documents.get("sources", ()):
        builder.add_sources(file, data)
    if documents.get("symptoms") is not None:
        builder.add_symptoms(*documents["symptoms"])
    treatments: dict[str, tuple[str, Treatment]] = {}
    for file, data in documents.get("treatments", ()):
        treatment = builder.treatment(file, data)
        if treatment.id in treatments:
            raise DatasetError(
                f"treatment id already used in {treatments[treatment.id][0]}",
                file=file, entry=treatment.id, field="id",
            )
        treatments[treatment.id] = (file, treatment)
    for file, treatment in treatments.values():
        for i, other in enumerate(treatment.related):
            if other not in treatments:
                raise DatasetError(
                    f"unknown treatment {other!r}", file=file, entry=treatment.id, field=f"related[{i}]"
                )
    ordered = sorted(treatments.values(), key=lambda pair: pair[1].id)
    _check_names(ordered, builder.symptoms.values())
    return Dataset(
        info=info,
        sources=tuple(builder.sources.values()),
        symptoms=tuple(builder.symptoms.values()),
        treatments=tuple(t for _, t in ordered),
    )


def _check_names(treatments: Iterable[tuple[str, Treatment]], symptoms: Iterable[Symptom]) -> None:
    """Every treatment name and alias, and every symptom name, must be unambiguous."""
    owners: dict[str, tuple[str, str]] = {}
    for file, treatment in treatments:
        _claim_names(owners, "treatment", treatment.id, treatment.names, file, ("name", "aliases[{}].name"))
    owners = {}
    for symptom in symptoms:
        _claim_names(owners, "symptom", symptom.id, symptom.names, "symptoms.yaml", ("label", "synonyms[{}]"))


def _claim_names(
    owners: dict[str, tuple[str, str]],
    what: str,
    entry_id: str,
    names: Sequence[str],
    file: str,
    fields: tuple[str, str],
) -> None:
    """Record the entry's id and names in ``owners``; a key another entry holds is an error.

    ``fields`` names the first name's field and the pattern of the others'.
    """
    from .names import compact, normalize

    for i, name in enumerate((entry_id, *names)):
        field = "id" if i == 0 else fields[0] if i == 1 else fields[1].format(i - 2)
        for key in _keys(name, normalize, compact):
            owner = owners.get(key)
            if owner is not None and owner[0] != entry_id:
                raise DatasetError(
                    f"{name!r} is already a name of {what} {owner[0]!r} ({owner[1]!r})",
                    file=file, entry=entry_id, field=field,
                )
            owners[key] = (entry_id, name)
        if not normalize(name):
            raise DatasetError("the name has no letters or digits", file=file, entry=entry_id, field=field)


def _keys(name: str, normalize: Callable[[str], str], compact: Callable[[str], str]) -> Iterator[str]:
    yield normalize(name)
    loose = compact(name)
    if loose:
        yield "\0" + loose
