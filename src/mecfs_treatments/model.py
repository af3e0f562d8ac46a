"""The typed, immutable records of the catalogue.

Every class here is a frozen, slotted :mod:`attrs` class.  Collections are tuples,
never lists, dicts or sets, so a record handed to one part of an application cannot
be changed under the feet of another.  Nothing in this module reads files: the
loader (:mod:`mecfs_treatments.load`) builds these objects from the dataset.

Every claim a record makes carries the :class:`Source` records it came from.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    import datetime as _dt
else:

    class _LazyModule:
        """Stands in for a module until one of its names is used.

        ``DatasetInfo.date`` is annotated with ``_dt.date``; annotations are strings
        here, and ``typing.get_type_hints`` resolves them through this object, so
        ``datetime`` is imported only when something needs it (a first lookup does not).
        """

        def __init__(self, name: str) -> None:
            self._name = name

        def __getattr__(self, attr: str) -> Any:
            return getattr(__import__(self._name), attr)

    _dt = _LazyModule("datetime")

__all__ = [
    "Access",
    "Alias",
    "AliasKind",
    "Area",
    "CaseDefinition",
    "Category",
    "Claim",
    "Condition",
    "Criteria",
    "DatasetInfo",
    "Direction",
    "Evidence",
    "EvidenceGap",
    "EvidenceKind",
    "Guidance",
    "Identifier",
    "Mechanism",
    "MechanismStatus",
    "Note",
    "NoteTopic",
    "Source",
    "SourceKind",
    "Stance",
    "Symptom",
    "SymptomDomain",
    "Target",
    "Treatment",
]


# Labels that the plain rule (dashes to spaces) would get wrong.
_LABELS = {
    "cognition-fatigue": "cognition and fatigue",
    "devices-procedures": "devices and procedures",
    "me-cfs": "ME/CFS",
    "long-covid": "long COVID",
    "pots": "POTS",
}


class _Vocabulary(enum.Enum):
    """Base of the closed vocabularies: the value is the spelling used in the data."""

    @property
    def label(self) -> str:
        """A human-readable label, for example ``"open-label study"``."""
        value = str(self.value)
        return _LABELS.get(value) or value.replace("-", " ")

    def __str__(self) -> str:
        return str(self.value)


class Category(_Vocabulary):
    """What kind of thing a treatment is."""

    DRUG = "drug"
    """A small-molecule medicine."""
    BIOLOGIC = "biologic"
    """An antibody, immunoglobulin or other biological medicine."""
    HORMONE = "hormone"
    """A hormone or hormone analogue."""
    SUPPLEMENT = "supplement"
    """A vitamin, mineral, nutrient or other dietary supplement."""
    DIET = "diet"
    """A dietary change."""
    PROCEDURE = "procedure"
    """A clinical procedure such as apheresis, infusion of fluids or surgery."""
    DEVICE = "device"
    """A medical or consumer device."""
    SELF_MANAGEMENT = "self-management"
    """Something a patient does: pacing, rest, positioning."""
    PSYCHOLOGICAL = "psychological"
    """A talking or behavioural therapy."""
    REHABILITATION = "rehabilitation"
    """Exercise or activity programmes delivered by a therapist."""
    COMPLEMENTARY = "complementary"
    """Complementary or alternative medicine."""


class Access(_Vocabulary):
    """How a patient can obtain a treatment."""

    PRESCRIPTION = "prescription"
    """Needs a prescriber."""
    OVER_THE_COUNTER = "over-the-counter"
    """Sold without a prescription."""
    COMPOUNDED = "compounded"
    """Made up by a compounding pharmacy, often because the dose is not sold."""
    CLINIC = "clinic"
    """Given in a clinic or hospital."""
    THERAPIST = "therapist"
    """Delivered by a therapist or trained practitioner."""
    SELF_DIRECTED = "self-directed"
    """Done by the patient without a product."""
    INVESTIGATIONAL = "investigational"
    """Only available in trials or by special access."""
    DISCONTINUED = "discontinued"
    """No longer made or sold."""


class Area(_Vocabulary):
    """The area of care a treatment belongs to."""

    MANAGEMENT = "management"
    """Management and pacing."""
    AUTONOMIC = "autonomic"
    """Orthostatic intolerance and autonomic symptoms."""
    SLEEP = "sleep"
    """Sleep."""
    PAIN = "pain"
    """Pain."""
    COGNITION_FATIGUE = "cognition-fatigue"
    """Cognition, fatigue and energy."""
    MOOD = "mood"
    """Mood and anxiety."""
    IMMUNE = "immune"
    """Immune modulation and antivirals."""
    ENDOCRINE = "endocrine"
    """Hormones."""
    NUTRITION = "nutrition"
    """Supplements and diet."""
    DEVICES_PROCEDURES = "devices-procedures"
    """Devices and procedures."""


class AliasKind(_Vocabulary):
    """Why a name is an alias of a treatment."""

    BRAND = "brand"
    """A trade name, such as Pitocin."""
    GENERIC = "generic"
    """A generic or chemical name, or a salt form."""
    ABBREVIATION = "abbreviation"
    """An abbreviation or acronym, such as LDN."""
    CODE_NAME = "code-name"
    """A development code, such as TNX-102 SL."""
    LAY_NAME = "lay-name"
    """A name patients use."""
    SPELLING = "spelling"
    """A spelling variant, such as a US or UK spelling."""
    FORMER_NAME = "former-name"
    """A name no longer in use."""


class MechanismStatus(_Vocabulary):
    """How well supported a proposed mechanism of action is."""

    ESTABLISHED = "established"
    """Known pharmacology, accepted in general medicine."""
    PROPOSED = "proposed"
    """Put forward for ME/CFS with some supporting data."""
    HYPOTHESIS = "hypothesis"
    """A reasoned idea without direct evidence in ME/CFS."""
    REFUTED = "refuted"
    """Shown to be wrong."""


class EvidenceKind(_Vocabulary):
    """What kind of evidence an :class:`Evidence` item is, from strongest design to anecdote."""

    RANDOMISED_TRIAL = "randomised-trial"
    """A randomised controlled trial."""
    CONTROLLED_TRIAL = "controlled-trial"
    """A controlled but not randomised trial."""
    OPEN_LABEL_STUDY = "open-label-study"
    """An uncontrolled or open-label study."""
    OBSERVATIONAL_STUDY = "observational-study"
    """A cohort, chart review or cross-sectional study."""
    CASE_REPORT = "case-report"
    """A case report or case series."""
    REVIEW = "review"
    """A systematic or narrative review."""
    GUIDELINE = "guideline"
    """A guideline's assessment of the evidence."""
    CLINICIAN_REPORT = "clinician-report"
    """What clinicians report from their practice: anecdote, not proof."""
    PATIENT_REPORT = "patient-report"
    """What individual patients report: anecdote, not proof."""
    PATIENT_SURVEY = "patient-survey"
    """A survey of patients' experience."""
    LABORATORY_STUDY = "laboratory-study"
    """A laboratory or mechanistic study, not of patients' outcomes."""
    HYPOTHESIS = "hypothesis"
    """A proposal that the treatment should help, without outcome data."""

    @property
    def is_anecdotal(self) -> bool:
        """True for reports and hypotheses that are not studies of outcomes."""
        return self in _ANECDOTAL


_ANECDOTAL = frozenset(
    {EvidenceKind.CLINICIAN_REPORT, EvidenceKind.PATIENT_REPORT, EvidenceKind.HYPOTHESIS}
)


class Direction(_Vocabulary):
    """Which way an evidence item points."""

    BENEFIT = "benefit"
    """The treatment helped on the outcomes reported."""
    MIXED = "mixed"
    """Some outcomes or participants improved and others did not."""
    NO_EFFECT = "no-effect"
    """No benefit over control, or no change."""
    HARM = "harm"
    """The treatment made people worse or caused serious adverse events."""
    UNCLEAR = "unclear"
    """The result cannot be read either way."""


class CaseDefinition(_Vocabulary):
    """The case definition a study used to select participants."""

    OXFORD_1991 = "oxford-1991"
    """Oxford criteria: fatigue alone; post-exertional malaise not required."""
    FUKUDA_1994 = "fukuda-1994"
    """CDC/Fukuda criteria: post-exertional malaise optional."""
    CCC_2003 = "ccc-2003"
    """Canadian Consensus Criteria: post-exertional malaise required."""
    ICC_2011 = "icc-2011"
    """International Consensus Criteria: post-exertional neuroimmune exhaustion required."""
    IOM_2015 = "iom-2015"
    """US Institute of Medicine criteria: post-exertional malaise required."""
    NICE_2007 = "nice-2007"
    """NICE CG53 (2007)."""
    NICE_2021 = "nice-2021"
    """NICE NG206 (2021): post-exertional malaise required."""
    OTHER = "other"
    """Another definition, named in the population text."""

    @property
    def requires_pem(self) -> bool | None:
        """Whether the definition requires post-exertional malaise (``None``: depends)."""
        return _PEM_REQUIRED.get(self)


_PEM_REQUIRED: dict[CaseDefinition, bool] = {
    CaseDefinition.OXFORD_1991: False,
    CaseDefinition.FUKUDA_1994: False,
    CaseDefinition.CCC_2003: True,
    CaseDefinition.ICC_2011: True,
    CaseDefinition.IOM_2015: True,
    CaseDefinition.NICE_2007: False,
    CaseDefinition.NICE_2021: True,
}


class Condition(_Vocabulary):
    """The condition of a study's participants."""

    ME_CFS = "me-cfs"
    """Myalgic encephalomyelitis / chronic fatigue syndrome."""
    FIBROMYALGIA = "fibromyalgia"
    """Fibromyalgia."""
    LONG_COVID = "long-covid"
    """Long COVID (post-COVID-19 condition)."""
    POTS = "pots"
    """Postural orthostatic tachycardia syndrome."""
    OTHER = "other"
    """Another condition, named in the population text."""


class NoteTopic(_Vocabulary):
    """What a practical note is about."""

    TIMING = "timing"
    """When or how it is taken."""
    COST = "cost"
    """What it costs."""
    AVAILABILITY = "availability"
    """Where and how to get it."""
    FORMULATION = "formulation"
    """Its forms, fillers and compounding."""
    MONITORING = "monitoring"
    """What a clinician watches while it is used."""
    INTERACTIONS = "interactions"
    """What it should not be combined with."""
    OTHER = "other"
    """Anything else."""


class Stance(_Vocabulary):
    """What a guideline or regulator says of a treatment."""

    RECOMMENDED = "recommended"
    """Recommended."""
    MAY_CONSIDER = "may-consider"
    """May be considered, offered conditionally or as support."""
    NO_RECOMMENDATION = "no-recommendation"
    """Neither recommended nor advised against."""
    NOT_RECOMMENDED = "not-recommended"
    """Not recommended."""
    DO_NOT_OFFER = "do-not-offer"
    """Explicitly not to be offered."""
    APPROVED = "approved"
    """Approved by a regulator for some use."""
    NOT_APPROVED = "not-approved"
    """Refused approval by a regulator."""
    WITHDRAWN = "withdrawn"
    """A recommendation that was withdrawn."""


class SourceKind(_Vocabulary):
    """What kind of document a source is."""

    JOURNAL_ARTICLE = "journal-article"
    """A paper in a journal."""
    GUIDELINE = "guideline"
    """A clinical guideline or consensus document."""
    TRIAL_REGISTRATION = "trial-registration"
    """A trial registry entry."""
    BOOK = "book"
    """A book or chapter."""
    TREATMENT_DATABASE = "treatment-database"
    """A treatment database or guide page, such as the AMMES database."""
    PATIENT_ORGANISATION = "patient-organisation"
    """A patient charity's or advocacy group's page."""
    CLINIC_PAGE = "clinic-page"
    """A clinic's or practitioner's own page."""
    NEWS = "news"
    """A news or magazine article."""
    FORUM = "forum"
    """A patient forum thread."""
    REGULATORY = "regulatory"
    """A regulator's decision or label."""
    OTHER = "other"
    """Anything else."""


class SymptomDomain(_Vocabulary):
    """The symptom domain of the case definitions a symptom belongs to."""

    FATIGUE = "fatigue"
    """Fatigue and loss of function."""
    POST_EXERTIONAL = "post-exertional"
    """Post-exertional malaise."""
    SLEEP = "sleep"
    """Sleep."""
    COGNITIVE = "cognitive"
    """Neurocognitive."""
    PAIN = "pain"
    """Pain."""
    AUTONOMIC = "autonomic"
    """Autonomic, including orthostatic intolerance and cardiovascular."""
    NEUROENDOCRINE = "neuroendocrine"
    """Neuroendocrine, including thermoregulation."""
    IMMUNE = "immune"
    """Immune, including flu-like symptoms."""
    NEUROSENSORY = "neurosensory"
    """Neurosensory, perceptual and motor."""
    GASTROINTESTINAL = "gastrointestinal"
    """Gastro-intestinal."""
    GENITOURINARY = "genitourinary"
    """Genito-urinary."""
    RESPIRATORY = "respiratory"
    """Respiratory."""
    MOOD = "mood"
    """Mood: common alongside ME/CFS but not part of its definition."""


class Criteria(_Vocabulary):
    """Case-definition criteria that name a symptom."""

    IOM_2015 = "iom-2015"
    """US Institute of Medicine, 2015."""
    CCC_2003 = "ccc-2003"
    """Canadian Consensus Criteria, 2003."""
    ICC_2011 = "icc-2011"
    """International Consensus Criteria, 2011."""
    FUKUDA_1994 = "fukuda-1994"
    """CDC/Fukuda, 1994."""
    NICE_2021 = "nice-2021"
    """NICE NG206, 2021."""


def _tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    """Converter: lists (as read from data files) become tuples."""
    return tuple(value)


class _Record:
    """Base of the records: one shared ``repr``, equality, hash and pickling support.

    attrs would generate these methods for every class, which costs import time on
    every start; these read the attrs fields when called and behave the same way:
    records are equal when they are of the same class with equal fields, equal
    records hash alike, and a record pickles as the tuple of its field values.
    """

    __slots__ = ()

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, f.name) for f in attrs.fields(type(self)))  # type: ignore[arg-type]

    def __repr__(self) -> str:
        fields = attrs.fields(type(self))  # type: ignore[arg-type]
        inner = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields)
        return f"{type(self).__name__}({inner})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self is other or self._values() == other._values()

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash((type(self).__qualname__, *self._values()))

    def __getstate__(self) -> tuple[Any, ...]:
        return self._values()

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        for field, value in zip(attrs.fields(type(self)), state, strict=True):  # type: ignore[arg-type]
            object.__setattr__(self, field.name, value)


@attrs.frozen(slots=True, repr=False, eq=False, getstate_setstate=False)
class Source(_Record):
    """A document that claims in the dataset come from.

    A locator (``url``, ``pmid``, ``doi``, ``trial_id``) is present only where it was
    seen in a real document; ``verified`` is ``False`` for a source whose details
    could not be checked.
    """

    id: str
    """Stable slug, for example ``"ammes-oxytocin"``."""
    title: str
    """The document's title."""
    kind: SourceKind
    """What kind of document it is."""
    publisher: str | None = None
    """Publisher, journal or website."""
    year: int | None = None
    """Year of publication."""
    authors: str | None = None
    """Authors, in short form (``"Fluge et al."``)."""
    url: str | None = None
    """Web address."""
    pmid: str | None = None
    """PubMed identifier."""
    doi: str | None = None
    """Digital Object Identifier."""
    trial_id: str | None = None
    """Trial registry identifier, such as an NCT number."""
    note: str | None = None
    """Anything a reader should know about the source."""
    verified: bool = True
    """``False`` where the source's details could not be checked."""

    @property
    def link(self) -> str | None:
        """The best web link to the source, or ``None``."""
        if self.url:
            return self.url
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        return None

    def __repr__(self) -> str:
        return f"Source(id={self.id!r}, title={self.title!r})"

    def citation(self) -> str:
        """A one-line citation: authors, title, publisher, year."""
        parts = [p for p in (self.authors, self.title, self.publisher) if p]
        text = ". ".join(parts)
        if self.year is not None:
            text += f" ({self.year})"
        return text


@attrs.frozen(slots=True, repr=False, eq=False, getstate_setstate=False)
class Symptom(_Record):
    """A symptom that treatments target, with the words people use for it."""

    id: str
    """Stable slug, for example ``"post-exertional-malaise"``."""
    label: str
    """The clinical label."""
    domain: SymptomDomain
    """The case-definition domain it belongs to."""
    synonyms: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    """Other names, including lay words such as ``"crash"`` or ``"brain fog"``."""
    criteria: tuple[Criteria, ...] = attrs.field(default=(), converter=_tuple)
    """The case definitions that name it."""
    hpo: str | None = None
    """Human Phenotype Ontology id, only where a true HPO term exists."""
    hpo_note: str | None = None
    """Why there is no HPO id, or how the HPO term differs."""
    broader: str | None = None
    """Id of the broader symptom this one is part of (myalgia is part of pain)."""
    description: str | None = None
    """A plain description."""
    sources: tuple[Source, ...] = attrs.field(default=(), converter=_tuple)
    """Where the description and criteria come from."""

    def __repr__(self) -> str:
        return f"Symptom(id={self.id!r}, label={self.label!r})"

    @property
    def names(self) -> tuple[str, ...]:
        """The label followed by every synonym."""
        return (self.label, *self.synonyms)


@attrs.frozen(slots=True, repr=False, eq=False, getstate_setstate=False)
class Alias(_Record):
    """Another name for a treatment."""

    name: str
    """The alias as written."""
    kind: AliasKind
    """Why it is an alias: brand, abbreviation, …"""


@attrs.frozen(slots=True, repr=False, eq=False, getstate_setstate=False)
class Claim(_Record):
    """A short sourced statement, used for side effects and uses."""

    text: str
    """The statement, in the dataset's own words."""
    sources: tuple[Source, ...] = attrs.field(converter=_tuple)
    """Where it comes from."""


@attrs.frozen(slots=True, repr=False, eq=False, getstate_setstate=False)
class Mechanism(_Record):
    """A way a treatment may work."""

    name: str
    """Short name of the mechanism."""
    description: str
    """What is proposed to happen."""
    status: MechanismStatus
    """How well supported it is."""
    sources: tuple[Source, ...] = attrs.field(converter=_tuple)
    """Where it comes from."""


@attrs.frozen(slots=True, repr=False, eq=False, getstate_setstate=False)
class Target(_Record):
    """A symptom a treatment is used or proposed for."""

    symptom: Symptom
    """The symptom."""
    sources: tuple[Source, ...] = attrs.field(converter=_tuple)
    """Where the link comes from."""
    note: str | None = None
    """A qualification of the link."""


@attrs.frozen(slots=True, repr=False, eq=False, getstate_setstate=False)
class Evidence(_Record):
    """One piece of evidence about a treatment, with its kind and its direction.

    Anecdote (clinician and patient reports) and hypotheses are recorded as such and
    are never proof; see :attr:`EvidenceKind.is_anecdotal`.
    """

    kind: EvidenceKind
    """Study design or report type."""
    direction: Direction
    """Which way it points: benefit, mixed, no effect, harm or unclear."""
    summary: str
    """The finding in one line."""
    sources: tuple[Source, ...] = attrs.field(converter=_tuple)
    """Where it comes from."""
    condition: Condition = Condition.ME_CFS
    """The participants' condition."""
    population: str | None = None
    """Who took part, in words."""
    case_definition: CaseDefinition | None = None
    """The case definition used, where known."""
    pem_required: bool | None = None
    """Whether post-exertional malaise was required to take part (``None``: unknown)."""
    participants: int | None = None
    """Number of participants, where stated."""
    year: int | None = None
    """Year of the finding."""
    subgroup: str | None = None
    """A responder subgroup, where the source names one."""
    symptoms: tuple[Symptom, ...] = attrs.field(default=(), converter=_tuple)
    """Symptoms the finding is about; empty for the illness as a whole."""


@attrs.frozen(slots=True, repr=False, eq=False, getstate_setstate=False)
class EvidenceGap(_Record):
    """A source's statement that it knows of no evidence of some kind.

    "Studies: none" on a treatment page is a fact, not a missing value: it says what
    that source had found when it was written.
    """

    kind: EvidenceKind
    """The kind of evidence the source reports none of."""
    note: str
    """What the source said, in the dataset's own words."""
    sources: tuple[Source, ...] = attrs.field(converter=_tuple)
    """The source that reported the gap."""


@attrs.frozen(slots=True, repr=False, eq=False, getstate_setstate=False)
class Note(_Record):
    """A practical note: timing, cost, availability. Never dosing advice beyond a source."""

    topic: NoteTopic
    """What the note is about."""
    text: str
    """The note."""
    sources: tuple[Source, ...] = attrs.field(converter=_tuple)
    """Where it comes from."""


@attrs.frozen(slots=True, repr=False, eq=False, getstate_setstate=False)
class Guidance(_Record):
    """What a guideline or regulator says about a treatment."""

    body: str
    """Who says it, for example ``"NICE NG206"``."""
    stance: Stance
    """Their position."""
    summary: str
    """Their position in words."""
    sources: tuple[Source, ...] = attrs.field(converter=_tuple)
    """Where it comes from."""
    year: int | None = None
    """When it was issued."""


@attrs.frozen(slots=True, repr=False, eq=False, getstate_setstate=False)
class Identifier(_Record):
    """A cross-reference to another vocabulary, such as DrugBank."""

    scheme: str
    """The vocabulary: ``"drugbank"``, ``"mesh"``, ``"unii"``."""
    value: str
    """The id in that vocabulary."""


@attrs.frozen(slots=True, repr=False, eq=False, getstate_setstate=False)
class Treatment(_Record):
    """A treatment and what is known about it in ME/CFS.

    >>> import mecfs_treatments
    >>> ldn = mecfs_treatments.get("LDN")
    >>> ldn.name
    'Low Dose Naltrexone'
    """

    id: str
    """Stable slug, for example ``"low-dose-naltrexone"``."""
    name: str
    """Canonical name."""
    category: Category
    """What kind of treatment it is."""
    summary: str
    """What it is and why it is used, in the dataset's own words."""
    sources: tuple[Source, ...] = attrs.field(converter=_tuple)
    """Sources of the name, summary and classification."""
    aliases: tuple[Alias, ...] = attrs.field(default=(), converter=_tuple)
    """Other names it goes by."""
    access: tuple[Access, ...] = attrs.field(default=(), converter=_tuple)
    """How it can be obtained."""
    areas: tuple[Area, ...] = attrs.field(default=(), converter=_tuple)
    """Areas of care it belongs to."""
    uses: tuple[Claim, ...] = attrs.field(default=(), converter=_tuple)
    """Conditions it is used for, in ME/CFS and beyond."""
    mechanisms: tuple[Mechanism, ...] = attrs.field(default=(), converter=_tuple)
    """How it may work."""
    targets: tuple[Target, ...] = attrs.field(default=(), converter=_tuple)
    """Symptoms it is used or proposed for, each with sources."""
    evidence: tuple[Evidence, ...] = attrs.field(default=(), converter=_tuple)
    """What studies, clinicians and patients report."""
    gaps: tuple[EvidenceGap, ...] = attrs.field(default=(), converter=_tuple)
    """Kinds of evidence a source reported none of."""
    side_effects: tuple[Claim, ...] = attrs.field(default=(), converter=_tuple)
    """Side effects a source states."""
    notes: tuple[Note, ...] = attrs.field(default=(), converter=_tuple)
    """Practical notes: timing, cost, where to get it."""
    guidance: tuple[Guidance, ...] = attrs.field(default=(), converter=_tuple)
    """Guideline and regulatory positions."""
    related: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    """Ids of related treatments (Low Dose Naltrexone and Naltrexone)."""
    identifiers: tuple[Identifier, ...] = attrs.field(default=(), converter=_tuple)
    """Checked cross-references to other vocabularies."""

    def __repr__(self) -> str:
        return f"Treatment(id={self.id!r}, name={self.name!r})"

    @property
    def names(self) -> tuple[str, ...]:
        """The canonical name followed by every alias."""
        return (self.name, *(a.name for a in self.aliases))

    @property
    def symptoms(self) -> tuple[Symptom, ...]:
        """The targeted symptoms, in the dataset's order."""
        return tuple(t.symptom for t in self.targets)

    @property
    def directions(self) -> frozenset[Direction]:
        """Every direction among the evidence items."""
        return frozenset(e.direction for e in self.evidence)

    def cited_sources(self) -> tuple[Source, ...]:
        """Every source cited anywhere in the entry, first citation first, once each."""
        seen: dict[str, Source] = {}
        groups: list[Iterable[Source]] = [self.sources]
        groups.extend(c.sources for c in self.uses)
        groups.extend(m.sources for m in self.mechanisms)
        groups.extend(t.sources for t in self.targets)
        groups.extend(e.sources for e in self.evidence)
        groups.extend(g.sources for g in self.gaps)
        groups.extend(c.sources for c in self.side_effects)
        groups.extend(n.sources for n in self.notes)
        groups.extend(g.sources for g in self.guidance)
        for group in groups:
            for source in group:
                seen.setdefault(source.id, source)
        return tuple(seen.values())


@attrs.frozen(slots=True, repr=False, eq=False, getstate_setstate=False)
class DatasetInfo(_Record):
    """The dataset's own version and date, apart from the library's version."""

    version: str
    """Dataset version, for example ``"2026.11.21"``."""
    date: _dt.date
    """Date of the dataset's last change."""
    title: str = "mecfs_treatments dataset"
    """Title of the dataset."""
    license: str | None = None
    """Licence of the data."""
