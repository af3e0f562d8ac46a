"""Where a catalogue's entries, and the items overlays added to them, came from.

Every :class:`~mecfs_treatments.Catalog` can say it (:meth:`~mecfs_treatments.Catalog.origin`,
:meth:`~mecfs_treatments.Catalog.additions`, :attr:`~mecfs_treatments.Catalog.layers`);
this module holds the records, imported when first needed.
"""

from __future__ import annotations

import attrs

from .errors import NoSuchFieldError, NoSuchItemError
from .model import Dataset, DatasetInfo, Symptom, Treatment, _Record

__all__ = ["BASE", "BUNDLED", "Addition", "Layer", "Provenance", "single_origin"]

BUNDLED = "bundled"
"""The origin of everything that comes from the dataset shipped with the library."""

BASE = "base"
"""The origin of the entries of a catalogue loaded from a folder or built from a dataset."""


@attrs.frozen(slots=True, repr=False, eq=False, getstate_setstate=False)
class Layer(_Record):
    """One folder a catalogue was built from: the base first, then each overlay."""

    origin: str
    """``"bundled"``, ``"base"``, or the overlay folder as it was given."""
    info: DatasetInfo | None
    """The folder's own ``dataset.yaml``, if it has one."""


@attrs.frozen(slots=True, repr=False, eq=False, getstate_setstate=False)
class Addition(_Record):
    """A list item that an overlay added to an entry of another origin."""

    field: str
    """The entry's list field, for example ``"evidence"``."""
    index: int
    """The item's position in that field of the combined entry."""
    origin: str
    """The overlay folder it came from."""


@attrs.frozen(slots=True, repr=False, eq=False, getstate_setstate=False)
class Provenance(_Record):
    """Where each entry, and each item an overlay added, of a layered catalogue came from."""

    layers: tuple[Layer, ...]
    """The base and each overlay, in the order they were combined."""
    entries: tuple[tuple[str, str, str], ...]
    """(kind, id, origin) for every treatment, symptom and source."""
    items: tuple[tuple[str, str, str, int, str], ...]
    """(kind, entry id, field, index, origin) for every item an overlay added."""


def single_origin(dataset: Dataset, origin: str) -> Provenance:
    """The provenance of a dataset read from one folder: everything from ``origin``."""
    return Provenance(
        layers=(Layer(origin, dataset.info),),
        entries=(
            *(("treatment", t.id, origin) for t in dataset.treatments),
            *(("symptom", s.id, origin) for s in dataset.symptoms),
            *(("source", s.id, origin) for s in dataset.sources),
        ),
        items=(),
    )


class Origins:
    """The origin tables of a catalogue, built from its provenance on first use."""

    __slots__ = ("entries", "items")

    def __init__(self, provenance: Provenance) -> None:
        self.entries: dict[tuple[str, str], str] = {(k, i): o for k, i, o in provenance.entries}
        self.items: dict[tuple[str, str, str, int], str] = {
            (k, e, f, i): o for k, e, f, i, o in provenance.items
        }

    def of(self, kind: str, entry: Treatment | Symptom, field: str | None, index: int | None) -> str:
        """The origin of an entry, or of one item of one of its list fields."""
        own = self.entries[(kind, entry.id)]
        if field is None:
            return own
        values = getattr(entry, field, None) if field in attrs.fields_dict(type(entry)) else None
        if not isinstance(values, tuple):
            lists = [f.name for f in attrs.fields(type(entry)) if isinstance(getattr(entry, f.name), tuple)]
            raise NoSuchFieldError(f"{field!r} is not one of the list fields of a {kind}: {', '.join(lists)}")
        if index is None or isinstance(index, bool) or not isinstance(index, int):
            raise TypeError(f"an item position must be an int, not {type(index).__name__}")
        if not -len(values) <= index < len(values):
            raise NoSuchItemError(f"{entry.id!r} has {len(values)} items in {field!r}, not an item {index}")
        return self.items.get((kind, entry.id, field, index % len(values)), own)

    def additions(self, kind: str, entry_id: str) -> tuple[Addition, ...]:
        """The items overlays added to an entry of another origin, in field order."""
        found = [
            Addition(field, index, origin)
            for (k, entry, field, index), origin in self.items.items()
            if k == kind and entry == entry_id
        ]
        order = {f.name: i for i, f in enumerate(attrs.fields(Treatment if kind == "treatment" else Symptom))}
        return tuple(sorted(found, key=lambda a: (order[a.field], a.index)))
