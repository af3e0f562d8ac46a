"""Lookup, aliases, suggestions and the symptom index of the bundled catalogue."""

from __future__ import annotations

import itertools
import threading
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mecfs_treatments
from mecfs_treatments import Catalog, Direction, UnknownSymptomError, UnknownTreatmentError

CATALOG = Catalog.default()
NAMES = sorted((t.id, name) for t in CATALOG.treatments() for name in (t.id, *t.names))
SYMPTOM_NAMES = sorted((s.id, name) for s in CATALOG.symptoms() for name in (s.id, *s.names))
DASHES = ["-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212", " ", "_"]
SPACES = [" ", "  ", "\t", "\u00a0", "\u3000", " \n "]


@st.composite
def variant(draw: st.DrawFn, text: str) -> str:
    """The same name as a person might type it: other case, spacing, dashes, normal form."""
    chars = []
    for char in text:
        if char in "-\u2010\u2011\u2013\u2014 ":
            chars.append(draw(st.sampled_from(DASHES + SPACES)))
        elif char.isalpha():
            chars.append(char.upper() if draw(st.booleans()) else char.lower())
        else:
            chars.append(char)
    result = (
        draw(st.sampled_from(["", " ", "\t", "\u00a0"]))
        + "".join(chars)
        + draw(st.sampled_from(["", " ", "\n"]))
    )
    form = draw(st.sampled_from(["NFC", "NFD", "NFKC", "NFKD"]))
    return unicodedata.normalize(form, result)  # type: ignore[arg-type]


@settings(max_examples=300)
@given(data=st.data(), pair=st.sampled_from(NAMES))
def test_every_name_and_alias_resolves_under_any_variant(data: st.DataObject, pair: tuple[str, str]) -> None:
    treatment_id, name = pair
    typed = data.draw(variant(name))
    assert mecfs_treatments.resolve(typed) == treatment_id
    assert mecfs_treatments.get(typed).id == treatment_id
    assert typed in CATALOG


@settings(max_examples=200)
@given(data=st.data(), pair=st.sampled_from(SYMPTOM_NAMES))
def test_every_symptom_name_resolves_under_any_variant(data: st.DataObject, pair: tuple[str, str]) -> None:
    symptom_id, name = pair
    assert mecfs_treatments.symptom(data.draw(variant(name))).id == symptom_id


@settings(max_examples=300)
@given(st.text(max_size=40))
def test_any_text_resolves_or_raises_the_typed_error(text: str) -> None:
    try:
        found = mecfs_treatments.resolve(text)
    except UnknownTreatmentError as error:
        assert error.query == text
        assert isinstance(error, KeyError)
        names = {t.name for t in CATALOG.treatments()}
        assert set(error.suggestions) <= names
        assert mecfs_treatments.find(text) is None
        with pytest.raises(UnknownTreatmentError):
            mecfs_treatments.get(text)
    else:
        assert mecfs_treatments.get(text).id == found
        assert mecfs_treatments.find(text) is mecfs_treatments.get(text)


@settings(max_examples=100)
@given(st.lists(st.one_of(st.sampled_from([n for _, n in NAMES]), st.text(max_size=12)), max_size=30))
def test_resolve_many_agrees_with_find(names: list[str]) -> None:
    expected = [t.id if (t := CATALOG.find(n)) is not None else "MISS" for n in names]
    assert CATALOG.resolve_many(names, default="MISS") == expected


def test_seed_aliases() -> None:
    assert mecfs_treatments.get("Pitocin").name == "Oxytocin"
    assert mecfs_treatments.get("syntocinon").id == "oxytocin"
    assert mecfs_treatments.resolve("LDN") == "low-dose-naltrexone"
    assert mecfs_treatments.resolve("Low-dose naltrexone") == "low-dose-naltrexone"
    assert mecfs_treatments.resolve("lowdosenaltrexone") == "low-dose-naltrexone"


def test_miss_message_and_suggestions() -> None:
    with pytest.raises(UnknownTreatmentError) as caught:
        mecfs_treatments.get("naltrexon")
    error = caught.value
    assert error.suggestions[:2] == ("Naltrexone", "Low Dose Naltrexone")
    assert str(error).startswith("no treatment named 'naltrexon'; did you mean 'Naltrexone'")
    with pytest.raises(KeyError):
        mecfs_treatments.get("naltrexon")


def test_misspelt_brand_suggests_its_treatment() -> None:
    assert mecfs_treatments.suggest("pitocn")[0] == "Oxytocin"
    assert mecfs_treatments.suggest("syntocinnon")[0] == "Oxytocin"


def test_nothing_near_gives_no_suggestions() -> None:
    with pytest.raises(UnknownTreatmentError) as caught:
        mecfs_treatments.get("zzzzqqqq")
    assert caught.value.suggestions == ()
    assert str(caught.value) == "no treatment named 'zzzzqqqq'"


@pytest.mark.parametrize("bad", [None, 42, b"LDN", ["LDN"]])
def test_non_string_queries_are_type_errors(bad: object) -> None:
    for function in (
        mecfs_treatments.get,
        mecfs_treatments.resolve,
        mecfs_treatments.find,
        mecfs_treatments.symptom,
    ):
        with pytest.raises(TypeError):
            function(bad)  # type: ignore[arg-type,call-overload]
    with pytest.raises(TypeError):
        mecfs_treatments.resolve_many([bad])  # type: ignore[list-item]


def test_search_ranks_exact_first_then_near() -> None:
    matches = mecfs_treatments.search("naltrexone")
    assert matches[0].treatment.id == "naltrexone"
    assert matches[0].score == 1.0
    assert "low-dose-naltrexone" in [m.treatment.id for m in matches]
    assert all(a.score >= b.score for a, b in itertools.pairwise(matches))
    assert mecfs_treatments.search("pitocin")[0].name == "Pitocin"
    assert mecfs_treatments.search("zzzzqqqq") == ()
    assert len(mecfs_treatments.search("a", limit=1)) <= 1


def test_for_symptom_by_lay_term_and_broader_symptom() -> None:
    assert "oxytocin" in [t.id for t in mecfs_treatments.for_symptom("brain fog")]
    memory = [t.id for t in mecfs_treatments.for_symptom("memory impairment")]
    assert "oxytocin" in memory
    # a treatment that targets a narrower symptom shows under the broader one
    for treatment in CATALOG.treatments():
        for symptom in treatment.symptoms:
            step = symptom.broader
            while step is not None:
                assert treatment in mecfs_treatments.for_symptom(step)
                step = CATALOG.symptom(step).broader
    direct = mecfs_treatments.for_symptom("pain", narrower=False)
    assert all(
        any(s.id == "pain" for s in (*t.symptoms, *(s for e in t.evidence for s in e.symptoms)))
        for t in direct
    )


def test_get_is_listed_on_post_exertional_malaise_with_its_harm() -> None:
    found = CATALOG.for_symptom("post-exertional malaise")
    get = CATALOG.get("GET")
    assert get in found
    # Each has an evidence item about PEM, though none of them targets it.
    for name in ("CBT", "Lightning Process"):
        assert CATALOG.get(name) in found, name
    summary = CATALOG.symptom_summary(get, "crash")
    assert summary.harm
    assert summary.advised_against
    # A randomised trial ranks above a clinician report on the same page.
    levels = [CATALOG.symptom_summary(t, "crash").level for t in found]
    assert levels == sorted(levels, reverse=True)
    assert found.index(get) < min(
        i for i, level in enumerate(levels) if level <= mecfs_treatments.EvidenceLevel.REPORTS
    )


def test_for_symptom_ranks_by_evidence_for_the_symptom_then_name() -> None:
    for symptom in CATALOG.symptoms():
        for narrower in (True, False):
            found = CATALOG.for_symptom(symptom.id, narrower=narrower)
            by_name = CATALOG.for_symptom(symptom.id, narrower=narrower, order="name")
            assert isinstance(found, tuple)
            assert list(by_name) == sorted(by_name, key=lambda t: t.name.casefold())
            assert sorted(t.id for t in found) == sorted(t.id for t in by_name)
            keys = []
            for t in found:
                summary = CATALOG.symptom_summary(t, symptom.id, narrower=narrower)
                rank = [Direction.BENEFIT, Direction.MIXED, Direction.UNCLEAR, Direction.NO_EFFECT]
                keys.append((-summary.level, rank.index(summary.direction), t.name.casefold()))
            assert keys == sorted(keys), symptom.id


def test_for_symptom_refuses_an_unknown_order() -> None:
    with pytest.raises(ValueError, match="order"):
        CATALOG.for_symptom("pain", order="rating")  # type: ignore[arg-type]


def test_symptom_summary_keeps_illness_wide_and_harm_findings() -> None:
    for treatment in CATALOG.treatments():
        for symptom in treatment.symptoms:
            summary = CATALOG.symptom_summary(treatment, symptom.id)
            assert summary.harm == treatment.evidence_summary.harm
            wide = [e for e in treatment.evidence if not e.symptoms]
            assert summary.total >= len(wide)
            assert summary.level <= treatment.evidence_summary.level


def test_unknown_symptom() -> None:
    with pytest.raises(UnknownSymptomError) as caught:
        mecfs_treatments.for_symptom("brain fogg")
    assert "Cognitive impairment" in caught.value.suggestions
    assert isinstance(caught.value, KeyError)
    assert "did you mean" in str(caught.value)


def test_treatments_are_sorted_and_immutable() -> None:
    items = mecfs_treatments.treatments()
    assert list(items) == sorted(items, key=lambda t: t.name.casefold())
    treatment = items[0]
    with pytest.raises(AttributeError):
        treatment.name = "changed"  # type: ignore[misc]
    for value in (treatment.aliases, treatment.evidence, treatment.mechanisms, treatment.targets):
        assert isinstance(value, tuple)


def test_dataset_info() -> None:
    info = mecfs_treatments.dataset_info()
    assert info.version
    assert info.date.year >= 2026


def test_default_catalog_is_built_once_under_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    from mecfs_treatments import catalog as catalog_module

    calls = []
    real = catalog_module.Catalog._bundled

    def counting() -> Catalog:
        calls.append(1)
        return real()

    monkeypatch.setattr(catalog_module.Catalog, "_bundled", staticmethod(counting))
    monkeypatch.setattr(catalog_module, "_DEFAULT", catalog_module._DefaultHolder())
    barrier = threading.Barrier(16)
    results: list[Catalog] = []

    def worker() -> None:
        barrier.wait()
        results.append(Catalog.default())

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert len({id(r) for r in results}) == 1
