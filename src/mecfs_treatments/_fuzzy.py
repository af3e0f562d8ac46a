"""Near-miss matching for suggestions: a character-trigram index and an exact similarity.

Scoring every key of a catalogue for every miss grows with the catalogue, so the
index first picks the few keys that share the most trigrams with the query, and
only those are scored exactly.  The exact score is the normalised indel
similarity ``2 * LCS / (len(a) + len(b))`` (the longest common subsequence,
computed bit-parallel), raised for a query that is contained in the key, and a
little more where the key has a word that starts with it:

>>> similarity("pitocn", "pitocin")
0.9231
>>> index = GramIndex(["naltrexone", "low dose naltrexone", "melatonin"])
>>> [(round(score, 3), key) for score, key in index.nearest("naltrexon")]
[(0.98, 'naltrexone'), (0.895, 'low dose naltrexone')]

Keys and queries are expected to be normalised already
(:func:`mecfs_treatments.names.normalize`).
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable
from itertools import chain

CUTOFF = 0.6
"""Scores below this are not near enough to suggest."""

_CANDIDATES = 24
"""How many keys, chosen by shared n-grams, are scored exactly for one query."""

_SHORT = 4
_TINY = 3
"""A query this short is scored against every key."""
"""Queries up to this long pick candidates by bigrams rather than trigrams."""


def _grams(key: str, size: int) -> set[str]:
    padded = f" {key} "
    return {padded[i : i + size] for i in range(len(padded) - size + 1)}


def _masks(text: str) -> dict[str, int]:
    masks: dict[str, int] = {}
    bit = 1
    for char in text:
        masks[char] = masks.get(char, 0) | bit
        bit <<= 1
    return masks


def _lcs(masks: dict[str, int], length: int, other: str) -> int:
    """Length of the longest common subsequence (Hyyrö's bit-vector algorithm)."""
    full = (1 << length) - 1
    v = full
    get = masks.get
    for char in other:
        m = get(char)
        if m:
            u = v & m
            v = (v + u) | (v - u)
    return length - (v & full).bit_count()


def _score(query: str, masks: dict[str, int], key: str) -> float:
    total = len(query) + len(key)
    score = 2.0 * _lcs(masks, len(query), key) / total if total else 1.0
    if len(query) >= 3 and query in key:
        # Typing the start of a word is a stronger sign than a run inside one.
        if key.startswith(query) or f" {query}" in key:
            score = max(score, 0.8 + 0.2 * len(query) / len(key))
        else:
            score = max(score, 0.75 + 0.25 * len(query) / len(key))
    return score


def similarity(a: str, b: str) -> float:
    """How alike two normalised keys are, from 0 to 1 (rounded to 4 places).

    1 only for equal keys; a query contained in the key scores at least 0.75, and
    at least 0.8 where it starts a word of the key.
    """
    if a == b:
        return 1.0
    return round(_score(a, _masks(a), b), 4)


class GramIndex:
    """Character n-gram postings over a fixed list of keys, for :meth:`nearest`.

    Trigrams pick the candidates; a query of up to :data:`_SHORT` characters has
    too few trigrams left after a typo, and bigrams (built on first need) add more.
    """

    __slots__ = ("_keys", "_longest", "_tables")

    def __init__(self, keys: Iterable[str]) -> None:
        self._keys: list[str] = list(keys)
        self._longest = max(map(len, self._keys), default=0)
        self._tables: dict[int, tuple[dict[str, list[int]], list[int]]] = {}
        self._table(3)

    def _table(self, size: int) -> tuple[dict[str, list[int]], list[int]]:
        table = self._tables.get(size)
        if table is None:
            postings: dict[str, list[int]] = {}
            sizes: list[int] = []
            for position, key in enumerate(self._keys):
                grams = _grams(key, size)
                sizes.append(len(grams))
                for gram in grams:
                    bucket = postings.get(gram)
                    if bucket is None:
                        postings[gram] = [position]
                    else:
                        bucket.append(position)
            table = self._tables[size] = (postings, sizes)
        return table

    def __len__(self) -> int:
        return len(self._keys)

    def candidates(self, query: str, limit: int = _CANDIDATES) -> list[int]:
        """Positions of the keys sharing the most n-grams with ``query`` (Jaccard), best first.

        Up to ``limit`` by trigrams, and for a short query up to ``limit`` more by bigrams.
        """
        found = self._best(query, 3, limit)
        if len(query) <= _SHORT:
            seen = set(found)
            found += [p for p in self._best(query, 2, limit) if p not in seen]
        return found

    def _best(self, query: str, size: int, limit: int) -> list[int]:
        postings, sizes = self._table(size)
        grams = _grams(query, size)
        shared = Counter(chain.from_iterable(postings[g] for g in grams if g in postings))
        count = len(grams)

        def jaccard(position: int) -> float:
            common = shared[position]
            return common / (count + sizes[position] - common)

        if len(shared) <= limit:
            return sorted(shared, key=jaccard, reverse=True)
        return heapq.nlargest(limit, shared, key=jaccard)

    def nearest(self, query: str, cutoff: float = CUTOFF) -> list[tuple[float, str]]:
        """(score, key) of the candidate keys scoring at least ``cutoff``, best first."""
        keys = self._keys
        found = [(score, keys[position]) for score, position in self.scored(query, cutoff)]
        found.sort(key=lambda item: (-item[0], item[1]))
        return found

    def scored(self, query: str, cutoff: float = CUTOFF) -> list[tuple[float, int]]:
        """(score, key position) of the candidate keys scoring at least ``cutoff``, in no set order."""
        # 2 * LCS / (len(query) + len(key)) >= cutoff needs len(query) <= len(key) * (2 / cutoff - 1):
        # a longer query cannot come near any key, whatever it holds.
        if not query or (cutoff > 0 and len(query) > self._longest * (2 / cutoff - 1)):
            return []
        masks = _masks(query)
        keys = self._keys
        found = []
        # A query of two or three characters shares almost no n-grams with the keys it
        # is near ("ta" and "tcas"): every key is scored, which is cheap at that length.
        positions = range(len(keys)) if len(query) <= _TINY else self.candidates(query)
        for position in positions:
            key = keys[position]
            score = 1.0 if key == query else _score(query, masks, key)
            if score >= cutoff:
                found.append((score, position))
        return found
