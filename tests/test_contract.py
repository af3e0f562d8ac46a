"""The model is the one contract: a field declared there is read, checked, exported,
snapshotted and described without an edit anywhere else; modules import each other
one way only; records compare and hash by every field.
"""

from __future__ import annotations

import ast
import datetime as dt
import enum
import json
import operator
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

import mecfs_treatments
from mecfs_treatments import model

PACKAGE = Path(mecfs_treatments.__file__).resolve().parent

# ------------------------------------------------------------ one line, one field

NEW_FIELD = '''    note_for_test: str | None = None
    """A field added by the contract test."""
'''
ANCHOR = '    """Checked cross-references to other vocabularies."""\n'

CHECK = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    import mecfs_treatments as mt
    from mecfs_treatments import _snapshot
    from mecfs_treatments.export import dataset_to_data, to_data

    data = Path(sys.argv[1])
    catalog = mt.Catalog.from_path(data)
    oxytocin = catalog.get("oxytocin")
    snapshot = _snapshot.loads(_snapshot.dumps(catalog.dataset))
    exported = {t["id"]: t for t in dataset_to_data(catalog.dataset)["treatments"]}
    misspelt = Path(sys.argv[2])
    try:
        mt.Catalog.from_path(misspelt)
    except mt.DatasetError as error:
        refused = [error.file, error.field, error.problem]
    else:
        refused = None
    print(json.dumps({
        "read": oxytocin.note_for_test,
        "default": catalog.get("LDN").note_for_test,
        "snapshot": snapshot.treatments[[t.id for t in snapshot.treatments].index("oxytocin")].note_for_test,
        "snapshot_equal": snapshot == catalog.dataset,
        "to_data": to_data(oxytocin).get("note_for_test"),
        "export": exported["oxytocin"].get("note_for_test"),
        "refused": refused,
    }))
    """
)


def _copy_package(target: Path) -> Path:
    copy = target / "mecfs_treatments"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "_compiled.json"))
    return copy


def _run(code_or_args: list[str], path: Path, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    env = {"PYTHONPATH": str(path), "PYTHONIOENCODING": "utf-8", "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, *code_or_args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=300,
        **kwargs,
    )


def test_one_line_in_the_model_adds_a_field_everywhere(tmp_path: Path) -> None:
    """Declare a field, regenerate the schemas: the loader, snapshot, export, CLI and schema carry it."""
    jsonschema = pytest.importorskip("jsonschema")
    package = _copy_package(tmp_path / "site")
    source = (package / "model.py").read_text(encoding="utf-8")
    assert source.count(ANCHOR) == 1, "the anchor line of the test moved"
    (package / "model.py").write_text(source.replace(ANCHOR, ANCHOR + NEW_FIELD), encoding="utf-8")
    old_schema = json.loads(
        (package / "data" / "schema" / "treatment.schema.json").read_text(encoding="utf-8")
    )

    done = _run(["-m", "mecfs_treatments.schema"], tmp_path / "site")
    assert done.returncode == 0, done.stderr

    data = tmp_path / "data"
    shutil.copytree(package / "data", data, ignore=shutil.ignore_patterns("schema"))
    oxytocin = data / "treatments" / "oxytocin.yaml"
    oxytocin.write_text(
        oxytocin.read_text(encoding="utf-8") + "note_for_test: hello there\n", encoding="utf-8"
    )
    misspelt = tmp_path / "misspelt"
    shutil.copytree(data, misspelt)
    bad = misspelt / "treatments" / "oxytocin.yaml"
    bad.write_text(
        bad.read_text(encoding="utf-8").replace("note_for_test:", "note_for_tset:"), encoding="utf-8"
    )

    done = _run(["-c", CHECK, str(data), str(misspelt)], tmp_path / "site")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["read"] == "hello there"
    assert result["default"] is None
    assert result["snapshot"] == "hello there"
    assert result["snapshot_equal"] is True
    assert result["to_data"] == "hello there"
    assert result["export"] == "hello there"
    file, field, problem = result["refused"]
    assert (file, field) == ("treatments/oxytocin.yaml", "note_for_tset")
    assert "did you mean 'note_for_test'" in problem

    done = _run(
        ["-m", "mecfs_treatments", "--data", str(data), "show", "--json", "Pitocin"], tmp_path / "site"
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["note_for_test"] == "hello there"
    done = _run(["-m", "mecfs_treatments", "--data", str(data), "export"], tmp_path / "site")
    assert done.returncode == 0, done.stderr
    treatments = {t["id"]: t for t in json.loads(done.stdout)["treatments"]}
    assert treatments["oxytocin"]["note_for_test"] == "hello there"

    from mecfs_treatments._yaml import parse_yaml, plain

    document = plain(parse_yaml(oxytocin.read_text(encoding="utf-8"), "oxytocin.yaml"))
    new_schema = json.loads(
        (package / "data" / "schema" / "treatment.schema.json").read_text(encoding="utf-8")
    )
    assert jsonschema.Draft202012Validator(new_schema).is_valid(document)
    assert not jsonschema.Draft202012Validator(old_schema).is_valid(document), (
        "the schema was not regenerated"
    )


# ------------------------------------------------------------------ no cycles


def _imports(path: Path, module: str) -> Iterator[str]:
    """Every package module that ``module`` imports, at the top or inside a function."""
    package = "mecfs_treatments"
    submodules = {p.stem for p in PACKAGE.glob("*.py")}
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 and node.module:
                yield node.module.split(".")[0]
            elif node.level == 1:
                for alias in node.names:
                    yield alias.name if alias.name in submodules else "__init__"
            elif node.module and node.module.startswith(package):
                parts = node.module.split(".")
                yield parts[1] if len(parts) > 1 else "__init__"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(package + "."):
                    yield alias.name.split(".")[1]


def test_no_import_cycle_among_the_package_modules() -> None:
    graph = {
        path.stem: sorted(set(_imports(path, path.stem)) - {path.stem})
        for path in sorted(PACKAGE.glob("*.py"))
    }
    assert "read" in graph["load"], "the walker found nothing: it is broken"
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for other in graph.get(node, ()):
            if state.get(other) == 1:
                cycles.append([*stack[stack.index(other) :], other])
            elif other not in state:
                visit(other, [*stack, other])
        state[node] = 2

    for node in graph:
        if node not in state:
            visit(node, [node])
    assert cycles == []


# ------------------------------------------------------ equality, hash and repr


def _examples() -> dict[type[Any], list[Any]]:
    """Two or more instances of every record class, taken from the bundled data."""
    found: dict[type[Any], list[Any]] = {}

    def walk(record: Any) -> None:
        items = found.setdefault(type(record), [])
        if len(items) < 40 or any(  # keep a record that fills a field no example fills yet
            getattr(record, f.name) not in (None, ()) and all(getattr(i, f.name) in (None, ()) for i in items)
            for f in attrs.fields(type(record))
        ):
            items.append(record)
        for field in attrs.fields(type(record)):
            value = getattr(record, field.name)
            for item in value if isinstance(value, tuple) else (value,):
                if attrs.has(type(item)) and not isinstance(item, (model.Source, model.Symptom)):
                    walk(item)

    dataset = mecfs_treatments.Catalog.default().dataset
    for treatment in dataset.treatments:
        walk(treatment)
    for record in (*dataset.sources, *dataset.symptoms, dataset.info):
        found.setdefault(type(record), []).append(record)
    # Records the library computes rather than reads: summaries, pooled figures, comparisons.
    catalog = mecfs_treatments.Catalog.default()
    summaries = [t.evidence_summary for t in dataset.treatments]
    found[model.EvidenceSummary] = summaries[:40]
    found[model.PatientFigures] = [s.patients for s in summaries if s.patients is not None] + [
        model.PatientFigures(surveys=2, respondents=300, improved=0.5, worse=0.25, unchanged=None)
    ]
    found[model.Comparison] = list(catalog.compare("GET", "Pitocin", "LDN"))
    half = len(dataset.treatments) // 2
    found[model.Dataset] = [dataset, attrs.evolve(dataset, treatments=dataset.treatments[:half], info=None)]
    return found


EXAMPLES = _examples()
RECORD_CLASSES = [
    cls
    for name in model.__all__
    if isinstance(cls := getattr(model, name), type) and issubclass(cls, model._Record)
]


def _other_value(cls: type[Any], field: attrs.Attribute[Any], value: Any) -> Any:
    """A value of the field's type that differs from ``value``."""
    for other in EXAMPLES[cls]:
        candidate = getattr(other, field.name)
        if candidate != value:
            return candidate
    if isinstance(value, str):
        return value + " (changed)"
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, float):
        return value / 2 + 0.125
    if isinstance(value, enum.Enum):
        return next(member for member in type(value) if member is not value)
    if isinstance(value, dt.date):
        return value + dt.timedelta(days=1)
    if isinstance(value, tuple):
        return value[:-1] if value else ("x",)
    if value is None:
        return "x"
    raise AssertionError(f"no other value for {cls.__name__}.{field.name}")


def _changed(cls: type[Any], field: attrs.Attribute[Any]) -> tuple[Any, Any]:
    """An example record and a copy with another value of one field.

    Some fields are checked against others when a record is made (survey figures
    belong to patient-survey evidence): the first example the change is valid for is used.
    """
    for record in EXAMPLES[cls]:
        try:
            return record, attrs.evolve(
                record, **{field.name: _other_value(cls, field, getattr(record, field.name))}
            )
        except ValueError:
            continue
    raise AssertionError(f"no valid change of {cls.__name__}.{field.name}")


def test_every_model_class_has_examples() -> None:
    assert set(RECORD_CLASSES) <= set(EXAMPLES), set(RECORD_CLASSES) - set(EXAMPLES)


@pytest.mark.parametrize("cls", RECORD_CLASSES, ids=lambda c: c.__name__)
def test_records_are_equal_only_when_every_field_is(cls: type[Any]) -> None:
    record = EXAMPLES[cls][0]
    twin = cls(**{f.name: getattr(record, f.name) for f in attrs.fields(cls)})
    assert twin == record
    assert operator.ne(twin, record) is False  # __ne__ agrees with __eq__
    assert hash(twin) == hash(record)
    assert cls.__name__ in repr(record)
    for field in attrs.fields(cls):
        record, changed = _changed(cls, field)
        assert operator.eq(changed, record) is False, f"{cls.__name__} ignores {field.name} when compared"
        assert changed != record
        assert hash(changed) != hash(record), f"{cls.__name__} ignores {field.name} when hashed"
    assert record != object()
    assert record != attrs.asdict(record, recurse=False)


def test_records_of_two_classes_with_the_same_values_differ() -> None:
    source = model.Source(id="a", title="T", kind=model.SourceKind.OTHER)
    claim = model.Claim(text="t", sources=(source,))
    gap = model.EvidenceGap(kind=model.EvidenceKind.REVIEW, note="t", sources=(source,))
    assert claim != gap
    assert model.Alias(name="x", kind=model.AliasKind.BRAND) != model.Identifier(scheme="x", value="brand")
