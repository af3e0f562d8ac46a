"""The resolver's rules: possessives, "&", word order around "and", plural and singular.

Data files list each name once; these rules find the forms people write around it.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import mecfs_treatments
from mecfs_treatments.names import normalize, variants

CATALOG = mecfs_treatments.Catalog.default()
NAMES = sorted({(name, t.id) for t in CATALOG.treatments() for name in t.lookup_names})
NAME = st.sampled_from(NAMES)


def _plural(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


@given(NAME, st.sampled_from(["'s", "’s"]))
def test_a_possessive_resolves_to_the_name(pair: tuple[str, str], mark: str) -> None:
    name, treatment_id = pair
    assert CATALOG.resolve(f"{name}{mark}") == treatment_id


@given(NAME)
def test_a_plural_of_the_last_word_resolves_to_the_name(pair: tuple[str, str]) -> None:
    name, treatment_id = pair
    key = normalize(name)
    last = key.rsplit(" ", 1)[-1]
    if not last.isalpha() or len(last) < 3 or last.endswith("s"):
        return
    plural = key[: len(key) - len(last)] + _plural(last)
    found = CATALOG.find(plural)
    assert found is not None, plural
    # Another entry may own the plural as a name of its own; otherwise it is this one.
    if normalize(plural) not in {normalize(n) for n, _ in NAMES}:
        assert found.id == treatment_id, (plural, found.id)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("LDN's", "low-dose-naltrexone"),
        ("zinc and melatonin", "melatonin-and-zinc"),
        ("zinc & melatonin", "melatonin-and-zinc"),
        ("Melatonin + Zinc", "melatonin-and-zinc"),
        ("IVIGs", "intravenous-immunoglobulin"),
        ("probiotic", "probiotics"),
        ("Mestinon's", "pyridostigmine"),
    ],
)
def test_variants_named_in_the_issue(typed: str, expected: str) -> None:
    assert CATALOG.resolve(typed) == expected


@given(st.text(max_size=30))
def test_variants_are_normalised_and_never_the_key_itself(text: str) -> None:
    key = normalize(text)
    for variant in variants(key):
        assert variant != key
        assert variant == " ".join(variant.split())


def test_exact_names_win_over_variants() -> None:
    # "Probiotics" is a name itself; its singular reaches it only through the rules.
    assert CATALOG.resolve("Probiotics") == "probiotics"
    assert CATALOG.find("zzz and yyy") is None


# ------------------------------------------------------------ search beyond names


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("antiviral", {"valacyclovir", "valganciclovir", "famciclovir"}),
        ("sleep", {"sleep-hygiene", "zolpidem", "melatonin"}),
        ("pain", {"paracetamol", "ibuprofen", "pregabalin"}),
        ("orthostatic intolerance", {"midodrine", "fludrocortisone", "increased-fluids-and-salt"}),
    ],
)
def test_search_finds_treatments_by_what_they_are_and_do(query: str, expected: set[str]) -> None:
    found = [m.treatment.id for m in CATALOG.search(query, limit=len(CATALOG))]
    assert expected <= set(found), expected - set(found)


@given(
    st.sampled_from(
        ["sleep", "pain", "antiviral", "beta blocker", "fatigue", "immune", "naltrexone", "brain fog"]
    )
)
def test_search_lists_names_first_then_words_best_first(query: str) -> None:
    matches = CATALOG.search(query, limit=50)
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True)
    assert len({m.treatment.id for m in matches}) == len(matches)
    for m in matches:
        if m.score < 0.6:  # found by its words: named by its canonical name
            assert m.name == m.treatment.name
        else:  # found by a name of its own
            assert m.name in m.treatment.lookup_names or m.name == m.treatment.id


def test_search_refuses_a_limit_below_one() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        CATALOG.search("sleep", limit=0)
    with pytest.raises(ValueError, match="at least 1"):
        CATALOG.search("sleep", limit=-1)


def test_a_possessive_after_a_bracket_resolves() -> None:
    assert CATALOG.resolve("Antiretrovirals (XMRV hypothesis)'s") == "antiretrovirals"
    assert CATALOG.resolve("LDN’s") == "low-dose-naltrexone"
