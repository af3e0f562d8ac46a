"""The evidence summary: the rule of :class:`EvidenceSummary`, as properties and on real entries."""

from __future__ import annotations

import hypothesis.strategies as st
import pytest
from hypothesis import given

import mecfs_treatments
from mecfs_treatments import (
    Condition,
    Direction,
    Evidence,
    EvidenceKind,
    EvidenceLevel,
    Guidance,
    Stance,
    summarize,
)
from mecfs_treatments.model import ADVISED_AGAINST_STANCES

evidence = st.builds(
    Evidence,
    kind=st.sampled_from(EvidenceKind),
    direction=st.sampled_from(Direction),
    summary=st.just("a finding"),
    sources=st.just(()),
    condition=st.sampled_from(Condition),
    participants=st.none() | st.integers(min_value=1, max_value=5000),
)
guidance = st.builds(
    Guidance,
    body=st.sampled_from(["NICE NG206", "US CDC", "a regulator"]),
    stance=st.sampled_from(Stance),
    summary=st.just("a position"),
    sources=st.just(()),
    year=st.none() | st.integers(min_value=1990, max_value=2026),
)
items = st.lists(evidence, max_size=12)


def trial(
    direction: Direction, participants: int | None, kind: EvidenceKind = EvidenceKind.RANDOMISED_TRIAL
) -> Evidence:
    return Evidence(kind=kind, direction=direction, summary="x", sources=(), participants=participants)


def test_levels_are_ordered_as_the_rule_says() -> None:
    order = [
        EvidenceKind.RANDOMISED_TRIAL,
        EvidenceKind.CONTROLLED_TRIAL,
        EvidenceKind.OPEN_LABEL_STUDY,
        EvidenceKind.CASE_REPORT,
        EvidenceKind.CLINICIAN_REPORT,
        EvidenceKind.HYPOTHESIS,
    ]
    levels = [EvidenceLevel.of(k) for k in order]
    assert levels == sorted(levels, reverse=True)
    assert len(set(levels)) == len(levels)
    assert EvidenceLevel.of(EvidenceKind.REVIEW) == EvidenceLevel.of(EvidenceKind.RANDOMISED_TRIAL)
    assert EvidenceLevel.of(EvidenceKind.PATIENT_REPORT) < EvidenceLevel.of(EvidenceKind.PATIENT_SURVEY)
    assert all(EvidenceLevel.of(k) > EvidenceLevel.NONE for k in EvidenceKind)


@given(items)
def test_level_is_the_strongest_kind_in_mecfs(found: list[Evidence]) -> None:
    in_mecfs = [EvidenceLevel.of(e.kind) for e in found if e.condition is Condition.ME_CFS]
    assert summarize(found).level == max(in_mecfs, default=EvidenceLevel.NONE)


@given(items, evidence)
def test_weaker_evidence_never_changes_level_or_direction(found: list[Evidence], extra: Evidence) -> None:
    before = summarize(found)
    weaker = EvidenceLevel.of(extra.kind) < before.level or extra.condition is not Condition.ME_CFS
    if weaker and extra.direction is not Direction.HARM:
        after = summarize([*found, extra])
        assert (after.level, after.direction) == (before.level, before.direction)


@given(items, evidence)
def test_one_harm_item_always_sets_harm(found: list[Evidence], extra: Evidence) -> None:
    harmful = Evidence(
        kind=extra.kind, direction=Direction.HARM, summary="x", sources=(), condition=extra.condition
    )
    assert summarize([*found, harmful]).harm
    assert summarize(found).harm == any(e.direction is Direction.HARM for e in found)


@given(items, st.lists(guidance, max_size=4))
def test_harm_never_sets_the_direction_and_counts_add_up(found: list[Evidence], said: list[Guidance]) -> None:
    summary = summarize(found, said)
    assert summary.direction is not Direction.HARM
    assert summary.total == len(found)
    for kind in EvidenceKind:
        assert summary.count(kind=kind) == sum(e.kind is kind for e in found)
    for direction in Direction:
        assert summary.count(direction=direction) == sum(e.direction is direction for e in found)
    assert summary.advised_against == any(g.stance in ADVISED_AGAINST_STANCES for g in said)
    assert sorted(map(id, summary.positions)) == sorted(map(id, said))
    if summary.level is EvidenceLevel.NONE:
        assert summary.direction is Direction.UNCLEAR


@given(st.integers(min_value=1, max_value=1000), st.integers(min_value=1, max_value=1000))
def test_findings_are_weighed_by_participants(benefit: int, null: int) -> None:
    direction = summarize([trial(Direction.BENEFIT, benefit), trial(Direction.NO_EFFECT, null)]).direction
    if benefit >= 2 * null:
        assert direction is Direction.BENEFIT
    elif null >= 2 * benefit:
        assert direction is Direction.NO_EFFECT
    else:
        assert direction is Direction.MIXED


def test_a_large_null_trial_outweighs_a_small_positive_one() -> None:
    found = [trial(Direction.BENEFIT, 30), trial(Direction.NO_EFFECT, 151)]
    assert summarize(found).direction is Direction.NO_EFFECT
    # ... but an open-label study, however large, does not outweigh a trial.
    found.append(trial(Direction.BENEFIT, 10_000, EvidenceKind.OPEN_LABEL_STUDY))
    assert summarize(found).direction is Direction.NO_EFFECT


def test_a_finding_without_numbers_weighs_as_the_mean_of_its_level() -> None:
    found = [trial(Direction.BENEFIT, None), trial(Direction.NO_EFFECT, 100), trial(Direction.NO_EFFECT, 100)]
    assert summarize(found).direction is Direction.NO_EFFECT
    assert (
        summarize([trial(Direction.BENEFIT, None), trial(Direction.NO_EFFECT, None)]).direction
        is Direction.MIXED
    )


@pytest.mark.parametrize(
    ("name", "level", "direction", "harm", "against"),
    [
        ("Rituximab", EvidenceLevel.RANDOMISED, Direction.NO_EFFECT, True, False),
        ("GET", EvidenceLevel.RANDOMISED, None, True, True),
        ("Lightning Process", None, None, None, True),
        ("Oxytocin", EvidenceLevel.REPORTS, None, None, False),
    ],
)
def test_real_entries(
    name: str, level: EvidenceLevel | None, direction: Direction | None, harm: bool | None, against: bool
) -> None:
    summary = mecfs_treatments.get(name).evidence_summary
    assert level is None or summary.level is level
    assert direction is None or summary.direction is direction
    assert harm is None or summary.harm is harm
    assert summary.advised_against is against
    if against:
        assert "do not offer" in summary.label
        assert summary.positions[0].stance in ADVISED_AGAINST_STANCES


def test_every_entry_has_a_summary_with_a_one_line_label() -> None:
    for treatment in mecfs_treatments.treatments():
        summary = treatment.evidence_summary
        assert summary.total == len(treatment.evidence)
        assert summary.label
        assert "\n" not in summary.label
        assert summary == treatment.evidence_summary
