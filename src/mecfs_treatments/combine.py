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
    The overlay's own title, version and date (kept in
    :attr:`~mecfs_treatments.Catalog.layers`; the combined catalogue keeps the base
    catalogue's :attr:`~mecfs_treatments.Catalog.info`).

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

The overlay is read by the same reader as a dataset folder
(:mod:`mecfs_treatments.read`), one layer on top of the base: each entry and each
added item is given its origin as it is built.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Mapping
from typing import Any

import attrs

from .checks import check_broader, check_references, entry_names, name_keys, name_table
from .errors import DatasetError
from .folder import Documents, check_folder, read_folder
from .load import read_info, read_list, read_treatment
from .model import Dataset, Source, Symptom, Treatment, rule_of
from .names import compact
from .origins import Layer, Provenance
from .read import Reader, entry_of, kind_of

_BASE = "base catalogue"

__all__ = ["extend", "list_fields"]


def list_fields(cls: type[Any]) -> tuple[str, ...]:
    """The list (tuple) fields of a model class: what an ``extends:`` entry may add to."""
    import typing

    hints = typing.get_type_hints(cls)
    return tuple(f.name for f in attrs.fields(cls) if typing.get_origin(hints[f.name]) is tuple)


def extend(
    base: Dataset, provenance: Provenance, overlay: str | os.PathLike[str], *, override: bool = False
) -> tuple[Dataset, Provenance]:
    """``base`` (with the origins in ``provenance``) and one overlay folder on top.

    Raises:
        DatasetError: a fault or a clash in the overlay, naming its file, entry and field.
    """
    folder = check_folder(overlay)
    label = os.fspath(overlay)
    try:
        documents = read_folder(folder, require_treatments=False)
    except DatasetError as error:
        file = label if error.file is None else os.path.join(label, error.file)
        raise DatasetError(error.problem, file=file, entry=error.entry, field=error.field) from None
    if documents.is_empty():
        raise DatasetError(
            "the overlay folder has none of dataset.yaml, symptoms.yaml, sources/*.yaml, treatments/*.yaml",
            file=label,
        )
    return _Layering(base, provenance, label, override).run(documents)


class _Layering:
    """One overlay on top of a base: the tables as they grow, and who owns each name."""

    def __init__(self, base: Dataset, provenance: Provenance, label: str, override: bool) -> None:
        self.base = base
        self.layers = provenance.layers
        self.label = label
        self.override = override
        self.origins: dict[tuple[str, str], str] = {(k, i): o for k, i, o in provenance.entries}
        self.items: dict[tuple[str, str, str, int], str] = {
            (k, e, f, i): o for k, e, f, i, o in provenance.items
        }
        self.sources: dict[str, Source] = {s.id: s for s in base.sources}
        self.symptoms: dict[str, Symptom] = {s.id: s for s in base.symptoms}
        self.treatments: dict[str, Treatment] = {t.id: t for t in base.treatments}
        self.reader = Reader(self.sources, self.symptoms)
        self.files: dict[tuple[str, str], str] = {}  # the overlay's own entries
        self.changed = False  # a source or symptom of the base was replaced or extended

    def file(self, rel: str) -> str:
        return os.path.join(self.label, rel)

    # ------------------------------------------------------------------ driver

    def run(self, documents: Documents) -> tuple[Dataset, Provenance]:
        info = None
        if documents.dataset is not None:
            rel, data = documents.dataset
            info = read_info(self.reader, (self.file(rel), data))
        self.read_sources(documents.sources)
        symptom_file = None
        if documents.symptoms is not None:
            symptom_file = self.file(documents.symptoms[0])
            self.read_symptoms(symptom_file, documents.symptoms[1])
        if self.changed:
            # Base entries cite the replaced or extended records by their new content.
            for symptom_id, symptom in list(self.symptoms.items()):
                self.symptoms[symptom_id] = _relink(symptom, self.sources, self.symptoms)
            for treatment_id, treatment in list(self.treatments.items()):
                self.treatments[treatment_id] = _relink(treatment, self.sources, self.symptoms)
        extensions = self.read_treatments(documents.treatments)
        tables: dict[str, Collection[str]] = {
            "treatment": self.treatments,
            "symptom": self.symptoms,
            "treatment name": name_table(self.treatments.values()),
        }
        own = [
            (file, self.treatments[entry_id] if kind == "treatment" else self.symptoms[entry_id])
            for (kind, entry_id), file in self.files.items()
        ]
        check_references(own, tables)
        for target, file, additions in extensions:
            check_references([(file, attrs.evolve(self.treatments[target], **additions))], tables)  # type: ignore[arg-type]
        check_broader(
            self.symptoms,
            lambda sid: self.files.get(("symptom", sid), symptom_file or f"{_BASE}:symptoms.yaml"),
        )
        dataset = Dataset(
            info=self.base.info,
            sources=tuple(self.sources.values()),
            symptoms=tuple(self.symptoms.values()),
            treatments=tuple(self.treatments[key] for key in sorted(self.treatments)),
        )
        entries = tuple(
            (kind, record.id, self.origins[(kind, record.id)])
            for kind, records in (
                ("treatment", dataset.treatments),
                ("symptom", dataset.symptoms),
                ("source", dataset.sources),
            )
            for record in records
        )
        items = tuple(sorted((k, e, f, i, o) for (k, e, f, i), o in self.items.items()))
        return dataset, Provenance(
            layers=(*self.layers, Layer(self.label, info)), entries=entries, items=items
        )

    # ----------------------------------------------------------------- sources

    def read_sources(self, documents: Iterable[tuple[str, Any]]) -> None:
        own: dict[str, str] = {}
        for rel, data in documents:
            file = self.file(rel)
            for source in read_list(self.reader, Source, file, data, "sources"):
                if source.id in own:
                    raise DatasetError(
                        f"source id already used in {own[source.id]}", file=file, entry=source.id, field="id"
                    )
                if source.id in self.sources:
                    if not self.override:
                        raise self.clash("source", source.id, file)
                    self.changed = True
                own[source.id] = file
                self.sources[source.id] = source
                self.origins[("source", source.id)] = self.label

    def clash(self, kind: str, entry_id: str, file: str) -> DatasetError:
        what = "write 'extends: <id>' in place of 'id' to add to it, or " if kind != "source" else ""
        return DatasetError(
            f"{kind} id {entry_id!r} is already in the {self.origins.get((kind, entry_id), _BASE)} data; "
            f"{what}combine with override=True to replace it",
            file=file,
            entry=entry_id,
            field="id",
        )

    # ---------------------------------------------------------------- symptoms

    def read_symptoms(self, file: str, data: object) -> None:
        if not isinstance(data, list):
            raise DatasetError(f"expected a list of symptoms, got {kind_of(data)}", file=file)
        names = _Owners(self, "symptom", self.symptoms.values())
        extensions: list[tuple[str, dict[str, tuple[Any, ...]]]] = []
        replaced: set[str] = set()
        for i, item in enumerate(data):
            if isinstance(item, Mapping) and "extends" in item:
                entry = item["extends"] if isinstance(item["extends"], str) else f"#{i + 1}"
                target = self.extension_target(item, "symptom", file, entry, replaced)
                additions = self.additions(Symptom, item, file, target)
                for position, name in enumerate(additions.get("synonyms", ())):
                    names.claim(target, name, file, f"synonyms[{position}]")
                extensions.append((target, additions))
                continue
            symptom = self.reader.record(Symptom, item, file=file, entry=entry_of(item, i))
            if ("symptom", symptom.id) in self.files:
                raise DatasetError("symptom id is used twice", file=file, entry=symptom.id, field="id")
            if symptom.id in self.symptoms:
                if symptom.id in {target for target, _ in extensions}:
                    raise DatasetError(
                        "the overlay both extends and replaces this symptom",
                        file=file,
                        entry=symptom.id,
                        field="id",
                    )
                if not self.override:
                    raise self.clash("symptom", symptom.id, file)
                replaced.add(symptom.id)
                names.release(symptom.id)
                self.changed = True
            self.claim_all(names, symptom, file)
            self.symptoms[symptom.id] = symptom
            self.adopt("symptom", symptom.id, file)
        for symptom_id, lost in names.lost.items():
            self.symptoms[symptom_id] = self.strip("symptom", self.symptoms[symptom_id], "synonyms", lost)
            self.changed = True
        for target, additions in extensions:
            self.symptoms[target] = self.append("symptom", self.symptoms[target], additions, file)
            self.changed = True

    # -------------------------------------------------------------- treatments

    def read_treatments(
        self, documents: Iterable[tuple[str, Any]]
    ) -> list[tuple[str, str, dict[str, tuple[Any, ...]]]]:
        names = _Owners(self, "treatment", self.treatments.values())
        replaced: set[str] = set()
        extensions: list[tuple[str, str, dict[str, tuple[Any, ...]]]] = []
        for rel, data in documents:
            file = self.file(rel)
            stem = rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            if isinstance(data, Mapping) and "extends" in data:
                entry = data["extends"] if isinstance(data["extends"], str) else stem
                target = self.extension_target(data, "treatment", file, entry, replaced)
                if target != stem:
                    raise DatasetError(
                        f"an extension file is named after the treatment it extends: rename it to {target}.yaml",
                        file=file,
                        entry=entry,
                        field="extends",
                    )
                additions = self.additions(Treatment, data, file, target)
                for position, alias in enumerate(additions.get("aliases", ())):
                    names.claim(target, alias.name, file, f"aliases[{position}].name")
                extensions.append((target, file, additions))
                continue
            treatment = read_treatment(self.reader, file, data)
            if ("treatment", treatment.id) in self.files:
                raise DatasetError(
                    f"treatment id already used in {self.files[('treatment', treatment.id)]}",
                    file=file,
                    entry=treatment.id,
                    field="id",
                )
            if treatment.id in self.treatments:
                if treatment.id in {target for target, _, _ in extensions}:
                    raise DatasetError(
                        "the overlay both extends and replaces this treatment",
                        file=file,
                        entry=treatment.id,
                        field="id",
                    )
                if not self.override:
                    raise self.clash("treatment", treatment.id, file)
                replaced.add(treatment.id)
                names.release(treatment.id)
            self.claim_all(names, treatment, file)
            self.treatments[treatment.id] = treatment
            self.adopt("treatment", treatment.id, file)
        # Aliases an overlay took over leave their base entries before the extensions
        # are appended, so that appended positions stay right.
        for treatment_id, lost in names.lost.items():
            self.treatments[treatment_id] = self.strip(
                "treatment", self.treatments[treatment_id], "aliases", lost
            )
        for target, file, additions in extensions:
            self.treatments[target] = self.append("treatment", self.treatments[target], additions, file)
        return extensions

    # ---------------------------------------------------------- extensions

    def extension_target(
        self, item: Mapping[str, Any], kind: str, file: str, entry: str, replaced: set[str]
    ) -> str:
        target = item.get("extends")
        table: Mapping[str, Any] = self.treatments if kind == "treatment" else self.symptoms
        if not isinstance(target, str):
            raise DatasetError(
                f"expected the id of a {kind} to extend, got {kind_of(target)}",
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
        if target not in table or (kind, target) in self.files:
            raise DatasetError(
                f"no {kind} {target!r} in the base catalogue to extend",
                file=file,
                entry=entry,
                field="extends",
            )
        return target

    def additions(
        self, cls: type[Any], item: Mapping[str, Any], file: str, target: str
    ) -> dict[str, tuple[Any, ...]]:
        """The lists an ``extends:`` entry adds, each read by the reader as that field."""
        fields = list_fields(cls)
        every = {f.name for f in attrs.fields(cls)}
        result: dict[str, tuple[Any, ...]] = {}
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
                raise DatasetError(problem, file=file, entry=target, field=name)
            if value is None:
                continue
            result[key] = self.reader.field(cls, key, value, file=file, entry=target)
        return result

    def append(self, kind: str, record: Any, additions: dict[str, tuple[Any, ...]], file: str) -> Any:
        """``record`` with the additions appended, each new item given this overlay as origin."""
        changes: dict[str, tuple[Any, ...]] = {}
        fields = attrs.fields_dict(type(record))
        for name, values in additions.items():
            start = len(getattr(record, name))
            merged = (*getattr(record, name), *values)
            _check_unique(merged, start, fields[name], file, record.id)
            changes[name] = merged
            for index in range(start, len(merged)):
                self.items[(kind, record.id, name, index)] = self.label
        return attrs.evolve(record, **changes)

    def strip(self, kind: str, record: Any, field: str, lost: set[str]) -> Any:
        """``record`` without the names an overlay took over; later items keep their origins."""
        kept: list[Any] = []
        moved: dict[tuple[str, str, str, int], str] = {}
        for index, value in enumerate(getattr(record, field)):
            origin = self.items.pop((kind, record.id, field, index), None)
            if (value.name if field == "aliases" else value) in lost:
                continue
            if origin is not None:
                moved[(kind, record.id, field, len(kept))] = origin
            kept.append(value)
        self.items.update(moved)
        return attrs.evolve(record, **{field: tuple(kept)})

    def claim_all(self, names: _Owners, entry: Treatment | Symptom, file: str) -> None:
        for name, field, _ in entry_names(entry):
            names.claim(entry.id, name, file, field)

    def adopt(self, kind: str, entry_id: str, file: str) -> None:
        """The overlay's own entry: its origin, and no items of another origin."""
        self.origins[(kind, entry_id)] = self.label
        self.files[(kind, entry_id)] = file
        for key in [key for key in self.items if key[:2] == (kind, entry_id)]:
            del self.items[key]


def _check_unique(
    values: tuple[Any, ...], start: int, field: attrs.Attribute[Any], file: str, entry: str
) -> None:
    rule = rule_of(field)
    if not (rule.unique or rule.unique_key):
        return
    seen: set[Any] = set()
    for index, value in enumerate(values):
        if rule.unique_key is not None:
            value = getattr(value, rule.unique_key)
        mark = getattr(value, "id", value)
        if mark in seen:
            where = f"{field.name}[{index - start}]" + (f".{rule.unique_key}" if rule.unique_key else "")
            raise DatasetError("is repeated", file=file, entry=entry, field=where)
        seen.add(mark)


def _relink(record: Any, sources: Mapping[str, Source], symptoms: Mapping[str, Symptom]) -> Any:
    """``record`` citing the current sources and symptoms of the same ids (itself if none changed)."""

    def current(value: Any) -> Any:
        if isinstance(value, Source):
            return sources[value.id]
        if isinstance(value, Symptom):
            return symptoms[value.id]
        if isinstance(value, tuple):
            new = tuple(current(item) for item in value)
            return value if all(a is b for a, b in zip(new, value, strict=True)) else new
        if attrs.has(type(value)):
            return _relink(value, sources, symptoms)
        return value

    changes = {}
    for field in attrs.fields(type(record)):
        value = getattr(record, field.name)
        new = current(value)
        if new is not value:
            changes[field.name] = new
    return attrs.evolve(record, **changes) if changes else record


class _Owners:
    """Which entry owns each name key, and which base aliases an overlay took over."""

    def __init__(self, layering: _Layering, kind: str, base: Iterable[Treatment | Symptom]) -> None:
        self.layering = layering
        self.kind = kind
        # key -> (entry id, name as written, may it move, the overlay file or None)
        self.owners: dict[str, tuple[str, str, bool, str | None]] = {}
        self.lost: dict[str, set[str]] = {}
        for entry in base:
            for name, _, movable in entry_names(entry):
                for key in name_keys(name):
                    self.owners.setdefault(key, (entry.id, name, movable, None))

    def release(self, entry_id: str) -> None:
        for key in [key for key, owner in self.owners.items() if owner[0] == entry_id]:
            del self.owners[key]

    def claim(self, entry_id: str, name: str, file: str, field: str) -> None:
        if not compact(name):
            raise DatasetError("the name has no letters or digits", file=file, entry=entry_id, field=field)
        for key in name_keys(name):
            owner = self.owners.get(key)
            if owner is not None and owner[0] != entry_id:
                owner_id, owner_name, movable, owner_file = owner
                if owner_file is None and movable and self.layering.override:
                    self.lost.setdefault(owner_id, set()).add(owner_name)
                    for other in [k for k, o in self.owners.items() if o[:2] == (owner_id, owner_name)]:
                        del self.owners[other]
                else:
                    origin = owner_file or self.layering.origins.get((self.kind, owner_id), _BASE)
                    hint = "; combine with override=True to move it" if owner_file is None and movable else ""
                    raise DatasetError(
                        f"{name!r} is already a name of {self.kind} {owner_id!r} ({owner_name!r}, from {origin}){hint}",
                        file=file,
                        entry=entry_id,
                        field=field,
                    )
            self.owners[key] = (entry_id, name, False, file)
