"""A Sphinx extension that builds the browsable A–Z treatment catalogue from the data.

Add it to a Sphinx project's ``conf.py`` and put ``catalogue/index`` in a toctree::

    extensions = ["mecfs_treatments.sphinxext"]
    mecfs_treatments_data = None            # or a dataset folder, relative to conf.py
    mecfs_treatments_catalogue = "catalogue"  # folder under the source folder
    mecfs_treatments_charts = True          # draw charts when matplotlib is installed

When the builder starts (the ``builder-inited`` event), the extension loads and
validates the dataset and writes one reStructuredText page per treatment and per
symptom, an A–Z index, a comparison table and an alias index into the catalogue
folder, which belongs to the extension: keep it out of version control.  With
matplotlib installed, it also draws the charts the pages show, as SVG with a text
alternative each.  Treatment pages are kept out of the navigation sidebar (they are
reached from the A–Z, the symptom pages, the comparison and the search), so that a
catalogue of hundreds of entries does not repeat its whole list on every page.  The
extension adds its own style sheet and a small script that makes the comparison
table sortable; every page reads fully without the script.  Only pages whose text changed are
rewritten and pages of removed entries are deleted, so a data change shows on the
next build, and an unchanged dataset rebuilds nothing.

Pages carry reference labels that other pages can link to:
``mecfs-catalogue`` (the A–Z index), ``mecfs-aliases``, ``mecfs-symptoms``,
``mecfs-compare``, ``mecfs-summary-rule``, ``mecfs-symptom-rule``,
``mecfs-treatment-<id>`` and ``mecfs-symptom-<id>``.

Two directives describe the data model from the code itself, so the tables cannot
drift from it: ``.. mecfs-enum-table:: mecfs_treatments.model.Direction`` (every
value of a vocabulary with its meaning) and ``.. mecfs-fields-table::
mecfs_treatments.model.Treatment`` (every field of a record, its YAML form and its
meaning).  Both expand to reStructuredText; from MyST markdown, use them inside an
``{eval-rst}`` block.  A member or field without a docstring is a build warning.
"""

from __future__ import annotations

import enum
import importlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
from docutils import nodes
from docutils.parsers.rst import directives
from docutils.parsers.rst.states import Inliner
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.pycode import ModuleAnalyzer
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles

from ._meta import NOT_MEDICAL_ADVICE, __version__
from .catalog import Catalog
from .errors import DatasetError
from .model import (
    EvidenceLevel,
    EvidenceSummary,
    Rule,
    Source,
    Symptom,
    SymptomDomain,
    Treatment,
    identifier_url,
    narrower_ids,
    rule_of,
)
from .view import Entry, TreatmentView, criteria_name, treatment_view

__all__ = [
    "CHART_MIN_ITEMS",
    "EVIDENCE_COLUMNS",
    "MARKER",
    "SUMMARY_RULE",
    "SYMPTOM_RULE",
    "EnumTable",
    "FieldsTable",
    "badge",
    "index_letter",
    "load_catalog",
    "narrower_ids",
    "render_catalogue",
    "rst_text",
    "setup",
    "summary_badges",
    "write_pages",
]

_logger = logging.getLogger(__name__)

MARKER = ".mecfs-treatments-generated"
"""Name of the file that marks a folder as written by this extension.

The extension deletes stale pages only in a folder that holds this file, and refuses
to write into an existing, non-empty folder without it.
"""

_OTHER = "Other"
_DIGITS = "0–9"

# ---------------------------------------------------------------- reStructuredText

# Inline markup characters; a backslash before any of them yields the character.
_INLINE = re.compile(r"([\\*`_|\[\]<>])")
_BACKSLASH = re.compile(r"\\\\(?=.)")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# What "smart quotes" would turn into typographic quotes, dashes and ellipses; escaped
# characters are left as written, so the data reads as in its files.
_SMART = re.compile(r"""(['"]|-(?=-)|(?<=-)-|\.(?=\.)|(?<=\.)\.)""")


def rst_text(text: str) -> str:
    """``text`` as reStructuredText that renders as exactly that text, on one line.

    Inline markup characters are escaped, and so are quotes, double hyphens and
    runs of dots, which "smart quotes" would otherwise change.  White space is
    collapsed and control characters are dropped.  The first character is escaped so
    that the text cannot start a list, a field, a comment or any other block, and a
    trailing colon so that ``::`` cannot start a literal block.
    """
    text = " ".join(_CONTROL.sub(" ", text).split())
    if not text:
        return ""
    escaped = _SMART.sub(r"\\\1", _INLINE.sub(r"\\\1", text))
    # Smart quotes would take an escaped backslash and the next character for an
    # escape of its own and drop the backslash; an escaped space between them
    # renders as nothing and keeps both.
    escaped = _BACKSLASH.sub(r"\\\\\\ ", escaped)
    if not escaped.startswith("\\"):
        escaped = "\\" + escaped
    if escaped.endswith(":") and not escaped.endswith("\\:"):
        escaped = escaped[:-1] + "\\:"
    if len(set(escaped)) == 1:
        # A line of one repeated punctuation mark would be a transition; an escaped
        # space renders as nothing.
        escaped = "\\ " + escaped
    return escaped


def _uri(url: str) -> str:
    """A URL made safe for an embedded-URI hyperlink."""
    return re.sub(r"[\s<>`\\]", lambda m: f"%{ord(m.group()):02X}", url)


def _link(text: str, url: str) -> str:
    """An anonymous hyperlink with ``text`` (escaped) pointing at ``url``."""
    return f"`{rst_text(text)} <{_uri(url)}>`__"


def _heading(title: str, char: str, *, over: bool = False) -> list[str]:
    text = rst_text(title)
    # East Asian wide characters take two columns; an over-long rule is harmless.
    rule = char * max(4, 2 * len(text))
    return [rule, text, rule, ""] if over else [text, rule, ""]


def _meta_value(text: str) -> str:
    return " ".join(_CONTROL.sub(" ", text).replace(",", " ").split())


def _index_term(text: str) -> str:
    # ";" separates sub-entries and a leading "!" marks a main entry.
    return " ".join(_CONTROL.sub(" ", text).replace(";", ",").split()).lstrip("!")


# --------------------------------------------------------------------- the rules


def index_letter(name: str) -> str:
    """The A–Z section a name is listed under.

    The first letter or digit of the name, with accents removed and upper-cased:
    ``"A"`` to ``"Z"``, ``"0–9"`` for a digit, and ``"Other"`` for a letter outside
    the Latin alphabet or a name without letters and digits.

    >>> index_letter("Low Dose Naltrexone"), index_letter("5-HTP"), index_letter("Ëlan")
    ('L', '0–9', 'E')
    """
    for char in unicodedata.normalize("NFKD", name):
        if char.isdigit():
            return _DIGITS
        if char.isalpha():
            upper = char.upper()
            return upper if "A" <= upper <= "Z" and len(upper) == 1 else _OTHER
    return _OTHER


def _letter_order(letter: str) -> tuple[int, str]:
    return (0 if letter == _DIGITS else 2 if letter == _OTHER else 1, letter)


def _sort_key(name: str) -> str:
    stripped = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return stripped.casefold()


SYMPTOM_RULE = (
    "A treatment is listed on a symptom's page if it targets that symptom or a narrower one, "
    "or if one of its evidence items is about them. Each treatment is summarised from the "
    "evidence that speaks to the symptom: the items that name it or a narrower symptom, the "
    "items that name no symptom (findings about the illness as a whole), and every harm "
    "finding, so that harm shows on every symptom page where the treatment appears. "
    "Treatments are ranked as the library's for_symptom ranks them: the strongest kind of "
    "evidence in ME/CFS first (randomised trials and reviews, then controlled trials, "
    "uncontrolled studies, case reports and surveys, clinician and patient reports, "
    "laboratory work and hypotheses), then what that evidence says (benefit, mixed, unclear, "
    "no effect), then name. Harm reported and guideline advice against a treatment are "
    "shown beside it, never hidden by the ranking."
)

# ------------------------------------------------------------------------- pages


def _kinds_summary(summary: EvidenceSummary) -> str:
    counts: Counter[Any] = Counter()
    for kind, _, n in summary.counts:
        counts[kind] += n
    parts = []
    for kind, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].value)):
        label = kind.label + (" (anecdotal)" if kind.is_anecdotal else "")
        parts.append(f"{count} × {label}")
    return ", ".join(parts)


class _Refs:
    """Numbered source references of one page, as auto-numbered footnotes."""

    def __init__(self, sources: Sequence[Source]) -> None:
        self.sources = {s.id: s for s in sources}

    @staticmethod
    def label(source: Source) -> str:
        return f"src-{source.id}"

    def cite(self, sources: Iterable[Source]) -> str:
        refs = [f"[#{self.label(s)}]_" for s in sources]
        return " " + " ".join(refs) if refs else ""

    def footnotes(self) -> list[str]:
        lines: list[str] = []
        for source in self.sources.values():
            lines.append(f".. [#{self.label(source)}] {_citation(source)}")
            lines.append("")
        return lines


def _citation(source: Source) -> str:
    title = _link(source.title, source.link) if source.link else rst_text(source.title)
    parts = []
    if source.authors:
        parts.append(rst_text(source.authors) + ("" if source.authors.endswith(".") else "."))
    parts.append(title + ("" if source.title.endswith((".", "?", "!")) else "."))
    if source.publisher:
        parts.append(rst_text(source.publisher) + ("." if source.year is None else ""))
    if source.year is not None:
        parts.append(f"({source.year}).")
    parts.append(f"*{rst_text(source.kind.label)}*.")
    for label, value in (("PMID", source.pmid), ("DOI", source.doi), ("Trial", source.trial_id)):
        if value:
            address = identifier_url(label, value)
            parts.append(f"{label}: {_link(value, address) if address else rst_text(value)}.")
    if source.note:
        parts.append(rst_text(source.note))
    if not source.verified:
        parts.append("*(Details unverified.)*")
    return " ".join(parts)


def _role_text(text: str) -> str:
    """Text for the content of an interpreted-text role: no backquotes, brackets or backslashes."""
    return " ".join(re.sub(r"[`<>\\]", "", _CONTROL.sub(" ", text)).split()) or "?"


def badge(label: str, key: str) -> str:
    """reStructuredText of a badge: ``label`` in words, coloured by the class ``mecfs-badge-<key>``.

    The colour only repeats what the words say; a badge is never colour alone.
    """
    return f":mecfs-badge:`{_role_text(label)} <{key}>`"


def _badge_cells(summary: EvidenceSummary) -> tuple[str, str | None, str | None]:
    """The level badge, the direction badge (none without evidence) and the harm badge (or none)."""
    level = badge(summary.level.label, f"level-{int(summary.level)}")
    direction = (
        None
        if summary.level is EvidenceLevel.NONE
        else badge(summary.direction.label, summary.direction.value)
    )
    return level, direction, badge("harm reported", "harm") if summary.harm else None


def summary_badges(summary: EvidenceSummary) -> str:
    """The badges of an :class:`~mecfs_treatments.EvidenceSummary`: level, direction, harm, advice."""
    parts = [cell for cell in _badge_cells(summary) if cell is not None]
    parts += [badge(advice, "against") for advice in summary.advice]
    return " ".join(parts)


def _badge_role(
    name: str,
    rawtext: str,
    text: str,
    lineno: int,
    inliner: Inliner,
    options: Mapping[str, Any] | None = None,
    content: Sequence[str] = (),
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    """``:mecfs-badge:`label <key>``` as ``<span class="mecfs-badge mecfs-badge-key">label</span>``."""
    match = re.fullmatch(r"(.*?)\s*<([a-z0-9-]+)>", text.strip(), re.S)
    label, key = (match.group(1), match.group(2)) if match else (text, "plain")
    return [nodes.inline(rawtext, label, classes=["mecfs-badge", f"mecfs-badge-{key}"])], []


def _treatment_ref(treatment: Treatment) -> str:
    return f":ref:`mecfs-treatment-{treatment.id}`"


def _symptom_ref(symptom: Symptom) -> str:
    return f":ref:`mecfs-symptom-{symptom.id}`"


def _bullets(items: Iterable[str]) -> list[str]:
    lines = [f"- {item}" for item in items]
    return [*lines, ""] if lines else []


def _section(title: str, body: list[str]) -> list[str]:
    return [*_heading(title, "-"), *body] if body else []


def _entry_rst(entry: Entry, refs: _Refs) -> str:
    if entry.symptom is not None:
        text = _symptom_ref(entry.symptom) + (f" — {rst_text(entry.text)}" if entry.text else "")
    else:
        head = f"**{rst_text(entry.lead)}**" if entry.lead else ""
        if entry.tag:
            head = f"{head} (*{rst_text(entry.tag)}*)" if head else f"*{rst_text(entry.tag)}*"
        text = f"{head}: {rst_text(entry.text)}" if head else rst_text(entry.text)
    return text + refs.cite(entry.sources)


def _treatment_page(treatment: Treatment, catalog: Catalog, chart_alt: str | None = None) -> str:
    view = treatment_view(treatment)
    refs = _Refs(view.sources)
    # Not in any toctree: the navigation sidebar of every page would otherwise list
    # every treatment, which is most of the build's work and most of each page's size.
    lines = [":orphan:", "", f".. _mecfs-treatment-{treatment.id}:", ""]
    keywords = ", ".join(_meta_value(n) for n in (*treatment.names, treatment.category.label, "ME/CFS"))
    lines += [
        ".. meta::",
        f"   :keywords: {keywords}",
        f"   :description: {_meta_value(treatment.summary)}",
        "",
    ]
    # Main entries ("!"): the search lists a page with a main entry for the words asked
    # for before pages that merely use them, so a name or alias finds its treatment first.
    lines += [".. index::", f"   !single: {_index_term(treatment.name)}"]
    lines += [
        f"   !single: {_index_term(a.name)}; {_index_term(treatment.name)}" for a in treatment.shown_aliases
    ]
    lines.append("")
    lines += _heading(treatment.name, "=", over=True)

    lines += _glance(treatment, chart_alt)
    fields = []
    if treatment.shown_aliases:
        names = "; ".join(
            f"**{rst_text(a.name)}** ({a.kind.label}){refs.cite(a.sources)}" for a in treatment.shown_aliases
        )
        fields.append(f":Also known as: {names}")
    fields += [f":{label}: {value}" for label, value in view.facts]
    for label, ids in (
        ("Members", treatment.members),
        ("Classes", tuple(c.id for c in catalog.classes_of(treatment.id))),
        ("Related", treatment.related),
    ):
        links = [_treatment_ref(t) for t in (catalog.find(i) for i in ids) if t is not None]
        if links:
            fields.append(f":{label}: " + ", ".join(links))
    lines += [".. rst-class:: mecfs-facts", "", *fields, ""]
    lines += [rst_text(treatment.summary) + refs.cite(treatment.sources), ""]
    lines += [".. note::", "", f"   {rst_text(NOT_MEDICAL_ADVICE)}", ""]
    for section in view.sections:
        if section.key == "evidence":
            lines += _section(section.title, _evidence_table(view, refs))
        else:
            lines += _section(section.title, _bullets(_entry_rst(e, refs) for e in section.entries))
    lines += _section(
        "Identifiers",
        _bullets(
            f"{rst_text(i.scheme)}: {_link(i.value, url) if (url := identifier_url(i.scheme, i.value)) else rst_text(i.value)}"
            for i in view.identifiers
        ),
    )
    lines += _section("Sources", refs.footnotes())
    return "\n".join(lines).rstrip() + "\n"


def _glance(treatment: Treatment, chart_alt: str | None) -> list[str]:
    """The "at a glance" block that opens a treatment page, with its chart if one is drawn."""
    summary = treatment.evidence_summary
    body = [f"**At a glance:** {summary_badges(summary)}", ""]
    if summary.patients is not None:
        body += [
            f"**What patients report:** {rst_text(summary.patients.label.removeprefix('patients: '))}.",
            "",
        ]
    body += [
        f"From {summary.total} evidence item{'' if summary.total == 1 else 's'}; "
        ":ref:`how this summary is made <mecfs-summary-rule>`.",
        "",
    ]
    if chart_alt is not None:
        body += _image(f"../charts/{treatment.id}.svg", chart_alt)
    return [".. container:: mecfs-glance", "", *(f"   {line}" if line else "" for line in body)]


EVIDENCE_COLUMNS = (
    "Kind",
    "Direction",
    "Condition",
    "Participants",
    "Year",
    "Case definition",
    "Finding",
    "Sources",
)
"""The columns of a treatment page's evidence table, in order."""


def _evidence_table(view: TreatmentView, refs: _Refs) -> list[str]:
    if not view.evidence:
        return ["No evidence items are recorded for this treatment.", ""]
    lines = [
        "Strongest evidence first: studies in ME/CFS before other conditions, then by kind of "
        "evidence, then the most recent.",
        "",
        f".. list-table:: Evidence about {rst_text(view.treatment.name)}",
        "   :header-rows: 1",
        "   :class: mecfs-evidence",
        "",
        *(f"   {'*' if i == 0 else ' '} - {name}" for i, name in enumerate(EVIDENCE_COLUMNS)),
    ]
    for row in view.evidence:
        e = row.evidence
        kind = rst_text(row.kind) + (" (anecdotal, not proof)" if row.anecdotal else "")
        who = []
        if e.population:
            who.append(rst_text(e.population.rstrip(" .;")))
        if row.pem is not None:
            who.append(row.pem)
        if e.subgroup:
            who.append(f"subgroup: {rst_text(e.subgroup.rstrip(' .;'))}")
        finding = rst_text(e.summary)
        if e.figures is not None:
            finding += f" Figures: {rst_text(e.figures.label)} who rated it."
        if who:
            finding += f" *Participants: {'; '.join(who)}.*"
        if e.symptoms:
            finding += " Symptoms: " + ", ".join(_symptom_ref(s) for s in e.symptoms) + "."
        cited = refs.cite(e.sources).strip()
        cells = [
            kind,
            badge(row.direction, e.direction.value),
            row.condition,
            "—" if e.participants is None else f"{e.participants:,}",
            "—" if e.year is None else str(e.year),
            row.case_definition or "—",
            finding,
            cited or "—",
        ]
        lines += [f"   {'*' if i == 0 else ' '} - {cell}" for i, cell in enumerate(cells)]
    return [*lines, ""]


def _letter_sections(entries: Sequence[tuple[str, str]]) -> list[str]:
    """Letter navigation and one section per letter; entries are (sort name, line)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for name, line in entries:
        groups.setdefault(index_letter(name), []).append((_sort_key(name), line))
    letters = sorted(groups, key=_letter_order)
    nav = []
    for letter in [_DIGITS, *(chr(c) for c in range(ord("A"), ord("Z") + 1)), _OTHER]:
        if letter in groups:
            nav.append(f"`{letter}`_")
        elif letter not in (_DIGITS, _OTHER):
            nav.append(letter)
    lines = [".. rst-class:: mecfs-letters", "", "**Jump to:** " + " · ".join(nav), ""]
    for letter in letters:
        lines += _heading(letter, "-")
        lines += _bullets(line for _, line in sorted(groups[letter]))
    return lines


def _az_page(catalog: Catalog) -> str:
    treatments = catalog.treatments()
    info = catalog.info
    lines = [".. _mecfs-catalogue:", ""]
    lines += [".. meta::", "   :keywords: ME/CFS, treatments, A-Z, catalogue", ""]
    lines += _heading("Treatments A–Z", "=", over=True)
    lines += [".. note::", "", f"   {rst_text(NOT_MEDICAL_ADVICE)}", ""]
    dataset = f"dataset version {rst_text(info.version)}" if info else "an unversioned dataset"
    lines += [
        f"{len(treatments)} treatments from {dataset}, generated from the data by "
        f"``mecfs_treatments`` {__version__}. "
        "Each page lists the treatment's other names, what it is, how it may work, the symptoms "
        "it is used for, the evidence with its kind and direction, side effects, practical notes "
        "and guideline positions, each with its sources. Each line shows what the evidence "
        "says at a glance (:ref:`how <mecfs-summary-rule>`). See also the :ref:`mecfs-symptoms`, "
        "the :ref:`mecfs-compare` and the :ref:`mecfs-aliases`.",
        "",
    ]
    entries = []
    for t in treatments:
        extra = [t.category.label]
        if t.shown_aliases:
            extra.append("also " + ", ".join(rst_text(a.name) for a in t.shown_aliases))
        entries.append(
            (t.name, f"{_treatment_ref(t)} — {'; '.join(extra)} {summary_badges(t.evidence_summary)}")
        )
    lines += _letter_sections(entries)
    lines += [".. toctree::", "   :hidden:", "", "   symptoms/index", "   compare", "   aliases"]
    return "\n".join(lines) + "\n"


def _alias_page(catalog: Catalog) -> str:
    lines = [".. _mecfs-aliases:", ""]
    lines += _heading("Alias index", "=", over=True)
    lines += [
        "Every other name a treatment goes by — brand, generic and chemical names, "
        "abbreviations, code names, lay names and spelling variants — and the treatment it "
        "leads to. Lookups in the library accept any of them, in any case or spacing.",
        "",
    ]
    entries = [
        (a.name, f"**{rst_text(a.name)}** ({a.kind.label}) → {_treatment_ref(t)}")
        for t in catalog.treatments()
        for a in t.shown_aliases
    ]
    if entries:
        lines += _letter_sections(entries)
    else:
        lines += ["No treatment in this dataset has an alias.", ""]
    return "\n".join(lines) + "\n"


def _symptom_index_page(catalog: Catalog, map_alt: str | None = None) -> str:
    lines = [".. _mecfs-symptoms:", ""]
    lines += _heading("Symptom index", "=", over=True)
    lines += [
        "The symptoms that treatments in the catalogue target, grouped by the domain of the "
        "ME/CFS case definitions they belong to. Each page lists its treatments, strongest "
        "evidence first.",
        "",
        ".. note::",
        "",
        f"   {rst_text(NOT_MEDICAL_ADVICE)}",
        "",
        ".. _mecfs-symptom-rule:",
        "",
        *_heading("How treatments are listed and ranked", "-"),
        rst_text(SYMPTOM_RULE),
        "",
    ]
    if map_alt is not None:
        lines += _heading("Map", "-")
        lines += _image("../charts/symptoms.svg", map_alt)
    symptoms = catalog.symptoms()
    for domain in SymptomDomain:
        members = [s for s in symptoms if s.domain is domain]
        if not members:
            continue
        lines += _heading(domain.label.capitalize(), "-")
        items = []
        for s in sorted(members, key=lambda s: _sort_key(s.label)):
            count = len(catalog.for_symptom(s.id))
            text = _symptom_ref(s)
            if s.synonyms:
                text += " (" + ", ".join(rst_text(x) for x in s.synonyms) + ")"
            items.append(f"{text} — {count} treatment{'' if count == 1 else 's'}")
        lines += _bullets(items)
    lines += [".. toctree::", "   :hidden:", ""]
    lines += [f"   {s.id}" for s in sorted(symptoms, key=lambda s: _sort_key(s.label))]
    return "\n".join(lines) + "\n"


def _symptom_page(symptom: Symptom, catalog: Catalog) -> str:
    refs = _Refs(symptom.sources)
    by_id = {s.id: s for s in catalog.symptoms()}
    scope = narrower_ids(catalog.symptoms(), symptom.id)
    lines = [f".. _mecfs-symptom-{symptom.id}:", ""]
    keywords = ", ".join(_meta_value(n) for n in (*symptom.names, "ME/CFS", "symptom"))
    lines += [".. meta::", f"   :keywords: {keywords}", ""]
    lines += [".. index::", f"   single: {_index_term(symptom.label)} (symptom)"]
    lines += [f"   single: {_index_term(s)}; {_index_term(symptom.label)}" for s in symptom.synonyms]
    lines.append("")
    lines += _heading(symptom.label, "=", over=True)
    fields = []
    if symptom.synonyms:
        fields.append(":Also called: " + "; ".join(rst_text(s) for s in symptom.synonyms))
    fields.append(f":Domain: {symptom.domain.label}")
    if symptom.criteria:
        fields.append(":Named by: " + ", ".join(criteria_name(c) for c in symptom.criteria) + " criteria")
    if symptom.hpo:
        fields.append(f":HPO: {_link(symptom.hpo, 'https://hpo.jax.org/browse/term/' + symptom.hpo)}")
    if symptom.hpo_note:
        fields.append(f":HPO note: {rst_text(symptom.hpo_note)}")
    if symptom.broader and symptom.broader in by_id:
        fields.append(f":Part of: {_symptom_ref(by_id[symptom.broader])}")
    narrower = [by_id[i] for i in sorted(scope - {symptom.id}, key=lambda i: _sort_key(by_id[i].label))]
    if narrower:
        fields.append(":Includes: " + ", ".join(_symptom_ref(s) for s in narrower))
    lines += [".. rst-class:: mecfs-facts", "", *fields, ""]
    if symptom.description:
        lines += [rst_text(symptom.description) + refs.cite(symptom.sources), ""]

    lines += [".. note::", "", f"   {rst_text(NOT_MEDICAL_ADVICE)}", ""]
    body = [
        "Strongest evidence first; harm and advice against a treatment are shown beside it "
        "(:ref:`how this list is made <mecfs-symptom-rule>`).",
        "",
    ]
    found = catalog.for_symptom(symptom.id)
    items = []
    for treatment in found:
        summary = catalog.symptom_summary(treatment, symptom.id)
        via = [t.symptom for t in treatment.targets if t.symptom.id in scope and t.symptom.id != symptom.id]
        suffix = (
            (" (via " + ", ".join(_symptom_ref(s) for s in via) + ")")
            if via and not any(t.symptom.id == symptom.id for t in treatment.targets)
            else ""
        )
        kinds = f" ({_kinds_summary(summary)})" if summary.total else ""
        items.append(f"{_treatment_ref(treatment)}{suffix} — {summary_badges(summary)}{kinds}")
    if not found:
        body += ["No treatment in the catalogue targets this symptom.", ""]
    body += _bullets(items)
    lines += _section("Treatments", body)
    lines += _section("Sources", refs.footnotes())
    return "\n".join(lines).rstrip() + "\n"


SUMMARY_RULE = (
    "Each treatment's evidence is summarised in a few words. The level is the strongest kind "
    "of evidence whose participants had ME/CFS: randomised trials and reviews of them, then "
    "controlled trials, uncontrolled and observational studies, case reports and surveys, "
    "clinician and patient reports (anecdote, not proof), laboratory work and hypotheses, "
    "or none. Weaker evidence never changes it. The direction is what the findings at that "
    "level say, each weighted by its number of participants, so that a large trial with no "
    "effect outweighs a small positive one: benefit or no effect when one side has at least "
    "two thirds of the weight, mixed otherwise, unclear when that level has no finding on "
    "whether the treatment works. Harm reported anywhere, in any condition, is shown on its "
    "own and never folded into the direction. A guideline or regulator that says do not "
    "offer, not recommended or withdrawn is named. What patients report comes from patient "
    "surveys in ME/CFS that publish figures, pooled and weighted by the number who rated "
    "the treatment."
)
"""The rule of the evidence summary, in words, as the comparison page states it."""


def _compare_page(catalog: Catalog, patients_alt: str | None = None, map_alt: str | None = None) -> str:
    lines = [".. _mecfs-compare:", ""]
    lines += [".. meta::", "   :keywords: ME/CFS, treatments, evidence, comparison", ""]
    lines += _heading("Treatments compared", "=", over=True)
    lines += [".. note::", "", f"   {rst_text(NOT_MEDICAL_ADVICE)}", ""]
    lines += [
        "Every treatment in the catalogue with what its evidence says at a glance. The table "
        "is in name order; in a browser with JavaScript, a click on a column heading sorts by "
        "that column (strongest level first, then by direction).",
        "",
    ]
    lines += [
        ".. list-table:: What the evidence says, treatment by treatment",
        "   :header-rows: 1",
        "   :class: mecfs-compare mecfs-sortable",
        "",
    ]
    header = ("Treatment", "Strongest evidence", "Direction", "Harm", "Advised against", "Patients", "Items")
    lines += [f"   {'*' if i == 0 else ' '} - {name}" for i, name in enumerate(header)]
    for t in sorted(catalog.treatments(), key=lambda t: _sort_key(t.name)):
        summary = t.evidence_summary
        patients = summary.patients
        level, direction, harm = _badge_cells(summary)
        cells = [
            _treatment_ref(t),
            level,
            direction or "—",
            harm or "—",
            "; ".join(rst_text(a) for a in summary.advice) or "—",
            "—" if patients is None else rst_text(patients.label.removeprefix("patients: ")),
            str(summary.total),
        ]
        lines += [f"   {'*' if i == 0 else ' '} - {cell}" for i, cell in enumerate(cells)]
    lines.append("")
    if patients_alt is not None:
        lines += _heading("What patients report", "-")
        lines += [
            "Pooled figures of patient surveys in ME/CFS that publish them, weighted by the "
            "number of people who rated each treatment. Surveys are self-selected: they say "
            "what respondents felt, not what a treatment does.",
            "",
            *_image("charts/patients.svg", patients_alt),
        ]
    if map_alt is not None:
        lines += _heading("Treatments by symptom", "-")
        lines += [
            "The treatments with controlled or randomised evidence, by the symptoms they are "
            "listed for: each mark is the treatment's summary for that symptom (size: how "
            "strong the evidence is; colour: what it says; a red ring: harm reported). The "
            "symptom pages give the same in words.",
            "",
            *_image("charts/treatments-by-symptom.svg", map_alt),
        ]
    lines += [".. _mecfs-summary-rule:", ""]
    lines += _heading("How the summary is made", "-")
    lines += [rst_text(SUMMARY_RULE), ""]
    return "\n".join(lines) + "\n"


CHART_MIN_ITEMS = 2
"""A treatment page shows a chart of its evidence when it has at least this many items."""


def render_catalogue(catalog: Catalog, *, charts: bool = False) -> dict[str, str]:
    """Every catalogue page, as reStructuredText keyed by its path in the catalogue folder.

    ``index.rst`` (A–Z), ``aliases.rst``, ``compare.rst``, ``symptoms/index.rst``,
    ``symptoms/<id>.rst`` and ``treatments/<id>.rst``.  With ``charts`` (matplotlib
    must be installed), also the charts the pages show, as SVG: ``charts/<id>.svg``
    (a treatment's evidence), ``charts/patients.svg``, ``charts/symptoms.svg`` and
    ``charts/treatments-by-symptom.svg``.
    The result depends on the data alone, so the same dataset always gives the same
    pages.
    """
    drawn: dict[str, str] = {}
    alts: dict[str, str] = {}
    if charts:
        from . import _charts

        for treatment in catalog.treatments():
            if len(treatment.evidence) >= CHART_MIN_ITEMS:
                drawn[f"charts/{treatment.id}.svg"] = _charts.evidence_chart(treatment)
                alts[treatment.id] = _charts.evidence_alt(treatment)
        surveyed = _charts.surveyed(catalog)
        if surveyed:
            drawn["charts/patients.svg"] = _charts.patients_chart(surveyed)
            alts["patients"] = _charts.patients_alt(surveyed)
        drawn["charts/symptoms.svg"], alts["symptoms"] = _charts.symptom_map(catalog)
        drawn["charts/treatments-by-symptom.svg"], alts["map"] = _charts.treatment_symptom_map(catalog)
    pages = {
        "index.rst": _az_page(catalog),
        "aliases.rst": _alias_page(catalog),
        "symptoms/index.rst": _symptom_index_page(catalog, alts.get("symptoms")),
        "compare.rst": _compare_page(catalog, alts.get("patients"), alts.get("map")),
    }
    for treatment in catalog.treatments():
        pages[f"treatments/{treatment.id}.rst"] = _treatment_page(treatment, catalog, alts.get(treatment.id))
    for symptom in catalog.symptoms():
        pages[f"symptoms/{symptom.id}.rst"] = _symptom_page(symptom, catalog)
    return {**pages, **drawn}


def _image(path: str, alt: str) -> list[str]:
    return [f".. image:: {path}", f"   :alt: {' '.join(alt.split())}", "   :class: mecfs-chart", ""]


def write_pages(pages: Mapping[str, str], folder: Path) -> tuple[list[str], list[str]]:
    """Bring ``folder`` in line with ``pages``; return the paths written and removed.

    A page whose text is unchanged is not touched, so Sphinx does not read it
    again.  A ``.rst`` or ``.svg`` file in the folder that is no longer a page is removed.

    Raises:
        FileExistsError: ``folder`` exists, is not empty and was not made by this
            extension (it has no :data:`MARKER` file).
    """
    marker = folder / MARKER
    if folder.exists() and not marker.exists() and any(folder.iterdir()):
        raise FileExistsError(
            f"{folder} exists and was not made by mecfs_treatments.sphinxext; "
            "choose another mecfs_treatments_catalogue folder or empty it"
        )
    folder.mkdir(parents=True, exist_ok=True)
    marker.write_text(
        "Generated by mecfs_treatments.sphinxext on every build; do not edit.\n", encoding="utf-8"
    )
    written = []
    for rel, text in sorted(pages.items()):
        path = folder / rel
        try:
            if path.read_text(encoding="utf-8") == text:
                continue
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(rel)
    removed = []
    for path in sorted([*folder.rglob("*.rst"), *folder.rglob("*.svg")]):
        rel = path.relative_to(folder).as_posix()
        if rel not in pages:
            path.unlink()
            removed.append(rel)
    return written, removed


def load_catalog(data: str | Path | None, confdir: str | Path) -> Catalog:
    """The catalogue to render: the bundled dataset for ``None``, else the folder ``data``.

    A relative ``data`` is taken from ``confdir``.  The dataset is read afresh, so a
    long-running process sees the data as it is now.

    Raises:
        DatasetError: the dataset is invalid.
    """
    if data is None:
        return Catalog._bundled()
    return Catalog.from_path(Path(confdir) / data)


def _charts_available() -> bool:
    from ._charts import available

    if not available():
        _logger.info("mecfs_treatments: matplotlib is not installed; the catalogue has no charts")
        return False
    return True


def _generate(app: Sphinx) -> None:
    folder = Path(app.srcdir) / app.config.mecfs_treatments_catalogue
    try:
        catalog = load_catalog(app.config.mecfs_treatments_data, app.confdir)
    except DatasetError as error:
        raise ExtensionError(f"mecfs_treatments: cannot build the catalogue: {error}") from error
    try:
        charts = app.config.mecfs_treatments_charts and _charts_available()
        written, removed = write_pages(render_catalogue(catalog, charts=charts), folder)
    except FileExistsError as error:
        raise ExtensionError(f"mecfs_treatments: {error}") from error
    _logger.info(
        "mecfs_treatments: catalogue of %d treatments and %d symptoms in %s (%d pages written, %d removed)",
        len(catalog),
        len(catalog.symptoms()),
        folder,
        len(written),
        len(removed),
    )


# ------------------------------------------------------------ data-model tables


def _import(path: str) -> Any:
    module_name, _, name = path.rpartition(".")
    if not module_name:
        raise ValueError(f"expected a dotted path such as mecfs_treatments.model.Direction, got {path!r}")
    return getattr(importlib.import_module(module_name), name)


def _attr_docs(cls: type) -> dict[str, str]:
    """Docstrings written under class attributes in the source, by attribute name."""
    analyzer = ModuleAnalyzer.for_module(cls.__module__)
    docs = analyzer.find_attr_docs()
    return {
        name: " ".join(" ".join(lines).split())
        for (scope, name), lines in docs.items()
        if scope == cls.__qualname__
    }


def _cell(text: str) -> str:
    return text if text else "—"


class _TableDirective(SphinxDirective):
    required_arguments = 1
    option_spec = {"class": directives.class_option}  # noqa: RUF012 - docutils' interface

    def _parse(self, lines: list[str]) -> list[nodes.Node]:
        container = nodes.container()
        nested_parse_with_titles(self.state, StringList(lines, source=self.get_source_info()[0]), container)
        return list(container.children)

    def _target(self) -> Any:
        try:
            return _import(self.arguments[0])
        except (ImportError, AttributeError, ValueError) as error:
            raise self.error(f"cannot import {self.arguments[0]!r}: {error}") from error


class EnumTable(_TableDirective):
    """``.. mecfs-enum-table:: module.Enum``: every value of a vocabulary and its meaning.

    The values come from the enum and the meanings from the docstrings under its
    members, so the table cannot drift from the code.
    """

    def run(self) -> list[nodes.Node]:
        """Build the table; warn about a member without a docstring."""
        cls = self._target()
        if not (isinstance(cls, type) and issubclass(cls, enum.Enum)):
            raise self.error(f"{self.arguments[0]!r} is not an enum")
        docs = _attr_docs(cls)
        lines = [
            f".. list-table:: Values of :py:class:`~{self.arguments[0]}`",
            "   :header-rows: 1",
            "   :widths: 1 3",
            "   :class: mecfs-enum",
            "",
            "   * - Value",
            "     - Meaning",
        ]
        for member in cls:
            doc = docs.get(member.name, "")
            if not doc:
                _logger.warning(
                    "%s.%s has no docstring", self.arguments[0], member.name, location=self.get_location()
                )
            lines += [f"   * - ``{member.value}``", f"     - {_cell(doc)}"]
        return self._parse(lines)


_SCALARS = {
    "str": "text",
    "int": "whole number",
    "bool": "``true`` or ``false``",
    "_dt.date": "date (YYYY-MM-DD)",
    "datetime.date": "date (YYYY-MM-DD)",
}


def _yaml_form(annotation: str, module: str) -> tuple[str, bool]:
    """How a field's type reads in YAML, and whether the field may be left out."""
    optional = annotation.endswith(" | None")
    base = annotation.removesuffix(" | None").strip()
    match = re.fullmatch(r"tuple\[(.+), \.\.\.\]", base)
    if match:
        return "list of " + _yaml_item(match.group(1), module, plural=True), True
    return _yaml_item(base, module, plural=False), optional


def _yaml_item(name: str, module: str, *, plural: bool) -> str:
    if name in _SCALARS:
        text = _SCALARS[name]
        return text + ("s" if plural and not text.startswith("`") and "(" not in text else "")
    target = getattr(importlib.import_module(module), name, None)
    s = "s" if plural else ""
    if target is Source:
        return f"source id{s} (:py:class:`~{module}.Source`)"
    if target is Symptom:
        return f"symptom id{s} (:py:class:`~{module}.Symptom`)"
    if isinstance(target, type) and issubclass(target, enum.Enum):
        return f"value{s} of :py:class:`~{module}.{name}`"
    if isinstance(target, type) and attrs.has(target):
        return f"mapping{s} (:py:class:`~{module}.{name}`)"
    return f"``{name}``"


def _rule_text(rule: Rule) -> str:
    """A field's :class:`~mecfs_treatments.model.Rule` in words, for the fields table."""
    parts = []
    if rule.expected:
        parts.append(rule.expected)
    elif rule.pattern:
        parts.append(f"matching ``{rule.pattern}``")
    if rule.minimum is not None:
        parts.append(f"at least {rule.minimum}")
    if rule.refers_to:
        parts.append(f"must name an existing {rule.refers_to}")
    if rule.unique:
        parts.append("no repeats")
    if rule.unique_key:
        parts.append(f"no two with the same {rule.unique_key}")
    return "; " + "; ".join(parts) if parts else ""


class FieldsTable(_TableDirective):
    """``.. mecfs-fields-table:: module.Record``: every field of a record as a YAML key.

    Lists each field's name (its YAML key), its YAML form with the rule declared on
    the field (:func:`~mecfs_treatments.model.rule_of`), whether it is required, and its
    meaning from the docstring under it in the source.
    """

    def run(self) -> list[nodes.Node]:
        """Build the table; warn about a field without a docstring."""
        cls = self._target()
        if not (isinstance(cls, type) and attrs.has(cls)):
            raise self.error(f"{self.arguments[0]!r} is not an attrs class")
        docs = _attr_docs(cls)
        lines = [
            f".. list-table:: Fields of :py:class:`~{self.arguments[0]}`",
            "   :header-rows: 1",
            "   :widths: 2 3 1 5",
            "   :class: mecfs-fields",
            "",
            "   * - Key",
            "     - Value",
            "     - Required",
            "     - Meaning",
        ]
        for field in attrs.fields(cls):
            annotation = (
                field.type
                if isinstance(field.type, str)
                else getattr(field.type, "__name__", str(field.type))
            )
            form, optional = _yaml_form(annotation, cls.__module__)
            has_default = field.default is not attrs.NOTHING
            required = "no" if (has_default or optional) else "yes"
            if has_default and field.default not in (None, ()) and not isinstance(field.default, bool):
                default = field.default.value if isinstance(field.default, enum.Enum) else field.default
                form += f"; default ``{default}``"
            elif isinstance(field.default, bool):
                form += f"; default ``{str(field.default).lower()}``"
            form += _rule_text(rule_of(field))
            doc = docs.get(field.name, "")
            if not doc:
                _logger.warning(
                    "%s.%s has no docstring", self.arguments[0], field.name, location=self.get_location()
                )
            lines += [
                f"   * - ``{field.name}``",
                f"     - {form}",
                f"     - {required}",
                f"     - {_cell(doc)}",
            ]
        return self._parse(lines)


# -------------------------------------------------------------------------- setup


_STATIC = Path(__file__).parent / "_static"
"""The extension's style sheet and script (badges, evidence cards, sortable tables)."""


def _add_static(app: Sphinx, config: Any) -> None:
    config.html_static_path = [*config.html_static_path, str(_STATIC)]


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the config values, the catalogue generator and the two table directives."""
    app.add_config_value("mecfs_treatments_data", None, "env", types=(str, type(None)))
    app.add_config_value("mecfs_treatments_catalogue", "catalogue", "env", types=(str,))
    app.add_config_value("mecfs_treatments_charts", True, "env", types=(bool,))
    app.add_directive("mecfs-enum-table", EnumTable)
    app.add_directive("mecfs-fields-table", FieldsTable)
    app.add_role("mecfs-badge", _badge_role)
    app.connect("config-inited", _add_static)
    app.add_css_file("mecfs-catalogue.css")
    app.add_js_file("mecfs-catalogue.js", defer="defer")
    app.connect("builder-inited", _generate)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
