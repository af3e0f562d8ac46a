"""Combining a catalogue with a user's overlay folder: additions, clashes, origins."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import mecfs_treatments
from mecfs_treatments import Addition, Catalog, DatasetError
from mecfs_treatments.catalog import BASE, BUNDLED
from mecfs_treatments.export import dataset_from_data

from .conftest import DatasetFactory, run_cli, write_documents
from .strategies import Record, datasets, write_dataset

AUDIT = {"id": "audit", "title": "Clinic audit", "kind": "clinic-page"}
REPORT = {
    "kind": "clinician-report",
    "direction": "benefit",
    "summary": "Patients report less pain.",
    "sources": ["audit"],
}
GAMMA = {
    "id": "gamma",
    "name": "Gammacillin",
    "aliases": [{"name": "GC", "kind": "abbreviation"}],
    "category": "drug",
    "summary": "A clinic's own entry.",
    "sources": ["audit", "src-a"],
    "targets": [{"symptom": "fatigue", "sources": ["audit"]}],
    "related": ["alpha"],
}


@pytest.fixture
def base(make_dataset: DatasetFactory) -> Catalog:
    return Catalog.from_path(make_dataset())


def write_overlay(root: Path, files: dict[str, Any]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    return write_documents(root, files)


@pytest.fixture
def overlay(tmp_path: Path) -> Any:
    def make(files: dict[str, Any]) -> Path:
        return write_overlay(tmp_path / "overlay", files)

    return make


def combine_error(base: Catalog, path: Path, **options: Any) -> DatasetError:
    with pytest.raises(DatasetError) as caught:
        base.extended_with(path, **options)
    return caught.value


def test_new_treatment_cites_base_sources_symptoms_and_treatments(base: Catalog, overlay: Any) -> None:
    path = overlay({"sources/clinic.yaml": [AUDIT], "treatments/gamma.yaml": GAMMA})
    combined = base.extended_with(path)
    assert isinstance(combined, Catalog)
    assert combined.get("gc").id == "gamma"
    assert [t.id for t in combined.for_symptom("exhaustion")] == ["beta", "gamma"]
    assert combined.get("gamma").sources == (combined.source("audit"), base.source("src-a"))
    assert combined.origin("Gammacillin") == str(path)
    assert combined.origin("alpha") == "base"
    assert combined.source_origin("audit") == str(path)
    assert combined.source_origin("src-a") == "base"
    assert combined.symptom_origin("fatigue") == "base"
    assert [layer.origin for layer in combined.layers] == ["base", str(path)]
    assert combined.info == base.info
    assert len(base) == 2, "the base catalogue is left as it was"
    assert "gamma" not in base


def test_extension_appends_items_and_records_their_origin(base: Catalog, overlay: Any) -> None:
    path = overlay(
        {
            "sources/clinic.yaml": [AUDIT],
            "treatments/alpha.yaml": {
                "extends": "alpha",
                "aliases": [{"name": "Alpha Clinic", "kind": "lay-name"}],
                "evidence": [REPORT],
                "access": ["clinic"],
                "targets": [{"symptom": "fatigue", "sources": ["audit"]}],
            },
        }
    )
    combined = base.extended_with(path)
    alpha, old = combined.get("Alpha Clinic"), base.get("alpha")
    assert alpha.id == "alpha"
    assert alpha.aliases[:2] == old.aliases
    assert alpha.evidence[: len(old.evidence)] == old.evidence
    assert alpha.evidence[-1].summary == REPORT["summary"]
    assert alpha.access == (*old.access, mecfs_treatments.Access.CLINIC)
    assert [t.id for t in combined.for_symptom("fatigue")] == ["alpha", "beta"]
    assert combined.origin("alpha") == "base"
    assert combined.origin("alpha", "evidence", 0) == "base"
    assert combined.origin("alpha", "evidence", 1) == str(path)
    assert combined.origin("alpha", "evidence", -1) == str(path)
    assert combined.origin("alpha", "aliases", 2) == str(path)
    assert combined.additions("alpha") == (
        Addition("aliases", 2, str(path)),
        Addition("access", 1, str(path)),
        Addition("targets", 1, str(path)),
        Addition("evidence", 1, str(path)),
    )
    assert combined.additions("beta") == ()
    with pytest.raises(mecfs_treatments.NoSuchItemError):
        combined.origin("alpha", "evidence", 2)
    with pytest.raises(IndexError):  # also an IndexError
        combined.origin("alpha", "evidence", -3)
    with pytest.raises(mecfs_treatments.NoSuchFieldError):
        combined.origin("alpha", "name", 0)
    with pytest.raises(ValueError, match="list fields"):  # also a ValueError
        combined.origin("alpha", "colour", 0)
    with pytest.raises(TypeError):
        combined.origin("alpha", "evidence", "0")  # type: ignore[arg-type]


def test_symptoms_and_sources_may_be_omitted_or_extended(base: Catalog, overlay: Any) -> None:
    path = overlay(
        {
            "symptoms.yaml": [
                {"extends": "pain", "synonyms": ["soreness"]},
                {"id": "nausea", "label": "Nausea", "domain": "gastrointestinal", "synonyms": ["queasy"]},
            ],
            "treatments/delta.yaml": {
                "id": "delta",
                "name": "Delta",
                "category": "diet",
                "summary": "Ginger.",
                "sources": ["src-b"],
                "targets": [{"symptom": "queasy", "sources": ["src-b"]}],
            },
        }
    )
    # a symptom id in targets is not a lay term: use the id
    with pytest.raises(DatasetError) as caught:
        base.extended_with(path)
    assert caught.value.file == str(path / "treatments" / "delta.yaml")
    assert caught.value.field == "targets[0].symptom"
    write_overlay(
        path,
        {"treatments/delta.yaml": {**_delta(), "targets": [{"symptom": "nausea", "sources": ["src-b"]}]}},
    )
    combined = base.extended_with(path)
    assert combined.symptom("soreness").id == "pain"
    assert combined.symptom("queasy").id == "nausea"
    assert [t.id for t in combined.for_symptom("nausea")] == ["delta"]
    assert combined.symptom_origin("pain") == "base"
    assert combined.symptom_origin("pain", "synonyms", 1) == str(path)
    assert combined.symptom_origin("pain", "synonyms", 0) == "base"
    assert combined.symptom_origin("nausea") == str(path)


def _delta() -> dict[str, Any]:
    return {"id": "delta", "name": "Delta", "category": "diet", "summary": "Ginger.", "sources": ["src-b"]}


def test_an_id_already_in_the_base_is_a_clash_unless_overridden(base: Catalog, overlay: Any) -> None:
    replacement = {
        "id": "alpha",
        "name": "Alphazol",
        "category": "drug",
        "summary": "Rewritten.",
        "sources": ["src-b"],
    }
    path = overlay({"treatments/alpha.yaml": replacement})
    error = combine_error(base, path)
    assert (error.file, error.entry, error.field) == (str(path / "treatments" / "alpha.yaml"), "alpha", "id")
    assert "extends" in error.problem
    assert "override=True" in error.problem
    combined = base.extended_with(path, override=True)
    assert combined.get("alpha").summary == "Rewritten."
    assert combined.find("AZ-1") is None, "the replaced entry's aliases go with it"
    assert combined.get("beta").related == ("alpha",)
    assert combined.origin("alpha") == str(path)


def test_a_replaced_source_is_cited_by_the_base_entries(base: Catalog, overlay: Any) -> None:
    path = overlay(
        {"sources/fix.yaml": [{"id": "src-a", "title": "Source A, corrected", "kind": "journal-article"}]}
    )
    error = combine_error(base, path)
    assert (error.file, error.entry, error.field) == (str(path / "sources" / "fix.yaml"), "src-a", "id")
    combined = base.extended_with(path, override=True)
    assert combined.get("alpha").sources[0].title == "Source A, corrected"
    assert combined.source_origin("src-a") == str(path)


def test_a_replaced_symptom_keeps_its_place_and_its_citations(base: Catalog, overlay: Any) -> None:
    path = overlay(
        {"symptoms.yaml": [{"id": "headache", "label": "Head pain", "domain": "pain", "broader": "pain"}]}
    )
    assert combine_error(base, path).field == "id"
    combined = base.extended_with(path, override=True)
    assert [s.id for s in combined.symptoms()] == [s.id for s in base.symptoms()]
    assert combined.get("alpha").targets[0].symptom.label == "Head pain"
    assert combined.symptom_origin("head pain") == str(path)


@pytest.mark.parametrize(
    ("alias", "owner"),
    [
        ("Alphix", "alpha"),
        ("ALPHIX", "alpha"),
        ("az 1", "alpha"),
        ("Beta-Therapy", "beta"),
        ("alpha", "alpha"),
    ],
)
def test_a_name_already_taken_is_a_clash(base: Catalog, overlay: Any, alias: str, owner: str) -> None:
    entry = {**GAMMA, "aliases": [{"name": alias, "kind": "brand"}]}
    path = overlay({"sources/clinic.yaml": [AUDIT], "treatments/gamma.yaml": entry})
    error = combine_error(base, path)
    assert (error.file, error.entry, error.field) == (
        str(path / "treatments" / "gamma.yaml"),
        "gamma",
        "aliases[0].name",
    )
    assert f"already a name of treatment {owner!r}" in error.problem


def test_override_moves_an_alias_but_never_a_canonical_name(base: Catalog, overlay: Any) -> None:
    path = overlay(
        {
            "sources/clinic.yaml": [AUDIT],
            "treatments/gamma.yaml": {**GAMMA, "aliases": [{"name": "Alphix", "kind": "brand"}]},
        }
    )
    assert "override=True" in combine_error(base, path).problem
    combined = base.extended_with(path, override=True)
    assert combined.get("Alphix").id == "gamma"
    assert [a.name for a in combined.get("alpha").aliases] == ["AZ-1"]
    write_overlay(
        path, {"treatments/gamma.yaml": {**GAMMA, "aliases": [{"name": "Beta Therapy", "kind": "brand"}]}}
    )
    error = combine_error(base, path, override=True)
    assert "already a name of treatment 'beta'" in error.problem


def test_an_extension_alias_taken_by_another_entry_is_a_clash(base: Catalog, overlay: Any) -> None:
    path = overlay(
        {"treatments/beta.yaml": {"extends": "beta", "aliases": [{"name": "Alphix", "kind": "brand"}]}}
    )
    error = combine_error(base, path)
    assert (error.file, error.entry, error.field) == (
        str(path / "treatments" / "beta.yaml"),
        "beta",
        "aliases[0].name",
    )
    combined = base.extended_with(path, override=True)
    assert combined.resolve("alphix") == "beta"
    assert combined.origin("beta", "aliases", 0) == str(path)


def test_a_synonym_already_taken_is_a_clash(base: Catalog, overlay: Any) -> None:
    path = overlay({"symptoms.yaml": [{"extends": "fatigue", "synonyms": ["Aches"]}]})
    error = combine_error(base, path)
    assert (error.file, error.entry, error.field) == (str(path / "symptoms.yaml"), "fatigue", "synonyms[0]")
    combined = base.extended_with(path, override=True)
    assert combined.symptom("aches").id == "fatigue"
    assert combined.symptom("pain").synonyms == ()


@pytest.mark.parametrize(
    ("content", "field", "words"),
    [
        ({"extends": "alpha", "name": "Other"}, "name", "replace the whole entry with override=True"),
        ({"extends": "alpha", "colour": "red"}, "colour", "unknown field"),
        ({"extends": "alpha", "evidence": {"kind": "review"}}, "evidence", "expected a list"),
        ({"extends": "alpha", "id": "alpha"}, "id", "without 'id'"),
        ({"extends": "nothing"}, "extends", "no treatment 'nothing'"),
        ({"extends": 3}, "extends", "expected the id of a treatment"),
        (
            {"extends": "alpha", "evidence": [{**REPORT, "kind": "rumour"}]},
            "evidence[0].kind",
            "unknown value 'rumour'",
        ),
        (
            {"extends": "alpha", "evidence": [{**REPORT, "sources": ["nowhere"]}]},
            "evidence[0].sources[0]",
            "unknown source",
        ),
        ({"extends": "alpha", "access": ["prescription"]}, "access[0]", "repeated"),
        (
            {"extends": "alpha", "targets": [{"symptom": "headache", "sources": ["src-a"]}]},
            "targets[0].symptom",
            "repeated",
        ),
        ({"extends": "alpha", "related": ["nowhere"]}, "related[0]", "unknown treatment 'nowhere'"),
        ({"extends": "alpha", "aliases": [{"name": "--", "kind": "brand"}]}, "aliases[0].name", "no letters"),
    ],
)
def test_extension_faults_name_the_overlay_file_and_local_field(
    base: Catalog, overlay: Any, content: dict[str, Any], field: str, words: str
) -> None:
    path = overlay({"sources/clinic.yaml": [AUDIT], "treatments/alpha.yaml": content})
    error = combine_error(base, path)
    assert error.file == str(path / "treatments" / "alpha.yaml")
    assert error.field == field
    assert words in error.problem


def test_an_extension_file_is_named_after_its_target(base: Catalog, overlay: Any) -> None:
    error = combine_error(base, overlay({"treatments/more.yaml": {"extends": "alpha", "evidence": []}}))
    assert "rename it to alpha.yaml" in error.problem


def test_faults_in_new_entries_name_the_overlay_file(base: Catalog, overlay: Any) -> None:
    path = overlay({"treatments/gamma.yaml": {**GAMMA, "category": "potion"}, "sources/clinic.yaml": [AUDIT]})
    error = combine_error(base, path)
    assert (error.file, error.entry, error.field) == (
        str(path / "treatments" / "gamma.yaml"),
        "gamma",
        "category",
    )
    path = overlay({"symptoms.yaml": [{"id": "nausea", "label": "Nausea", "domain": "stomach"}]})
    error = combine_error(base, path)
    assert (error.file, error.entry, error.field) == (str(path / "symptoms.yaml"), "nausea", "domain")
    path = overlay({"symptoms.yaml": ["just text"]})
    error = combine_error(base, path)
    assert (error.file, error.entry) == (str(path / "symptoms.yaml"), "#1")


def test_two_overlay_entries_never_override_each_other(base: Catalog, overlay: Any) -> None:
    other = {
        **GAMMA,
        "id": "epsilon",
        "name": "Epsilon",
        "aliases": [{"name": "GC", "kind": "brand"}],
        "related": [],
    }
    path = overlay(
        {"sources/clinic.yaml": [AUDIT], "treatments/gamma.yaml": GAMMA, "treatments/epsilon.yaml": other}
    )
    error = combine_error(base, path, override=True)
    assert "already a name of treatment" in error.problem
    assert str(path) in error.problem or str(path) in str(error.file)


def test_an_empty_or_missing_overlay_is_an_error(base: Catalog, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert "none of" in combine_error(base, tmp_path / "empty").problem
    missing = combine_error(base, tmp_path / "missing")
    assert "does not exist" in missing.problem
    assert missing.file == str(tmp_path / "missing")


def test_hostile_overlay_files_are_refused_with_their_path(base: Catalog, overlay: Any) -> None:
    path = overlay({"treatments/evil.yaml": "!!python/object/apply:os.system ['true']\n"})
    error = combine_error(base, path)
    assert error.file == str(path / "treatments" / "evil.yaml")


def test_overlays_chain_and_keep_their_origins(base: Catalog, overlay: Any, tmp_path: Path) -> None:
    first = overlay({"sources/clinic.yaml": [AUDIT], "treatments/gamma.yaml": GAMMA})
    second = write_overlay(
        tmp_path / "second",
        {
            "treatments/gamma.yaml": {"extends": "gamma", "evidence": [REPORT]},
            "dataset.yaml": {"version": "2", "date": "2026-05-01"},
        },
    )
    combined = base.extended_with(first).extended_with(second)
    assert combined.origin("gamma") == str(first)
    assert combined.origin("gamma", "evidence", 0) == str(second)
    assert combined.origin("alpha") == "base"
    assert [layer.origin for layer in combined.layers] == ["base", str(first), str(second)]
    assert combined.layers[2].info is not None
    assert combined.layers[2].info.version == "2"


def test_a_combined_catalogue_pickles_with_its_origins(base: Catalog, overlay: Any) -> None:
    path = overlay(
        {"sources/clinic.yaml": [AUDIT], "treatments/alpha.yaml": {"extends": "alpha", "evidence": [REPORT]}}
    )
    combined = base.extended_with(path)
    copy = pickle.loads(pickle.dumps(combined))
    assert isinstance(copy, Catalog)
    assert copy.layers == combined.layers
    assert copy.dataset == combined.dataset
    assert copy.origin("alpha", "evidence", 1) == str(path)
    assert copy.additions("alpha") == combined.additions("alpha")


def test_the_default_catalogue_is_the_bundled_origin_and_stays_intact(overlay: Any) -> None:
    default = Catalog.default()
    before = default.dataset
    ldn = default.get("LDN")
    path = overlay(
        {
            "sources/clinic.yaml": [AUDIT],
            "treatments/low-dose-naltrexone.yaml": {
                "extends": "low-dose-naltrexone",
                "evidence": [REPORT],
                "aliases": [{"name": "Clinic LDN", "kind": "lay-name"}],
            },
        }
    )
    combined = default.extended_with(path)
    assert combined.origin("LDN") == BUNDLED
    assert combined.origin("Clinic LDN", "evidence", len(ldn.evidence)) == str(path)
    assert combined.origin("LDN", "evidence", 0) == BUNDLED
    assert len(combined) == len(default)
    broken = write_overlay(
        path.parent / "broken",
        {
            "treatments/low-dose-naltrexone.yaml": {
                "extends": "low-dose-naltrexone",
                "evidence": [{"kind": "x"}],
            }
        },
    )
    with pytest.raises(DatasetError):
        default.extended_with(broken)
    assert Catalog.default() is default
    assert default.dataset is before
    assert mecfs_treatments.find("Clinic LDN") is None


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=datasets(), split=st.data())
def test_a_dataset_split_into_base_and_overlay_combines_back_to_itself(
    tmp_path_factory: pytest.TempPathFactory, data: Record, split: st.DataObject
) -> None:
    """Move some treatments, and some evidence items, to an overlay: the combination is the whole."""
    treatments = data["treatments"]
    moved = split.draw(st.sets(st.sampled_from([t["id"] for t in treatments])), label="moved")
    if len(moved) == len(treatments):
        moved.discard(treatments[0]["id"])
    base_data: Record = {**data, "treatments": []}
    overlay_data: Record = {"treatments": []}
    expected_additions: dict[str, list[Addition]] = {}
    root = tmp_path_factory.mktemp("split")
    label = str(root / "overlay")
    for treatment in treatments:
        if treatment["id"] in moved:
            overlay_data["treatments"].append(treatment)
            continue
        evidence = treatment.get("evidence", [])
        keep = split.draw(st.integers(0, len(evidence)), label=f"evidence kept by {treatment['id']}")
        if keep < len(evidence):
            overlay_data["treatments"].append({"extends": treatment["id"], "evidence": evidence[keep:]})
            expected_additions[treatment["id"]] = [
                Addition("evidence", i, label) for i in range(keep, len(evidence))
            ]
        base_data["treatments"].append(
            {**treatment, "evidence": evidence[:keep]} if keep else _without(treatment, "evidence")
        )
    assume(overlay_data["treatments"])
    # related may point at moved treatments, which the base alone lacks
    for treatment in base_data["treatments"]:
        if "related" in treatment:
            treatment["related"] = [r for r in treatment["related"] if r not in moved]
            if not treatment["related"]:
                del treatment["related"]
    base = Catalog(dataset_from_data(base_data))
    combined = base.extended_with(write_dataset(root / "overlay", overlay_data))
    whole = dataset_from_data(data)
    for treatment in whole.treatments:
        got = combined.get(treatment.id)
        if treatment.id in moved:
            assert got == treatment
            assert combined.origin(treatment.id) == label
        else:
            assert _without_related(got) == _without_related(treatment)
            assert combined.origin(treatment.id) == BASE
            assert list(combined.additions(treatment.id)) == expected_additions.get(treatment.id, [])
    assert len(combined) == len(whole.treatments)


def _without(record: Record, key: str) -> Record:
    return {k: v for k, v in record.items() if k != key}


def _without_related(treatment: Any) -> Any:
    import attrs

    return attrs.evolve(treatment, related=())


def test_the_command_line_extends_the_catalogue(overlay: Any) -> None:
    path = overlay(
        {
            "sources/clinic.yaml": [AUDIT],
            "treatments/low-dose-naltrexone.yaml": {
                "extends": "low-dose-naltrexone",
                "aliases": [{"name": "Clinic LDN", "kind": "lay-name"}],
            },
        }
    )
    done = run_cli("--extend", str(path), "show", "--json", "clinic ldn")
    assert done.returncode == 0, done.stderr
    assert {"name": "Clinic LDN", "kind": "lay-name"} in json.loads(done.stdout)["aliases"]
    clash = write_overlay(
        path.parent / "clash",
        {
            "sources/clinic.yaml": [AUDIT],
            "treatments/x.yaml": {**GAMMA, "id": "x", "name": "LDN", "related": [], "sources": ["audit"]},
        },
    )
    done = run_cli("--extend", str(clash), "show", "LDN")
    assert done.returncode == 3
    assert "already a name of treatment 'low-dose-naltrexone'" in done.stderr
    assert str(clash) in done.stderr
