"""Combine a catalogue with a user's own folder: new entries, and additions to existing ones.

An app that embeds the library can add its own treatments (a clinic's formulary, a
research group's extensions) on top of the bundled catalogue without copying it::

    import mecfs_treatments as mt

    catalog = mt.Catalog.default().extended_with("clinic-formulary/")
    catalog.origin("LDN")                          # 'bundled'
    catalog.origin("LDN", "evidence", 7)           # 'clinic-formulary/' (an item it added)
    catalog.origin("Clinic Sleep Protocol")        # 'clinic-formulary/'

The overlay folder has the layout of a dataset folder, and every part is optional:

``treatments/<id>.yaml``
    A new treatment, written exactly like a bundled one.  Or an *extension* of a
    treatment of the base catalogue: a file with ``extends: <id>`` in place of
    ``id``, named after that id, holding only list fields to append to the entry
    (``aliases``, ``access``, ``areas``, ``sources``, ``uses``, ``mechanisms``,
    ``targets``, ``evidence``, ``gaps``, ``side_effects``, ``notes``, ``guidance``,
    ``related``, ``identifiers``)::

        extends: low-dose-naltrexone
        aliases:
          - {name: LDN 4.5, kind: lay-name}
        evidence:
          - kind: clinician-report
            direction: benefit
            summary: Our clinic's patients report less pain.
            sources: [clinic-audit-2025]

``symptoms.yaml``
    New symptoms, and entries with ``extends: <symptom id>`` that add
    ``synonyms``, ``criteria`` or ``sources`` to a symptom of the base catalogue.
``sources/*.yaml``
    New sources.
``dataset.yaml``
    The overlay's own title, version and date (kept in :attr:`CombinedCatalog.layers`;
    the combined catalogue keeps the base catalogue's :attr:`~Catalog.info`).

Entries of the overlay may cite the base catalogue's sources and symptoms by id and
name its treatments in ``related``.  Everything is validated as the loader validates
a dataset, and a fault raises :class:`~mecfs_treatments.DatasetError` naming the
overlay's file, the entry and the field.

A *clash* is a :class:`~mecfs_treatments.DatasetError` unless ``override=True``:

- a treatment, symptom or source whose id is already in the base catalogue.  With
  ``override=True`` the overlay's entry replaces the base one, and every base entry
  that cites it cites the replacement;
- a name or alias (or a symptom label or synonym) that is already a name of another
  entry, compared after :func:`~mecfs_treatments.normalize`.  With ``override=True``
  an alias or synonym moves to the overlay's entry; a canonical name or an id never
  moves.

Two entries of the same overlay never override each other.  Nothing is changed in
place: the base catalogue stays as it was, and a failed combination returns nothing.
"""

from __future__ import annotations

import os
import re
import typing
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from .catalog import Catalog
from .errors import DatasetError
from .export import dataset_to_data, info_to_data
from .load import Dataset, _keys, _kind, build_dataset, read_folder
from .model import DatasetInfo, Symptom, Treatment
from .names import compact, normalize

__all__ = [
    "BUNDLED",
    "SYMPTOM_EXTENSION_FIELDS",
    "TREATMENT_EXTENSION_FIELDS",
    "Addition",
    "CombinedCatalog",
    "Layer",
    "combine",
]

BUNDLED = "bundled"
"""The origin of everything that comes from the dataset shipped with the library."""

TREATMENT_EXTENSION_FIELDS: tuple[str, ...] = tuple(
    name for name, hint in typing.get_type_hints(Treatment).items() if typing.get_origin(hint) is tuple
)
"""The list fields of :class:`~mecfs_treatments.Treatment` that an ``extends:`` file may add to."""

SYMPTOM_EXTENSION_FIELDS: tuple[str, ...] = ("synonyms", "criteria", "sources")
"""The list fields of :class:`~mecfs_treatments.Symptom` that an ``extends:`` entry may add to."""

_BASE = "base catalogue"
_BASE_SYMPTOMS = f"{_BASE}:symptoms.yaml"
_COMBINED_SYMPTOMS = "symptoms.yaml"
_ITEM = re.compile(r"^(\w+)\[(\d+)\](.*)$")


@attrs.frozen(slots=True)
class Layer:
    """One folder a combined catalogue was built from, first the base."""

    origin: str
    """``"bundled"``, the base catalogue's label, or the overlay folder as given."""
    info: DatasetInfo | None
    """The folder's own ``dataset.yaml``, if it has one."""


@attrs.frozen(slots=True)
class Addition:
    """A list item that an overlay added to an entry of another origin."""

    field: str
    """The entry's list field, for example ``"evidence"``."""
    index: int
    """The item's position in that field of the combined entry."""
    origin: str
    """The overlay folder it came from."""


@attrs.frozen(slots=True)
class _Provenance:
    layers: tuple[Layer, ...]
    treatments: tuple[tuple[str, str], ...]
    treatment_items: tuple[tuple[str, str, int, str], ...]
    sources: tuple[tuple[str, str], ...]
    symptoms: tuple[tuple[str, str], ...]
    symptom_items: tuple[tuple[str, str, int, str], ...]


class CombinedCatalog(Catalog):
    """A catalogue combined from a base catalogue and overlay folders, that knows where each part came from.

    Built by :meth:`Catalog.extended_with` or :meth:`Catalog.combine`; it is a
    :class:`~mecfs_treatments.Catalog` in every other way, pickles with its origins,
    and can be extended again.
    """

    __slots__ = (
        "_item_origins",
        "_origins",
        "_provenance",
        "_source_origins",
        "_symptom_items",
        "_symptom_origins",
    )

    def __init__(self, dataset: Dataset, provenance: _Provenance | None = None) -> None:
        super().__init__(dataset)
        if provenance is None:
            provenance = _single_origin(dataset, "base")
        self._provenance = provenance
        self._origins: dict[str, str] = dict(provenance.treatments)
        self._item_origins: dict[tuple[str, str, int], str] = {
            (entry, field, index): origin for entry, field, index, origin in provenance.treatment_items
        }
        self._source_origins: dict[str, str] = dict(provenance.sources)
        self._symptom_origins: dict[str, str] = dict(provenance.symptoms)
        self._symptom_items: dict[tuple[str, str, int], str] = {
            (entry, field, index): origin for entry, field, index, origin in provenance.symptom_items
        }

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.dataset, self._provenance))

    def __repr__(self) -> str:
        overlays = len(self._provenance.layers) - 1
        return f"{super().__repr__()[:-1]}, {overlays} overlay{'s' if overlays != 1 else ''}>"

    @property
    def layers(self) -> tuple[Layer, ...]:
        """The base and each overlay, in the order they were combined."""
        return self._provenance.layers

    def origin(self, name: str, field: str | None = None, index: int | None = None) -> str:
        """Where a treatment, or one item of one of its list fields, came from.

        ``"bundled"`` for the library's own data, otherwise the overlay folder as it
        was given (or the base catalogue's label).  An item that no overlay added
        has the origin of its entry.

        >>> catalog.origin("LDN", "evidence", 0)  # doctest: +SKIP
        'bundled'

        Raises:
            UnknownTreatmentError: no treatment has this name.
            ValueError: ``field`` is not a list field of a treatment.
            IndexError: the entry has no item ``index`` in ``field``.
        """
        entry_id = self.resolve(name)
        return self._item_origin(
            self.get(entry_id), entry_id, field, index, self._origins, self._item_origins
        )

    def additions(self, name: str) -> tuple[Addition, ...]:
        """The items that overlays added to a treatment of another origin, in field order."""
        entry_id = self.resolve(name)
        found = [
            Addition(field, index, origin)
            for (entry, field, index), origin in self._item_origins.items()
            if entry == entry_id
        ]
        order = {field: i for i, field in enumerate(TREATMENT_EXTENSION_FIELDS)}
        return tuple(sorted(found, key=lambda a: (order[a.field], a.index)))

    def source_origin(self, source_id: str) -> str:
        """Where a source came from.

        Raises:
            KeyError: no such source.
        """
        self.source(source_id)
        return self._source_origins[source_id]

    def symptom_origin(self, term: str, field: str | None = None, index: int | None = None) -> str:
        """Where a symptom, or one item of its ``synonyms``, ``criteria`` or ``sources``, came from.

        Raises:
            UnknownSymptomError: no symptom has this name.
            ValueError: ``field`` is not a list field of a symptom.
            IndexError: the symptom has no item ``index`` in ``field``.
        """
        symptom = self.symptom(term)
        return self._item_origin(
            symptom, symptom.id, field, index, self._symptom_origins, self._symptom_items
        )

    @staticmethod
    def _item_origin(
        entry: Treatment | Symptom,
        entry_id: str,
        field: str | None,
        index: int | None,
        origins: dict[str, str],
        items: dict[tuple[str, str, int], str],
    ) -> str:
        if field is None:
            return origins[entry_id]
        fields = TREATMENT_EXTENSION_FIELDS if isinstance(entry, Treatment) else SYMPTOM_EXTENSION_FIELDS
        if field not in fields:
            raise ValueError(f"{field!r} is not one of the list fields: {', '.join(fields)}")
        values = getattr(entry, field)
        if index is None or not -len(values) <= index < len(values):
            raise IndexError(f"{entry_id!r} has {len(values)} items in {field!r}, not an item {index!r}")
        return items.get((entry_id, field, index % len(values)), origins[entry_id])


def combine(
    base: Catalog,
    overlay: str | os.PathLike[str],
    *,
    override: bool = False,
    base_origin: str | None = None,
) -> CombinedCatalog:
    """Combine ``base`` with the overlay folder ``overlay``; see the module's documentation.

    ``base_origin`` labels the base's own entries (default: ``"bundled"`` for the
    default catalogue, ``"base"`` for any other; a combined base keeps its own
    labels).

    Raises:
        DatasetError: a fault or a clash in the overlay, naming its file, entry and field.
    """
    label = os.fspath(overlay)
    return _Combiner(base, label, override, base_origin).run(Path(overlay))


class _Combiner:
    """One combination: the base as plain data, the overlay's parts, and who owns what."""

    def __init__(self, base: Catalog, label: str, override: bool, base_origin: str | None) -> None:
        self.label = label
        self.override = override
        if isinstance(base, CombinedCatalog):
            provenance = base._provenance
        else:
            from .catalog import _DEFAULT

            origin = base_origin or (BUNDLED if base is _DEFAULT.catalog else "base")
            provenance = _single_origin(base.dataset, origin)
        self.layers = provenance.layers
        self.origins: dict[str, dict[str, str]] = {
            "treatment": dict(provenance.treatments),
            "source": dict(provenance.sources),
            "symptom": dict(provenance.symptoms),
        }
        self.items: dict[str, dict[tuple[str, str, int], str]] = {
            "treatment": {(e, f, i): o for e, f, i, o in provenance.treatment_items},
            "symptom": {(e, f, i): o for e, f, i, o in provenance.symptom_items},
        }
        data = dataset_to_data(base.dataset)
        self.info = base.dataset.info
        self.sources: dict[str, Any] = {s["id"]: s for s in data["sources"]}
        self.symptoms: dict[str, Any] = {s["id"]: s for s in data["symptoms"]}
        self.treatments: dict[str, Any] = {t["id"]: t for t in data["treatments"]}
        # Items appended to base entries: (kind, entry, field) -> [(start, end, file)]
        self.appended: dict[tuple[str, str, str], list[tuple[int, int, str]]] = {}
        # Overlay symptoms: entry id or "#position" -> (file, entry as the overlay names it)
        self.overlay_symptoms: dict[str, tuple[str, str]] = {}
        self.merged_symptoms: list[Any] = list(self.symptoms.values())

    # ------------------------------------------------------------------ driver

    def run(self, folder: Path) -> CombinedCatalog:
        try:
            documents = read_folder(folder, require_treatments=False)
        except DatasetError as error:
            raise self._in_overlay(error) from None
        if not any(documents[key] for key in ("dataset", "symptoms", "sources", "treatments")):
            raise DatasetError(
                "the overlay folder has none of dataset.yaml, symptoms.yaml, sources/*.yaml, treatments/*.yaml",
                file=self.label,
            )
        info = self._overlay_info(documents["dataset"])
        source_files = self._sources(documents["sources"])
        if documents["symptoms"] is not None:
            self._symptoms(*documents["symptoms"])
        new_treatments = self._treatments(documents["treatments"])
        merged = {
            "dataset": None if self.info is None else (f"{_BASE}:dataset.yaml", info_to_data(self.info)),
            "sources": [(f"{_BASE}:sources", list(self.sources.values())), *source_files],
            "symptoms": (_COMBINED_SYMPTOMS, self.merged_symptoms),
            "treatments": [
                *((f"{_BASE}:treatments/{tid}.yaml", data) for tid, data in self.treatments.items()),
                *new_treatments,
            ],
        }
        try:
            dataset = build_dataset(merged)
        except DatasetError as error:
            raise self._blame(error) from None
        return CombinedCatalog(dataset, self._provenance(dataset, info))

    def _file(self, rel: str) -> str:
        return os.path.join(self.label, rel)

    def _in_overlay(self, error: DatasetError) -> DatasetError:
        file = self.label if error.file is None else self._file(error.file)
        return DatasetError(error.problem, file=file, entry=error.entry, field=error.field)

    def _overlay_info(self, document: tuple[str, Any] | None) -> DatasetInfo | None:
        if document is None:
            return None
        return build_dataset({"dataset": (self._file(document[0]), document[1])}).info

    # ----------------------------------------------------------------- sources

    def _sources(self, documents: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
        files = []
        for rel, data in documents:
            file = self._file(rel)
            if not isinstance(data, list):
                raise DatasetError(f"expected a list of sources, got {_kind(data)}", file=file)
            for item in data:
                source_id = _id_of(item, "id")
                if source_id is not None and source_id in self.sources:
                    if not self.override:
                        raise self._clash("source", source_id, file, source_id, "id")
                    del self.sources[source_id]
                if source_id is not None:
                    self.origins["source"][source_id] = self.label
            files.append((file, data))
        return files

    def _clash(self, kind: str, entry_id: str, file: str, entry: str, field: str) -> DatasetError:
        what = "write 'extends: <id>' in place of 'id' to add to it, or " if kind != "source" else ""
        return DatasetError(
            f"{kind} id {entry_id!r} is already in the {self.origins[kind].get(entry_id, _BASE)} data; "
            f"{what}combine with override=True to replace it",
            file=file,
            entry=entry,
            field=field,
        )

    # ---------------------------------------------------------------- symptoms

    def _symptoms(self, rel: str, data: Any) -> None:
        file = self._file(rel)
        if not isinstance(data, list):
            raise DatasetError(f"expected a list of symptoms, got {_kind(data)}", file=file)
        names = _Owners(self, "symptom")
        for base_id, base_symptom in self.symptoms.items():
            names.claim_base(base_id, _symptom_names(base_symptom))
        replaced: dict[str, Any] = {}
        extended: set[str] = set()
        extensions: list[tuple[str, str, dict[str, list[Any]]]] = []
        added: list[tuple[int, Any]] = []
        for i, item in enumerate(data):
            if isinstance(item, Mapping) and "extends" in item:
                entry = _id_of(item, "extends") or f"#{i + 1}"
                target = self._extension_target(item, "symptom", self.symptoms, file, entry, set(replaced))
                extended.add(target)
                additions = self._extension_lists(item, Symptom, SYMPTOM_EXTENSION_FIELDS, file, entry)
                for position, name in enumerate(additions.get("synonyms", [])):
                    names.claim(target, name, file, target, f"synonyms[{position}]")
                extensions.append((target, file, additions))
                continue
            symptom_id = _id_of(item, "id")
            if symptom_id is not None and symptom_id in self.symptoms and symptom_id not in replaced:
                if symptom_id in extended:
                    raise DatasetError(
                        "the overlay both extends and replaces this symptom",
                        file=file,
                        entry=symptom_id,
                        field="id",
                    )
                if not self.override:
                    raise self._clash("symptom", symptom_id, file, symptom_id, "id")
                replaced[symptom_id] = item
                names.release(symptom_id)
            else:
                added.append((i, item))
            if symptom_id is not None and isinstance(item, Mapping):
                names.claim(symptom_id, symptom_id, file, symptom_id, "id")
                names.claim(symptom_id, item.get("label"), file, symptom_id, "label")
                for position, name in enumerate(_list(item.get("synonyms"))):
                    names.claim(symptom_id, name, file, symptom_id, f"synonyms[{position}]")
                self.origins["symptom"][symptom_id] = self.label
                self._forget_items("symptom", symptom_id)
        for symptom_id, lost in names.lost.items():
            self._strip(
                self.symptoms[symptom_id],
                "synonyms",
                lambda value, lost=lost: value in lost,
                "symptom",
                symptom_id,
            )
        for target, extension_file, additions in extensions:
            self._append("symptom", target, self.symptoms, additions, extension_file)
        # One list for the loader: base symptoms (a replaced one keeps its place),
        # then the overlay's new ones.  Faults found in it are traced back by entry.
        merged: list[Any] = []
        for symptom_id, symptom in self.symptoms.items():
            if symptom_id in replaced:
                self.overlay_symptoms[symptom_id] = (file, symptom_id)
                merged.append(replaced[symptom_id])
            else:
                merged.append(symptom)
        for i, item in added:
            merged.append(item)
            own = _id_of(item, "id")
            self.overlay_symptoms[own or f"#{len(merged)}"] = (file, own or f"#{i + 1}")
        self.merged_symptoms = merged

    # -------------------------------------------------------------- treatments

    def _treatments(self, documents: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
        names = _Owners(self, "treatment")
        for base_id, base_treatment in self.treatments.items():
            names.claim_base(base_id, _treatment_names(base_treatment))
        replaced: set[str] = set()
        extended: set[str] = set()
        new: list[tuple[str, Any]] = []
        extensions: list[tuple[str, str, dict[str, list[Any]]]] = []
        for rel, data in documents:
            file = self._file(rel)
            stem = rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            if isinstance(data, Mapping) and "extends" in data:
                entry = _id_of(data, "extends") or stem
                target = self._extension_target(data, "treatment", self.treatments, file, entry, replaced)
                if target != stem:
                    raise DatasetError(
                        f"an extension file is named after the treatment it extends: rename it to {target}.yaml",
                        file=file,
                        entry=entry,
                        field="extends",
                    )
                extended.add(target)
                additions = self._extension_lists(data, Treatment, TREATMENT_EXTENSION_FIELDS, file, entry)
                for position, alias in enumerate(additions.get("aliases", [])):
                    if isinstance(alias, Mapping):
                        names.claim(target, alias.get("name"), file, target, f"aliases[{position}].name")
                extensions.append((target, file, additions))
                continue
            treatment_id = _id_of(data, "id")
            if treatment_id is not None and treatment_id in self.treatments:
                if treatment_id in extended:
                    raise DatasetError(
                        "the overlay both extends and replaces this treatment",
                        file=file,
                        entry=treatment_id,
                        field="id",
                    )
                if not self.override:
                    raise self._clash("treatment", treatment_id, file, treatment_id, "id")
                replaced.add(treatment_id)
                del self.treatments[treatment_id]
                names.release(treatment_id)
            if treatment_id is not None and isinstance(data, Mapping):
                names.claim(treatment_id, treatment_id, file, treatment_id, "id")
                names.claim(treatment_id, data.get("name"), file, treatment_id, "name")
                for position, alias in enumerate(_list(data.get("aliases"))):
                    if isinstance(alias, Mapping):
                        names.claim(
                            treatment_id, alias.get("name"), file, treatment_id, f"aliases[{position}].name"
                        )
                self.origins["treatment"][treatment_id] = self.label
                self._forget_items("treatment", treatment_id)
            new.append((file, data))
        # Aliases an overlay took over leave their base entries before the
        # extensions are appended, so that appended positions stay right.
        for treatment_id, lost in names.lost.items():
            self._strip(
                self.treatments[treatment_id],
                "aliases",
                lambda alias, lost=lost: alias["name"] in lost,
                "treatment",
                treatment_id,
            )
        for target, file, additions in extensions:
            self._append("treatment", target, self.treatments, additions, file)
        return new

    # ---------------------------------------------------------- extensions

    def _extension_target(
        self,
        item: Mapping[str, Any],
        kind: str,
        base: dict[str, Any],
        file: str,
        entry: str,
        replaced: set[str],
    ) -> str:
        target = item.get("extends")
        if not isinstance(target, str):
            raise DatasetError(
                f"expected the id of a {kind} to extend, got {_kind(target)}",
                file=file,
                entry=entry,
                field="extends",
            )
        if "id" in item:
            raise DatasetError(
                f"an extension names the {kind} it adds to with 'extends' alone, without 'id'",
                file=file,
                entry=entry,
                field="id",
            )
        if target in replaced:
            raise DatasetError(
                f"the overlay both replaces and extends this {kind}", file=file, entry=entry, field="extends"
            )
        if target not in base:
            raise DatasetError(
                f"no {kind} {target!r} in the base catalogue to extend",
                file=file,
                entry=entry,
                field="extends",
            )
        return target

    def _extension_lists(
        self, item: Mapping[str, Any], model: type[Any], fields: tuple[str, ...], file: str, entry: str
    ) -> dict[str, list[Any]]:
        additions: dict[str, list[Any]] = {}
        every = {field.name for field in attrs.fields(model)}
        for key, value in item.items():
            if key == "extends":
                continue
            name = key if isinstance(key, str) else repr(key)
            if key not in fields:
                problem = (
                    f"an extension can only add to list fields ({', '.join(fields)}); "
                    f"to change {name!r}, replace the whole entry with override=True"
                    if key in every
                    else "unknown field"
                )
                raise DatasetError(problem, file=file, entry=entry, field=name)
            if value is None:
                continue
            if not isinstance(value, list):
                raise DatasetError(f"expected a list, got {_kind(value)}", file=file, entry=entry, field=name)
            additions[key] = value
        return additions

    def _append(
        self, kind: str, target: str, base: dict[str, Any], additions: dict[str, list[Any]], file: str
    ) -> None:
        record = base[target] = dict(base[target])
        for field, values in additions.items():
            start = len(record.get(field, ()))
            record[field] = [*record.get(field, ()), *values]
            self.appended.setdefault((kind, target, field), []).append((start, start + len(values), file))
            for index in range(start, start + len(values)):
                self.items[kind][(target, field, index)] = self.label

    def _strip(self, record: dict[str, Any], field: str, drop: Any, kind: str, entry: str) -> None:
        """Remove items from a base record's list, moving the origins of later items up."""
        kept: list[Any] = []
        items = self.items[kind]
        moved: dict[tuple[str, str, int], str] = {}
        for index, value in enumerate(record.get(field, ())):
            origin = items.pop((entry, field, index), None)
            if drop(value):
                continue
            if origin is not None:
                moved[(entry, field, len(kept))] = origin
            kept.append(value)
        items.update(moved)
        record[field] = kept

    def _forget_items(self, kind: str, entry: str) -> None:
        for key in [key for key in self.items[kind] if key[0] == entry]:
            del self.items[kind][key]

    # ------------------------------------------------------------------ errors

    def _blame(self, error: DatasetError) -> DatasetError:
        """Name the overlay's own file and position for a fault found in the merged data."""
        entry, field = error.entry, error.field
        kind = None
        if error.file == _COMBINED_SYMPTOMS:
            kind = "symptom"
            if entry is not None and entry in self.overlay_symptoms:
                file, local = self.overlay_symptoms[entry]
                return DatasetError(
                    error.problem, file=file, entry=local if entry.startswith("#") else entry, field=field
                )
        elif error.file is not None and error.file.startswith(f"{_BASE}:treatments/"):
            kind = "treatment"
        if kind is not None and entry is not None and field is not None:
            match = _ITEM.match(field)
            if match is not None:
                name, index = match.group(1), int(match.group(2))
                for start, end, file in self.appended.get((kind, entry, name), ()):
                    if start <= index < end:
                        return DatasetError(
                            error.problem,
                            file=file,
                            entry=entry,
                            field=f"{name}[{index - start}]{match.group(3)}",
                        )
        if error.file is not None and error.file.startswith(self.label):
            return error
        where = _BASE_SYMPTOMS if error.file == _COMBINED_SYMPTOMS else error.file
        return DatasetError(
            f"{error.problem} (after combining with {self.label})", file=where, entry=entry, field=field
        )

    # -------------------------------------------------------------- provenance

    def _provenance(self, dataset: Dataset, info: DatasetInfo | None) -> _Provenance:
        return _Provenance(
            layers=(*self.layers, Layer(self.label, info)),
            treatments=tuple((t.id, self.origins["treatment"][t.id]) for t in dataset.treatments),
            treatment_items=_sorted_items(self.items["treatment"]),
            sources=tuple((s.id, self.origins["source"][s.id]) for s in dataset.sources),
            symptoms=tuple((s.id, self.origins["symptom"][s.id]) for s in dataset.symptoms),
            symptom_items=_sorted_items(self.items["symptom"]),
        )


class _Owners:
    """Which entry owns each name key, and which base aliases an overlay took over."""

    def __init__(self, combiner: _Combiner, kind: str) -> None:
        self.combiner = combiner
        self.kind = kind
        # key -> (entry id, name as written, is it a movable alias of a base entry?, file or None)
        self.owners: dict[str, tuple[str, str, bool, str | None]] = {}
        self.lost: dict[str, set[str]] = {}

    def claim_base(self, entry_id: str, names: Iterable[tuple[str, bool]]) -> None:
        for name, movable in names:
            for key in _keys(name, normalize, compact):
                self.owners.setdefault(key, (entry_id, name, movable, None))

    def release(self, entry_id: str) -> None:
        for key in [key for key, owner in self.owners.items() if owner[0] == entry_id]:
            del self.owners[key]

    def claim(self, entry_id: str, name: object, file: str, entry: str, field: str) -> None:
        if not isinstance(name, str):
            return  # the loader names the fault
        for key in _keys(name, normalize, compact):
            owner = self.owners.get(key)
            if owner is not None and owner[0] != entry_id:
                owner_id, owner_name, movable, owner_file = owner
                if owner_file is None and movable and self.combiner.override:
                    self.lost.setdefault(owner_id, set()).add(owner_name)
                    for other in [k for k, o in self.owners.items() if o[:2] == (owner_id, owner_name)]:
                        del self.owners[other]
                else:
                    origin = owner_file or self.combiner.origins[self.kind].get(owner_id, _BASE)
                    hint = "; combine with override=True to move it" if owner_file is None and movable else ""
                    raise DatasetError(
                        f"{name!r} is already a name of {self.kind} {owner_id!r} ({owner_name!r}, from {origin}){hint}",
                        file=file,
                        entry=entry,
                        field=field,
                    )
            self.owners[key] = (entry_id, name, False, file)


def _single_origin(dataset: Dataset, origin: str) -> _Provenance:
    return _Provenance(
        layers=(Layer(origin, dataset.info),),
        treatments=tuple((t.id, origin) for t in dataset.treatments),
        treatment_items=(),
        sources=tuple((s.id, origin) for s in dataset.sources),
        symptoms=tuple((s.id, origin) for s in dataset.symptoms),
        symptom_items=(),
    )


def _id_of(item: object, key: str) -> str | None:
    if isinstance(item, Mapping):
        value = item.get(key)
        if isinstance(value, str):
            return value
    return None


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _treatment_names(data: Mapping[str, Any]) -> Iterator[tuple[str, bool]]:
    yield data["id"], False
    yield data["name"], False
    for alias in data.get("aliases", ()):
        yield alias["name"], True


def _symptom_names(data: Mapping[str, Any]) -> Iterator[tuple[str, bool]]:
    yield data["id"], False
    yield data["label"], False
    for synonym in data.get("synonyms", ()):
        yield synonym, True


def _sorted_items(items: Mapping[tuple[str, str, int], str]) -> tuple[tuple[str, str, int, str], ...]:
    return tuple(sorted((entry, field, index, origin) for (entry, field, index), origin in items.items()))
