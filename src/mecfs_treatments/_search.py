"""Search beyond names: the words of what each treatment is and does, indexed on first use."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from .model import Treatment
from .names import normalize

_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "this",
        "to",
        "was",
        "with",
    ]
)
_WORD = re.compile(r"[^\W_]+")

# Where a word stands, and what a match there is worth (below any name match, 0.6).
_TEXT_WEIGHTS = (
    ("class", 0.55),
    ("symptom", 0.5),
    ("area", 0.45),
    ("category", 0.45),
    ("use", 0.4),
    ("mechanism", 0.35),
    ("summary", 0.3),
)


def _words(text: str) -> list[str]:
    """The words of a text for search: normalised, without stop words, plural ``s`` dropped."""
    words = []
    for word in _WORD.findall(normalize(text)):
        if word in _STOP:
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        words.append(word)
    return words


class TextIndex:
    """Words to the treatments whose class, category, areas, symptoms, uses or summary hold them."""

    __slots__ = ("postings",)

    def __init__(
        self, treatments: Iterable[Treatment], classes_of: Callable[[str], Iterable[Treatment]]
    ) -> None:
        weights = dict(_TEXT_WEIGHTS)
        postings: dict[str, list[tuple[str, float]]] = {}
        for treatment in treatments:
            parts: list[tuple[str, str]] = [("category", treatment.category.label)]
            parts += [("area", area.label) for area in treatment.areas]
            for cls in classes_of(treatment.id):
                parts += [("class", name) for name in cls.names]
            for symptom in treatment.symptoms:
                parts += [("symptom", name) for name in symptom.names]
            parts += [("use", claim.text) for claim in treatment.uses]
            parts += [("mechanism", m.name) for m in treatment.mechanisms]
            parts.append(("summary", treatment.summary))
            places: dict[str, set[str]] = {}
            for where, text in parts:
                for word in _words(text):
                    places.setdefault(word, set()).add(where)
            for word, found in places.items():
                # The best place counts, and each further place a little, below a name match.
                weight = max(weights[w] for w in found) + 0.01 * (len(found) - 1)
                postings.setdefault(word, []).append((treatment.id, min(weight, 0.59)))
        # Tuples hold the postings in a third of the memory of dictionaries.
        self.postings: dict[str, tuple[tuple[str, float], ...]] = {w: tuple(p) for w, p in postings.items()}

    def search(self, query: str) -> list[tuple[float, str]]:
        """(score, id) of every treatment that holds the query's words, best first."""
        words = _words(query)
        if not words:
            return []
        scores: dict[str, float] = {}
        for word in words:
            for entry_id, weight in self.postings.get(word, ()):
                scores[entry_id] = scores.get(entry_id, 0.0) + weight / len(words)

        return sorted(((score, entry_id) for entry_id, score in scores.items()), key=lambda p: (-p[0], p[1]))
