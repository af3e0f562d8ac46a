"""Every record converts to plain JSON-ready data and back without loss."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from mecfs_treatments import Catalog, DatasetError, DatasetInfo, Source, Symptom, Treatment
from mecfs_treatments.export import (
    dataset_from_data,
    dataset_to_data,
    from_data,
    to_data,
)

from .strategies import Record, datasets, write_dataset

CATALOG = Catalog.default()


def through_json(data: object) -> Any:
    return json.loads(json.dumps(data, ensure_ascii=False))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_plain_data_objects_json_objects_is_the_identity(data: Record) -> None:
    dataset = dataset_from_data(data)
    exported = through_json(dataset_to_data(dataset))
    # Generated data is already in plain form, so even the data comes back unchanged.
    assert exported == data
    assert dataset_from_data(exported) == dataset


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=datasets())
def test_a_generated_valid_folder_always_loads(
    tmp_path_factory: pytest.TempPathFactory, data: Record
) -> None:
    root = write_dataset(tmp_path_factory.mktemp("generated"), data)
    catalog = Catalog.from_path(root)
    assert catalog.dataset == dataset_from_data(data)
    for treatment in data["treatments"]:
        assert catalog.get(treatment["name"]).id == treatment["id"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_each_record_rebuilds_from_its_own_data(data: Record) -> None:
    dataset = dataset_from_data(data)
    for source in dataset.sources:
        assert from_data(Source, through_json(to_data(source))) == source
    for symptom in dataset.symptoms:
        assert (
            from_data(
                Symptom, through_json(to_data(symptom)), sources=dataset.sources, symptoms=dataset.symptoms
            )
            == symptom
        )
    for treatment in dataset.treatments:
        rebuilt = from_data(
            Treatment, through_json(to_data(treatment)), sources=dataset.sources, symptoms=dataset.symptoms
        )
        assert rebuilt == treatment
    if dataset.info is not None:
        assert from_data(DatasetInfo, through_json(to_data(dataset.info))) == dataset.info


@pytest.mark.parametrize("treatment", CATALOG.treatments(), ids=lambda t: t.id)
def test_every_bundled_treatment_round_trips(treatment: Any) -> None:
    data = through_json(to_data(treatment))
    assert from_data(Treatment, data, sources=CATALOG.sources(), symptoms=CATALOG.symptoms()) == treatment
    # Nested records have a plain form of their own, which is the item in the file.
    for i, item in enumerate(treatment.evidence):
        assert data["evidence"][i] == through_json(to_data(item))


def test_the_bundled_dataset_round_trips_through_json() -> None:
    dataset = CATALOG.dataset
    assert dataset_from_data(through_json(dataset_to_data(dataset))) == dataset
    for symptom in dataset.symptoms:
        assert (
            from_data(Symptom, to_data(symptom), sources=dataset.sources, symptoms=dataset.symptoms)
            == symptom
        )


def test_cli_export_is_the_dataset(tmp_path: Path) -> None:
    import io

    from mecfs_treatments.cli import main

    out = io.StringIO()
    assert main(["export"], stdout=out) == 0
    assert dataset_from_data(json.loads(out.getvalue())) == CATALOG.dataset


def test_from_data_of_a_treatment_reports_like_the_loader() -> None:
    data = through_json(to_data(CATALOG.get("LDN")))
    data["evidence"][0]["direction"] = "great"
    with pytest.raises(DatasetError) as caught:
        from_data(Treatment, data, sources=CATALOG.sources(), symptoms=CATALOG.symptoms(), origin="clinic")
    error = caught.value
    assert (error.file, error.entry, error.field) == (
        "clinic:treatments/low-dose-naltrexone.yaml",
        "low-dose-naltrexone",
        "evidence[0].direction",
    )
    assert "unknown value 'great'" in error.problem


def test_from_data_of_a_treatment_needs_its_sources() -> None:
    data = to_data(CATALOG.get("LDN"))
    with pytest.raises(DatasetError, match="unknown source"):
        from_data(Treatment, data, sources=(), symptoms=CATALOG.symptoms())


def test_from_data_of_a_source_rejects_a_bad_locator() -> None:
    with pytest.raises(DatasetError) as caught:
        from_data(Source, {"id": "x", "title": "X", "kind": "other", "pmid": "PMID 1"})
    assert (caught.value.entry, caught.value.field) == ("x", "pmid")


def test_from_data_of_a_symptom_checks_broader_against_the_given_symptoms() -> None:
    with pytest.raises(DatasetError, match="unknown symptom 'nowhere'"):
        from_data(Symptom, {"id": "x", "label": "X", "domain": "pain", "broader": "nowhere"})
    pain = CATALOG.symptom("pain")
    made = from_data(
        Symptom, {"id": "x", "label": "Xy pain", "domain": "pain", "broader": pain.id}, symptoms=[pain]
    )
    assert made.broader == pain.id


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ([], "expected a mapping"),
        ({"treatments": {"id": "x"}}, "expected a list of treatments"),
        ({"sources": 0}, "expected a list of sources"),
        ({"symptoms": "pain"}, "expected a list of symptoms"),
        ({"extra": 1, 2: 3}, "unknown key"),
    ],
)
def test_dataset_from_data_refuses_wrong_shapes(data: Any, words: str) -> None:
    with pytest.raises(DatasetError, match=words):
        dataset_from_data(data)
