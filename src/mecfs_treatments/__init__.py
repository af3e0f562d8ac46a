"""A typed, offline catalogue of ME/CFS treatments and the evidence about them.

>>> import mecfs_treatments
>>> mecfs_treatments.get("Pitocin").name
'Oxytocin'
>>> mecfs_treatments.resolve("LDN")
'low-dose-naltrexone'

Not medical advice: the catalogue reports what its sources say, for information
only. Discuss any treatment with a clinician.

Importing the package reads no data; the bundled catalogue is built on first use.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

from ._meta import NOT_MEDICAL_ADVICE, __version__
from .catalog import _DEFAULT, Catalog, Match
from .errors import (
    DatasetError,
    MecfsTreatmentsError,
    NoSuchFieldError,
    NoSuchItemError,
    SnapshotError,
    UnknownSchemaError,
    UnknownSourceError,
    UnknownSymptomError,
    UnknownTreatmentError,
)
from .model import (
    Access,
    Alias,
    AliasKind,
    Area,
    CaseDefinition,
    Category,
    Claim,
    Comparison,
    Condition,
    Criteria,
    Dataset,
    DatasetInfo,
    Direction,
    Evidence,
    EvidenceGap,
    EvidenceKind,
    EvidenceLevel,
    EvidenceSummary,
    Guidance,
    Identifier,
    Mechanism,
    MechanismStatus,
    Note,
    NoteTopic,
    PatientFigures,
    Source,
    SourceKind,
    Stance,
    SurveyFigures,
    Symptom,
    SymptomDomain,
    Target,
    Treatment,
    summarize,
)
from .names import normalize

__all__ = [
    "NOT_MEDICAL_ADVICE",
    "Access",
    "Addition",
    "Alias",
    "AliasKind",
    "Area",
    "CaseDefinition",
    "Catalog",
    "Category",
    "Claim",
    "Comparison",
    "Condition",
    "Criteria",
    "Dataset",
    "DatasetError",
    "DatasetInfo",
    "Direction",
    "Evidence",
    "EvidenceGap",
    "EvidenceKind",
    "EvidenceLevel",
    "EvidenceSummary",
    "Guidance",
    "Identifier",
    "Layer",
    "Match",
    "MecfsTreatmentsError",
    "Mechanism",
    "MechanismStatus",
    "Mention",
    "MentionKind",
    "NoSuchFieldError",
    "NoSuchItemError",
    "Note",
    "NoteTopic",
    "PatientFigures",
    "SnapshotError",
    "Source",
    "SourceKind",
    "Stance",
    "SurveyFigures",
    "Symptom",
    "SymptomDomain",
    "Target",
    "Treatment",
    "UnknownSchemaError",
    "UnknownSourceError",
    "UnknownSymptomError",
    "UnknownTreatmentError",
    "__version__",
    "classes_of",
    "compare",
    "dataset_info",
    "entry_of",
    "find",
    "for_symptom",
    "get",
    "meanings",
    "members_of",
    "mentions",
    "mentions_many",
    "normalize",
    "resolve",
    "resolve_many",
    "search",
    "sources",
    "suggest",
    "summarize",
    "symptom",
    "symptoms",
    "treatments",
]

DefaultT = TypeVar("DefaultT")

if TYPE_CHECKING:
    from .origins import Addition, Layer
    from .text import Mention, MentionKind
else:
    _LAZY = {"Mention": "text", "MentionKind": "text", "Addition": "origins", "Layer": "origins"}

    def __getattr__(name: str) -> Any:
        # Imported on first need: a plain lookup does not pay for them.
        module = _LAZY.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        import importlib

        return getattr(importlib.import_module(f".{module}", __name__), name)


def get(name: str) -> Treatment:
    """The treatment with this name, alias or id, from the bundled catalogue.

    >>> get("Syntocinon").id
    'oxytocin'

    Raises:
        UnknownTreatmentError: no such treatment; carries ranked ``suggestions``.
        TypeError: ``name`` is not a ``str``.
    """
    catalog = _DEFAULT.catalog
    if catalog is not None and type(name) is str:
        # Catalog.get's own first probe, without the call: this is the path users take.
        found = catalog._hot.get(catalog._names.exact.get(name.lower(), ""))
        if found is not None:
            return found
    return (Catalog.default() if catalog is None else catalog).get(name)


def resolve(name: str) -> str:
    """The canonical id of the treatment with this name, alias or id.

    >>> resolve("low–dose  NALTREXONE")
    'low-dose-naltrexone'

    Raises:
        UnknownTreatmentError: no such treatment; carries ranked ``suggestions``.
        TypeError: ``name`` is not a ``str``.
    """
    catalog = _DEFAULT.catalog
    return (Catalog.default() if catalog is None else catalog).resolve(name)


@overload
def find(name: str) -> Treatment | None: ...
@overload
def find(name: str, default: DefaultT) -> Treatment | DefaultT: ...
def find(name: str, default: object = None) -> Any:
    """Like :func:`get`, but return ``default`` for an unknown name.

    >>> find("no such thing") is None
    True
    """
    catalog = _DEFAULT.catalog
    return (Catalog.default() if catalog is None else catalog).find(name, default)


@overload
def resolve_many(names: Iterable[str]) -> list[str | None]: ...
@overload
def resolve_many(names: Iterable[str], default: DefaultT) -> list[str | DefaultT]: ...
def resolve_many(names: Iterable[str], default: object = None) -> Any:
    """Canonical ids for many names at once, ``default`` for each miss.

    >>> resolve_many(["Pitocin", "ldn", "unknown"])
    ['oxytocin', 'low-dose-naltrexone', None]
    """
    return Catalog.default().resolve_many(names, default)


def suggest(name: str, limit: int = 3) -> tuple[str, ...]:
    """Canonical names of the treatments nearest to ``name``, best first.

    >>> suggest("naltrexon")
    ('Naltrexone', 'Low Dose Naltrexone')
    """
    return Catalog.default().suggest(name, limit)


def search(query: str, limit: int = 10) -> tuple[Match, ...]:
    """Treatments whose names or aliases are near ``query``, best first.

    >>> [m.treatment.name for m in search("naltrex")][:2]
    ['Naltrexone', 'Low Dose Naltrexone']
    """
    return Catalog.default().search(query, limit)


def for_symptom(
    term: str, *, narrower: bool = True, order: Literal["evidence", "name"] = "evidence"
) -> tuple[Treatment, ...]:
    """Treatments for a symptom (by id, label or lay synonym), strongest evidence first.

    A treatment counts when it targets the symptom or has evidence about it.

    ``order="name"`` sorts them by name instead; see :meth:`Catalog.for_symptom`.

    >>> "oxytocin" in [t.id for t in for_symptom("brain fog")]
    True

    Raises:
        UnknownSymptomError: no such symptom; carries ranked ``suggestions``.
        ValueError: ``order`` is neither ``"evidence"`` nor ``"name"``.
    """
    return Catalog.default().for_symptom(term, narrower=narrower, order=order)


def compare(*names: str, symptom: str | None = None) -> tuple[Comparison, ...]:
    """The evidence summaries of several treatments side by side (see :meth:`Catalog.compare`).

    >>> [row.treatment.id for row in compare("Pitocin", "LDN")]
    ['oxytocin', 'low-dose-naltrexone']

    Raises:
        UnknownTreatmentError: a name is unknown; carries ``suggestions``.
        UnknownSymptomError: ``symptom`` is unknown.
    """
    return Catalog.default().compare(*names, symptom=symptom)


def symptom(term: str) -> Symptom:
    """The symptom with this id, label or synonym.

    >>> symptom("crash").id
    'post-exertional-malaise'
    """
    return Catalog.default().symptom(term)


def meanings(name: str) -> tuple[Treatment, ...]:
    """Every entry a name may mean, the one it names first (see :meth:`Catalog.meanings`).

    >>> [t.id for t in meanings("naltrexone")]
    ['naltrexone', 'low-dose-naltrexone']

    Raises:
        UnknownTreatmentError: no such treatment; carries ranked ``suggestions``.
    """
    return Catalog.default().meanings(name)


def mentions(text: str) -> tuple[Mention, ...]:
    """Every treatment and symptom named in ``text``, in text order (see :mod:`mecfs_treatments.text`).

    >>> [(m.text, m.id) for m in mentions("Mestinon and salt tablets helped my OI.")]
    [('Mestinon', 'pyridostigmine'), ('salt tablets', 'increased-fluids-and-salt'), ('OI', 'orthostatic-intolerance')]

    Raises:
        TypeError: ``text`` is not a ``str``.
    """
    return Catalog.default().mentions(text)


def entry_of(mention: Mention) -> Treatment | Symptom:
    """The treatment or symptom a mention of the bundled catalogue names."""
    return Catalog.default().entry_of(mention)


def mentions_many(texts: Iterable[str]) -> Iterator[tuple[Mention, ...]]:
    """The mentions of each text, one tuple a text, with one compiled matcher."""
    return Catalog.default().mentions_many(texts)


def classes_of(name: str) -> tuple[Treatment, ...]:
    """The classes of treatments that a treatment belongs to, sorted by name.

    Raises:
        UnknownTreatmentError: no such treatment; carries ranked ``suggestions``.
    """
    return Catalog.default().classes_of(name)


def members_of(name: str) -> tuple[Treatment, ...]:
    """The members of a class of treatments (``members_of("beta blockers")``).

    Raises:
        UnknownTreatmentError: no such treatment; carries ranked ``suggestions``.
    """
    return Catalog.default().members_of(name)


def treatments() -> tuple[Treatment, ...]:
    """Every treatment in the bundled catalogue, sorted by name."""
    return Catalog.default().treatments()


def symptoms() -> tuple[Symptom, ...]:
    """Every symptom in the bundled vocabulary."""
    return Catalog.default().symptoms()


def sources() -> tuple[Source, ...]:
    """Every source the bundled dataset cites."""
    return Catalog.default().sources()


def dataset_info() -> DatasetInfo:
    """Version and date of the bundled dataset: :attr:`Catalog.info` of the default catalogue.

    The bundled dataset always has its ``dataset.yaml`` (the build refuses one without),
    so unlike :attr:`Catalog.info` of a folder of your own this is never ``None``.

    >>> dataset_info().version  # doctest: +SKIP
    '2026.11.21'
    """
    info = Catalog.default().info
    assert info is not None, "the bundled dataset has its dataset.yaml"
    return info
