"""Plain, JSON-ready data from the model, and back.

The plain form of a treatment is exactly the layout of its YAML file: sources and
symptoms appear as ids, enums as their spellings, dates as ``YYYY-MM-DD`` text, and
empty or default fields are left out.  So :func:`dataset_to_data` followed by
:func:`dataset_from_data` gives back equal objects, the output of
:func:`treatment_to_data` can be saved as a data file, and each ``*_from_data``
function validates one record exactly as the loader does (same checks, same
:class:`~mecfs_treatments.DatasetError` messages).

>>> import mecfs_treatments
>>> from mecfs_treatments.export import treatment_to_data
>>> treatment_to_data(mecfs_treatments.get("Pitocin"))["aliases"][0]
{'name': 'Pitocin', 'kind': 'brand'}
>>> from mecfs_treatments.export import treatment_from_data
>>> data = treatment_to_data(mecfs_treatments.get("LDN"))
>>> catalog = mecfs_treatments.Catalog.default()
>>> treatment_from_data(data, catalog.sources(), catalog.symptoms()) == catalog.get("LDN")
True
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
from attrs import AttrsInstance

from .errors import DatasetError
from .load import Dataset, _Builder, _check_names, build_dataset
from .model import DatasetInfo, Source, Symptom, Treatment

__all__ = [
    "dataset_from_data",
    "dataset_to_data",
    "info_from_data",
    "info_to_data",
    "source_from_data",
    "source_to_data",
    "symptom_from_data",
    "symptom_to_data",
    "to_data",
    "treatment_from_data",
    "treatment_to_data",
]

def _plain(value: object) -> Any:
    if isinstance(value, (Source, Symptom)):
        return value.id
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    if attrs.has(type(value)):
        return to_data(value)  # type: ignore[arg-type]
    return value


def to_data(obj: AttrsInstance) -> dict[str, Any]:
    """The plain form of any model object (nested records keep their own plain form).

    References to sources and symptoms become their ids; ``None``, empty tuples and
    defaults are left out.
    """
    result: dict[str, Any] = {}
    for field in attrs.fields(type(obj)):
        value = getattr(obj, field.name)
        if value is None or value == () or (
            field.default is not attrs.NOTHING and value == field.default
        ):
            continue
        result[field.name] = _plain(value)
    return result


def treatment_to_data(treatment: Treatment) -> dict[str, Any]:
    """A treatment as the mapping of its YAML file."""
    return to_data(treatment)


def source_to_data(source: Source) -> dict[str, Any]:
    """A source as an item of a ``sources/*.yaml`` list."""
    return to_data(source)


def symptom_to_data(symptom: Symptom) -> dict[str, Any]:
    """A symptom as an item of ``symptoms.yaml``."""
    return to_data(symptom)


def info_to_data(info: DatasetInfo) -> dict[str, Any]:
    """Dataset metadata as the mapping of ``dataset.yaml``."""
    return to_data(info)


def dataset_to_data(dataset: Dataset) -> dict[str, Any]:
    """The whole dataset as one JSON-ready mapping.

    Keys: ``dataset`` (metadata or ``None``), ``sources``, ``symptoms``,
    ``treatments`` (lists of plain records).
    """
    return {
        "dataset": None if dataset.info is None else info_to_data(dataset.info),
        "sources": [source_to_data(s) for s in dataset.sources],
        "symptoms": [symptom_to_data(s) for s in dataset.symptoms],
        "treatments": [treatment_to_data(t) for t in dataset.treatments],
    }


def dataset_from_data(data: Mapping[str, Any], *, origin: str = "<data>") -> Dataset:
    """Validate and build a dataset from the output of :func:`dataset_to_data`.

    Raises:
        DatasetError: as for a dataset folder; ``origin`` stands in for file names.
    """
    if not isinstance(data, Mapping):
        raise DatasetError("expected a mapping with sources, symptoms and treatments", file=origin)
    unknown = sorted(repr(key) for key in data if key not in {"dataset", "sources", "symptoms", "treatments"})
    if unknown:
        raise DatasetError(f"unknown key {unknown[0]}", file=origin)
    # Only a missing key or null means "none": a mapping or a number where a
    # list belongs is an error, not an empty list.
    treatments = _or_empty(data.get("treatments"))
    if not isinstance(treatments, list):
        raise DatasetError("expected a list of treatments", file=origin, field="treatments")
    documents = {
        "dataset": None if data.get("dataset") is None else (f"{origin}:dataset", data["dataset"]),
        "sources": [(f"{origin}:sources", _or_empty(data.get("sources")))],
        "symptoms": (f"{origin}:symptoms", _or_empty(data.get("symptoms"))),
        "treatments": [
            (f"{origin}:treatments/{_stem(item)}.yaml", item) for item in treatments
        ],
    }
    return build_dataset(documents)


def _or_empty(value: object) -> object:
    return [] if value is None else value


def source_from_data(data: object, *, origin: str = "<data>") -> Source:
    """Validate and build one source from its plain form (an item of a sources file).

    Raises:
        DatasetError: as the loader would; ``origin`` stands in for the file name.
    """
    return build_dataset({"sources": [(origin, [data])]}).sources[0]


def info_from_data(data: object, *, origin: str = "<data>") -> DatasetInfo:
    """Validate and build dataset metadata from the plain form of ``dataset.yaml``.

    Raises:
        DatasetError: as the loader would; ``origin`` stands in for the file name.
    """
    info = build_dataset({"dataset": (origin, data)}).info
    assert info is not None  # build_dataset always builds the info it is given
    return info


def symptom_from_data(
    data: object,
    sources: Iterable[Source] = (),
    symptoms: Iterable[Symptom] = (),
    *,
    origin: str = "<data>",
) -> Symptom:
    """Validate and build one symptom from its plain form (an item of ``symptoms.yaml``).

    Its ``sources`` ids are looked up in ``sources``, its ``broader`` id in
    ``symptoms`` (a symptom there with the record's own id is ignored, so a
    catalogue's own symptoms can be passed when rebuilding one of them).

    Raises:
        DatasetError: as the loader would; ``origin`` stands in for the file name.
    """
    own = data.get("id") if isinstance(data, Mapping) else None
    builder = _builder(sources, (s for s in symptoms if s.id != own))
    before = set(builder.symptoms)
    builder.add_symptoms(origin, [data])
    (added,) = (s for s in builder.symptoms.values() if s.id not in before)
    _check_names((), (added,))
    return added


def treatment_from_data(
    data: object,
    sources: Iterable[Source] = (),
    symptoms: Iterable[Symptom] = (),
    *,
    origin: str = "<data>",
) -> Treatment:
    """Validate and build one treatment from its plain form (the mapping of its file).

    Source and symptom ids are looked up in ``sources`` and ``symptoms``, for
    example ``catalog.sources()`` and ``catalog.symptoms()``.  The record is checked
    on its own: whether its ``related`` ids exist and whether its names clash with
    other treatments is for :func:`dataset_from_data` or a catalogue to say.

    Raises:
        DatasetError: as the loader would; the file is named
            ``<origin>:treatments/<id>.yaml``.
    """
    file = f"{origin}:treatments/{_stem(data)}.yaml"
    treatment = _builder(sources, symptoms).treatment(file, data)
    _check_names([(file, treatment)], ())
    return treatment


def _builder(sources: Iterable[Source], symptoms: Iterable[Symptom]) -> _Builder:
    builder = _Builder()
    for source in sources:
        builder.sources[source.id] = source
        builder.source_files[source.id] = "the given sources"
    builder.symptoms.update((symptom.id, symptom) for symptom in symptoms)
    return builder


def _stem(item: object) -> str:
    if isinstance(item, Mapping) and isinstance(item.get("id"), str):
        return str(item["id"])
    return "?"
