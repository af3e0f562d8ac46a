"""The shipped JSON Schemas agree with the model and with the loader."""

from __future__ import annotations

import copy
import datetime
import enum
import json
import types
import typing
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

jsonschema = pytest.importorskip("jsonschema")

from mecfs_treatments import DatasetError, DatasetInfo, Source, Symptom, Treatment, model  # noqa: E402
from mecfs_treatments._yaml import Scalar, parse_yaml  # noqa: E402
from mecfs_treatments.export import (  # noqa: E402
    dataset_from_data,
    from_data,
)
from mecfs_treatments.schema import NAMES, bundled_schema, main, render, schema, schemas  # noqa: E402

from .conftest import NOT_IN_FILES, run_cli  # noqa: E402
from .strategies import Record, datasets  # noqa: E402

DATA = files("mecfs_treatments") / "data"
FRESH = schemas()
RECORDS = {
    name: cls
    for name, cls in vars(model).items()
    if isinstance(cls, type)
    and attrs.has(cls)
    and cls.__module__ == model.__name__
    and name not in NOT_IN_FILES
}
ENUMS = {
    name: cls
    for name, cls in vars(model).items()
    if isinstance(cls, type)
    and issubclass(cls, enum.Enum)
    and cls.__module__ == model.__name__
    and list(cls)
    and name not in NOT_IN_FILES
}


def validator(name: str) -> Any:
    return jsonschema.Draft202012Validator(bundled_schema(name), format_checker=jsonschema.FormatChecker())


VALIDATORS = {name: validator(name) for name in NAMES}


def plain(value: Any) -> Any:
    """Parsed YAML as an editor sees it: dates are text."""
    if isinstance(value, Scalar):
        return plain(value.value)
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def valid(name: str, instance: Any) -> bool:
    return bool(VALIDATORS[name].is_valid(instance))


@pytest.mark.parametrize("name", NAMES)
def test_the_shipped_schema_is_the_generated_one(name: str) -> None:
    shipped = (DATA / "schema" / f"{name}.schema.json").read_text(encoding="utf-8")
    assert shipped == render(FRESH[name]), "run: python -m mecfs_treatments.schema"
    assert schema(name) == FRESH[name]


@pytest.mark.parametrize("name", NAMES)
def test_each_schema_is_a_valid_2020_12_schema(name: str) -> None:
    jsonschema.Draft202012Validator.check_schema(bundled_schema(name))


def test_every_record_class_and_field_appears() -> None:
    defs = (
        bundled_schema("treatment")["$defs"]
        | bundled_schema("sources")["$defs"]
        | bundled_schema("symptoms")["$defs"]
    )
    defs |= bundled_schema("dataset")["$defs"]
    for name, cls in RECORDS.items():
        if name in ("Source", "Symptom"):
            # referenced by id inside a treatment; their own files describe them
            assert defs["SourceId" if name == "Source" else "SymptomId"]["type"] == "string"
        assert name in defs, name
        fields = attrs.fields(cls)
        assert list(defs[name]["properties"]) == [f.name for f in fields]
        required = [f.name for f in fields if f.default is attrs.NOTHING]
        assert defs[name].get("required", []) == required
        assert defs[name]["additionalProperties"] is False


def test_every_enum_matches_the_model() -> None:
    defs = (
        bundled_schema("treatment")["$defs"]
        | bundled_schema("symptoms")["$defs"]
        | bundled_schema("sources")["$defs"]
    )
    assert set(ENUMS) <= set(defs)
    for name, cls in ENUMS.items():
        assert defs[name]["enum"] == [member.value for member in cls]


def bundled_files() -> list[tuple[str, str]]:
    found = [("dataset", "dataset.yaml"), ("symptoms", "symptoms.yaml")]
    found += [
        ("sources", f"sources/{i.name}") for i in (DATA / "sources").iterdir() if i.name.endswith(".yaml")
    ]
    found += [
        ("treatment", f"treatments/{i.name}")
        for i in (DATA / "treatments").iterdir()
        if i.name.endswith(".yaml")
    ]
    return sorted(found)


@pytest.mark.parametrize(("name", "rel"), bundled_files())
def test_every_bundled_file_validates(name: str, rel: str) -> None:
    item = DATA
    for part in rel.split("/"):
        item = item / part
    document = plain(parse_yaml(item.read_text(encoding="utf-8"), rel))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATORS[name].iter_errors(document)]
    assert errors == []
    if name == "treatment":
        assert valid("overlay-treatment", document)


# ------------------------------------------------------------ schema vs loader

Kind = str


def kinds(cls: type[Any]) -> dict[str, tuple[Kind, type[Any] | None]]:
    """Each field of a record class: what the loader expects there, and the nested class."""
    result: dict[str, tuple[Kind, type[Any] | None]] = {}
    for name, hint in typing.get_type_hints(cls).items():
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if typing.get_origin(hint) in (typing.Union, types.UnionType):
            (hint,) = args
        many = typing.get_origin(hint) is tuple
        item = typing.get_args(hint)[0] if many else hint
        if item in (model.Source, model.Symptom):
            kind = "ref"
        elif isinstance(item, type) and issubclass(item, enum.Enum):
            kind = "enum"
        elif isinstance(item, type) and attrs.has(item):
            kind = "record"
        elif item is bool:
            kind = "bool"
        elif item is int:
            kind = "int"
        elif item is datetime.date:
            kind = "date"
        elif (cls, name) == (model.Source, "pmid"):
            kind = "pmid"
        else:
            kind = "text"
        result[name] = (f"{kind}-list" if many else kind, item if kind == "record" else None)
    return result


fractions = st.integers(-(10**6), 10**6).map(lambda n: n + 0.5)
small_lists = st.lists(st.integers(), min_size=1, max_size=2)
small_maps = st.dictionaries(st.sampled_from(["a", "b"]), st.integers(), min_size=1, max_size=2)
WRONG: dict[Kind, st.SearchStrategy[Any]] = {
    "text": st.one_of(st.integers(), st.booleans(), fractions, small_lists, small_maps),
    "ref": st.one_of(st.integers(), st.booleans(), small_lists, small_maps),
    "int": st.one_of(st.text(max_size=5), st.booleans(), fractions, small_lists, small_maps),
    "bool": st.one_of(st.text(max_size=5), st.integers(), small_lists, small_maps),
    "date": st.one_of(st.integers(), st.booleans(), small_lists, small_maps),
    "enum": st.one_of(st.integers(), st.booleans(), small_lists, small_maps),
    # a PubMed id may be written as a number
    "pmid": st.one_of(
        st.booleans(),
        fractions,
        small_lists,
        small_maps,
        st.integers(max_value=0),
        st.integers(min_value=10**9),
    ),
    "record": st.one_of(st.text(max_size=5), st.integers(), small_lists),
}
for _kind in ("text", "ref", "enum", "record"):
    WRONG[f"{_kind}-list"] = st.one_of(st.text(max_size=5), st.integers(), st.booleans(), small_maps)


@st.composite
def mutations(draw: st.DrawFn, record: Record, cls: type[Any]) -> tuple[str, Record]:
    """A copy of ``record`` broken in one place by type, enum value, unknown or missing field."""
    record = copy.deepcopy(record)
    # every mapping in the record, with its class
    places: list[tuple[dict[str, Any], type[Any]]] = [(record, cls)]
    for name, (kind, nested) in kinds(cls).items():
        if kind == "record-list" and nested is not None:
            places += [(item, nested) for item in record.get(name, [])]
    target, target_cls = draw(st.sampled_from(places))
    fields = kinds(target_cls)
    required = [f.name for f in attrs.fields(target_cls) if f.default is attrs.NOTHING]
    how = draw(st.sampled_from(["type", "enum", "unknown", "missing", "repeat"]))
    if how == "enum" and any(kind.startswith("enum") for kind, _ in fields.values()):
        name = draw(st.sampled_from(sorted(n for n, (k, _) in fields.items() if k.startswith("enum"))))
        bad = draw(st.text(min_size=1, max_size=12).filter(lambda t: not _is_member(t)))
        target[name] = [bad] if fields[name][0] == "enum-list" else bad
        return f"enum {name}", record
    if how == "missing" and [n for n in required if n in target]:
        name = draw(st.sampled_from([n for n in required if n in target]))
        del target[name]
        return f"missing {name}", record
    if how == "repeat" and [n for n, v in target.items() if fields[n][0] in ("enum-list", "ref-list") and v]:
        name = draw(
            st.sampled_from([n for n, v in target.items() if fields[n][0] in ("enum-list", "ref-list") and v])
        )
        if name != "symptoms":  # the symptoms an evidence item is about may repeat
            target[name] = [*target[name], target[name][0]]
            return f"repeat {name}", record
    if how == "unknown":
        name = draw(st.text(min_size=1, max_size=10).filter(lambda t: t not in fields))
        target[name] = draw(st.one_of(st.text(max_size=3), st.integers()))
        return f"unknown {name!r}", record
    name = draw(st.sampled_from(sorted(fields)))
    target[name] = draw(WRONG[fields[name][0]])
    return f"type {name}", record


def _is_member(text: str) -> bool:
    return any(text == member.value for cls in ENUMS.values() for member in cls)


def rejected(build: Callable[[], object]) -> bool:
    try:
        build()
    except DatasetError:
        return True
    return False


SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(datasets())
def test_a_generated_valid_dataset_passes_the_schemas_and_the_loader(data: Record) -> None:
    dataset_from_data(data)
    assert valid("sources", data["sources"])
    assert valid("symptoms", data["symptoms"])
    assert valid("overlay-symptoms", data["symptoms"])
    if data["dataset"] is not None:
        assert valid("dataset", data["dataset"])
    for treatment in data["treatments"]:
        assert valid("treatment", treatment)
        assert valid("overlay-treatment", treatment)


@SETTINGS
@given(datasets(), st.data())
def test_a_treatment_the_loader_rejects_is_rejected_by_the_schema(data: Record, draw: st.DataObject) -> None:
    dataset = dataset_from_data(data)
    original = draw.draw(st.sampled_from(data["treatments"]))
    how, broken = draw.draw(mutations(original, model.Treatment))
    event(how.split()[0])
    assert rejected(
        lambda: from_data(Treatment, broken, sources=dataset.sources, symptoms=dataset.symptoms)
    ), how
    assert not valid("treatment", broken), how


@SETTINGS
@given(datasets(), st.data())
def test_a_source_or_symptom_the_loader_rejects_is_rejected_by_the_schema(
    data: Record, draw: st.DataObject
) -> None:
    dataset = dataset_from_data(data)
    how, source = draw.draw(mutations(draw.draw(st.sampled_from(data["sources"])), model.Source))
    assert rejected(lambda: from_data(Source, source)), how
    assert not valid("sources", [source]), how
    how, symptom = draw.draw(mutations(draw.draw(st.sampled_from(data["symptoms"])), model.Symptom))
    assert rejected(
        lambda: from_data(Symptom, symptom, sources=dataset.sources, symptoms=dataset.symptoms)
    ), how
    assert not valid("symptoms", [symptom]), how


@SETTINGS
@given(st.data())
def test_dataset_info_the_loader_rejects_is_rejected_by_the_schema(draw: st.DataObject) -> None:
    how, info = draw.draw(mutations({"version": "1.0", "date": "2026-01-02"}, model.DatasetInfo))
    assert rejected(lambda: from_data(DatasetInfo, info)), how
    assert not valid("dataset", info), how


def test_overlay_schemas_take_extensions_and_refuse_changes() -> None:
    extension = {"extends": "low-dose-naltrexone", "aliases": [{"name": "Clinic LDN", "kind": "lay-name"}]}
    assert valid("overlay-treatment", extension)
    assert not valid("treatment", extension)
    assert not valid("overlay-treatment", {**extension, "name": "Other"})
    assert not valid("overlay-treatment", {"aliases": []})
    assert valid("overlay-symptoms", [{"extends": "pain", "synonyms": ["soreness"]}])
    assert not valid("overlay-symptoms", [{"extends": "pain", "label": "Sore"}])


def test_unknown_schema_name() -> None:
    with pytest.raises(KeyError, match="treatment"):
        schema("treatments")
    with pytest.raises(KeyError):
        bundled_schema("nothing")


def test_the_command_writes_and_checks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path), "--check"]) == 1
    assert main([str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{n}.schema.json" for n in NAMES)
    assert main([str(tmp_path), "--check"]) == 0
    assert json.loads((tmp_path / "treatment.schema.json").read_text()) == FRESH["treatment"]
    (tmp_path / "dataset.schema.json").write_text("{}")
    assert main([str(tmp_path), "--check"]) == 1
    assert "dataset.schema.json" in capsys.readouterr().err


def test_the_cli_prints_and_writes_the_schemas(tmp_path: Path) -> None:
    import subprocess
    import sys

    run = run_cli

    done = run("schema", "treatment")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == FRESH["treatment"]
    assert set(json.loads(run("schema").stdout)) == set(NAMES)
    assert run("schema", "--out", str(tmp_path)).returncode == 0
    assert main([str(tmp_path), "--check"]) == 0
    done = subprocess.run(
        [sys.executable, "-m", "mecfs_treatments.schema", str(tmp_path / "again")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "again" / "treatment.schema.json").read_text() == render(FRESH["treatment"])
