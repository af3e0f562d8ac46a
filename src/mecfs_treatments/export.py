"""Plain, JSON-ready data from the model, and back.

The plain form of a treatment is exactly the layout of its YAML file: sources and
symptoms appear as ids, enums as their spellings, and empty or default fields are
left out.  So :func:`dataset_to_data` followed by :func:`dataset_from_data` gives
back equal objects, and the output of :func:`treatment_to_data` can be saved as a
data file.

>>> import mecfs_treatments
>>> from mecfs_treatments.export import treatment_to_data
>>> treatment_to_data(mecfs_treatments.get("Pitocin"))["aliases"][0]
{'name': 'Pitocin', 'kind': 'brand'}
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Mapping
from typing import Any

import attrs
from attrs import AttrsInstance

from .load import Dataset, build_dataset
from .model import DatasetInfo, Source, Symptom, Treatment

__all__ = [
    "dataset_from_data",
    "dataset_to_data",
    "info_to_data",
    "source_to_data",
    "symptom_to_data",
    "to_data",
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
    from .errors import DatasetError

    if not isinstance(data, Mapping):
        raise DatasetError("expected a mapping with sources, symptoms and treatments", file=origin)
    unknown = set(data) - {"dataset", "sources", "symptoms", "treatments"}
    if unknown:
        raise DatasetError(f"unknown key {sorted(unknown)[0]!r}", file=origin)
    treatments = data.get("treatments") or []
    if not isinstance(treatments, list):
        raise DatasetError("expected a list of treatments", file=origin, field="treatments")
    documents = {
        "dataset": None if data.get("dataset") is None else (f"{origin}:dataset", data["dataset"]),
        "sources": [(f"{origin}:sources", data.get("sources") or [])],
        "symptoms": (f"{origin}:symptoms", data.get("symptoms") or []),
        "treatments": [
            (f"{origin}:treatments/{_stem(item)}.yaml", item) for item in treatments
        ],
    }
    return build_dataset(documents)


def _stem(item: object) -> str:
    if isinstance(item, Mapping) and isinstance(item.get("id"), str):
        return str(item["id"])
    return "?"
