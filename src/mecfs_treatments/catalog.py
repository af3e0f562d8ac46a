"""The catalogue: immutable indexes over a dataset, and the lazily built default one."""

from __future__ import annotations

import os
from _thread import allocate_lock
from collections.abc import Iterable, Iterator
from operator import itemgetter
from typing import TYPE_CHECKING, Any, TypeVar, overload

import attrs

from .errors import UnknownSymptomError, UnknownTreatmentError
from .model import DatasetInfo, Source, Symptom, Treatment
from .names import _NOT_ALNUM, normalize

if TYPE_CHECKING:
    from ._fuzzy import GramIndex
    from ._snapshot import Reader
    from .combine import CombinedCatalog
    from .load import Dataset

__all__ = ["Catalog", "Match"]

_D = TypeVar("_D")

_SUGGEST_CUTOFF = 0.6
_SUGGEST_LIMIT = 3
_SUGGEST_SPREAD = 0.2
"""A suggestion scores within this much of the best one: "did you mean" lists near ties only."""


@attrs.frozen(slots=True)
class Match:
    """One result of :meth:`Catalog.search`: a treatment, the name that matched, a score."""

    treatment: Treatment
    """The treatment found."""
    name: str
    """Its name or alias that matched best."""
    score: float
    """How well it matched, from 0 to 1 (1 is an exact match after normalisation)."""


def _key(name: str) -> str:
    """:func:`~mecfs_treatments.names.normalize`, with a shortcut for ASCII text."""
    if name.isascii():
        # The only ASCII characters normalize() changes besides case and spacing.
        return " ".join(name.lower().replace("-", " ").replace("_", " ").split())
    return normalize(name)


class _NameIndex:
    """Names to ids: exact spellings first, then normalised keys, then loose keys."""

    __slots__ = ("_grams", "exact", "keys", "loose", "names")

    def __init__(self, entries: Iterable[tuple[str, str, Iterable[str]]]) -> None:
        # entries: (id, display name, every name including the display one)
        self.exact: dict[str, str] = {}
        self.keys: dict[str, str] = {}
        self.loose: dict[str, str] = {}
        self.names: list[tuple[str, str, str]] = []  # (key, id, name as written)
        for entry_id, _display, names in entries:
            for name in (*names, entry_id):
                self.exact.setdefault(name, entry_id)
                key = _key(name)
                if key not in self.keys:
                    self.keys[key] = entry_id
                    self.names.append((key, entry_id, name))
                self.loose.setdefault(_NOT_ALNUM.sub("", key), entry_id)  # compact(name)
                self.exact.setdefault(key, entry_id)
        # The trigram index for suggestions is built on the first miss: most
        # processes never need it.  Two threads may both build it; either result is
        # the same.
        self._grams: GramIndex | None = None

    def find(self, name: str) -> str | None:
        exact = self.exact
        if name.isascii():
            # ``exact`` holds every normalised key, and an ASCII name's key is its
            # lower case unless it holds dashes or spacing to tidy: one probe of the
            # table finds most names typed in any case.
            lowered = name.lower()
            found = exact.get(lowered)
            if found is None:
                found = exact.get(name)  # as written in the data, dashes and all
                if found is None:
                    if lowered.isalnum():  # its key, and its loose key, is itself
                        return self.loose.get(lowered)
                    return self._find_key(" ".join(lowered.replace("-", " ").replace("_", " ").split()))
            return found
        found = exact.get(name)
        return self._find_key(normalize(name)) if found is None else found

    def _find_key(self, key: str) -> str | None:
        found = self.keys.get(key)
        if found is None:
            found = self.loose.get(_NOT_ALNUM.sub("", key))  # compact(name)
        return found

    def ranked(self, query: str) -> list[tuple[float, str, str]]:
        """(score, id, name) of every entry near the query, best first, once per id."""
        grams = self._grams
        if grams is None:
            from ._fuzzy import GramIndex

            grams = self._grams = GramIndex(key for key, _, _ in self.names)
        names = self.names
        best: dict[str, tuple[float, str]] = {}
        # In key order, so that of two names of one entry with the same score the
        # first one listed wins.
        for score, position in sorted(grams.scored(_key(query), _SUGGEST_CUTOFF), key=itemgetter(1)):
            _, entry_id, name = names[position]
            if score > best.get(entry_id, (0.0, ""))[0]:
                best[entry_id] = (score, name)
        ranked = [(score, entry_id, name) for entry_id, (score, name) in best.items()]
        ranked.sort(key=lambda item: (-item[0], item[2].casefold()))
        return ranked

    def suggested(self, query: str, limit: int) -> list[str]:
        """Ids of the entries to suggest for a miss, best first."""
        ranked = self.ranked(query)
        if not ranked:
            return []
        floor = ranked[0][0] - _SUGGEST_SPREAD
        return [entry_id for score, entry_id, _ in ranked[:limit] if score >= floor]


class Catalog:
    """An immutable catalogue of treatments, indexed by every name and by symptom.

    Build one with :meth:`default` (the bundled dataset), :meth:`from_path` (your
    own folder of the same layout) or from a validated
    :class:`~mecfs_treatments.load.Dataset`.

    >>> from mecfs_treatments import Catalog
    >>> catalog = Catalog.default()
    >>> catalog.get("Syntocinon").name
    'Oxytocin'
    >>> catalog.resolve("ldn")
    'low-dose-naltrexone'
    """

    __slots__ = (
        "__weakref__",
        "_by_id",
        "_by_symptom",
        "_dataset",
        "_direct",
        "_lazy",
        "_names",
        "_sources",
        "_symptom_names",
        "_symptoms",
    )

    def __init__(self, dataset: Dataset) -> None:
        self._build(dataset)
        self._lazy: Reader | None = None

    def _build(self, dataset: Dataset, names: _NameIndex | None = None) -> None:
        self._dataset = dataset
        self._by_id: dict[str, Treatment] = {t.id: t for t in dataset.treatments}
        self._sources: dict[str, Source] = {s.id: s for s in dataset.sources}
        self._symptoms: dict[str, Symptom] = {s.id: s for s in dataset.symptoms}
        # A lazily read catalogue already indexed the same names from the snapshot.
        self._names = names or _NameIndex((t.id, t.name, t.names) for t in dataset.treatments)
        self._symptom_names = _NameIndex((s.id, s.label, s.names) for s in dataset.symptoms)
        direct: dict[str, list[Treatment]] = {s: [] for s in self._symptoms}
        narrower: dict[str, list[Treatment]] = {s: [] for s in self._symptoms}
        for treatment in sorted(dataset.treatments, key=lambda t: t.name.casefold()):
            reached: set[str] = set()
            for symptom in treatment.symptoms:
                direct[symptom.id].append(treatment)
                step: str | None = symptom.id
                while step is not None and step not in reached:
                    reached.add(step)
                    narrower[step].append(treatment)
                    step = self._symptoms[step].broader
        self._direct = {k: tuple(v) for k, v in direct.items()}
        self._by_symptom = {k: tuple(v) for k, v in narrower.items()}

    @classmethod
    def _from_reader(cls, reader: Reader) -> Catalog:
        """A catalogue over a lazily read snapshot: names are indexed, records decoded on use.

        Only the name index is built at once; :meth:`get` and :meth:`find` decode the one
        treatment asked for, and anything else builds the full catalogue once, reusing the
        records already decoded.
        """
        catalog = object.__new__(cls)
        catalog._names = _NameIndex((tid, names[0], names) for tid, names in reader.names.items())
        catalog._lazy = reader
        return catalog

    def _materialize(self) -> None:
        with _MATERIALIZE_LOCK:
            reader = self._lazy
            if reader is not None:
                self._build(reader.dataset(), self._names)
                self._lazy = None

    if not TYPE_CHECKING:
        # Hidden from type checkers, so that a misspelt attribute is still an error there.
        def __getattr__(self, name: str) -> Any:
            # Reached only for a slot that is not set yet: a lazily read catalogue
            # builds its indexes on the first use that needs them.
            if name in _LAZY_SLOTS:
                self._materialize()
                return object.__getattribute__(self, name)
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def _treatment(self, treatment_id: str) -> Treatment:
        reader = self._lazy
        return self._by_id[treatment_id] if reader is None else reader.treatment(treatment_id)

    # construction -------------------------------------------------------------

    @classmethod
    def default(cls) -> Catalog:
        """The catalogue of the bundled dataset, built once per process on first use.

        Safe to call from many threads at once: the data is read only once.
        """
        catalog = _DEFAULT.catalog
        if catalog is None:
            with _DEFAULT.lock:
                catalog = _DEFAULT.catalog
                if catalog is None:
                    catalog = cls._bundled()
                    _DEFAULT.catalog = catalog
        return catalog

    @classmethod
    def _bundled(cls) -> Catalog:
        from ._snapshot import open_bundled_or_warn

        reader = open_bundled_or_warn()
        if reader is not None:
            return cls._from_reader(reader)
        from .load import load_bundled_yaml

        return cls(load_bundled_yaml())

    @classmethod
    def from_path(cls, path: str | os.PathLike[str]) -> Catalog:
        """Load and validate a dataset folder laid out like the bundled one.

        Raises:
            DatasetError: naming the file, entry and field of the first fault.
        """
        from pathlib import Path

        from .load import load_folder

        return cls(load_folder(Path(path)))

    @classmethod
    def combine(cls, base: Catalog, overlay: str | os.PathLike[str], *, override: bool = False) -> CombinedCatalog:
        """``base`` with a user's overlay folder: new entries, and additions to existing ones.

        The overlay folder has the dataset layout, every part optional; a treatment
        file with ``extends: <id>`` adds aliases, evidence and other list items to
        that entry.  The result tells where each entry and added item came from
        (:meth:`~mecfs_treatments.combine.CombinedCatalog.origin`).  See
        :mod:`mecfs_treatments.combine`.

        Raises:
            DatasetError: a fault in the overlay, or a clash (an id or a name already
                taken) unless ``override`` is true.
        """
        from .combine import combine

        return combine(base, overlay, override=override)

    def extended_with(self, overlay: str | os.PathLike[str], *, override: bool = False) -> CombinedCatalog:
        """This catalogue with a user's overlay folder: ``Catalog.combine(self, overlay)``.

        >>> catalog = Catalog.default().extended_with("clinic-formulary/")  # doctest: +SKIP
        >>> catalog.origin("LDN")  # doctest: +SKIP
        'bundled'

        Raises:
            DatasetError: a fault in the overlay, or a clash unless ``override`` is true.
        """
        from .combine import combine

        return combine(self, overlay, override=override)

    def __reduce__(self) -> tuple[type[Catalog], tuple[Dataset]]:
        return (type(self), (self._dataset,))

    # treatments ------------------------------------------------------------------

    def resolve(self, name: str) -> str:
        """The id of the treatment with this name, alias or id.

        Case, spacing, hyphens and dashes and Unicode normal form do not matter.

        Raises:
            UnknownTreatmentError: no such treatment; carries ``suggestions``.
            TypeError: ``name`` is not a ``str``.
        """
        if not isinstance(name, str):
            raise TypeError(f"a treatment name must be a str, not {type(name).__name__}")
        found = self._names.find(name)
        if found is None:
            raise UnknownTreatmentError(name, self.suggest(name))
        return found

    def get(self, name: str) -> Treatment:
        """The treatment with this name, alias or id.

        Raises:
            UnknownTreatmentError: no such treatment; carries ``suggestions``.
            TypeError: ``name`` is not a ``str``.
        """
        if isinstance(name, str):
            found = self._names.find(name)
            if found is not None:
                return self._treatment(found)
        return self._treatment(self.resolve(name))  # raises the error that fits

    @overload
    def find(self, name: str) -> Treatment | None: ...
    @overload
    def find(self, name: str, default: _D) -> Treatment | _D: ...
    def find(self, name: str, default: object = None) -> Any:
        """Like :meth:`get`, but return ``default`` instead of raising for an unknown name."""
        if not isinstance(name, str):
            raise TypeError(f"a treatment name must be a str, not {type(name).__name__}")
        found = self._names.find(name)
        return default if found is None else self._treatment(found)

    @overload
    def resolve_many(self, names: Iterable[str]) -> list[str | None]: ...
    @overload
    def resolve_many(self, names: Iterable[str], default: _D) -> list[str | _D]: ...
    def resolve_many(self, names: Iterable[str], default: object = None) -> Any:
        """Resolve many names at once: ids in input order, ``default`` for each miss.

        Builds no suggestions, so it is suited to whole columns of free text.

        Raises:
            TypeError: an item is not a ``str``.
        """
        items = names if isinstance(names, (list, tuple)) else list(names)
        exact = self._names.exact
        try:
            # A name's lower case has the same key as the name (tests/test_fuzzy.py
            # checks this for any text), and ``exact`` holds every name and key: most
            # names resolve in this one pass in C.  A non-str item fails here.
            result: list[object] = list(map(exact.get, map(str.lower, items)))
        except TypeError:
            bad = next((name for name in items if not isinstance(name, str)), None)
            raise TypeError(f"a treatment name must be a str, not {type(bad).__name__}") from None
        # The rest, each distinct spelling once: a column of free text repeats itself.
        find = self._names.find
        seen: dict[str, object] = {}
        for i in [i for i, found in enumerate(result) if found is None]:
            name = items[i]
            if name in seen:
                result[i] = seen[name]
            else:
                found = find(name)
                result[i] = seen[name] = default if found is None else found
        return result

    def suggest(self, name: str, limit: int = _SUGGEST_LIMIT) -> tuple[str, ...]:
        """Canonical names of the treatments nearest to ``name``, best first.

        At most ``limit``, and only those that score near the best one.
        """
        if not isinstance(name, str):
            raise TypeError(f"a treatment name must be a str, not {type(name).__name__}")
        return tuple(self._by_id[entry_id].name for entry_id in self._names.suggested(name, limit))

    def search(self, query: str, limit: int = 10) -> tuple[Match, ...]:
        """Treatments whose names or aliases are near ``query``, best first.

        An exact match (after normalisation) scores 1.0; near misses and names that
        contain the query score less. Returns an empty tuple when nothing is near.
        """
        if not isinstance(query, str):
            raise TypeError(f"a query must be a str, not {type(query).__name__}")
        if limit < 1:
            return ()
        exact = self._names.find(query)
        ranked = self._names.ranked(query)
        if exact is not None:
            name = next((r[2] for r in ranked if r[1] == exact), self._by_id[exact].name)
            ranked = [(1.0, exact, name)] + [r for r in ranked if r[1] != exact]
        return tuple(
            Match(treatment=self._by_id[entry_id], name=name, score=round(score, 4))
            for score, entry_id, name in ranked[:limit]
        )

    def treatments(self) -> tuple[Treatment, ...]:
        """Every treatment, sorted by name."""
        return tuple(sorted(self._by_id.values(), key=lambda t: t.name.casefold()))

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[Treatment]:
        return iter(self.treatments())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._names.find(name) is not None

    def __repr__(self) -> str:
        version = self.info.version if self.info else "unversioned"
        return f"<Catalog {len(self)} treatments, dataset {version}>"

    # symptoms --------------------------------------------------------------------

    def symptom(self, term: str) -> Symptom:
        """The symptom with this id, label or synonym (``"brain fog"``, ``"crash"``).

        Raises:
            UnknownSymptomError: no such symptom; carries ``suggestions``.
            TypeError: ``term`` is not a ``str``.
        """
        if not isinstance(term, str):
            raise TypeError(f"a symptom term must be a str, not {type(term).__name__}")
        found = self._symptom_names.find(term)
        if found is None:
            suggested = self._symptom_names.suggested(term, _SUGGEST_LIMIT)
            raise UnknownSymptomError(term, [self._symptoms[i].label for i in suggested])
        return self._symptoms[found]

    def for_symptom(self, term: str, *, narrower: bool = True) -> tuple[Treatment, ...]:
        """Treatments that target a symptom, sorted by name.

        With ``narrower`` (the default), treatments that target a narrower symptom
        count too: asking for ``pain`` includes those that target ``headache``.

        Raises:
            UnknownSymptomError: no such symptom; carries ``suggestions``.
        """
        symptom_id = self.symptom(term).id
        return (self._by_symptom if narrower else self._direct)[symptom_id]

    def symptoms(self) -> tuple[Symptom, ...]:
        """Every symptom, in the vocabulary's order."""
        return self._dataset.symptoms

    # sources and metadata -------------------------------------------------------

    def source(self, source_id: str) -> Source:
        """The source with this id.

        Raises:
            KeyError: no such source.
        """
        return self._sources[source_id]

    def sources(self) -> tuple[Source, ...]:
        """Every source, in the dataset's order."""
        return self._dataset.sources

    @property
    def info(self) -> DatasetInfo | None:
        """The dataset's version and date (``None`` for a folder without ``dataset.yaml``)."""
        return self._dataset.info

    @property
    def dataset(self) -> Dataset:
        """The validated dataset the catalogue was built from."""
        return self._dataset


class _DefaultHolder:
    __slots__ = ("catalog", "lock")

    def __init__(self) -> None:
        self.catalog: Catalog | None = None
        self.lock = allocate_lock()


_DEFAULT = _DefaultHolder()
_MATERIALIZE_LOCK = allocate_lock()
_LAZY_SLOTS = frozenset(Catalog.__slots__) - {"__weakref__", "_lazy", "_names"}
