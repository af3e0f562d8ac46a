"""Suggestions and bulk lookup: the n-gram index, its exact score and ``resolve_many``.

The index picks candidates by shared n-grams and scores only those; these tests
hold it to the exhaustive scan over every key, and the fast lookup paths to the one
normalisation function.
"""

from __future__ import annotations

import string
from collections.abc import Sequence

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import mecfs_treatments
from mecfs_treatments import Catalog, UnknownSymptomError, UnknownTreatmentError, _fuzzy
from mecfs_treatments.names import normalize

CATALOG = Catalog.default()
KEYS = sorted({normalize(name) for t in CATALOG.treatments() for name in (t.id, *t.names)})
INDEX = _fuzzy.GramIndex(KEYS)
NAMES = sorted({name for t in CATALOG.treatments() for name in (t.id, *t.names)})


def reference_lcs(a: str, b: str) -> int:
    """Longest common subsequence by the textbook dynamic programme."""
    previous = [0] * (len(b) + 1)
    for char in a:
        current = [0]
        for j, other in enumerate(b):
            current.append(previous[j] + 1 if char == other else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


@given(st.text(max_size=30), st.text(max_size=30))
def test_bit_parallel_lcs_matches_the_textbook_one(a: str, b: str) -> None:
    assert _fuzzy._lcs(_fuzzy._masks(a), len(a), b) == reference_lcs(a, b)


@given(st.text(min_size=1, max_size=20), st.text(min_size=1, max_size=20))
def test_similarity_is_a_score_from_0_to_1(a: str, b: str) -> None:
    score = _fuzzy.similarity(a, b)
    assert 0.0 <= score <= 1.0
    assert (score == 1.0) == (a == b)
    if len(a) >= 3 and a in b:
        assert score >= 0.75
    if len(a) >= 3 and b.startswith(a):
        assert score >= 0.8


@st.composite
def typo(draw: st.DrawFn) -> tuple[str, str]:
    """A key of the bundled catalogue and the key with one letter changed, added or dropped."""
    key = draw(st.sampled_from(KEYS))
    at = draw(st.integers(0, len(key) - 1))
    letter = draw(st.sampled_from(string.ascii_lowercase))
    edit = draw(st.sampled_from(["change", "add", "drop"]))
    if edit == "change":
        typed = key[:at] + letter + key[at + 1 :]
    elif edit == "add":
        typed = key[:at] + letter + key[at:]
    else:
        typed = key[:at] + key[at + 1 :]
    assume(typed.strip() and typed != key)
    return key, typed


def exhaustive(query: str, keys: Sequence[str], cutoff: float = _fuzzy.CUTOFF) -> list[tuple[float, str]]:
    """The reference the index is held to: every key scored one by one, best first."""
    if not query:
        return []
    found = []
    masks = _fuzzy._masks(query)
    for key in keys:
        score = 1.0 if key == query else _fuzzy._score(query, masks, key)
        if score >= cutoff:
            found.append((score, key))
    found.sort(key=lambda item: (-item[0], item[1]))
    return found


@settings(max_examples=400)
@given(typo())
def test_the_index_finds_what_the_exhaustive_scan_finds(pair: tuple[str, str]) -> None:
    key, typed = pair
    found = INDEX.nearest(typed)
    every = exhaustive(typed, KEYS)
    # Same scores for what both find, the same best score, and the key that was
    # mistyped whenever it is near enough at all.
    assert set(found) <= set(every)
    if every:
        assert found
        assert found[0][0] == every[0][0]
    if any(k == key for _, k in every):
        assert key in [k for _, k in found]


@given(st.text(max_size=60))
def test_a_query_too_long_to_be_near_anything_is_skipped(query: str) -> None:
    found = INDEX.nearest(query)
    if len(query) > 2.34 * max(map(len, KEYS)):
        assert found == [] == exhaustive(query, KEYS)
    assert set(found) <= set(exhaustive(query, KEYS))


def test_candidates_are_few_and_an_empty_index_finds_nothing() -> None:
    assert len(INDEX.candidates("naltrexon")) <= 2 * _fuzzy._CANDIDATES
    empty = _fuzzy.GramIndex([])
    assert len(empty) == 0
    assert empty.nearest("anything") == []
    assert INDEX.nearest("") == []


# ------------------------------------------------------------------ suggestions


@settings(max_examples=200)
@given(typo())
def test_suggestions_are_near_ties_of_the_best_and_found_by_search(pair: tuple[str, str]) -> None:
    _, typed = pair
    suggested = CATALOG.suggest(typed, limit=10)
    if mecfs_treatments.find(typed) is not None:
        return
    searched = {m.treatment.name: m.score for m in CATALOG.search(typed, limit=100)}
    assert set(suggested) <= set(searched)
    if suggested:
        best = max(searched.values())
        assert searched[suggested[0]] == best
        assert all(searched[name] >= best - 0.2 - 1e-4 for name in suggested)


def test_suggestions_named_by_the_lookup_tests() -> None:
    assert CATALOG.suggest("naltrexon")[:2] == ("Naltrexone", "Low Dose Naltrexone")
    assert CATALOG.suggest("pitocn")[0] == "Oxytocin"
    assert CATALOG.suggest("syntocinnon")[0] == "Oxytocin"
    with pytest.raises(UnknownSymptomError) as caught:
        CATALOG.symptom("brain fogg")
    assert caught.value.suggestions[0] == CATALOG.symptom("brain fog").label


# ------------------------------------------------------------- the fast paths


@settings(max_examples=500)
@given(st.text(max_size=20))
def test_lower_case_keeps_the_key(text: str) -> None:
    # resolve_many and find look a name's lower case up among the keys first.
    assert normalize(text.lower()) == normalize(text)


class Name(str):
    """A str subclass, as some data frames hand out."""


@settings(max_examples=300)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(NAMES).flatmap(
                lambda n: st.sampled_from([n, n.lower(), n.upper(), n.title(), f" {n.swapcase()} "])
            ),
            st.text(max_size=12),
        ),
        max_size=40,
    ),
    st.sampled_from([None, "MISS", 0]),
)
def test_resolve_many_agrees_with_resolve(names: list[str], default: object) -> None:
    expected: list[object] = []
    for name in names:
        try:
            expected.append(CATALOG.resolve(name))
        except UnknownTreatmentError:
            expected.append(default)
    assert CATALOG.resolve_many(names, default) == expected
    assert CATALOG.resolve_many(iter(names), default) == expected
    assert CATALOG.resolve_many(tuple(names), default) == expected
    assert CATALOG.resolve_many([Name(n) for n in names], default) == expected


@pytest.mark.parametrize("bad", [None, 42, b"LDN", ["LDN"], {"LDN": 1}])
def test_resolve_many_names_the_type_of_a_bad_item(bad: object) -> None:
    with pytest.raises(TypeError, match=f"not {type(bad).__name__}"):
        CATALOG.resolve_many(["Pitocin", bad, "LDN"])  # type: ignore[list-item]


def test_get_and_find_agree_on_any_casing() -> None:
    for name in NAMES:
        for typed in (name, name.lower(), name.upper(), name.title(), name.swapcase()):
            assert CATALOG.get(typed) is CATALOG.find(typed)
            assert CATALOG.get(typed).id == CATALOG.resolve(typed)
