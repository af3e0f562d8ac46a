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
    SurveyFigures,
    summarize,
)
from mecfs_treatments.model import ADVISED_AGAINST_STANCES, pool

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


# ------------------------------------------------------------- patient figures


@st.composite
def figures(draw: st.DrawFn) -> SurveyFigures:
    n = draw(st.integers(min_value=1, max_value=5000))
    improved = draw(st.integers(min_value=0, max_value=n))
    worse = draw(st.integers(min_value=0, max_value=n - improved))
    unchanged = draw(st.none() | st.integers(min_value=0, max_value=n - improved - worse))
    return SurveyFigures(respondents=n, improved=improved, worse=worse, unchanged=unchanged)


def survey(given: SurveyFigures, condition: Condition = Condition.ME_CFS) -> Evidence:
    return Evidence(
        kind=EvidenceKind.PATIENT_SURVEY,
        direction=Direction.MIXED,
        summary="x",
        sources=(),
        condition=condition,
        figures=given,
    )


@given(st.lists(figures(), min_size=1, max_size=6))
def test_pooled_shares_are_weighted_by_respondents(given: list[SurveyFigures]) -> None:
    pooled = pool(given)
    assert pooled is not None
    assert pooled.surveys == len(given)
    assert pooled.respondents == sum(f.respondents for f in given)
    improved = sum(f.improved for f in given) / pooled.respondents  # counts pool to counts
    assert pooled.improved == pytest.approx(improved)
    assert pooled.worse == pytest.approx(sum(f.worse for f in given) / pooled.respondents)
    shares = [s for s in (pooled.improved, pooled.worse, pooled.unchanged) if s is not None]
    assert all(0 <= s <= 1 for s in shares)
    assert sum(shares) <= 1 + 1e-9
    assert (pooled.unchanged is None) == any(f.unchanged is None for f in given)
    lowest = min(f.share(f.improved) or 0.0 for f in given)
    highest = max(f.share(f.improved) or 0.0 for f in given)
    assert lowest - 1e-9 <= pooled.improved <= highest + 1e-9


@given(figures())
def test_percent_and_counts_agree(given: SurveyFigures) -> None:
    as_percent = SurveyFigures(
        respondents=given.respondents, improved=40, worse=25, unchanged=35, percent=True
    )
    as_counts = SurveyFigures(
        respondents=200, improved=80, worse=50, unchanged=70
    )  # the same shares, as counts
    one, two = pool([as_percent]), pool([as_counts])
    assert one is not None
    assert two is not None
    assert (one.improved, one.worse, one.unchanged) == pytest.approx((two.improved, two.worse, two.unchanged))


@given(st.lists(evidence, max_size=8), st.lists(figures(), max_size=4), st.lists(figures(), max_size=3))
def test_only_surveys_in_mecfs_feed_patients(
    found: list[Evidence], mecfs: list[SurveyFigures], other: list[SurveyFigures]
) -> None:
    items = [*found, *(survey(f) for f in mecfs), *(survey(f, Condition.POTS) for f in other)]
    patients = summarize(items).patients
    assert patients == pool(mecfs)
    if patients is not None:
        assert patients.label in summarize(items).label


def test_figures_are_refused_where_they_do_not_fit() -> None:
    with pytest.raises(ValueError, match="patient-survey"):
        Evidence(
            kind=EvidenceKind.RANDOMISED_TRIAL,
            direction=Direction.BENEFIT,
            summary="x",
            sources=(),
            figures=SurveyFigures(respondents=10, improved=5, worse=1),
        )
    with pytest.raises(ValueError, match="more than 10"):
        SurveyFigures(respondents=10, improved=5, worse=3, unchanged=3)
    with pytest.raises(ValueError, match="exceed 100"):
        SurveyFigures(respondents=10, improved=60, worse=30, unchanged=20, percent=True)
    assert SurveyFigures(respondents=10, improved=60, worse=10, unchanged=31, percent=True).share(60) == 0.6


def test_pooled_label_reads_as_words() -> None:
    pooled = pool(
        [
            SurveyFigures(respondents=100, improved=50, worse=30, unchanged=20),
            SurveyFigures(respondents=300, improved=30, worse=50, unchanged=20, percent=True),
        ]
    )
    assert pooled is not None
    assert pooled.label == "patients: 35% improved, 20% unchanged, 45% worse (2 surveys, 400 rated it)"


def test_real_survey_figures_are_read() -> None:
    found = [e.figures for t in mecfs_treatments.treatments() for e in t.evidence if e.figures is not None]
    assert len(found) >= 2
    bed = mecfs_treatments.get("head of bed elevation").evidence
    assert any(e.figures is not None and e.figures.respondents == 231 for e in bed)


# ------------------------------------------------------------------- compare


def test_compare_returns_summaries_side_by_side_in_the_order_asked() -> None:
    rows = mecfs_treatments.compare("GET", "Pitocin", "LDN", "low dose naltrexone")
    assert [row.treatment.id for row in rows] == [
        "graded-exercise-therapy",
        "oxytocin",
        "low-dose-naltrexone",
    ]
    assert all(row.summary == row.treatment.evidence_summary for row in rows)
    assert rows[0].summary.advised_against
    assert rows[0].summary.harm


def test_compare_for_a_symptom_uses_the_symptom_summary() -> None:
    catalog = mecfs_treatments.Catalog.default()
    rows = catalog.compare("GET", "pacing", symptom="PEM")
    for row in rows:
        assert row.summary == catalog.symptom_summary(row.treatment, "PEM")
    assert rows[0].summary.harm


def test_compare_refuses_unknown_names_with_suggestions() -> None:
    with pytest.raises(mecfs_treatments.UnknownTreatmentError) as caught:
        mecfs_treatments.compare("oxytocin", "oxytocn")
    assert "oxytocin" in [s.lower() for s in caught.value.suggestions]
    with pytest.raises(mecfs_treatments.UnknownSymptomError):
        mecfs_treatments.compare("oxytocin", symptom="no such symptom at all")


def test_survey_figures_read_as_words() -> None:
    assert (
        SurveyFigures(respondents=281, improved=54, unchanged=41, worse=6, percent=True).label
        == "54% improved, 41% unchanged, 6% worse of 281"
    )
    assert (
        SurveyFigures(respondents=1200, improved=600, worse=300).label == "600 improved, 300 worse of 1,200"
    )
