"""Plain, JSON-ready data from the model, and back.

The plain form of a record is exactly the layout of the data files: sources and
symptoms appear as ids, enums as their spellings, dates as ``YYYY-MM-DD`` text, and
empty or default fields are left out.  So :func:`dataset_to_data` followed by
:func:`dataset_from_data` gives back equal objects, ``to_data(treatment)`` can be
saved as a treatment file, and :func:`from_data` validates one record exactly as the
loader does (the same reader, the same :class:`~mecfs_treatments.DatasetError`).
Both directions walk the model's fields, so a field added to the model is carried
without a change here.

>>> import mecfs_treatments
>>> from mecfs_treatments import Treatment
>>> from mecfs_treatments.export import from_data, to_data
>>> to_data(mecfs_treatments.get("Pitocin"))["aliases"][0]
{'name': 'Pitocin', 'kind': 'brand'}
>>> catalog = mecfs_treatments.Catalog.default()
>>> data = to_data(catalog.get("LDN"))
>>> from_data(Treatment, data, sources=catalog.sources(), symptoms=catalog.symptoms()) == catalog.get("LDN")
True
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

import attrs
from attrs import AttrsInstance

from .checks import check_names, check_references
from .errors import DatasetError
from .folder import Documents
from .load import read_dataset
from .model import Dataset, Source, Symptom, Treatment
from .read import Reader, entry_of

RecordT = TypeVar("RecordT")

__all__ = ["dataset_from_data", "dataset_to_data", "from_data", "to_data"]


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
    """The plain form of any model record (nested records keep their own plain form).

    References to sources and symptoms become their ids; ``None``, empty tuples and
    defaults are left out.
    """
    result: dict[str, Any] = {}
    for field in attrs.fields(type(obj)):
        value = getattr(obj, field.name)
        if value is None or value == () or (field.default is not attrs.NOTHING and value == field.default):
            continue
        result[field.name] = _plain(value)
    return result


def dataset_to_data(dataset: Dataset) -> dict[str, Any]:
    """The whole dataset as one JSON-ready mapping.

    Keys: ``dataset`` (metadata or ``None``), ``sources``, ``symptoms``,
    ``treatments`` (lists of plain records).
    """
    return {
        "dataset": None if dataset.info is None else to_data(dataset.info),
        "sources": [to_data(s) for s in dataset.sources],
        "symptoms": [to_data(s) for s in dataset.symptoms],
        "treatments": [to_data(t) for t in dataset.treatments],
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
    return read_dataset(
        Documents(
            dataset=None if data.get("dataset") is None else (f"{origin}:dataset", _scalars(data["dataset"])),
            sources=((f"{origin}:sources", _scalars(_or_empty(data.get("sources")))),),
            symptoms=(f"{origin}:symptoms", _scalars(_or_empty(data.get("symptoms")))),
            treatments=tuple(
                (f"{origin}:treatments/{entry_of(item) or '?'}.yaml", _scalars(item)) for item in treatments
            ),
        )
    )


def from_data(
    cls: type[RecordT],
    data: object,
    *,
    sources: Iterable[Source] = (),
    symptoms: Iterable[Symptom] = (),
    origin: str = "<data>",
) -> RecordT:
    """Validate and build one record of ``cls`` from its plain form, as the loader would.

    Source and symptom ids are looked up in ``sources`` and ``symptoms``, for
    example ``catalog.sources()`` and ``catalog.symptoms()``.  The record is checked
    on its own (a symptom's ``broader`` id against ``symptoms``): whether a
    treatment's ``related`` ids exist and whether names clash with other entries is
    for :func:`dataset_from_data` or a catalogue to say.  A
    treatment's file is named ``<origin>:treatments/<id>.yaml`` in errors.

    Raises:
        DatasetError: as the loader would.
    """
    reader = Reader(sources={s.id: s for s in sources}, symptoms={s.id: s for s in symptoms})
    file = f"{origin}:treatments/{entry_of(data) or '?'}.yaml" if cls is Treatment else origin
    record = reader.record(cls, _scalars(data), file=file, entry=entry_of(data))
    if isinstance(record, (Treatment, Symptom)):
        check_names([(file, record)])
    if isinstance(record, Symptom):
        # A symptom's broader id is checked against the symptoms given.
        check_references(
            [(file, record)], {"symptom": reader.symptoms, "treatment": (), "treatment name": {}}
        )
    return record


def _or_empty(value: object) -> object:
    return [] if value is None else value


def _scalars(data: object) -> object:
    """Plain data as the YAML parser gives it: numbers, dates and booleans as written."""
    from ._yaml import Scalar

    if isinstance(data, dict):
        return {key: _scalars(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_scalars(item) for item in data]
    if isinstance(data, bool):
        return Scalar("bool", "true" if data else "false", data, 0)
    if isinstance(data, int):
        return Scalar("int", str(data), data, 0)
    if isinstance(data, float):
        return Scalar("float", repr(data), data, 0)
    if isinstance(data, _dt.date):
        return Scalar("timestamp", data.isoformat(), data, 0)
    return data
