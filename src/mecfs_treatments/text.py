"""Finding treatments and symptoms in free text: forum posts, symptom diaries, clinic letters.

>>> import mecfs_treatments as mt
>>> [(m.text, m.kind.value, m.id) for m in mt.mentions("Started LDN's low dose in May; my brain fog lifted.")]
[("LDN's", 'treatment', 'low-dose-naltrexone'), ('brain fog', 'symptom', 'cognitive-impairment')]

What is matched, and how (the rules are measured by ``tests/test_mentions.py``):

- every name, alias and misspelling of a treatment, and every label and synonym of a
  symptom, with the normalisation of :func:`~mecfs_treatments.normalize` for case, dashes
  and spacing (a line break or tab counts as a space);
- plural and possessive forms of the last word (``beta blockers``, ``LDN's``);
- whole words only: ``get`` is never found inside ``target``; a name's first and last
  characters must not touch a letter or digit;
- the longest name wins where names overlap (``low dose naltrexone`` over ``naltrexone``),
  and mentions never overlap;
- short abbreviations written in capitals in the data (``GET``, ``CBT``, ``LDN``, ``NAC``,
  ``IVIG``, ``PEM``) match only when written in capitals (a lower-case plural ``s`` may
  follow: ``SSRIs``), so that "get up" is not graded exercise therapy;
- names that are also everyday words (:data:`EVERYDAY_WORDS`: rest, pace, salt, crash,
  fog, iron, …) match only inside a longer name (``bed rest``, ``salt tablets``,
  ``brain fog``); ``pacing`` matches unless the next word shows it is walking about
  (:data:`NOT_AFTER_PACING`);
- a name that may mean two entries (see :meth:`~mecfs_treatments.Catalog.meanings`) is
  reported once, with every entry it may mean in :attr:`Mention.candidates`.

The matcher is compiled once per catalogue, on first use, with ``pyahocorasick`` (an
Aho–Corasick automaton in C) where it is installed, and a pure-Python scanner otherwise.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from .names import normalize, plural_forms

__all__ = ["EVERYDAY_WORDS", "NOT_AFTER_PACING", "Matcher", "Mention", "MentionKind"]


class MentionKind(enum.Enum):
    """What a mention names."""

    TREATMENT = "treatment"
    """A treatment (or a class of treatments)."""
    SYMPTOM = "symptom"
    """A symptom."""


@attrs.frozen(slots=True)
class Mention:
    """A treatment or symptom named in a text, with where it stands.

    ``text[mention.start:mention.end] == mention.text`` for the text it was found in.
    """

    start: int
    """Offset of its first character in the text."""
    end: int
    """Offset just after its last character."""
    text: str
    """The name as written in the text."""
    kind: MentionKind
    """Whether it names a treatment or a symptom."""
    id: str
    """The id of the entry the name names."""
    candidates: tuple[str, ...] = ()
    """Every entry the name may mean, :attr:`id` first; more than one for an ambiguous name."""

    @property
    def ambiguous(self) -> bool:
        """True where the name may mean more than one entry."""
        return len(self.candidates) > 1


EVERYDAY_WORDS = frozenset(
    [
        "rest",
        "pace",
        "salt",
        "crash",
        "fog",
        "ice",
        "iron",
        "exercise",
        "act",
        "air",
        "walker",
        "cane",
        "lightning",
        "worry",
        "setback",
        "payback",
        "fluids",
        "saline",
        "weakness",
        "aches",
    ]
)
"""Names that are also everyday words: found only inside a longer name."""

NOT_AFTER_PACING = frozenset(
    ["the", "up", "around", "about", "back", "a", "my", "his", "her", "their", "round", "along"]
)
"""Words after "pacing" that show walking about, not activity pacing."""

_ABBREVIATION = re.compile(r"[A-Z][A-Z0-9]{1,5}")
_SPACES = "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
_DASHES = "-_\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u00ad"
_TABLE = str.maketrans(dict.fromkeys(_SPACES + _DASHES, " "))


def search_form(text: str) -> str:
    """The text as the matcher reads it: the same length, lower case, dashes and white space as spaces."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a character whose lower case is longer ("İ"): keep it as it is
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return lowered.translate(_TABLE)


class _Pattern:
    """What a name found in text stands for, and the rules for accepting it."""

    __slots__ = ("candidates", "caps", "everyday", "id", "kind", "length", "pacing")

    def __init__(self, kind: MentionKind, entry_id: str, length: int, caps: bool, everyday: bool) -> None:
        self.kind = kind
        self.id = entry_id
        self.length = length
        self.caps = caps
        self.everyday = everyday
        self.pacing = False
        self.candidates: tuple[str, ...] = (entry_id,)


class Matcher:
    """Every name of a catalogue, compiled for finding mentions; picklable.

    A catalogue builds one on first use (:meth:`Catalog.matcher
    <mecfs_treatments.Catalog.matcher>`), from the names of its treatments
    (``(id, names)`` pairs), of its symptoms, and the names each treatment is also
    called by.  ``accelerated=False`` uses the pure-Python scanner even where
    ``pyahocorasick`` is installed.
    """

    def __init__(
        self,
        treatments: Sequence[tuple[str, Sequence[str]]],
        symptoms: Sequence[tuple[str, Sequence[str]]],
        also_called: Mapping[str, Sequence[str]],
        *,
        accelerated: bool = True,
    ) -> None:
        patterns: dict[str, _Pattern] = {}
        also: dict[str, list[str]] = {}
        for treatment_id, names in also_called.items():
            for name in names:
                also.setdefault(normalize(name), []).append(treatment_id)
        entries = [(MentionKind.TREATMENT, i, names) for i, names in treatments]
        entries += [(MentionKind.SYMPTOM, i, names) for i, names in symptoms]
        for kind, entry_id, names in entries:
            for name in names:
                key = " ".join(search_form(name).split())
                if not key:
                    continue
                caps = _ABBREVIATION.fullmatch(name.strip()) is not None
                everyday = key in EVERYDAY_WORDS
                others = also.get(key) if kind is MentionKind.TREATMENT and also else None
                candidates = (entry_id, *[i for i in others if i != entry_id]) if others else (entry_id,)
                head, _, last = key.rpartition(" ")
                forms = [key]
                forms += [(f"{head} {other}" if head else other) for other in plural_forms(last)]
                forms += [f"{key}'s", f"{key}\u2019s"] + ([f"{key}'"] if key.endswith("s") else [])
                for form in forms:
                    if form in patterns and form != key:
                        continue  # a name as written wins over another's plural
                    existing = patterns.get(form)
                    if existing is not None and existing.kind is MentionKind.TREATMENT:
                        continue  # one surface, two kinds: the treatment
                    pattern = _Pattern(kind, entry_id, len(form), caps, everyday)
                    pattern.pacing = key == "pacing"
                    pattern.candidates = candidates
                    patterns[form] = pattern
        self._patterns = patterns
        self._automaton: Any = None
        self._firsts: dict[str, list[str]] = {}
        if accelerated:
            try:
                import ahocorasick
            except ImportError:  # no wheel for this platform: the pure-Python scanner serves
                ahocorasick = None
            if ahocorasick is not None:
                automaton = ahocorasick.Automaton()
                for form, pattern in patterns.items():
                    automaton.add_word(form, pattern)
                automaton.make_automaton()
                self._automaton = automaton
        if self._automaton is None:
            for form in sorted(patterns, key=len, reverse=True):
                self._firsts.setdefault(form.split(" ", 1)[0].rstrip("'\u2019"), []).append(form)

    @property
    def accelerated(self) -> bool:
        """True where the C automaton does the matching."""
        return self._automaton is not None

    def __getstate__(self) -> dict[str, Any]:
        return {"patterns": self._patterns, "automaton": self._automaton, "firsts": self._firsts}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._patterns = state["patterns"]
        self._automaton = state["automaton"]
        self._firsts = state["firsts"]

    def find(self, text: str) -> tuple[Mention, ...]:
        """Every mention in ``text``, in text order, none overlapping."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, not {type(text).__name__}")
        searched = search_form(text)
        found = self._candidates(searched) if self._automaton is not None else self._scan(searched)
        found.sort(key=lambda item: (item[0], -item[1].length))
        mentions = []
        reached = 0
        for start, pattern in found:
            end = start + pattern.length
            if start < reached or not self._accept(text, searched, start, end, pattern):
                continue
            mentions.append(
                Mention(start, end, text[start:end], pattern.kind, pattern.id, pattern.candidates)
            )
            reached = end
        return tuple(mentions)

    def _candidates(self, searched: str) -> list[tuple[int, _Pattern]]:
        size = len(searched)
        found = []
        for end, pattern in self._automaton.iter(searched):
            start = end - pattern.length + 1
            # Whole words: no letter or digit may touch the name on either side.
            if (start == 0 or not searched[start - 1].isalnum()) and (
                end + 1 == size or not searched[end + 1].isalnum()
            ):
                found.append((start, pattern))
        return found

    def _scan(self, searched: str) -> list[tuple[int, _Pattern]]:
        """The pure-Python scanner: at each word, the names that start with it, longest first."""
        found = []
        size = len(searched)
        for word in re.finditer(r"[^\W_]+", searched):
            start = word.start()
            if start and searched[start - 1].isalnum():
                continue
            for form in self._firsts.get(word.group(), ()):
                end = start + len(form)
                if searched.startswith(form, start) and (end == size or not searched[end].isalnum()):
                    found.append((start, self._patterns[form]))
        return found

    @staticmethod
    def _accept(text: str, searched: str, start: int, end: int, pattern: _Pattern) -> bool:
        if pattern.everyday:
            return False
        if pattern.caps:
            # As written in capitals; a plural "s" or a possessive may follow ("SSRIs", "LDN's").
            written = text[start:end]
            for ending in ("'s", "\u2019s", "'", "\u2019", "s"):
                if written.endswith(ending) and len(written) > len(ending):
                    written = written[: -len(ending)]
                    break
            if not written.isupper():
                return False
        if pattern.pacing:
            following = searched[end:].split(None, 1)
            if following and following[0] in NOT_AFTER_PACING:
                return False
        return True

    def find_many(self, texts: Iterable[str]) -> Iterator[tuple[Mention, ...]]:
        """The mentions of each text, in order; the texts are read one at a time."""
        for text in texts:
            yield self.find(text)
