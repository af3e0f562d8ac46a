"""The catalogue: immutable indexes over a dataset, and the lazily built default one."""

from __future__ import annotations

import os
from _thread import allocate_lock
from collections.abc import Iterable, Iterator, Mapping, Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

import attrs

from .errors import (
    SnapshotError,
    UnknownSourceError,
    UnknownSymptomError,
    UnknownTreatmentError,
)
from .model import (
    Comparison,
    Dataset,
    DatasetInfo,
    Direction,
    EvidenceSummary,
    Source,
    Symptom,
    Treatment,
    _Record,
    broader_chain,
    narrower_ids,
    summarize,
)
from .names import IGNORABLE, compact_key, normalize, plural_forms, strip_possessive, variants

if TYPE_CHECKING:
    from ._fuzzy import GramIndex
    from ._search import TextIndex
    from ._snapshot import Reader
    from .origins import Addition, Layer, Origins, Provenance
    from .text import Matcher, Mention

BUNDLED = "bundled"
"""The origin of everything that comes from the dataset shipped with the library."""

BASE = "base"
"""The origin of the entries of a catalogue loaded from a folder or built from a dataset."""
# (The same values as in mecfs_treatments.origins, which is imported only when needed.)

DefaultT = TypeVar("DefaultT")

_SUGGEST_CUTOFF = 0.7
"""The floor of a suggestion: below it a name is unrelated, and is not suggested."""


_SUGGEST_LIMIT = 3
_SUGGEST_SPREAD = 0.2
"""A suggestion scores within this much of the best one: "did you mean" lists near ties only."""


@attrs.frozen(slots=True, repr=False, eq=False, getstate_setstate=False)
class Match(_Record):
    """One result of :meth:`Catalog.search`: a treatment, the name that matched, a score."""

    treatment: Treatment
    """The treatment found."""
    name: str
    """Its name or alias that matched best."""
    score: float
    """How well it matched, from 0 to 1 (1 is an exact match after normalisation)."""


class _NameIndex:
    """Names to ids: exact spellings first, then normalised keys, then loose keys."""

    __slots__ = ("_entries", "_grams", "_names", "_vocabulary", "exact", "keys", "loose")

    def __init__(self, entries: Iterable[tuple[str, str, Iterable[str]]]) -> None:
        # entries: (id, display name, every name including the display one)
        self.exact: dict[str, str] = {}
        self.keys: dict[str, str] = {}
        self.loose: dict[str, str] = {}
        self._names: list[tuple[str, str, str]] | None = []  # (key, id, name as written)
        self._entries: Mapping[str, Sequence[str]] = {}
        self._grams: GramIndex | None = None
        self._vocabulary: set[str] | None = None
        for entry_id, _display, names in entries:
            for name in (*names, entry_id):
                self.exact.setdefault(name, entry_id)
                # Its lower case too: "Low-Dose Naltrexone" typed in any case meets the
                # table in one probe, dashes and all.
                self.exact.setdefault(name.lower(), entry_id)
                key = normalize(name)
                if key not in self.keys:
                    self.keys[key] = entry_id
                    self._names.append((key, entry_id, name))
                self.loose.setdefault(compact_key(key), entry_id)
                self.exact.setdefault(key, entry_id)
        # The trigram index for suggestions, and the words of every name, are built on
        # the first miss that needs them: most processes never do.  Two threads may both
        # build one; either result is the same.

    def tables(self) -> dict[str, dict[str, str]]:
        """The lookup tables, for a snapshot to carry so that a start needs no normalising."""
        return {"exact": self.exact, "keys": self.keys, "loose": self.loose}

    @classmethod
    def from_tables(
        cls, tables: Mapping[str, dict[str, str]], entries: Mapping[str, Sequence[str]]
    ) -> _NameIndex:
        """An index from :meth:`tables` and the entries' names (read for suggestions only)."""
        index = object.__new__(cls)
        index.exact, index.keys, index.loose = tables["exact"], tables["keys"], tables["loose"]
        index._names = None
        index._entries = entries
        index._grams = None
        index._vocabulary = None
        return index

    @property
    def names(self) -> list[tuple[str, str, str]]:
        """(key, id, name as written) of each key's first name: what suggestions rank."""
        names = self._names
        if names is None:
            names, seen = [], set()
            for entry_id, entry_names in self._entries.items():
                for name in (*entry_names, entry_id):
                    key = normalize(name)
                    if key not in seen:
                        seen.add(key)
                        names.append((key, entry_id, name))
            self._names = names
        return names

    def find(self, name: str) -> str | None:
        # ``exact`` holds every name as written and every normalised key, and a
        # name's lower case has the same key as the name: one probe finds most names
        # typed in any case.
        lowered = name.lower()
        found = self.exact.get(lowered)
        if found is None:
            found = self.exact.get(name)
            if found is None:
                # An ASCII name of letters and digits alone is its own key (and loose key).
                plain = lowered.isalnum() and lowered.isascii()
                found = self._find_key(lowered if plain else normalize(name))
        return found

    def _find_key(self, key: str) -> str | None:
        found = self.keys.get(key) or self.loose.get(key if key.isalnum() else compact_key(key))
        if found is None and self._may_vary(key):
            # The resolver's rules: possessives, "&", word order, plural and singular.
            for variant in variants(key):
                found = self.keys.get(variant) or self.loose.get(compact_key(variant))
                if found is not None:
                    break
        return found

    def _may_vary(self, key: str) -> bool:
        """Whether a variant of ``key`` can be a name at all: each of its words is a word
        of some name (in either number), or one the rules drop.  Most misses are typos,
        and this spares them the rules."""
        vocabulary = self._vocabulary
        if vocabulary is None:
            words = {word for name_key in self.keys for word in name_key.split()}
            vocabulary = words | {other for word in words for other in plural_forms(word)} | IGNORABLE
            self._vocabulary = vocabulary
        if all(map(vocabulary.__contains__, key.split())):
            return True
        if "'" not in key and "\u2019" not in key:
            return False
        return all(map(vocabulary.__contains__, strip_possessive(key).split()))

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
        for score, position in sorted(grams.scored(normalize(query), _SUGGEST_CUTOFF), key=itemgetter(1)):
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
    :class:`~mecfs_treatments.Dataset`.

    >>> from mecfs_treatments import Catalog
    >>> catalog = Catalog.default()
    >>> catalog.get("Syntocinon").name
    'Oxytocin'
    >>> catalog.resolve("ldn")
    'low-dose-naltrexone'
    """

    __slots__ = (
        "__weakref__",
        "_also",
        "_by_id",
        "_by_symptom",
        "_classes",
        "_dataset",
        "_direct",
        "_hot",
        "_lazy",
        "_matcher",
        "_names",
        "_origins",
        "_provenance",
        "_ranked",
        "_sources",
        "_symptom_names",
        "_symptoms",
        "_text",
    )

    def __init__(self, dataset: Dataset) -> None:
        self._build(dataset)
        self._lazy: Reader | None = None
        self._provenance: Provenance | str = BASE  # an origin's name, until it is needed
        self._origins: Origins | None = None

    @classmethod
    def _layered(cls, dataset: Dataset, provenance: Provenance | str) -> Catalog:
        catalog = cls(dataset)
        catalog._provenance = provenance
        return catalog

    def _build(self, dataset: Dataset, names: _NameIndex | None = None) -> None:
        self._dataset = dataset
        self._by_id: dict[str, Treatment] = {t.id: t for t in dataset.treatments}
        self._hot = self._by_id
        self._sources: dict[str, Source] = {s.id: s for s in dataset.sources}
        self._symptoms: dict[str, Symptom] = {s.id: s for s in dataset.symptoms}
        # A lazily read catalogue already indexed the same names from the snapshot.
        self._names = names or _NameIndex((t.id, t.name, t.lookup_names) for t in dataset.treatments)
        classes: dict[str, list[Treatment]] = {}
        for treatment in sorted(dataset.treatments, key=lambda t: t.name.casefold()):
            for member in treatment.members:
                classes.setdefault(member, []).append(treatment)
        self._classes = {k: tuple(v) for k, v in classes.items()}
        also: dict[str, list[str]] = {}
        for treatment in sorted(dataset.treatments, key=lambda t: t.name.casefold()):
            for name in treatment.also_called:
                also.setdefault(normalize(name), []).append(treatment.id)
        self._also = {k: tuple(v) for k, v in also.items()}
        self._text: TextIndex | None = None
        self._matcher: Matcher | None = None
        self._symptom_names = _NameIndex((s.id, s.label, s.names) for s in dataset.symptoms)
        direct: dict[str, list[Treatment]] = {s: [] for s in self._symptoms}
        narrower: dict[str, list[Treatment]] = {s: [] for s in self._symptoms}
        symptoms = self._symptoms
        for treatment in sorted(dataset.treatments, key=lambda t: t.name.casefold()):
            reached: set[str] = set()
            # The symptoms it targets, then those its evidence is about (a harm finding
            # about post-exertional malaise lists the treatment there too).
            about = dict.fromkeys(s.id for s in treatment.symptoms)
            about.update(dict.fromkeys(s.id for e in treatment.evidence for s in e.symptoms))
            for symptom_id in about:
                direct[symptom_id].append(treatment)
                for step in broader_chain(symptom_id, lambda step: symptoms[step].broader):
                    if step not in reached:
                        reached.add(step)
                        narrower[step].append(treatment)
        self._direct = {k: tuple(v) for k, v in direct.items()}
        self._by_symptom = {k: tuple(v) for k, v in narrower.items()}
        self._ranked: dict[tuple[str, bool], tuple[Treatment, ...]] = {}

    @classmethod
    def _from_reader(cls, reader: Reader) -> Catalog:
        """A catalogue over a lazily read snapshot: names are indexed, records decoded on use.

        Only the name index is built at once; :meth:`get` and :meth:`find` decode the one
        treatment asked for, and anything else builds the full catalogue once, reusing the
        records already decoded.
        """
        catalog = object.__new__(cls)
        if reader.index:  # the tables made when the wheel was built: nothing to normalise
            catalog._names = _NameIndex.from_tables(reader.index, reader.names)
        else:
            catalog._names = _NameIndex((tid, names[0], names) for tid, names in reader.names.items())
        catalog._lazy = reader
        catalog._hot = {}  # the treatments decoded so far, for the fast path of get
        catalog._provenance = BUNDLED
        catalog._origins = None
        return catalog

    def _materialize(self) -> None:
        with _MATERIALIZE_LOCK:
            reader = self._lazy
            if reader is not None:
                try:
                    dataset = reader.dataset()
                except SnapshotError as error:
                    self._read_yaml_instead(error)
                    return
                self._build(dataset, self._names)
                self._lazy = None

    def _read_yaml_instead(self, error: SnapshotError) -> None:
        """A snapshot record that does not decode: warn, and answer from the YAML files from now on."""
        import warnings

        from .load import load_bundled_yaml

        warnings.warn(f"ignoring the bundled snapshot ({error}); reading the YAML files", stacklevel=4)
        dataset = load_bundled_yaml()
        self._build(dataset)
        self._provenance = BUNDLED
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
        if reader is None:
            return self._by_id[treatment_id]
        try:
            treatment = self._hot[treatment_id] = reader.treatment(treatment_id)
        except SnapshotError as error:
            with _MATERIALIZE_LOCK:
                if self._lazy is not None:
                    self._read_yaml_instead(error)
            return self._by_id[treatment_id]
        return treatment

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

        catalog = cls(load_bundled_yaml())
        catalog._provenance = BUNDLED
        return catalog

    @classmethod
    def from_path(cls, path: str | os.PathLike[str]) -> Catalog:
        """Load and validate a dataset folder laid out like the bundled one.

        Raises:
            DatasetError: naming the file, entry and field of the first fault (a
                missing folder or an empty path too).
        """
        from .folder import check_folder
        from .load import load_folder

        return cls(load_folder(check_folder(path)))

    def extended_with(self, overlay: str | os.PathLike[str], *, override: bool = False) -> Catalog:
        """This catalogue with a user's overlay folder: new entries, and additions to existing ones.

        The overlay folder has the dataset layout, every part optional; a treatment
        file with ``extends: <id>`` adds aliases, evidence and other list items to
        that entry.  The result tells where each entry and added item came from
        (:meth:`origin`), and can be extended again.  See
        :mod:`mecfs_treatments.combine`.

        >>> catalog = Catalog.default().extended_with("clinic-formulary/")  # doctest: +SKIP
        >>> catalog.origin("LDN")  # doctest: +SKIP
        'bundled'

        Raises:
            DatasetError: a fault in the overlay, or a clash (an id or a name already
                taken) unless ``override`` is true.
        """
        from .combine import extend

        dataset, provenance = extend(self.dataset, self._layers(), overlay, override=override)
        return Catalog._layered(dataset, provenance)

    def _layers(self) -> Provenance:
        provenance = self._provenance
        if isinstance(provenance, str):  # everything from one origin: tables made when needed
            from .origins import single_origin

            provenance = self._provenance = single_origin(self.dataset, provenance)
        return provenance

    # origins ---------------------------------------------------------------------

    @property
    def layers(self) -> tuple[Layer, ...]:
        """The base and each overlay folder, in the order they were combined."""
        return self._layers().layers

    def _origin_tables(self) -> Origins:
        origins = self._origins
        if origins is None:
            from .origins import Origins

            origins = self._origins = Origins(self._layers())
        return origins

    def origin(self, name: str, field: str | None = None, index: int | None = None) -> str:
        """Where a treatment, or one item of one of its list fields, came from.

        ``"bundled"`` for the library's own data, ``"base"`` for a catalogue loaded
        from a folder, otherwise the overlay folder as it was given.  An item that no
        overlay added has the origin of its entry.

        >>> Catalog.default().origin("LDN", "evidence", 0)
        'bundled'

        Raises:
            UnknownTreatmentError: no treatment has this name.
            NoSuchFieldError: ``field`` is not a list field of a treatment.
            NoSuchItemError: the entry has no item ``index`` in ``field``.
            TypeError: ``index`` is not a whole number.
        """
        treatment = self.get(name)
        return self._origin_tables().of("treatment", treatment, field, index)

    def additions(self, name: str) -> tuple[Addition, ...]:
        """The items that overlays added to a treatment of another origin, in field order.

        Raises:
            UnknownTreatmentError: no treatment has this name.
        """
        entry_id = self.resolve(name)
        return self._origin_tables().additions("treatment", entry_id)

    def source_origin(self, source_id: str) -> str:
        """Where a source came from.

        Raises:
            UnknownSourceError: no such source.
        """
        return self._origin_tables().entries[("source", self.source(source_id).id)]

    def symptom_origin(self, term: str, field: str | None = None, index: int | None = None) -> str:
        """Where a symptom, or one item of one of its list fields, came from.

        Raises:
            UnknownSymptomError: no symptom has this name.
            NoSuchFieldError: ``field`` is not a list field of a symptom.
            NoSuchItemError: the symptom has no item ``index`` in ``field``.
            TypeError: ``index`` is not a whole number.
        """
        return self._origin_tables().of("symptom", self.symptom(term), field, index)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Catalog._layered, (self.dataset, self._layers()))

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
        # The common case in one probe each: a name in any case, a treatment decoded before.
        if type(name) is str:
            found = self._hot.get(self._names.exact.get(name.lower(), ""))
            if found is not None:
                return found
            entry_id = self._names.find(name)
            if entry_id is not None:
                return self._treatment(entry_id)
        return self._treatment(self.resolve(name))  # raises the error that fits

    @overload
    def find(self, name: str) -> Treatment | None: ...
    @overload
    def find(self, name: str, default: DefaultT) -> Treatment | DefaultT: ...
    def find(self, name: str, default: object = None) -> Any:
        """Like :meth:`get`, but return ``default`` instead of raising for an unknown name."""
        if not isinstance(name, str):
            raise TypeError(f"a treatment name must be a str, not {type(name).__name__}")
        found = self._names.find(name)
        return default if found is None else self._treatment(found)

    @overload
    def resolve_many(self, names: Iterable[str]) -> list[str | None]: ...
    @overload
    def resolve_many(self, names: Iterable[str], default: DefaultT) -> list[str | DefaultT]: ...
    def resolve_many(self, names: Iterable[str], default: object = None) -> Any:
        """Resolve many names at once: ids in input order, ``default`` for each miss.

        Builds no suggestions, so it is suited to whole columns of free text.

        Raises:
            TypeError: an item is not a ``str``, or ``names`` is one ``str`` (which
                would be read letter by letter).
        """
        if isinstance(names, (str, bytes)):
            raise TypeError(
                "resolve_many takes a collection of names, not one str: use resolve() for one name"
            )
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

        Raises:
            ValueError: ``limit`` is negative.
            TypeError: ``name`` is not a ``str``.
        """
        if not isinstance(name, str):
            raise TypeError(f"a treatment name must be a str, not {type(name).__name__}")
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise ValueError(f"limit must be a whole number of at least 0, got {limit!r}")
        return tuple(self._by_id[entry_id].name for entry_id in self._names.suggested(name, limit))

    def search(self, query: str, limit: int = 10) -> tuple[Match, ...]:
        """Treatments for ``query``, best first: by name first, then by what they are and do.

        Names and aliases near the query come first (an exact match scores 1.0, near
        misses and names that contain the query less, never below 0.6).  After them come
        treatments whose class, category, area, targeted symptoms, uses, mechanisms or
        summary hold the query's words (``search("antiviral")``, ``search("sleep")``,
        ``search("beta blocker")``), scored below 0.6 by where the words stand; their
        ``name`` is the canonical name.  Returns an empty tuple when nothing matches.

        Raises:
            ValueError: ``limit`` is less than 1.
            TypeError: ``query`` is not a ``str``.
        """
        if not isinstance(query, str):
            raise TypeError(f"a query must be a str, not {type(query).__name__}")
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError(f"limit must be a whole number of at least 1, got {limit!r}")
        exact = self._names.find(query)
        # Names as near as a suggestion must be ("did you mean" lists these too).
        ranked = [r for r in self._names.ranked(query) if r[0] >= _SUGGEST_CUTOFF]
        if exact is not None:
            name = next((r[2] for r in ranked if r[1] == exact), self._by_id[exact].name)
            ranked = [(1.0, exact, name)] + [r for r in ranked if r[1] != exact]
        found = {entry_id for _, entry_id, _ in ranked}
        if len(ranked) < limit:
            text = self._text_index()
            ranked += [
                (score, entry_id, self._by_id[entry_id].name)
                for score, entry_id in text.search(query)
                if entry_id not in found
            ]
        return tuple(
            Match(treatment=self._by_id[entry_id], name=name, score=round(score, 4))
            for score, entry_id, name in ranked[:limit]
        )

    def _text_index(self) -> TextIndex:
        index = self._text
        if index is None:
            from ._search import TextIndex

            index = self._text = TextIndex(self.treatments(), self.classes_of)
        return index

    def meanings(self, name: str) -> tuple[Treatment, ...]:
        """Every entry a name may mean: the one it names first, then those people also call by it.

        ``meanings("naltrexone")`` gives Naltrexone, then Low Dose Naltrexone, which
        people often call plain naltrexone; :meth:`get` always gives the first.

        Raises:
            UnknownTreatmentError: no such treatment; carries ``suggestions``.
        """
        first = self.get(name)
        others = [self._treatment(i) for i in self._also.get(normalize(name), ()) if i != first.id]
        return (first, *others)

    def mentions(self, text: str) -> tuple[Mention, ...]:
        """Every treatment and symptom named in ``text``, in text order, none overlapping.

        See :mod:`mecfs_treatments.text` for what is matched and how.

        Raises:
            TypeError: ``text`` is not a ``str``.
        """
        return self.matcher().find(text)

    def entry_of(self, mention: Mention) -> Treatment | Symptom:
        """The :class:`~mecfs_treatments.Treatment` or :class:`~mecfs_treatments.Symptom` a mention names.

        Raises:
            UnknownTreatmentError, UnknownSymptomError: the mention came from another catalogue.
        """
        return self.get(mention.id) if mention.kind.value == "treatment" else self.symptom(mention.id)

    def mentions_many(self, texts: Iterable[str]) -> Iterator[tuple[Mention, ...]]:
        """The mentions of each text, one tuple a text, in order; texts are read one at a time."""
        return self.matcher().find_many(texts)

    def matcher(self) -> Matcher:
        """The compiled matcher of this catalogue's names, built on first use (picklable)."""
        matcher = self._matcher
        if matcher is None:
            from .text import Matcher

            matcher = self._matcher = Matcher(*self._mention_names())
        return matcher

    def _mention_names(
        self,
    ) -> tuple[list[tuple[str, list[str]]], list[tuple[str, list[str]]], dict[str, list[str]]]:
        """(treatment id, names), (symptom id, names), treatment id -> also_called: from the
        snapshot's header where the catalogue is read lazily, so that no record is decoded."""
        reader = self._lazy
        if reader is not None and reader.symptom_names:
            return list(reader.names.items()), list(reader.symptom_names.items()), reader.also
        treatments = [(t.id, list(t.lookup_names)) for t in self._dataset.treatments]
        symptoms = [(s.id, list(s.names)) for s in self._dataset.symptoms]
        also = {t.id: list(t.also_called) for t in self._dataset.treatments if t.also_called}
        return treatments, symptoms, also

    def classes_of(self, name: str) -> tuple[Treatment, ...]:
        """The classes a treatment belongs to (propranolol: beta blockers), sorted by name.

        Raises:
            UnknownTreatmentError: no such treatment; carries ``suggestions``.
        """
        return self._classes.get(self.resolve(name), ())

    def members_of(self, name: str) -> tuple[Treatment, ...]:
        """The members of a class of treatments, in the class's order (empty for a single treatment).

        Raises:
            UnknownTreatmentError: no such treatment; carries ``suggestions``.
        """
        return tuple(self._treatment(member) for member in self.get(name).members)

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
        overlays = 0 if isinstance(self._provenance, str) else len(self._provenance.layers) - 1
        extra = f", {overlays} overlay{'s' if overlays != 1 else ''}" if overlays else ""
        return f"<Catalog {len(self)} treatment{'s' if len(self) != 1 else ''}, dataset {version}{extra}>"

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

    def for_symptom(
        self, term: str, *, narrower: bool = True, order: Literal["evidence", "name"] = "evidence"
    ) -> tuple[Treatment, ...]:
        """Treatments that target a symptom or have evidence about it, strongest evidence first.

        A treatment counts when it targets the symptom or when one of its evidence items
        names it (a harm finding about post-exertional malaise lists graded exercise
        therapy there). With ``narrower`` (the default), narrower symptoms count too:
        asking for ``pain`` includes treatments for ``headache``.

        With ``order="evidence"`` (the default) the treatments are ranked by their
        :meth:`symptom_summary`: level first, then direction (benefit, mixed, unclear,
        no effect), then name. ``order="name"`` sorts them by name alone.

        Raises:
            UnknownSymptomError: no such symptom; carries ``suggestions``.
            ValueError: ``order`` is neither ``"evidence"`` nor ``"name"``.
        """
        if order not in ("evidence", "name"):
            raise ValueError(f"order must be 'evidence' or 'name', not {order!r}")
        symptom_id = self.symptom(term).id
        found = (self._by_symptom if narrower else self._direct)[symptom_id]
        if order == "name":
            return found
        ranked = self._ranked.get((symptom_id, narrower))
        if ranked is None:
            scope = self._scope(symptom_id, narrower)
            summaries = {t.id: _summary_in(t, scope) for t in found}
            ranked = tuple(sorted(found, key=lambda t: summaries[t.id].rank))  # stable: name order kept
            self._ranked[symptom_id, narrower] = ranked
        return ranked

    def symptom_summary(self, treatment: Treatment, term: str, *, narrower: bool = True) -> EvidenceSummary:
        """The :class:`EvidenceSummary` of a treatment's evidence for one symptom.

        It summarises the evidence items that name the symptom (or, with ``narrower``,
        a narrower one), those that name no symptom, which report on the illness as a
        whole, and every harm finding, so that harm shows on every symptom. The
        guideline positions are the treatment's own.

        Raises:
            UnknownSymptomError: no such symptom; carries ``suggestions``.
        """
        return _summary_in(treatment, self._scope(self.symptom(term).id, narrower))

    def compare(self, *names: str, symptom: str | None = None) -> tuple[Comparison, ...]:
        """The evidence summaries of several treatments side by side, for a table.

        Each name is resolved as :meth:`get` resolves it; rows keep the order of the
        names, and a treatment named twice (``"LDN"``, ``"low dose naltrexone"``)
        appears once. With ``symptom``, each summary is the treatment's
        :meth:`symptom_summary` for that symptom.

        Raises:
            UnknownTreatmentError: a name is unknown; carries ``suggestions``.
            UnknownSymptomError: ``symptom`` is unknown.
            TypeError: a name is not a ``str``.
        """
        scope = None if symptom is None else self._scope(self.symptom(symptom).id, True)
        rows: dict[str, Comparison] = {}
        for name in names:
            treatment = self.get(name)
            if treatment.id not in rows:
                summary = treatment.evidence_summary if scope is None else _summary_in(treatment, scope)
                rows[treatment.id] = Comparison(treatment, summary)
        return tuple(rows.values())

    def _scope(self, symptom_id: str, narrower: bool) -> frozenset[str]:
        """The symptom's id and, with ``narrower``, the ids of every symptom below it."""
        return narrower_ids(self._symptoms.values(), symptom_id) if narrower else frozenset((symptom_id,))

    def symptoms(self) -> tuple[Symptom, ...]:
        """Every symptom, in the vocabulary's order."""
        return self._dataset.symptoms

    # sources and metadata -------------------------------------------------------

    def source(self, source_id: str) -> Source:
        """The source with this id.

        Raises:
            UnknownSourceError: no such source (also a ``KeyError``); carries ``suggestions``.
            TypeError: ``source_id`` is not a ``str``.
        """
        if not isinstance(source_id, str):
            raise TypeError(f"a source id must be a str, not {type(source_id).__name__}")
        found = self._sources.get(source_id)
        if found is None:
            import difflib

            near = difflib.get_close_matches(source_id, list(self._sources), n=3, cutoff=0.6)
            raise UnknownSourceError(source_id, near)
        return found

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
_LAZY_SLOTS = frozenset(Catalog.__slots__) - {
    "__weakref__",
    "_lazy",
    "_names",
    "_provenance",
    "_origins",
    "_hot",
}


def _summary_in(treatment: Treatment, scope: frozenset[str]) -> EvidenceSummary:
    """The summary of a treatment's evidence about symptoms in ``scope``, the illness and harm."""
    items = [
        e
        for e in treatment.evidence
        if not e.symptoms or e.direction is Direction.HARM or any(s.id in scope for s in e.symptoms)
    ]
    return summarize(items, treatment.guidance)
