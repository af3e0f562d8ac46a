"""Every loader fault gives its own clear DatasetError naming file, entry and field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mecfs_treatments import Catalog, DatasetError

from .conftest import DatasetFactory


def test_minimal_dataset_loads(make_dataset: DatasetFactory) -> None:
    catalog = Catalog.from_path(make_dataset())
    assert catalog.get("az 1").id == "alpha"
    assert [t.id for t in catalog.for_symptom("pain")] == ["alpha"]
    assert catalog.info is not None
    assert catalog.info.version == "1.0"


def load_error(path: Path) -> DatasetError:
    with pytest.raises(DatasetError) as caught:
        Catalog.from_path(path)
    return caught.value


def alpha(documents: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = documents["treatments/alpha.yaml"]
    return result


@pytest.mark.parametrize(
    ("edit", "field", "words"),
    [
        (lambda d: alpha(d).update(colour="red"), "colour", "unknown field"),
        (lambda d: alpha(d).pop("summary"), "summary", "required field is missing"),
        (lambda d: alpha(d).update(name=["a", "list"]), "name", "expected text"),
        (lambda d: alpha(d).update(category="potion"), "category", "unknown value 'potion'"),
        (
            lambda d: alpha(d)["evidence"][0].update(direction="great"),
            "evidence[0].direction",
            "unknown value",
        ),
        (
            lambda d: alpha(d)["evidence"][0].update(participants="forty"),
            "evidence[0].participants",
            "whole number",
        ),
        (
            lambda d: alpha(d)["evidence"][0].update(pem_required="yes"),
            "evidence[0].pem_required",
            "true or false",
        ),
        (
            lambda d: alpha(d)["mechanisms"][0].update(status="likely"),
            "mechanisms[0].status",
            "unknown value",
        ),
        (
            lambda d: alpha(d)["targets"][0].update(symptom="nausea"),
            "targets[0].symptom",
            "unknown symptom 'nausea'",
        ),
        (
            lambda d: alpha(d)["evidence"][0].update(sources=["nowhere"]),
            "evidence[0].sources[0]",
            "unknown source",
        ),
        (lambda d: alpha(d)["evidence"][0].update(sources=[]), "evidence[0].sources", "must not be empty"),
        (lambda d: alpha(d).update(aliases="AZ-1"), "aliases", "expected a list"),
        (lambda d: alpha(d).update(access=["prescription", "prescription"]), "access[1]", "repeated"),
        (lambda d: alpha(d).update(related=["gamma"]), "related[0]", "unknown treatment 'gamma'"),
        (lambda d: alpha(d).update(id="Alpha Drug"), "id", "lowercase slug"),
        (lambda d: alpha(d)["evidence"].append("just text"), "evidence[1]", "expected a mapping"),
        (
            lambda d: alpha(d)["evidence"][0].update(
                kind="randomised-trial", figures={"respondents": 10, "improved": 5, "worse": 1}
            ),
            "evidence[0]",
            "figures belong to patient-survey evidence",
        ),
        (
            lambda d: alpha(d)["evidence"][0].update(
                kind="patient-survey", figures={"respondents": 10, "improved": 8, "worse": 3}
            ),
            "evidence[0].figures",
            "add up to more than 10 respondents",
        ),
        (
            lambda d: alpha(d)["evidence"][0].update(
                kind="patient-survey",
                figures={"respondents": 10, "improved": 80, "worse": 30, "percent": True},
            ),
            "evidence[0].figures",
            "exceed 100",
        ),
        (
            lambda d: alpha(d)["evidence"][0].update(
                kind="patient-survey", figures={"respondents": 10, "improved": -1, "worse": 3}
            ),
            "evidence[0].figures.improved",
            "plain digits",
        ),
    ],
)
def test_field_faults_name_file_entry_and_field(
    make_dataset: DatasetFactory, edit: Any, field: str, words: str
) -> None:
    error = load_error(make_dataset(edit=edit))
    assert error.file == "treatments/alpha.yaml"
    assert error.field == field
    assert words in error.problem
    assert "treatments/alpha.yaml" in str(error)
    assert field in str(error)


def test_id_must_match_file_name(make_dataset: DatasetFactory) -> None:
    error = load_error(make_dataset(edit=lambda d: alpha(d).update(id="gamma")))
    assert error.field == "id"
    assert "file name" in error.problem


def test_duplicate_ids(make_dataset: DatasetFactory) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["treatments/gamma.yaml"] = dict(alpha(d), id="gamma", name="Gamma", aliases=[])
        d["treatments/gamma.yaml"] = dict(d["treatments/gamma.yaml"])

    path = make_dataset(edit=edit)
    # Same content under two ids is fine; the same id in two files is not.
    (path / "treatments" / "gamma.yaml").write_text(
        (path / "treatments" / "gamma.yaml").read_text().replace("id: gamma", "id: alpha")
    )
    error = load_error(path)
    assert error.entry == "alpha"
    assert error.field == "id"


def test_alias_claimed_by_two_treatments(make_dataset: DatasetFactory) -> None:
    error = load_error(
        make_dataset(
            edit=lambda d: d["treatments/beta.yaml"].update(aliases=[{"name": "alphix", "kind": "brand"}])
        )
    )
    assert error.file == "treatments/beta.yaml"
    assert error.field == "aliases[0].name"
    assert "'alpha'" in error.problem


def test_alias_clash_after_normalisation(make_dataset: DatasetFactory) -> None:
    error = load_error(
        make_dataset(
            edit=lambda d: d["treatments/beta.yaml"].update(aliases=[{"name": "AZ\u20131", "kind": "brand"}])
        )
    )
    assert error.entry == "beta"
    assert "already a name of treatment 'alpha'" in error.problem


def test_duplicate_source_ids_across_files(make_dataset: DatasetFactory) -> None:
    error = load_error(
        make_dataset({"sources/more.yaml": [{"id": "src-a", "title": "Again", "kind": "other"}]})
    )
    assert error.file == "sources/more.yaml"
    assert error.entry == "src-a"
    assert "sources/main.yaml" in error.problem


def test_dangling_broader_symptom(make_dataset: DatasetFactory) -> None:
    error = load_error(make_dataset(edit=lambda d: d["symptoms.yaml"][1].update(broader="nowhere")))
    assert (error.file, error.entry, error.field) == ("symptoms.yaml", "headache", "broader")


def test_symptom_cycle(make_dataset: DatasetFactory) -> None:
    error = load_error(make_dataset(edit=lambda d: d["symptoms.yaml"][0].update(broader="headache")))
    assert "cycle" in error.problem


def test_symptom_synonym_clash(make_dataset: DatasetFactory) -> None:
    error = load_error(make_dataset(edit=lambda d: d["symptoms.yaml"][2].update(synonyms=["Aches"])))
    assert error.entry == "fatigue"
    assert error.field == "synonyms[0]"


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [("pmid", "PMID:1", "digits"), ("doi", "doi.org/10.1/x", "10."), ("url", "ftp://x", "http")],
)
def test_source_locator_shapes(make_dataset: DatasetFactory, field: str, value: str, words: str) -> None:
    error = load_error(make_dataset(edit=lambda d: d["sources/main.yaml"][0].update({field: value})))
    assert (error.file, error.entry, error.field) == ("sources/main.yaml", "src-a", field)
    assert words in error.problem


def test_duplicate_keys_in_a_mapping(make_dataset: DatasetFactory) -> None:
    path = make_dataset()
    target = path / "treatments" / "beta.yaml"
    target.write_text(target.read_text() + "name: Beta Again\n")
    error = load_error(path)
    assert error.file == "treatments/beta.yaml"
    assert "duplicate key 'name'" in error.problem
    assert "line" in error.problem


def test_python_tags_are_refused_and_not_run(make_dataset: DatasetFactory, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    path = make_dataset({"treatments/evil.yaml": f"!!python/object/apply:os.system ['touch {marker}']\n"})
    error = load_error(path)
    assert error.file == "treatments/evil.yaml"
    assert not marker.exists()


def test_anchors_and_aliases_are_refused(make_dataset: DatasetFactory) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8)
    )
    error = load_error(make_dataset({"treatments/bomb.yaml": bomb}))
    assert error.file == "treatments/bomb.yaml"
    assert "anchors and aliases" in error.problem


@pytest.mark.parametrize("content", ["", "   \n\n", "# only a comment\n"])
def test_empty_files(make_dataset: DatasetFactory, content: str) -> None:
    error = load_error(make_dataset({"treatments/empty.yaml": content}))
    assert error.file == "treatments/empty.yaml"
    assert "empty" in error.problem


def test_invalid_utf8(make_dataset: DatasetFactory) -> None:
    error = load_error(make_dataset({"treatments/latin.yaml": b"id: caf\xe9\n"}))
    assert error.file == "treatments/latin.yaml"
    assert "UTF-8" in error.problem


def test_list_where_a_mapping_belongs(make_dataset: DatasetFactory) -> None:
    error = load_error(make_dataset({"treatments/alpha.yaml": ["id", "alpha"]}))
    assert error.file == "treatments/alpha.yaml"
    assert "expected a mapping" in error.problem


def test_file_over_the_size_cap(make_dataset: DatasetFactory) -> None:
    from mecfs_treatments._yaml import MAX_FILE_BYTES

    big = "id: big\nsummary: " + "x" * MAX_FILE_BYTES + "\n"
    error = load_error(make_dataset({"treatments/big.yaml": big}))
    assert error.file == "treatments/big.yaml"
    assert "limit" in error.problem


def test_symlink_outside_the_folder(make_dataset: DatasetFactory, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("id: outside\n")
    path = make_dataset()
    (path / "treatments" / "outside.yaml").symlink_to(outside)
    error = load_error(path)
    assert error.file == "treatments/outside.yaml"
    assert "outside the dataset folder" in error.problem


def test_invalid_yaml_syntax(make_dataset: DatasetFactory) -> None:
    error = load_error(make_dataset({"treatments/broken.yaml": "id: [unclosed\n"}))
    assert error.file == "treatments/broken.yaml"
    assert "invalid YAML" in error.problem


def test_unquoted_number_version(make_dataset: DatasetFactory) -> None:
    error = load_error(make_dataset({"dataset.yaml": {"version": 1.5, "date": "2026-01-01"}}))
    assert (error.file, error.field) == ("dataset.yaml", "version")


def test_missing_folder(tmp_path: Path) -> None:
    error = load_error(tmp_path / "nowhere")
    assert "does not exist" in error.problem
    assert error.file == str(tmp_path / "nowhere")
    (tmp_path / "file.yaml").write_text("a: 1\n", encoding="utf-8")
    error = load_error(tmp_path / "file.yaml")
    assert "not a folder" in error.problem


@pytest.mark.parametrize("path", ["", "   "])
def test_an_empty_path_is_refused(path: str) -> None:
    with pytest.raises(DatasetError, match="empty"):
        Catalog.from_path(path)
    with pytest.raises(DatasetError, match="empty"):
        Catalog.default().extended_with(path)


def test_folder_without_treatments(make_dataset: DatasetFactory) -> None:
    error = load_error(make_dataset({"treatments/alpha.yaml": None, "treatments/beta.yaml": None}))
    assert "no treatments" in error.problem


def test_a_fault_never_leaves_a_partial_catalogue(make_dataset: DatasetFactory) -> None:
    import mecfs_treatments

    before = len(mecfs_treatments.treatments())
    load_error(make_dataset(edit=lambda d: d["treatments/beta.yaml"].update(category="x")))
    assert len(mecfs_treatments.treatments()) == before


def test_loading_leaves_the_garbage_collector_as_it_found_it(make_dataset: DatasetFactory) -> None:
    import gc

    assert gc.isenabled()
    path = make_dataset()
    Catalog.from_path(path)
    assert gc.isenabled()
    gc.disable()
    try:
        Catalog.from_path(path)
        assert not gc.isenabled()
    finally:
        gc.enable()
    # the same after a load that fails (make_dataset rewrites the same folder)
    load_error(make_dataset(edit=lambda d: d["treatments/beta.yaml"].update(category="x")))
    assert gc.isenabled()
