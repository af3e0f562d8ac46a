"""What a treatment page shows, in order: the one structure that the command line's text and
the documentation's catalogue pages both render.

:func:`treatment_view` decides what is shown and in which order; the renderers
(the command line's ``show`` and the Sphinx extension) decide only
how it looks.

>>> import mecfs_treatments
>>> from mecfs_treatments.view import treatment_view
>>> view = treatment_view(mecfs_treatments.get("Pitocin"))
>>> [section.title for section in view.sections][:3]
['Used for', 'How it may work', 'Targeted symptoms']
"""

from __future__ import annotations

import attrs

from .model import (
    CaseDefinition,
    Condition,
    Evidence,
    EvidenceLevel,
    Identifier,
    NoteTopic,
    Source,
    Symptom,
    Treatment,
)

__all__ = [
    "CONDITION_NAMES",
    "Entry",
    "EvidenceRow",
    "Section",
    "TreatmentView",
    "criteria_name",
    "treatment_view",
]


@attrs.frozen(slots=True)
class Entry:
    """One line of a section: a statement with its sources, and what it is about."""

    text: str
    """The statement (empty for a targeted symptom without a note)."""
    sources: tuple[Source, ...]
    """Where it comes from."""
    lead: str | None = None
    """What the line is about, shown first: a mechanism, a note's topic, a guideline."""
    tag: str | None = None
    """A qualifier: a mechanism's status, a gap's kind, a guideline's stance."""
    symptom: Symptom | None = None
    """The symptom a targeted-symptom line names."""


@attrs.frozen(slots=True)
class Section:
    """A titled list of entries; the evidence section's rows are in :attr:`TreatmentView.evidence`."""

    key: str
    """The treatment field it shows, for example ``"mechanisms"``."""
    title: str
    """Its heading."""
    entries: tuple[Entry, ...] = ()
    """Its lines."""


@attrs.frozen(slots=True)
class EvidenceRow:
    """One evidence item, its context in separate columns."""

    evidence: Evidence
    """The item itself."""
    kind: str
    """Its kind, as a label."""
    anecdotal: bool
    """A report or hypothesis rather than a study of outcomes: never proof."""
    direction: str
    """Its direction, as a label."""
    condition: str
    """The participants' condition, as written in the literature (ME/CFS, long COVID)."""
    case_definition: str | None
    """The case definition, written as in the literature (IOM 2015, Fukuda 1994)."""
    pem: str | None
    """"PEM required", "PEM not required", or ``None`` where unknown."""


@attrs.frozen(slots=True)
class TreatmentView:
    """Everything a treatment page shows, in order."""

    treatment: Treatment
    """The treatment shown."""
    facts: tuple[tuple[str, str], ...]
    """(label, value) pairs: category, access, areas."""
    sections: tuple[Section, ...]
    """The non-empty sections and the evidence section, in page order (its rows are apart)."""
    evidence: tuple[EvidenceRow, ...]
    """The rows of the evidence section: ME/CFS first, then the strongest kind of
    evidence, then the most recent year; items that tie keep the data's order."""
    identifiers: tuple[Identifier, ...]
    """Cross-references to other vocabularies."""
    sources: tuple[Source, ...]
    """Every source cited, numbered in this order from 1."""


CONDITION_NAMES = {Condition.ME_CFS: "ME/CFS", Condition.LONG_COVID: "long COVID", Condition.POTS: "POTS"}


def criteria_name(criteria: CaseDefinition | object) -> str:
    """``"iom-2015"`` as ``"IOM 2015"``, ``"fukuda-1994"`` as ``"Fukuda 1994"``."""
    words = str(getattr(criteria, "value", criteria)).split("-")
    return " ".join(w.upper() if len(w) <= 4 and w.isalpha() else w.capitalize() for w in words)


def treatment_view(treatment: Treatment) -> TreatmentView:
    """The page of a treatment: what is shown, in order."""
    facts = [("Category", treatment.category.label)]
    if treatment.access:
        facts.append(("Access", ", ".join(a.label for a in treatment.access)))
    if treatment.areas:
        facts.append(("Areas of care", ", ".join(a.label for a in treatment.areas)))
    sections = [
        Section("uses", "Used for", tuple(Entry(c.text, c.sources) for c in treatment.uses)),
        Section(
            "mechanisms",
            "How it may work",
            tuple(
                Entry(m.description, m.sources, lead=m.name, tag=m.status.label) for m in treatment.mechanisms
            ),
        ),
        Section(
            "targets",
            "Targeted symptoms",
            tuple(Entry(t.note or "", t.sources, symptom=t.symptom) for t in treatment.targets),
        ),
        Section("evidence", "Evidence"),
        Section(
            "gaps",
            "Nothing reported",
            tuple(Entry(g.note, g.sources, tag=g.kind.label) for g in treatment.gaps),
        ),
        Section(
            "side_effects", "Side effects", tuple(Entry(c.text, c.sources) for c in treatment.side_effects)
        ),
        Section(
            "notes",
            "Practical notes",
            tuple(
                Entry(
                    n.text, n.sources, lead=None if n.topic is NoteTopic.OTHER else n.topic.label.capitalize()
                )
                for n in treatment.notes
            ),
        ),
        Section(
            "guidance",
            "Guidelines and regulators",
            tuple(
                Entry(
                    g.summary, g.sources, lead=g.body + (f" ({g.year})" if g.year else ""), tag=g.stance.label
                )
                for g in treatment.guidance
            ),
        ),
    ]
    rows = tuple(
        EvidenceRow(
            evidence=e,
            kind=e.kind.label,
            anecdotal=e.kind.is_anecdotal,
            direction=e.direction.label,
            condition=CONDITION_NAMES.get(e.condition, e.condition.label),
            case_definition=None if e.case_definition is None else criteria_name(e.case_definition),
            pem=None
            if e.pem_required is None
            else ("PEM required" if e.pem_required else "PEM not required"),
        )
        for e in sorted(treatment.evidence, key=_strength)
    )
    return TreatmentView(
        treatment=treatment,
        facts=tuple(facts),
        sections=tuple(s for s in sections if s.entries or s.key == "evidence"),
        evidence=rows,
        identifiers=treatment.identifiers,
        sources=treatment.cited_sources(),
    )


def _strength(e: Evidence) -> tuple[bool, int, int]:
    """Sort key of evidence rows: ME/CFS first, strongest kind first, most recent first."""
    return (e.condition is not Condition.ME_CFS, -EvidenceLevel.of(e.kind), -(e.year or 0))
