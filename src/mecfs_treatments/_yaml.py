"""The hardened YAML parser: limits, core tags only, no duplicate keys, no aliases.

Every fault is a :class:`~mecfs_treatments.errors.DatasetError` naming the file and,
where YAML knows it, the line.  PyYAML is imported inside the functions that need it,
so that ``import mecfs_treatments`` stays cheap.
"""

from __future__ import annotations

import re
from typing import Any

from .errors import DatasetError

MAX_FILE_BYTES = 1 << 20
"""Largest data file accepted, in bytes (1 MiB): a guard against runaway input."""

MAX_DEPTH = 200
"""Deepest nesting of lists and mappings accepted in a data file (the format needs 5)."""

MAX_NODES = 50_000
"""Most values (texts, numbers, lists and mappings) accepted in one data file.

The largest bundled file holds about 1,200; the limit keeps the memory a file can
take to some tens of megabytes whatever it holds.
"""

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

    __slots__ = ("_builders", "_error", "_mapping", "_scalar", "_seen", "_sequence")

    def __init__(self, loader: Any, may_alias: bool) -> None:
        import yaml

        self._error = yaml.constructor.ConstructorError
        self._scalar = yaml.ScalarNode
        self._mapping = yaml.MappingNode
        self._sequence = yaml.SequenceNode
        self._builders: dict[str, Any] = {
            "bool": loader.construct_yaml_bool,
            "int": loader.construct_yaml_int,
            "float": loader.construct_yaml_float,
            "timestamp": loader.construct_yaml_timestamp,
        }
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
        kind = type(node)
        if kind is self._scalar:
            if tag == "tag:yaml.org,2002:str":
                return node.value
            return self.scalar(tag, node)
        if tag == "tag:yaml.org,2002:map" and kind is self._mapping:
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
        if tag == "tag:yaml.org,2002:seq" and kind is self._sequence:
            return [self.convert(item) for item in node.value]
        what = "a mapping" if kind is self._mapping else "a list"
        raise self.fail(f"the tag {tag!r} is not allowed on {what}", node)

    def scalar(self, tag: str, node: Any) -> Any:
        name = tag[len(_TAG) :] if tag.startswith(_TAG) else None
        if name == "null":
            return None
        if name == "int" and len(node.value) > 40:
            # No field needs more than a few digits, and a long number costs quadratic time.
            raise self.fail("the number is too long", node)
        build = self._builders.get(name or "")
        if build is None:
            raise self.fail(f"the tag {tag!r} is not allowed", node)
        try:
            value = build(node)
        except Exception:  # PyYAML's converters raise many kinds for values such as "!!bool maybe"
            shown = node.value if len(node.value) <= 40 else node.value[:40] + "…"
            raise self.fail(f"{shown!r} is not a valid {name}", node) from None
        return Scalar(name or "", node.value, value, node.start_mark.line + 1)


class Scalar:
    """A value YAML read as a number, true/false or a date, with the text as written.

    The reader decides what it means by the field it fills: a text field takes the
    text digit for digit (``pmid: 01234567`` stays ``"01234567"``), a number field
    takes the number only when it was written in plain decimal digits.
    """

    __slots__ = ("kind", "line", "text", "value")

    def __init__(self, kind: str, text: str, value: Any, line: int) -> None:
        self.kind = kind
        """``"int"``, ``"float"``, ``"bool"`` or ``"timestamp"``."""
        self.text = text
        """The value as written in the file."""
        self.value = value
        """The value as YAML reads it."""
        self.line = line
        """The line it stands on."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Scalar) and (self.kind, self.text) == (other.kind, other.text)

    def __hash__(self) -> int:
        return hash((self.kind, self.text))

    def __repr__(self) -> str:
        return self.text


def plain(data: Any) -> Any:
    """Parsed data with every :class:`Scalar` replaced by the value YAML reads."""
    if isinstance(data, Scalar):
        return data.value
    if isinstance(data, dict):
        return {plain(key): plain(value) for key, value in data.items()}
    if isinstance(data, list):
        return [plain(item) for item in data]
    return data


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
