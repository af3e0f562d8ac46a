"""The compiled snapshot of the bundled dataset: validated data as compact JSON.

The YAML files stay the source of truth.  When a wheel is built, the build hook
(``hatch_build.py``) loads and validates them with :func:`~mecfs_treatments.load.load_folder`
and writes the result with :func:`dumps` into the wheel as ``data/_compiled.json``.
The catalogue reads it with :func:`open_bundled`, which
needs neither PyYAML nor the validation pass, and falls back to the YAML files where
there is no snapshot (a source tree or an editable install).

The snapshot is made only by our own build from a dataset that passed validation,
so reading it trusts its content; it still refuses (with :class:`SnapshotError`) a
file of another format version or library version, or one whose record layout does
not match the model classes field for field.

Layout: lines of compact JSON.  The first line is the header ``{"format",
"version", "schema", "info", "names", "sources", "symptoms", "treatments"}``;
``sources``, ``symptoms`` and ``treatments`` list the ids of the records that follow,
one record a line, in that order, and ``names`` maps each treatment id to its name and
aliases, enough to index names without decoding any treatment.  A reader parses the
header alone and decodes a record's line only when it is asked for (:class:`Reader`).
``schema`` maps each model class name to its fields as ``[name, kind]`` pairs; a record
is the list of its field values in that order, with trailing default values left out.
Kinds:

- ``p`` a JSON value as is; ``t`` a tuple of such values; ``d`` an ISO date;
- ``e:Enum`` / ``E:Enum`` one enum member / a tuple of them, by value;
- ``r:Class`` / ``R:Class`` one / a tuple of references by id (sources, symptoms);
- ``o:Class`` / ``O:Class`` one nested record / a tuple of them.
"""

from __future__ import annotations

import enum
import json
import os
import zlib
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from . import model
from .errors import SnapshotError
from .model import Dataset

FORMAT = 6
"""Version of the snapshot layout; a reader refuses any other."""

FILE_NAME = "_compiled.json"
"""The snapshot's file name inside the package's ``data`` folder."""

_REFERENCED = (model.Source, model.Symptom)
"""Classes stored once at the top level and by id everywhere else."""


def _version() -> str:
    from ._meta import __version__

    return __version__


# ------------------------------------------------------------------------ writing


def _merge(old: str | None, new: str | None, where: str) -> str | None:
    if old is None or old == new:
        return new
    if new is None:
        return old
    # An empty tuple says "some tuple"; a non-empty one says which.
    if old == "t" and new[:2] in ("E:", "R:", "O:"):
        return new
    if new == "t" and old[:2] in ("E:", "R:", "O:"):
        return old
    raise SnapshotError(f"{where} holds values of two kinds: {old} and {new}")


def dumps(dataset: Dataset, *, name_tables: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """The snapshot of a validated dataset, as text: JSON lines (see the module's docstring).

    Raises:
        SnapshotError: a value the layout cannot hold (the model has changed in a
            way this module does not know).
    """
    import datetime as _dt

    kinds: dict[type[Any], list[str | None]] = {}

    def plain(value: object, where: str) -> tuple[str | None, Any]:
        if value is None:
            return None, None
        if isinstance(value, enum.Enum):
            return f"e:{type(value).__name__}", value.value
        if isinstance(value, (str, int, float)):  # bool is an int
            return "p", value
        if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
            return "d", value.isoformat()
        if isinstance(value, _REFERENCED):
            return f"r:{type(value).__name__}", value.id
        if attrs.has(type(value)):
            return f"o:{type(value).__name__}", record(value)
        if isinstance(value, tuple):
            kind: str | None = None
            items = []
            for item in value:
                item_kind, item_value = plain(item, where)
                if item_kind is None or item_kind[:2] in ("E:", "R:", "O:", "t"):
                    raise SnapshotError(f"{where} holds a tuple of {item_kind or 'nothing'}")
                kind = _merge(kind, item_kind, where)
                items.append(item_value)
            if kind is None or kind in ("p", "d"):
                if kind == "d":
                    raise SnapshotError(f"{where} holds a tuple of dates")
                return "t", items
            return kind[0].upper() + kind[1:], items
        raise SnapshotError(f"{where} holds a {type(value).__name__}, which a snapshot cannot hold")

    def record(obj: Any) -> list[Any]:
        cls = type(obj)
        if getattr(model, cls.__name__, None) is not cls:
            raise SnapshotError(f"{cls.__name__} is not a class of mecfs_treatments.model")
        fields = attrs.fields(cls)
        known = kinds.setdefault(cls, [None] * len(fields))
        row = []
        for i, field in enumerate(fields):
            where = f"{cls.__name__}.{field.name}"
            kind, value = plain(getattr(obj, field.name), where)
            known[i] = _merge(known[i], kind, where)
            row.append(value)
        # Trailing fields that hold their default are left to the class to fill in.
        while row:
            field = fields[len(row) - 1]
            if field.default is attrs.NOTHING or isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
                break
            if getattr(obj, field.name) != field.default:
                break
            row.pop()
        return row

    def text(row: object) -> str:
        # Compact JSON has no raw line break: one record, one line.
        return json.dumps(row, ensure_ascii=False, separators=(",", ":"))

    tables = {
        "sources": [(source.id, record(source)) for source in dataset.sources],
        "symptoms": [(symptom.id, record(symptom)) for symptom in dataset.symptoms],
        "treatments": [(treatment.id, record(treatment)) for treatment in dataset.treatments],
    }
    header: dict[str, Any] = {
        "format": FORMAT,
        "version": _version(),
        "info": None if dataset.info is None else record(dataset.info),
        "names": {treatment.id: list(treatment.lookup_names) for treatment in dataset.treatments},
        # What finding mentions needs, so that it needs no record decoded.
        "symptom_names": {symptom.id: list(symptom.names) for symptom in dataset.symptoms},
        "also": {
            treatment.id: list(treatment.also_called)
            for treatment in dataset.treatments
            if treatment.also_called
        },
        # The catalogue's name tables, where the build passes them: a start then builds no index.
        "index": None if name_tables is None else {name: dict(table) for name, table in name_tables.items()},
    }
    header.update({table: [record_id for record_id, _ in rows] for table, rows in tables.items()})
    header["schema"] = {
        cls.__name__: [
            [field.name, kind or "p"] for field, kind in zip(attrs.fields(cls), found, strict=True)
        ]
        for cls, found in sorted(kinds.items(), key=lambda pair: pair[0].__name__)
    }
    body = "".join(text(row) + "\n" for rows in tables.values() for _, row in rows)
    # A checksum (Adler-32) of the records, read back before anything is trusted: an edited,
    # swapped or cut line is a mismatch, and the catalogue reads the YAML instead.
    header["checksum"] = zlib.adler32(body.encode("utf-8"))
    return text(header) + "\n" + body


# ------------------------------------------------------------------------ reading


_Decoder = Callable[[Any], Any]


def _enum_decoder(name: str) -> dict[Any, Any]:
    enum_type = getattr(model, name, None)
    if not (isinstance(enum_type, type) and issubclass(enum_type, enum.Enum)):
        raise SnapshotError(f"{name} is not an enum of mecfs_treatments.model")
    members: dict[Any, Any] = {member.value: member for member in enum_type}
    members[None] = None
    return members


def _date(text: str) -> Any:
    # datetime is imported only where a date is decoded: the first lookup needs none.
    from datetime import date

    return date.fromisoformat(text)


def _optional(decode: _Decoder) -> _Decoder:
    def optional(value: Any) -> Any:
        return None if value is None else decode(value)

    return optional


def _many(decode: _Decoder) -> _Decoder:
    def many(values: Any) -> Any:
        return tuple(map(decode, values))

    return many


def loads(text: str | bytes) -> Dataset:
    """The dataset held by a snapshot made by :func:`dumps`, every record decoded.

    Raises:
        SnapshotError: another format or library version, a layout that does not
            match the model classes, or content that does not decode.
    """
    return Reader(text).dataset()


class Reader:
    """A snapshot read lazily: each record is decoded on first use, once.

    Opening a snapshot checks its format, library version and layout against the
    model classes; the records themselves are decoded when asked for, so that the
    first lookup of a process decodes one treatment (with the sources and symptoms
    it refers to) rather than all of them.  Decoded records are shared: asking twice
    gives the same object, and :meth:`dataset` reuses what was decoded before.

    Raises:
        SnapshotError: on opening, a snapshot of another format, version or layout;
            on decoding, a record that does not decode.
    """

    __slots__ = ("_cache", "_decoders", "_document", "_rows", "also", "index", "names", "symptom_names")

    def __init__(self, text: str | bytes) -> None:
        raw = text.encode("utf-8") if isinstance(text, str) else bytes(text)
        lines = raw.split(b"\n")
        try:
            document = json.loads(lines[0])
        except ValueError as error:
            raise SnapshotError(f"the snapshot is not valid JSON: {error}") from None
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise SnapshotError(f"the snapshot is not of format {FORMAT}")
        if document.get("version") != _version():
            raise SnapshotError(
                f"the snapshot was made by version {document.get('version')!r}, not {_version()!r}"
            )
        if document.get("checksum") != zlib.adler32(raw[len(lines[0]) + 1 :]):
            raise SnapshotError("the snapshot's checksum does not match its records")
        if not isinstance(document.get("names"), dict):
            raise SnapshotError("the snapshot does not decode: no 'names' table")
        rows: dict[str, dict[str, bytes]] = {}
        start = 1
        for table in ("sources", "symptoms", "treatments"):
            ids = document.get(table)
            if not isinstance(ids, list):
                raise SnapshotError(f"the snapshot does not decode: no {table!r} table")
            rows[table] = dict(zip(ids, lines[start : start + len(ids)], strict=False))
            start += len(ids)
        if lines[start:] != [b""]:
            raise SnapshotError(
                f"the snapshot does not decode: {len(lines) - 1} record lines, not {start - 1}"
            )
        self._document: dict[str, Any] = document
        self._rows = rows
        self._cache: dict[str, dict[str, Any]] = {"Source": {}, "Symptom": {}, "Treatment": {}}
        self._decoders = self._build_decoders(document.get("schema"))
        self.names: dict[str, list[str]] = document["names"]
        """Every treatment's id with its name and aliases, without decoding it."""
        self.symptom_names: dict[str, list[str]] = document.get("symptom_names") or {}
        """Every symptom's id with its label and synonyms."""
        self.also: dict[str, list[str]] = document.get("also") or {}
        index = document.get("index")
        tables = ("exact", "keys", "loose")
        self.index: dict[str, dict[str, str]] | None = (
            index if isinstance(index, dict) and all(isinstance(index.get(k), dict) for k in tables) else None
        )
        """The catalogue's name tables, where the build wrote them."""
        """The names of other entries each treatment is also called by."""

    def _build_decoders(self, schema: object) -> dict[str, _Decoder]:
        if not isinstance(schema, dict):
            raise SnapshotError("the snapshot has no schema")
        decoders: dict[str, _Decoder] = {}
        building: set[str] = set()
        references = {"Source": self.source, "Symptom": self.symptom}

        def decoder(name: str) -> _Decoder:
            # Nested classes first, so that each decoder calls the next one directly.
            found = decoders.get(name)
            if found is not None:
                return found
            if name in building or name not in schema:
                raise SnapshotError(f"the snapshot's schema of {name} is missing or circular")
            building.add(name)
            cls = getattr(model, name, None)
            if not (isinstance(cls, type) and attrs.has(cls)):
                raise SnapshotError(f"{name} is not a class of mecfs_treatments.model")
            fields = schema[name]
            if [field for field, _ in fields] != [field.name for field in attrs.fields(cls)]:
                raise SnapshotError(f"the snapshot's fields of {name} do not match the model's")
            steps = [(i, convert) for i, (_, kind) in enumerate(fields) if (convert := converter(kind))]
            found = decoders[name] = _record_decoder(cls, steps)
            return found

        def converter(kind: str) -> _Decoder | None:
            code, _, name = kind.partition(":")
            if code == "p":
                return None
            if code == "t":
                return tuple
            if code == "d":
                return _optional(_date)
            if code in ("e", "E"):
                single: _Decoder = _enum_decoder(name).__getitem__  # it maps None to None
            elif code in ("r", "R"):
                if name not in references:
                    raise SnapshotError(f"references to {name} are not supported")
                single = references[name]
            elif code in ("o", "O"):
                single = decoder(name)
            else:
                raise SnapshotError(f"unknown field kind {kind!r}")
            if code.isupper():
                return _many(single)
            return single if code == "e" else _optional(single)

        for name in schema:  # every class of the layout must match the model, used or not
            decoder(name)
        return decoders

    def _record(self, table: str, name: str, record_id: str) -> Any:
        cache = self._cache[name]
        found = cache.get(record_id)
        if found is not None:
            return found
        try:
            row = json.loads(self._rows[table][record_id])
            decoded = self._decoders[name](row)
        except SnapshotError:
            raise
        except (KeyError, IndexError, TypeError, ValueError, AttributeError) as error:
            raise SnapshotError(f"the snapshot's {name} {record_id!r} does not decode: {error!r}") from None
        # Two threads may decode the same record; both get the one stored first.
        return cache.setdefault(record_id, decoded)

    def source(self, source_id: str) -> model.Source:
        """The source with this id."""
        return self._record("sources", "Source", source_id)  # type: ignore[no-any-return]

    def symptom(self, symptom_id: str) -> model.Symptom:
        """The symptom with this id."""
        return self._record("symptoms", "Symptom", symptom_id)  # type: ignore[no-any-return]

    def treatment(self, treatment_id: str) -> model.Treatment:
        """The treatment with this id."""
        return self._record("treatments", "Treatment", treatment_id)  # type: ignore[no-any-return]

    def dataset(self) -> Dataset:
        """Every record, decoded (reusing those decoded before), as a :class:`Dataset`."""
        document = self._document
        info = document.get("info")
        try:
            decoded_info = None if info is None else self._decoders["DatasetInfo"](info)
        except (KeyError, IndexError, TypeError, ValueError, AttributeError) as error:
            raise SnapshotError(f"the snapshot's dataset information does not decode: {error!r}") from None
        return Dataset(
            info=decoded_info,
            sources=tuple(map(self.source, self._rows["sources"])),
            symptoms=tuple(map(self.symptom, self._rows["symptoms"])),
            treatments=tuple(map(self.treatment, self._rows["treatments"])),
        )


def _record_decoder(cls: type[Any], steps: list[tuple[int, _Decoder]]) -> _Decoder:
    if not steps:

        def plain(row: list[Any]) -> Any:
            return cls(*row)

        return plain

    def decode(row: list[Any]) -> Any:
        # A copy: the header's rows are shared, and a failed decode changes nothing.
        row = list(row)
        size = len(row)
        for i, convert in steps:
            if i >= size:
                break
            row[i] = convert(row[i])
        return cls(*row)

    return decode


def open_bundled_or_warn() -> Reader | None:
    """:func:`open_bundled`, but a snapshot it cannot read gives a warning and ``None``.

    The caller then reads the YAML files, which are always in the package.
    """
    try:
        return open_bundled()
    except SnapshotError as error:
        import warnings

        warnings.warn(f"ignoring the bundled snapshot ({error}); reading the YAML files", stacklevel=3)
        return None


def open_bundled() -> Reader | None:
    """A lazy :class:`Reader` of the package's snapshot, or ``None`` if it has none.

    Raises:
        SnapshotError: the snapshot is there but cannot be read, fails its checksum,
            or is not of this library's format, version or layout.
    """
    data = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
    try:
        with open(os.path.join(data, FILE_NAME), "rb") as stream:
            raw = stream.read()
    except FileNotFoundError:
        if os.path.isdir(data):
            return None
        # Not on a file system (a zip file, say): ask the import system.
        from importlib.resources import files

        item = files(__package__ or "mecfs_treatments") / "data" / FILE_NAME
        if not item.is_file():
            return None
        raw = item.read_bytes()
    except OSError as error:  # a folder in its place, or a file it may not read
        raise SnapshotError(f"the snapshot cannot be read: {error.strerror or error}") from None
    return Reader(raw)
