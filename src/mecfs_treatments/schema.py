"""JSON Schemas of the data files, generated from the model, so that editors check them as you type.

Six schemas (JSON Schema 2020-12) ship with the package in
``mecfs_treatments/data/schema/``:

==========================  =====================================================
``treatment.schema.json``   a file ``treatments/<id>.yaml``
``sources.schema.json``     a file ``sources/*.yaml``
``symptoms.schema.json``    ``symptoms.yaml``
``dataset.schema.json``     ``dataset.yaml``
``overlay-treatment``       a treatment file of an overlay folder: a new entry, or
``.schema.json``            an ``extends:`` file (see :mod:`mecfs_treatments.combine`)
``overlay-symptoms``        ``symptoms.yaml`` of an overlay folder
``.schema.json``
==========================  =====================================================

They are generated from the :mod:`attrs` classes and enums of
:mod:`mecfs_treatments.model`, with the rules declared beside each field (the same
:class:`~mecfs_treatments.model.Rule` the reader applies) and the model's docstrings
as descriptions.  A file the schema rejects for
a wrong type, an unknown value or field, or a missing required field is rejected by
the loader too.  The loader checks more than a schema can say (references resolve,
names are unique, an id matches its file name).  The schemas are strict about
``null``: write nothing rather than an empty value.

With the YAML extension of VS Code (or any editor using yaml-language-server), put
a first line in a data file::

    # yaml-language-server: $schema=<path to>/treatment.schema.json

or map the schemas to the folders once, in the editor's settings.  Write the files
with ``python -m mecfs_treatments.schema FOLDER`` or
``mecfs-treatments schema --out FOLDER``; :func:`schema` returns one as a mapping.

>>> from mecfs_treatments.schema import schema
>>> schema("treatment")["$defs"]["Direction"]["enum"]
['benefit', 'mixed', 'no-effect', 'harm', 'unclear']
"""

from __future__ import annotations

import argparse
import ast
import datetime as _dt
import enum
import inspect
import json
import os
import re
import sys
import types
import typing
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from . import model
from .combine import list_fields
from .errors import UnknownSchemaError
from .model import SLUG, DatasetInfo, Rule, Source, Symptom, Treatment, rule_of

DIALECT = "https://json-schema.org/draft/2020-12/schema"
"""The JSON Schema dialect of every generated schema."""

NAMES: tuple[str, ...] = (
    "treatment",
    "sources",
    "symptoms",
    "dataset",
    "overlay-treatment",
    "overlay-symptoms",
)
"""The schemas, by name; the file of each is ``<name>.schema.json``."""

_ID = {"type": "string", "pattern": f"^(?:{SLUG})$"}
_TEXT = {"type": "string", "pattern": "\\S"}


class _Docs:
    """The docstrings of the model's classes, their fields and enum members."""

    def __init__(self) -> None:
        self.classes: dict[str, str] = {}
        self.members: dict[tuple[str, str], str] = {}
        try:
            tree = ast.parse(inspect.getsource(model))
        except (OSError, TypeError):  # pragma: no cover - only without the source file
            return
        for node in tree.body:
            if not isinstance(node, ast.ClassDef):
                continue
            self.classes[node.name] = _plain(ast.get_docstring(node) or "")
            for statement, following in zip(node.body, node.body[1:], strict=False):
                target = None
                if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                    target = statement.target.id
                elif isinstance(statement, ast.Assign) and isinstance(statement.targets[0], ast.Name):
                    target = statement.targets[0].id
                if (
                    target is not None
                    and isinstance(following, ast.Expr)
                    and isinstance(following.value, ast.Constant)
                    and isinstance(following.value.value, str)
                ):
                    self.members[(node.name, target)] = _plain(following.value.value)


def _plain(text: str) -> str:
    """Docstring markup as plain text: ``code`` and :role:`target` lose their marks."""
    text = inspect.cleandoc(text)
    text = re.sub(r":\w+:`~?([^`]+)`", r"\1", text)
    text = text.replace("``", "`")
    # Keep the prose: doctest examples are for the library's own pages.
    return text.split("\n\n>>>")[0].strip()


class _Generator:
    def __init__(self) -> None:
        self.docs = _Docs()
        self.defs: dict[str, dict[str, Any]] = {}

    def ref(self, name: str) -> dict[str, Any]:
        return {"$ref": f"#/$defs/{name}"}

    def enum(self, enum_type: type[enum.Enum]) -> dict[str, Any]:
        name = enum_type.__name__
        if name not in self.defs:
            lines = [self.docs.classes.get(name, "")]
            for member in enum_type:
                doc = self.docs.members.get((name, member.name), "")
                lines.append(f"- {member.value}: {doc}".rstrip(": "))
            self.defs[name] = {
                "description": (lines[0] + "\n\n" + "\n".join(lines[1:])).strip(),
                "enum": [member.value for member in enum_type],
            }
        return self.ref(name)

    def record(self, cls: type[Any]) -> dict[str, Any]:
        name = cls.__name__
        if name not in self.defs:
            self.defs[name] = {}  # placeholder: records do not nest themselves, but be safe
            self.defs[name] = self.object_schema(cls, [field.name for field in attrs.fields(cls)])
        return self.ref(name)

    def object_schema(
        self, cls: type[Any], names: Sequence[str], *, extension: bool = False
    ) -> dict[str, Any]:
        hints = typing.get_type_hints(cls)
        properties: dict[str, Any] = {}
        required: list[str] = []
        for field in attrs.fields(cls):
            if field.name not in names:
                continue
            optional, value = self.value(rule_of(field), hints[field.name])
            if field.default is attrs.NOTHING and not optional and not extension:
                required.append(field.name)
                if value.get("type") == "array":
                    value["minItems"] = 1
            doc = self.docs.members.get((cls.__name__, field.name))
            properties[field.name] = {"description": doc, **value} if doc else value
        result: dict[str, Any] = {}
        if self.docs.classes.get(cls.__name__):
            result["description"] = self.docs.classes[cls.__name__]
        result["type"] = "object"
        result["properties"] = properties
        if required:
            result["required"] = required
        result["additionalProperties"] = False
        return result

    def value(self, rule: Rule, hint: Any) -> tuple[bool, dict[str, Any]]:
        """(may it be absent, the schema of a present value) for one field."""
        optional = False
        if typing.get_origin(hint) in (typing.Union, types.UnionType):
            args = [arg for arg in typing.get_args(hint) if arg is not type(None)]
            optional = len(args) < len(typing.get_args(hint))
            (hint,) = args
        if typing.get_origin(hint) is tuple:
            (item,) = [arg for arg in typing.get_args(hint) if arg is not Ellipsis]
            schema: dict[str, Any] = {"type": "array", "items": self.item(item, rule)}
            if rule.unique:
                schema["uniqueItems"] = True
            return optional, schema
        return optional, self.item(hint, rule)

    def item(self, hint: Any, rule: Rule) -> dict[str, Any]:
        if hint is Source:
            return self.reference("SourceId", "The id of a source, from a sources/*.yaml file.")
        if hint is Symptom:
            return self.reference("SymptomId", "The id of a symptom, from symptoms.yaml.")
        if isinstance(hint, type) and issubclass(hint, enum.Enum):
            return self.enum(hint)
        if isinstance(hint, type) and attrs.has(hint):
            return self.record(hint)
        if hint is str:
            return {"type": "string", "pattern": f"^(?:{rule.pattern})$"} if rule.pattern else dict(_TEXT)
        if hint is bool:
            return {"type": "boolean"}
        if hint is int:
            return {"type": "integer", "minimum": 0 if rule.minimum is None else rule.minimum}
        if hint is _dt.date:
            return {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
        raise TypeError(f"no schema for the type {hint!r}")  # pragma: no cover - a new kind of field

    def reference(self, name: str, description: str) -> dict[str, Any]:
        self.defs.setdefault(name, {"description": description, **_ID})
        return self.ref(name)

    def extension(self, cls: type[Any], fields: Sequence[str], what: str) -> dict[str, Any]:
        name = f"{cls.__name__}Extension"
        if name not in self.defs:
            body = self.object_schema(cls, fields, extension=True)
            self.defs[name] = {
                "description": (
                    f"Additions to a {what} of the base catalogue, in an overlay folder: "
                    f"'extends' names it, and each list is appended to the entry's own."
                ),
                "type": "object",
                "properties": {
                    "extends": {"description": f"The id of the {what} to add to.", **_ID},
                    **body["properties"],
                },
                "required": ["extends"],
                "additionalProperties": False,
            }
        return self.ref(name)

    def document(self, title: str, body: dict[str, Any]) -> dict[str, Any]:
        return {"$schema": DIALECT, "title": title, **body, "$defs": self.sorted_defs()}

    def sorted_defs(self) -> dict[str, Any]:
        return {name: self.defs[name] for name in sorted(self.defs)}


def schemas() -> dict[str, dict[str, Any]]:
    """Every schema, freshly generated from the model, by name (see :data:`NAMES`)."""
    result: dict[str, dict[str, Any]] = {}

    def make(name: str, title: str, build: typing.Callable[[_Generator], dict[str, Any]]) -> None:
        generator = _Generator()
        result[name] = generator.document(title, build(generator))

    make("treatment", "A treatment file, treatments/<id>.yaml", lambda g: g.record(Treatment))
    make("sources", "A sources file, sources/*.yaml", lambda g: {"type": "array", "items": g.record(Source)})
    make(
        "symptoms",
        "The symptom vocabulary, symptoms.yaml",
        lambda g: {"type": "array", "items": g.record(Symptom)},
    )
    make("dataset", "The dataset's version and date, dataset.yaml", lambda g: g.record(DatasetInfo))
    make(
        "overlay-treatment",
        "A treatment file of an overlay folder: a new treatment, or additions to one (extends)",
        lambda g: {
            "anyOf": [g.record(Treatment), g.extension(Treatment, list_fields(Treatment), "treatment")]
        },
    )
    make(
        "overlay-symptoms",
        "symptoms.yaml of an overlay folder: new symptoms, or additions to one (extends)",
        lambda g: {
            "type": "array",
            "items": {"anyOf": [g.record(Symptom), g.extension(Symptom, list_fields(Symptom), "symptom")]},
        },
    )
    return result


def schema(name: str) -> dict[str, Any]:
    """One schema, freshly generated, by name: ``"treatment"``, ``"sources"``, …

    Raises:
        UnknownSchemaError: no schema has this name (also a ``KeyError``).
    """
    if name not in NAMES:
        raise UnknownSchemaError(name, NAMES)
    return schemas()[name]


def render(document: dict[str, Any]) -> str:
    """A schema as the text of its file (stable: the same model gives the same bytes)."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def bundled_schema(name: str) -> dict[str, Any]:
    """One of the schemas shipped in the package's ``data/schema`` folder, by name.

    Raises:
        UnknownSchemaError: no schema has this name (also a ``KeyError``).
    """
    from importlib.resources import files

    if name not in NAMES:
        raise UnknownSchemaError(name, NAMES)
    text = (files(__package__) / "data" / "schema" / f"{name}.schema.json").read_text(encoding="utf-8")
    result: dict[str, Any] = json.loads(text)
    return result


def write_schemas(folder: str | os.PathLike[str]) -> list[Path]:
    """Write every schema into ``folder`` (made if missing) as ``<name>.schema.json``; return the paths."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, document in schemas().items():
        path = target / f"{name}.schema.json"
        path.write_text(render(document), encoding="utf-8")
        written.append(path)
    return written


def _default_folder() -> Path:
    return Path(__file__).resolve().parent / "data" / "schema"


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m mecfs_treatments.schema [FOLDER] [--check]``: write (or compare) the schema files.

    FOLDER defaults to the package's own ``data/schema``.  With ``--check`` nothing
    is written, and the exit status is 1 when a file is missing or differs from a
    freshly generated one.
    """
    parser = argparse.ArgumentParser(
        prog="python -m mecfs_treatments.schema", description="Write the JSON Schemas of the data files."
    )
    parser.add_argument("folder", nargs="?", help="where to write them (default: the package's data/schema)")
    parser.add_argument("--check", action="store_true", help="only compare, and fail if any file differs")
    args = parser.parse_args(argv)
    folder = Path(args.folder) if args.folder else _default_folder()
    if args.check:
        stale = [
            name
            for name, document in schemas().items()
            if not (folder / f"{name}.schema.json").is_file()
            or (folder / f"{name}.schema.json").read_text(encoding="utf-8") != render(document)
        ]
        for name in stale:
            sys.stderr.write(f"{folder / (name + '.schema.json')} is missing or out of date\n")
        return 1 if stale else 0
    for path in write_schemas(folder):
        sys.stdout.write(f"{path}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
