"""Charts of the catalogue, drawn at documentation build time as SVG with matplotlib.

Used by :mod:`mecfs_treatments.sphinxext` when matplotlib is installed (it is in the
project's ``docs`` and ``test`` dependency groups, never a runtime dependency). Every
chart comes with a text alternative that says what the chart shows, so a reader who
cannot see it loses nothing. The drawings are deterministic: the same data gives the
same file, byte for byte.
"""

from __future__ import annotations

import importlib.util
import io
from collections.abc import Sequence
from typing import Any

from .catalog import Catalog
from .model import Direction, EvidenceKind, EvidenceLevel, PatientFigures, Treatment

__all__ = [
    "available",
    "evidence_alt",
    "evidence_chart",
    "patients_alt",
    "patients_chart",
    "surveyed",
    "symptom_map",
    "treatment_symptom_map",
]

# Colours agree with the badges of the style sheet; every mark also has a text label.
_COLOURS = {
    Direction.BENEFIT: "#2e8b57",
    Direction.MIXED: "#d9a21b",
    Direction.UNCLEAR: "#9a9a9a",
    Direction.NO_EFFECT: "#8c6d3f",
    Direction.HARM: "#c0392b",
}
_DIRECTIONS = (Direction.BENEFIT, Direction.MIXED, Direction.UNCLEAR, Direction.NO_EFFECT, Direction.HARM)


def available() -> bool:
    """Whether matplotlib is installed, so that charts can be drawn."""
    return importlib.util.find_spec("matplotlib") is not None


def _figure(width: float, height: float) -> Any:
    import matplotlib

    matplotlib.use("Agg", force=True)
    matplotlib.rcParams["svg.hashsalt"] = "mecfs-treatments"
    matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: selectable, small
    matplotlib.rcParams["font.size"] = 9
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height))


def _svg(
    figure: Any, *, left: float = 1.5, bottom: float = 0.55, top: float = 0.4, right: float = 0.2
) -> str:
    """The figure as SVG text, with fixed margins in inches (one drawing pass, not two)."""
    width, height = figure.get_size_inches()
    figure.subplots_adjust(
        left=left / width, right=1 - right / width, bottom=bottom / height, top=1 - top / height
    )
    stream = io.StringIO()
    figure.savefig(stream, format="svg", metadata={"Date": None})
    return stream.getvalue()


def _kinds(treatment: Treatment) -> list[EvidenceKind]:
    """The kinds of evidence a treatment has, strongest first."""
    found = {e.kind for e in treatment.evidence}
    return sorted(found, key=lambda k: (-EvidenceLevel.of(k), k.value))


def evidence_chart(treatment: Treatment) -> str:
    """SVG of a treatment's evidence: one mark per kind and direction, sized by participants."""
    kinds = _kinds(treatment)
    figure = _figure(5.2, 0.45 * len(kinds) + 1.1)
    axes = figure.add_subplot()
    for row, kind in enumerate(reversed(kinds)):
        for column, direction in enumerate(_DIRECTIONS):
            items = [e for e in treatment.evidence if e.kind is kind and e.direction is direction]
            if not items:
                continue
            people = sum(e.participants or 0 for e in items)
            size = 60 + min(people, 5000) ** 0.5 * 9
            axes.scatter([column], [row], s=size, color=_COLOURS[direction], alpha=0.85, edgecolors="black")
            axes.annotate(str(len(items)), (column, row), ha="center", va="center", fontsize=8, color="white")
    axes.set_xticks(range(len(_DIRECTIONS)), [d.label for d in _DIRECTIONS])
    axes.set_yticks(range(len(kinds)), [k.label for k in reversed(kinds)])
    axes.set_xlim(-0.6, len(_DIRECTIONS) - 0.4)
    axes.set_ylim(-0.7, len(kinds) - 0.3)
    axes.grid(True, color="#e0e0e0", linewidth=0.6)
    axes.set_axisbelow(True)
    axes.set_title(f"Evidence about {treatment.name}: kind by direction", fontsize=9)
    axes.tick_params(length=0)
    for spine in axes.spines.values():
        spine.set_visible(False)
    return _svg(figure)


def evidence_alt(treatment: Treatment) -> str:
    """The text alternative of :func:`evidence_chart`: every mark, in words."""
    parts = []
    for kind in _kinds(treatment):
        for direction in _DIRECTIONS:
            items = [e for e in treatment.evidence if e.kind is kind and e.direction is direction]
            if items:
                people = sum(e.participants or 0 for e in items)
                who = f", {people:,} participants" if people else ""
                parts.append(f"{len(items)} {_plural(kind.label, len(items))} ({direction.label}{who})")
    return f"Chart of the evidence about {treatment.name} by kind and direction: " + "; ".join(parts) + "."


def _plural(label: str, n: int) -> str:
    if n == 1:
        return label
    if label.endswith("is"):
        return label[:-2] + "es"
    if label.endswith("y"):
        return label[:-1] + "ies"
    return label + "s"


def patients_chart(rows: Sequence[tuple[str, PatientFigures]]) -> str:
    """SVG of stacked bars: the share of patients improved, unchanged and worse, per treatment."""
    figure = _figure(6.0, 0.4 * len(rows) + 1.4)
    axes = figure.add_subplot()
    names = [name for name, _ in rows]
    for i, (_, p) in enumerate(rows):
        y = len(rows) - 1 - i
        unchanged = p.unchanged if p.unchanged is not None else max(0.0, 1 - p.improved - p.worse)
        left = 0.0
        for share, colour, label in (
            (p.improved, _COLOURS[Direction.BENEFIT], "improved"),
            (unchanged, _COLOURS[Direction.UNCLEAR], "unchanged or not said"),
            (p.worse, _COLOURS[Direction.HARM], "worse"),
        ):
            axes.barh([y], [share], left=left, color=colour, label=label if i == 0 else None)
            if share >= 0.08:
                axes.annotate(f"{share:.0%}", (left + share / 2, y), ha="center", va="center", color="white")
            left += share
    axes.set_yticks(range(len(rows)), list(reversed(names)))
    axes.set_xlim(0, 1)
    axes.xaxis.set_major_formatter(_percent())
    figure.legend(loc="lower center", ncol=3, frameon=False)
    axes.set_title("What patients report in surveys", fontsize=9)
    for spine in axes.spines.values():
        spine.set_visible(False)
    return _svg(figure, left=1.9, bottom=0.8)


def _percent() -> Any:
    from matplotlib.ticker import PercentFormatter

    return PercentFormatter(xmax=1)


def patients_alt(rows: Sequence[tuple[str, PatientFigures]]) -> str:
    """The text alternative of :func:`patients_chart`."""
    parts = [f"{name}: {p.label.removeprefix('patients: ')}" for name, p in rows]
    return "Bar chart of what patients report in surveys. " + "; ".join(parts) + "."


def symptom_map(catalog: Catalog) -> tuple[str, str]:
    """SVG and text alternative of a map: symptoms by level of evidence, counting treatments.

    Each treatment counts at the level of its :meth:`Catalog.symptom_summary`, the
    summary its symptom page ranks it by.
    """
    symptoms = [s for s in catalog.symptoms() if catalog.for_symptom(s.id)]
    levels = sorted(EvidenceLevel, reverse=True)
    counts = []
    for s in symptoms:
        row = [0] * len(levels)
        for t in catalog.for_symptom(s.id):
            row[levels.index(catalog.symptom_summary(t, s.id).level)] += 1
        counts.append(row)
    figure = _figure(7.0, 0.24 * len(symptoms) + 2.0)
    axes = figure.add_subplot()
    axes.imshow(counts, cmap="Blues", aspect="auto")
    for y, row in enumerate(counts):
        for x, n in enumerate(row):
            if n:
                colour = "white" if n > max(max(r) for r in counts) / 2 else "black"
                axes.annotate(str(n), (x, y), ha="center", va="center", fontsize=7, color=colour)
    axes.set_xticks(range(len(levels)), [lv.label for lv in levels], rotation=30, ha="right")
    axes.set_yticks(range(len(symptoms)), [s.label for s in symptoms])
    axes.set_title("Treatments per symptom, by their strongest evidence for it", fontsize=9)
    axes.tick_params(length=0)
    alt = "Map of symptoms by strongest level of evidence, counting treatments. " + "; ".join(
        f"{s.label}: " + ", ".join(f"{n} with {lv.label}" for n, lv in zip(row, levels, strict=True) if n)
        for s, row in zip(symptoms, counts, strict=True)
    )
    return _svg(figure, left=2.4, bottom=1.5), alt + "."


def surveyed(catalog: Catalog) -> list[tuple[str, PatientFigures]]:
    """Treatments with pooled patient-survey figures, most respondents first."""
    found = [(t.name, p) for t in catalog.treatments() if (p := t.evidence_summary.patients) is not None]
    return sorted(found, key=lambda row: (-row[1].respondents, row[0]))


def treatment_symptom_map(
    catalog: Catalog, minimum: EvidenceLevel = EvidenceLevel.CONTROLLED
) -> tuple[str, str]:
    """SVG and text alternative of a treatment-by-symptom map.

    Rows are the treatments whose strongest evidence is at least ``minimum``; columns
    the symptoms any of them is listed for. A mark in a cell is the treatment's summary
    for that symptom (:meth:`Catalog.symptom_summary`): its size the level of evidence,
    its colour the direction, a red ring when harm is reported.
    """
    treatments = [t for t in catalog.treatments() if t.evidence_summary.level >= minimum]
    listed = {s.id: {t.id for t in catalog.for_symptom(s.id, narrower=False)} for s in catalog.symptoms()}
    symptoms = [s for s in catalog.symptoms() if any(t.id in listed[s.id] for t in treatments)]
    figure = _figure(0.26 * len(symptoms) + 2.6, 0.2 * len(treatments) + 2.2)
    axes = figure.add_subplot()
    lines = []
    for y, t in enumerate(treatments):
        cells = []
        for x, s in enumerate(symptoms):
            if t.id not in listed[s.id]:
                continue
            summary = catalog.symptom_summary(t, s.id, narrower=False)
            size = 8 + 9 * int(summary.level)
            ring, width = (_COLOURS[Direction.HARM], 2.0) if summary.harm else ("black", 0.6)
            axes.scatter(
                [x], [y], s=size, color=_COLOURS[summary.direction], edgecolors=ring, linewidths=width
            )
            harm = ", harm reported" if summary.harm else ""
            cells.append(f"{s.label} ({summary.level.label}: {summary.direction.label}{harm})")
        lines.append(f"{t.name}: " + "; ".join(cells))
    axes.set_yticks(range(len(treatments)), [t.name for t in treatments])
    axes.set_xlim(-0.6, len(symptoms) - 0.4)
    axes.set_ylim(len(treatments) - 0.5, -0.5)
    axes.grid(True, color="#eeeeee", linewidth=0.5)
    axes.set_axisbelow(True)
    axes.tick_params(length=0, labelsize=7)
    axes.xaxis.tick_top()
    axes.set_xticks(range(len(symptoms)), [s.label for s in symptoms], rotation=60, ha="left")
    for spine in axes.spines.values():
        spine.set_visible(False)
    for direction in (Direction.BENEFIT, Direction.MIXED, Direction.UNCLEAR, Direction.NO_EFFECT):
        axes.scatter([], [], s=40, color=_COLOURS[direction], edgecolors="black", label=direction.label)
    axes.scatter(
        [],
        [],
        s=40,
        color="white",
        edgecolors=_COLOURS[Direction.HARM],
        linewidths=2.0,
        label="red ring: harm reported",
    )
    figure.legend(loc="lower center", ncol=5, frameon=False, fontsize=7)
    alt = (
        f"Map of {len(treatments)} treatments with {minimum.label} or stronger evidence by the symptoms "
        "they are listed for; each mark gives the level and direction of the evidence for that symptom. "
    )
    return _svg(figure, left=2.4, bottom=0.6, top=1.6, right=0.2), alt + " ".join(
        f"{line}." for line in lines
    )
