"""The typed, immutable records of the catalogue.

Every class here is a frozen, slotted :mod:`attrs` class.  Collections are tuples,
never lists, dicts or sets, so a record handed to one part of an application cannot
be changed under the feet of another.  Nothing in this module reads files: the
loader (:mod:`mecfs_treatments.load`) builds these objects from the dataset.

Every claim a record makes carries the :class:`Source` records it came from.
"""

from __future__ import annotations

import enum
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
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
    "ADVISED_AGAINST_STANCES",
    "SLUG",
    "Access",
    "Alias",
    "AliasKind",
    "Area",
    "CaseDefinition",
    "Category",
    "Claim",
    "Comparison",
    "Condition",
    "Criteria",
    "Dataset",
    "DatasetInfo",
    "Direction",
    "Evidence",
    "EvidenceGap",
    "EvidenceKind",
    "EvidenceLevel",
    "EvidenceSummary",
    "Guidance",
    "Identifier",
    "Mechanism",
    "MechanismStatus",
    "Note",
    "NoteTopic",
    "PatientFigures",
    "Rule",
    "Source",
    "SourceKind",
    "Stance",
    "SurveyFigures",
    "Symptom",
    "SymptomDomain",
    "Target",
    "Treatment",
    "broader_chain",
    "identifier_url",
    "narrower_ids",
    "pool",
    "rule",
    "rule_of",
    "summarize",
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
    MISSPELLING = "misspelling"
    """A misspelling seen in real text: it resolves, and is never shown as a name."""


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


_ANECDOTAL = frozenset({EvidenceKind.CLINICIAN_REPORT, EvidenceKind.PATIENT_REPORT, EvidenceKind.HYPOTHESIS})


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


SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
"""The pattern of every id: a lowercase slug such as ``low-dose-naltrexone``."""


class Rule:
    """What a field's value must be, beyond its type: declared once, beside the field.

    The reader (:mod:`mecfs_treatments.read`), the JSON Schemas
    (:mod:`mecfs_treatments.schema`) and the data-model reference read these rules
    from the field's ``metadata["rule"]``.  For a tuple field the rule applies to
    each item (``unique`` and ``unique_key`` to the list as a whole).  Immutable.
    """

    __slots__ = ("expected", "minimum", "pattern", "refers_to", "unique", "unique_key")

    pattern: str | None
    """A regular expression the whole text must match."""
    expected: str | None
    """How a valid value is described in an error message."""
    minimum: int | None
    """The smallest whole number allowed."""
    refers_to: str | None
    """``"treatment"`` or ``"symptom"``: the text is the id of such a record;
    ``"treatment name"``: a name of another treatment."""
    unique: bool
    """A list field may not hold the same item twice."""
    unique_key: str | None
    """A list of records may not hold two items with the same value of this field."""

    def __init__(
        self,
        *,
        pattern: str | None = None,
        expected: str | None = None,
        minimum: int | None = None,
        refers_to: str | None = None,
        unique: bool = False,
        unique_key: str | None = None,
    ) -> None:
        values = {
            "pattern": pattern,
            "expected": expected,
            "minimum": minimum,
            "refers_to": refers_to,
            "unique": unique,
            "unique_key": unique_key,
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a Rule cannot be changed ({name})")

    def __repr__(self) -> str:
        given = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__ if getattr(self, name))
        return f"Rule({given})"


def rule(**kwargs: Any) -> dict[str, Rule]:
    """Field metadata holding one :class:`Rule`: ``attrs.field(metadata=rule(minimum=1))``."""
    return {"rule": Rule(**kwargs)}


def rule_of(field: attrs.Attribute[Any]) -> Rule:
    """The :class:`Rule` declared on an attrs field (an empty rule where none is)."""
    found = field.metadata.get("rule")
    return found if isinstance(found, Rule) else _NO_RULE


_NO_RULE = Rule()
_ID_RULE = rule(pattern=SLUG, expected="a lowercase slug such as 'low-dose-naltrexone'")
_YEAR_RULE = rule(minimum=1000)
_UNIQUE = rule(unique=True)


# Converters: the lists read from data files, or given by a caller, become tuples.
# One per item type, so that type checkers see what each constructor takes.
def _texts(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _sources(value: Iterable[Source]) -> tuple[Source, ...]:
    return tuple(value)


def _symptoms(value: Iterable[Symptom]) -> tuple[Symptom, ...]:
    return tuple(value)


def _criteria(value: Iterable[Criteria]) -> tuple[Criteria, ...]:
    return tuple(value)


def _aliases(value: Iterable[Alias]) -> tuple[Alias, ...]:
    return tuple(value)


def _access(value: Iterable[Access]) -> tuple[Access, ...]:
    return tuple(value)


def _areas(value: Iterable[Area]) -> tuple[Area, ...]:
    return tuple(value)


def _claims(value: Iterable[Claim]) -> tuple[Claim, ...]:
    return tuple(value)


def _mechanisms(value: Iterable[Mechanism]) -> tuple[Mechanism, ...]:
    return tuple(value)


def _targets(value: Iterable[Target]) -> tuple[Target, ...]:
    return tuple(value)


def _evidence(value: Iterable[Evidence]) -> tuple[Evidence, ...]:
    return tuple(value)


def _gaps(value: Iterable[EvidenceGap]) -> tuple[EvidenceGap, ...]:
    return tuple(value)


def _notes(value: Iterable[Note]) -> tuple[Note, ...]:
    return tuple(value)


def _guidance(value: Iterable[Guidance]) -> tuple[Guidance, ...]:
    return tuple(value)


def _identifiers(value: Iterable[Identifier]) -> tuple[Identifier, ...]:
    return tuple(value)


def _treatments(value: Iterable[Treatment]) -> tuple[Treatment, ...]:
    return tuple(value)


# (scheme, pattern of a value, address): patterns stay text until a link is asked for, so
# that importing the model compiles nothing.
_PMID = r"[1-9][0-9]{0,8}"
_DOI = r"10\.[0-9]{4,9}/\S+"
_IDENTIFIER_URLS = (
    ("pmid", _PMID, "https://pubmed.ncbi.nlm.nih.gov/{}/"),
    ("doi", _DOI, "https://doi.org/{}"),
    ("pmc", r"PMC[0-9]+", "https://pmc.ncbi.nlm.nih.gov/articles/{}/"),
    ("trial", r"NCT[0-9]{8}", "https://clinicaltrials.gov/study/{}"),
    ("trial", r"ISRCTN[0-9]{8}", "https://www.isrctn.com/{}"),
    ("drugbank", r"DB[0-9]{5}", "https://go.drugbank.com/drugs/{}"),
)


def identifier_url(scheme: str, value: str) -> str | None:
    """The web address of an identifier, or ``None`` for a scheme or form without one.

    ``scheme`` is ``"PMID"``, ``"DOI"``, ``"PMC"``, ``"Trial"`` (NCT and ISRCTN numbers)
    or ``"drugbank"``, in any case.

    >>> identifier_url("PMID", "31036770")
    'https://pubmed.ncbi.nlm.nih.gov/31036770/'
    >>> identifier_url("Trial", "EudraCT 2022-000281-18") is None
    True
    """
    for name, pattern, address in _IDENTIFIER_URLS:
        if name == scheme.lower() and re.fullmatch(pattern, value):
            return address.format(value)
    return None


@attrs.frozen(slots=True, repr=False, eq=False, getstate_setstate=False)
class Source(_Record):
    """A document that claims in the dataset come from.

    A locator (``url``, ``pmid``, ``doi``, ``trial_id``) is present only where it was
    seen in a real document; ``verified`` is ``False`` for a source whose details
    could not be checked.
    """

    id: str = attrs.field(metadata=_ID_RULE)
    """Stable slug, for example ``"ammes-oxytocin"``."""
    title: str
    """The document's title."""
    kind: SourceKind
    """What kind of document it is."""
    publisher: str | None = None
    """Publisher, journal or website."""
    year: int | None = attrs.field(default=None, metadata=_YEAR_RULE)
    """Year of publication."""
    authors: str | None = None
    """Authors, in short form (``"Fluge et al."``)."""
    url: str | None = attrs.field(
        default=None, metadata=rule(pattern=r"https?://\S+", expected="an http(s) address")
    )
    """Web address."""
    pmid: str | None = attrs.field(default=None, metadata=rule(pattern=_PMID, expected="digits"))
    """PubMed identifier."""
    doi: str | None = attrs.field(
        default=None, metadata=rule(pattern=_DOI, expected="a DOI starting with 10.")
    )
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
            return identifier_url("doi", self.doi)
        if self.pmid:
            return identifier_url("pmid", self.pmid)
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

    id: str = attrs.field(metadata=_ID_RULE)
    """Stable slug, for example ``"post-exertional-malaise"``."""
    label: str
    """The clinical label."""
    domain: SymptomDomain
    """The case-definition domain it belongs to."""
    synonyms: tuple[str, ...] = attrs.field(default=(), converter=_texts)
    """Other names, including lay words such as ``"crash"`` or ``"brain fog"``."""
    criteria: tuple[Criteria, ...] = attrs.field(default=(), converter=_criteria, metadata=_UNIQUE)
    """The case definitions that name it."""
    hpo: str | None = attrs.field(
        default=None, metadata=rule(pattern=r"HP:[0-9]{7}", expected="an HPO id such as HP:0012378")
    )
    """Human Phenotype Ontology id, only where a true HPO term exists."""
    hpo_note: str | None = None
    """Why there is no HPO id, or how the HPO term differs."""
    broader: str | None = attrs.field(
        default=None,
        metadata=rule(pattern=SLUG, expected="a symptom id", refers_to="symptom"),
    )
    """Id of the broader symptom this one is part of (myalgia is part of pain)."""
    description: str | None = None
    """A plain description."""
    sources: tuple[Source, ...] = attrs.field(default=(), converter=_sources, metadata=_UNIQUE)
    """Where the description and criteria come from."""

    def __repr__(self) -> str:
        return f"Symptom(id={self.id!r}, label={self.label!r})"

    @property
    def names(self) -> tuple[str, ...]:
        """The label followed by every synonym."""
        return (self.label, *self.synonyms)


def broader_chain(symptom_id: str, broader: Callable[[str], str | None]) -> list[str]:
    """``symptom_id`` and the ids above it through ``broader`` links, nearest first.

    ``broader`` gives a symptom's broader id (``None`` at the top).  The one walk up
    the hierarchy, used by the loader's checks and the catalogue's symptom index.

    Raises:
        ValueError: the links form a cycle (the message lists it).
    """
    chain = [symptom_id]
    step = broader(symptom_id)
    while step is not None:
        if step in chain:
            raise ValueError("the broader symptoms form a cycle: " + " > ".join([*chain, step]))
        chain.append(step)
        step = broader(step)
    return chain


def narrower_ids(symptoms: Iterable[Symptom], symptom_id: str) -> frozenset[str]:
    """The id of a symptom and of every symptom below it through ``broader`` links."""
    by_id = {s.id: s for s in symptoms}
    return frozenset(
        s
        for s in by_id
        if symptom_id in broader_chain(s, lambda step: by_id[step].broader if step in by_id else None)
    )


@attrs.frozen(slots=True, repr=False, eq=False, getstate_setstate=False)
class Alias(_Record):
    """Another name for a treatment."""

    name: str
    """The alias as written."""
    kind: AliasKind
    """Why it is an alias: brand, abbreviation, …"""
    sources: tuple[Source, ...] = attrs.field(default=(), converter=_sources, metadata=_UNIQUE)
    """Where the name is seen, for a brand that no offline drug vocabulary confirms."""


@attrs.frozen(slots=True, repr=False, eq=False, getstate_setstate=False)
class Claim(_Record):
    """A short sourced statement, used for side effects and uses."""

    text: str
    """The statement, in the dataset's own words."""
    sources: tuple[Source, ...] = attrs.field(converter=_sources, metadata=_UNIQUE)
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
    sources: tuple[Source, ...] = attrs.field(converter=_sources, metadata=_UNIQUE)
    """Where it comes from."""


@attrs.frozen(slots=True, repr=False, eq=False, getstate_setstate=False)
class Target(_Record):
    """A symptom a treatment is used or proposed for."""

    symptom: Symptom
    """The symptom."""
    sources: tuple[Source, ...] = attrs.field(converter=_sources, metadata=_UNIQUE)
    """Where the link comes from."""
    note: str | None = None
    """A qualification of the link."""


_MIN_0 = rule(minimum=0)


@attrs.frozen(slots=True, repr=False, eq=False, getstate_setstate=False)
class SurveyFigures(_Record):
    """What the respondents of a patient survey reported about one treatment, as published.

    The figures are counts of respondents, or, with ``percent``, the percentages the
    survey published (whole numbers, as printed). Counts may not add up to more than
    ``respondents``; percentages may not exceed 100 each, nor 102 together (rounding).
    """

    respondents: int = attrs.field(metadata=rule(minimum=1))
    """How many respondents rated the treatment."""
    improved: int = attrs.field(metadata=_MIN_0)
    """How many (or what percentage) reported improvement."""
    worse: int = attrs.field(metadata=_MIN_0)
    """How many (or what percentage) reported getting worse."""
    unchanged: int | None = attrs.field(default=None, metadata=_MIN_0)
    """How many (or what percentage) reported no change, where the survey says."""
    percent: bool = False
    """Whether the figures are percentages of ``respondents`` rather than counts."""

    def __attrs_post_init__(self) -> None:
        # Each figure's own minimum is its field rule; this is the rule across fields.
        figures = [self.improved, self.worse, self.unchanged or 0]
        if self.percent:
            if max(figures) > 100 or sum(figures) > 102:
                raise ValueError(f"percentages {figures} exceed 100 (each) or 102 (together)")
        elif sum(figures) > self.respondents:
            raise ValueError(f"counts {figures} add up to more than {self.respondents} respondents")

    def share(self, figure: int) -> float:
        """One of the figures as a share of respondents, between 0 and 1."""
        return figure / 100 if self.percent else figure / self.respondents

    @property
    def label(self) -> str:
        """The figures in words, for example ``"54% improved, 41% unchanged, 6% worse of 281"``."""
        unit = "%" if self.percent else ""
        said = [f"{self.improved}{unit} improved"]
        if self.unchanged is not None:
            said.append(f"{self.unchanged}{unit} unchanged")
        said.append(f"{self.worse}{unit} worse")
        return f"{', '.join(said)} of {self.respondents:,}"


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
    sources: tuple[Source, ...] = attrs.field(converter=_sources, metadata=_UNIQUE)
    """Where it comes from."""
    condition: Condition = Condition.ME_CFS
    """The participants' condition."""
    population: str | None = None
    """Who took part, in words."""
    case_definition: CaseDefinition | None = None
    """The case definition used, where known."""
    pem_required: bool | None = None
    """Whether post-exertional malaise was required to take part (``None``: unknown)."""
    participants: int | None = attrs.field(default=None, metadata=rule(minimum=1))
    """Number of participants, where stated."""
    year: int | None = attrs.field(default=None, metadata=_YEAR_RULE)
    """Year of the finding."""
    subgroup: str | None = None
    """A responder subgroup, where the source names one."""
    symptoms: tuple[Symptom, ...] = attrs.field(default=(), converter=_symptoms, metadata=_UNIQUE)
    """Symptoms the finding is about; empty for the illness as a whole."""
    figures: SurveyFigures | None = None
    """For a patient survey: how many respondents improved, stayed the same or got worse."""

    def __attrs_post_init__(self) -> None:
        if self.figures is not None and self.kind is not EvidenceKind.PATIENT_SURVEY:
            raise ValueError(f"figures belong to patient-survey evidence, not {self.kind.value}")


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
    sources: tuple[Source, ...] = attrs.field(converter=_sources, metadata=_UNIQUE)
    """The source that reported the gap."""


@attrs.frozen(slots=True, repr=False, eq=False, getstate_setstate=False)
class Note(_Record):
    """A practical note: timing, cost, availability. Never dosing advice beyond a source."""

    topic: NoteTopic
    """What the note is about."""
    text: str
    """The note."""
    sources: tuple[Source, ...] = attrs.field(converter=_sources, metadata=_UNIQUE)
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
    sources: tuple[Source, ...] = attrs.field(converter=_sources, metadata=_UNIQUE)
    """Where it comes from."""
    year: int | None = attrs.field(default=None, metadata=_YEAR_RULE)
    """When it was issued."""


@attrs.frozen(slots=True, repr=False, eq=False, getstate_setstate=False)
class Identifier(_Record):
    """A cross-reference to another vocabulary, such as DrugBank."""

    scheme: str
    """The vocabulary: ``"drugbank"``, ``"mesh"``, ``"unii"``."""
    value: str
    """The id in that vocabulary."""


class EvidenceLevel(enum.IntEnum):
    """How strong the strongest evidence about a treatment is, as an ordered value.

    Levels compare with ``<`` and ``>``: ``EvidenceLevel.RANDOMISED > EvidenceLevel.REPORTS``.
    Each :class:`EvidenceKind` belongs to one level (:meth:`of`).
    """

    NONE = 0
    """No evidence recorded in ME/CFS."""
    THEORY = 1
    """Laboratory work and hypotheses: no outcomes of patients."""
    REPORTS = 2
    """What clinicians or single patients report: anecdote, not proof."""
    CASES_AND_SURVEYS = 3
    """Case reports, case series and patient surveys."""
    UNCONTROLLED = 4
    """Uncontrolled, open-label and observational studies."""
    CONTROLLED = 5
    """Controlled trials that were not randomised."""
    RANDOMISED = 6
    """Randomised controlled trials, and reviews or guideline assessments of the evidence."""

    @property
    def label(self) -> str:
        """The level in words, for example ``"randomised trials or reviews"``."""
        return _LEVEL_LABELS[self]

    def __str__(self) -> str:
        return self.label

    @classmethod
    def of(cls, kind: EvidenceKind) -> EvidenceLevel:
        """The level of one kind of evidence."""
        return _LEVEL_OF_KIND[kind]


_LEVEL_LABELS: dict[EvidenceLevel, str] = {
    EvidenceLevel.NONE: "no evidence in ME/CFS",
    EvidenceLevel.THEORY: "laboratory work or hypotheses",
    EvidenceLevel.REPORTS: "clinician or patient reports",
    EvidenceLevel.CASES_AND_SURVEYS: "case reports or surveys",
    EvidenceLevel.UNCONTROLLED: "uncontrolled studies",
    EvidenceLevel.CONTROLLED: "controlled trials",
    EvidenceLevel.RANDOMISED: "randomised trials or reviews",
}

_LEVEL_OF_KIND: dict[EvidenceKind, EvidenceLevel] = {
    EvidenceKind.RANDOMISED_TRIAL: EvidenceLevel.RANDOMISED,
    EvidenceKind.REVIEW: EvidenceLevel.RANDOMISED,
    EvidenceKind.GUIDELINE: EvidenceLevel.RANDOMISED,
    EvidenceKind.CONTROLLED_TRIAL: EvidenceLevel.CONTROLLED,
    EvidenceKind.OPEN_LABEL_STUDY: EvidenceLevel.UNCONTROLLED,
    EvidenceKind.OBSERVATIONAL_STUDY: EvidenceLevel.UNCONTROLLED,
    EvidenceKind.CASE_REPORT: EvidenceLevel.CASES_AND_SURVEYS,
    EvidenceKind.PATIENT_SURVEY: EvidenceLevel.CASES_AND_SURVEYS,
    EvidenceKind.CLINICIAN_REPORT: EvidenceLevel.REPORTS,
    EvidenceKind.PATIENT_REPORT: EvidenceLevel.REPORTS,
    EvidenceKind.LABORATORY_STUDY: EvidenceLevel.THEORY,
    EvidenceKind.HYPOTHESIS: EvidenceLevel.THEORY,
}

ADVISED_AGAINST_STANCES = frozenset({Stance.DO_NOT_OFFER, Stance.NOT_RECOMMENDED, Stance.WITHDRAWN})
"""Guidance stances that count as advice against a treatment in :class:`EvidenceSummary`."""


@attrs.frozen(slots=True, repr=False, eq=False, getstate_setstate=False)
class PatientFigures(_Record):
    """What patients report in surveys, pooled: shares weighted by respondents.

    Pooled from the :class:`SurveyFigures` of patient-survey evidence in ME/CFS. Each
    share is between 0 and 1, and together they add up to at most 1; ``unchanged`` is
    ``None`` unless every survey gives it.
    """

    surveys: int
    """How many surveys the figures come from."""
    respondents: int
    """How many respondents rated the treatment, over all those surveys."""
    improved: float
    """Share of respondents who reported improvement."""
    worse: float
    """Share of respondents who reported getting worse."""
    unchanged: float | None
    """Share of respondents who reported no change, when every survey says."""

    @property
    def label(self) -> str:
        """The figures in words, for example ``"patients: 52% improved, 30% worse (2 surveys, 1,100 rated it)"``."""
        parts = [f"{self.improved:.0%} improved"]
        if self.unchanged is not None:
            parts.append(f"{self.unchanged:.0%} unchanged")
        parts.append(f"{self.worse:.0%} worse")
        surveys = "1 survey" if self.surveys == 1 else f"{self.surveys} surveys"
        return f"patients: {', '.join(parts)} ({surveys}, {self.respondents:,} rated it)"


def pool(figures: Iterable[SurveyFigures]) -> PatientFigures | None:
    """Pool survey figures, weighted by respondents (``None`` when there are none)."""
    given = tuple(figures)
    if not given:
        return None
    respondents = sum(f.respondents for f in given)

    def pooled(figure: Callable[[SurveyFigures], int]) -> float:
        return sum(f.respondents * f.share(figure(f)) for f in given) / respondents

    every = all(f.unchanged is not None for f in given)
    return PatientFigures(
        surveys=len(given),
        respondents=respondents,
        improved=pooled(lambda f: f.improved),
        worse=pooled(lambda f: f.worse),
        unchanged=pooled(lambda f: f.unchanged or 0) if every else None,
    )


_EFFICACY = (Direction.BENEFIT, Direction.MIXED, Direction.NO_EFFECT)
_DIRECTION_RANK = {
    Direction.BENEFIT: 0,
    Direction.MIXED: 1,
    Direction.UNCLEAR: 2,
    Direction.NO_EFFECT: 3,
    Direction.HARM: 4,
}
_CLEAR_SHARE = 2 / 3


@attrs.frozen(slots=True, repr=False, eq=False, getstate_setstate=False)
class EvidenceSummary(_Record):
    """What the evidence about one treatment says at a glance; see :func:`summarize`.

    The rule, written once:

    * ``level`` is the :class:`EvidenceLevel` of the strongest evidence item whose
      participants had ME/CFS (:attr:`EvidenceLevel.NONE` without one). Weaker items
      never change it.
    * ``direction`` is what the efficacy findings (benefit, mixed, no effect) at that
      level say, each weighted by its participants; an item that gives no number weighs
      as the mean of those that do at that level (1 when none does). Benefit or no effect
      wins with at least two thirds of the weight; otherwise the direction is mixed.
      Without efficacy findings at that level it is :attr:`Direction.UNCLEAR`. Harm
      findings never set the direction: they set ``harm``.
    * ``harm`` is true when any evidence item, in any condition, reports harm.
    * ``advised_against`` is true when a guideline or regulator says do not offer, not
      recommended, or withdrew a recommendation
      (:data:`~mecfs_treatments.model.ADVISED_AGAINST_STANCES`).
    * ``patients`` pools the published figures of patient surveys in ME/CFS, weighted
      by respondents (:func:`~mecfs_treatments.model.pool`); it is ``None`` when no survey gives figures.
      Surveys are also counted in ``level`` and ``direction`` like any other evidence.
    """

    level: EvidenceLevel
    """The strongest kind of evidence in ME/CFS."""
    direction: Direction
    """What the efficacy findings at that level say."""
    harm: bool
    """Whether any evidence item reports harm."""
    advised_against: bool
    """Whether a guideline or regulator advises against the treatment."""
    positions: tuple[Guidance, ...]
    """Every guideline and regulator position, those advising against first."""
    counts: tuple[tuple[EvidenceKind, Direction, int], ...]
    """How many evidence items there are of each kind and direction (nonzero only)."""
    patients: PatientFigures | None = None
    """What patients with ME/CFS report in surveys that publish figures (see :func:`~mecfs_treatments.model.pool`)."""

    @property
    def advice(self) -> tuple[str, ...]:
        """The positions that advise against the treatment, in words: ``"NICE NG206 2021: do not offer"``."""
        return tuple(
            f"{g.body}{f' {g.year}' if g.year else ''}: {g.stance.label}"
            for g in self.positions
            if g.stance in ADVISED_AGAINST_STANCES
        )

    @property
    def rank(self) -> tuple[int, int]:
        """A sort key, smallest first: stronger level first, then direction.

        Directions rank benefit, mixed, unclear, no effect; ``sorted(..., key=...)`` with
        this key orders treatments as :meth:`Catalog.for_symptom
        <mecfs_treatments.Catalog.for_symptom>` does.
        """
        return (-self.level, _DIRECTION_RANK[self.direction])

    @property
    def total(self) -> int:
        """How many evidence items were summarised."""
        return sum(n for _, _, n in self.counts)

    def count(self, kind: EvidenceKind | None = None, direction: Direction | None = None) -> int:
        """How many evidence items have this kind and direction (``None``: any)."""
        return sum(
            n
            for k, d, n in self.counts
            if (kind is None or k is kind) and (direction is None or d is direction)
        )

    @property
    def label(self) -> str:
        """The summary in one line.

        For example ``"randomised trials or reviews: no effect; harm reported"``.
        """
        if self.level is EvidenceLevel.NONE:
            parts = [self.level.label]
        else:
            parts = [f"{self.level.label}: {self.direction.label}"]
        if self.harm:
            parts.append("harm reported")
        parts += self.advice
        if self.patients is not None:
            parts.append(self.patients.label)
        return "; ".join(parts)


def summarize(evidence: Iterable[Evidence], guidance: Iterable[Guidance] = ()) -> EvidenceSummary:
    """Summarise evidence items and guidance by the rule of :class:`EvidenceSummary`."""
    items = tuple(evidence)
    positions = tuple(guidance)
    in_mecfs = [e for e in items if e.condition is Condition.ME_CFS]
    level = max((EvidenceLevel.of(e.kind) for e in in_mecfs), default=EvidenceLevel.NONE)
    top = [e for e in in_mecfs if EvidenceLevel.of(e.kind) is level and e.direction in _EFFICACY]
    direction = _weighed(top)
    counted = Counter((e.kind, e.direction) for e in items)
    return EvidenceSummary(
        level=level,
        direction=direction,
        harm=any(e.direction is Direction.HARM for e in items),
        advised_against=any(g.stance in ADVISED_AGAINST_STANCES for g in positions),
        positions=tuple(sorted(positions, key=lambda g: g.stance not in ADVISED_AGAINST_STANCES)),
        counts=tuple((k, d, counted[k, d]) for k in EvidenceKind for d in Direction if counted[k, d]),
        patients=pool(e.figures for e in in_mecfs if e.figures is not None),
    )


def _weighed(findings: list[Evidence]) -> Direction:
    """The direction of efficacy findings of one level, weighted by participants."""
    if not findings:
        return Direction.UNCLEAR
    known = [e.participants for e in findings if e.participants is not None]
    fallback = sum(known) / len(known) if known else 1.0
    weight = dict.fromkeys(_EFFICACY, 0.0)
    for e in findings:
        weight[e.direction] += e.participants if e.participants is not None else fallback
    total = sum(weight.values())
    for side in (Direction.BENEFIT, Direction.NO_EFFECT):
        if weight[side] >= _CLEAR_SHARE * total:
            return side
    return Direction.MIXED


@attrs.frozen(slots=True, repr=False, eq=False, getstate_setstate=False)
class Treatment(_Record):
    """A treatment and what is known about it in ME/CFS.

    >>> import mecfs_treatments
    >>> ldn = mecfs_treatments.get("LDN")
    >>> ldn.name
    'Low Dose Naltrexone'
    """

    id: str = attrs.field(metadata=_ID_RULE)
    """Stable slug, for example ``"low-dose-naltrexone"``."""
    name: str
    """Canonical name."""
    category: Category
    """What kind of treatment it is."""
    summary: str
    """What it is and why it is used, in the dataset's own words."""
    sources: tuple[Source, ...] = attrs.field(converter=_sources, metadata=_UNIQUE)
    """Sources of the name, summary and classification."""
    aliases: tuple[Alias, ...] = attrs.field(default=(), converter=_aliases)
    """Other names it goes by."""
    access: tuple[Access, ...] = attrs.field(default=(), converter=_access, metadata=_UNIQUE)
    """How it can be obtained."""
    areas: tuple[Area, ...] = attrs.field(default=(), converter=_areas, metadata=_UNIQUE)
    """Areas of care it belongs to."""
    uses: tuple[Claim, ...] = attrs.field(default=(), converter=_claims)
    """Conditions it is used for, in ME/CFS and beyond."""
    mechanisms: tuple[Mechanism, ...] = attrs.field(default=(), converter=_mechanisms)
    """How it may work."""
    targets: tuple[Target, ...] = attrs.field(
        default=(), converter=_targets, metadata=rule(unique_key="symptom")
    )
    """Symptoms it is used or proposed for, each with sources."""
    evidence: tuple[Evidence, ...] = attrs.field(default=(), converter=_evidence)
    """What studies, clinicians and patients report."""
    gaps: tuple[EvidenceGap, ...] = attrs.field(default=(), converter=_gaps)
    """Kinds of evidence a source reported none of."""
    side_effects: tuple[Claim, ...] = attrs.field(default=(), converter=_claims)
    """Side effects a source states."""
    notes: tuple[Note, ...] = attrs.field(default=(), converter=_notes)
    """Practical notes: timing, cost, where to get it."""
    guidance: tuple[Guidance, ...] = attrs.field(default=(), converter=_guidance)
    """Guideline and regulatory positions."""
    related: tuple[str, ...] = attrs.field(
        default=(),
        converter=_texts,
        metadata=rule(pattern=SLUG, expected="a treatment id", refers_to="treatment", unique=True),
    )
    """Ids of related treatments (Low Dose Naltrexone and Naltrexone)."""
    identifiers: tuple[Identifier, ...] = attrs.field(default=(), converter=_identifiers)
    """Checked cross-references to other vocabularies."""
    members: tuple[str, ...] = attrs.field(
        default=(),
        converter=_texts,
        metadata=rule(pattern=SLUG, expected="a treatment id", refers_to="treatment", unique=True),
    )
    """For a class of treatments (beta blockers, SSRIs), the ids of its members."""
    also_called: tuple[str, ...] = attrs.field(
        default=(), converter=_texts, metadata=rule(refers_to="treatment name", unique=True)
    )
    """Names of other entries that people also use for this one ("naltrexone" written for
    low-dose naltrexone): they still resolve to the entry they name, and
    :meth:`~mecfs_treatments.Catalog.meanings` lists this one too."""

    def __repr__(self) -> str:
        return f"Treatment(id={self.id!r}, name={self.name!r})"

    @property
    def names(self) -> tuple[str, ...]:
        """The canonical name followed by every alias that is shown (not misspellings)."""
        return (self.name, *(a.name for a in self.shown_aliases))

    @property
    def shown_aliases(self) -> tuple[Alias, ...]:
        """The aliases to show a reader: every alias but the misspellings."""
        return tuple(a for a in self.aliases if a.kind is not AliasKind.MISSPELLING)

    @property
    def lookup_names(self) -> tuple[str, ...]:
        """Every name it can be found by: the canonical name and every alias, misspellings too."""
        return (self.name, *(a.name for a in self.aliases))

    @property
    def is_class(self) -> bool:
        """True for a class of treatments, which lists its :attr:`members`."""
        return bool(self.members)

    @property
    def symptoms(self) -> tuple[Symptom, ...]:
        """The targeted symptoms, in the dataset's order."""
        return tuple(t.symptom for t in self.targets)

    @property
    def directions(self) -> frozenset[Direction]:
        """Every direction among the evidence items."""
        return frozenset(e.direction for e in self.evidence)

    @property
    def evidence_summary(self) -> EvidenceSummary:
        """What the evidence says at a glance: level, direction, harm and positions.

        >>> import mecfs_treatments
        >>> summary = mecfs_treatments.get("Rituximab").evidence_summary
        >>> summary.level, summary.direction, summary.harm
        (<EvidenceLevel.RANDOMISED: 6>, <Direction.NO_EFFECT: 'no-effect'>, True)
        """
        return summarize(self.evidence, self.guidance)

    def cited_sources(self) -> tuple[Source, ...]:
        """Every source cited anywhere in the entry, first citation first, once each.

        Found by walking every field of the entry and of the records it holds, so a
        field added to the model is covered without a change here.
        """
        seen: dict[str, Source] = {}
        for source in _walk_sources(self):
            seen.setdefault(source.id, source)
        return tuple(seen.values())


@attrs.frozen(slots=True, repr=False, eq=False, getstate_setstate=False)
class Comparison(_Record):
    """One row of a comparison: a treatment and its :class:`EvidenceSummary`.

    Returned by :meth:`Catalog.compare <mecfs_treatments.Catalog.compare>`; the summary
    is the treatment's own, or its summary for one symptom when one was asked for.
    """

    treatment: Treatment
    """The treatment."""
    summary: EvidenceSummary
    """What its evidence says at a glance."""


def _walk_sources(record: object) -> Iterator[Source]:
    """Every :class:`Source` held by a record or its nested records, in field order."""
    for field in attrs.fields(type(record)):  # type: ignore[arg-type]
        value = getattr(record, field.name)
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, Source):
                yield item
            elif isinstance(item, _Record) and not isinstance(item, Symptom):
                yield from _walk_sources(item)


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


@attrs.frozen(slots=True, repr=False, eq=False, getstate_setstate=False)
class Dataset(_Record):
    """A validated dataset: what a :class:`~mecfs_treatments.Catalog` is built from."""

    info: DatasetInfo | None
    """The dataset's version and date (``None`` if the folder has no ``dataset.yaml``)."""
    sources: tuple[Source, ...] = attrs.field(converter=_sources)
    """Every source, in file order."""
    symptoms: tuple[Symptom, ...] = attrs.field(converter=_symptoms)
    """Every symptom, in file order."""
    treatments: tuple[Treatment, ...] = attrs.field(converter=_treatments)
    """Every treatment, sorted by id."""
