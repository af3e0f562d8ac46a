"""Finding treatments and symptoms in free text: forum posts, symptom diaries, clinic letters.

>>> import mecfs_treatments as mt
>>> [(m.text, m.kind.value, m.id) for m in mt.mentions("Started LDN's low dose in May; my brain fog lifted.")]
[('LDN', 'treatment', 'low-dose-naltrexone'), ('brain fog', 'symptom', 'cognitive-impairment')]

What is matched, and how (measured by ``tests/test_mentions.py``; the guide page
"Finding treatments in text" has the figures):

- every name, alias and misspelling of a treatment, and every label and synonym of a
  symptom, in any case; every character that is not a letter or a digit (dashes, marks,
  line breaks) reads as a space, so names are found inside any punctuation;
- plurals of the last word (``beta blockers``), the other word order around one "and",
  letters and digits apart (``CoQ 10``); a possessive's ``'s`` and a leading "The" stay
  outside the mention;
- whole words only (``get`` is never found inside ``target``); the longest name wins where
  names overlap (``low dose naltrexone`` over ``naltrexone``), and mentions never overlap;
- abbreviations written in capitals in the data (``GET``, ``CBT``, ``LDN``, ``PEM``) match
  only in capitals (a plural ``s`` may follow), and not among words in capitals;
- names that are also everyday words (:data:`EVERYDAY_WORDS`) match only inside a longer
  name, and a few words under rules of their own (:data:`PACE_AFTER`,
  :data:`REST_NOT_AFTER`, :data:`NOT_AFTER_PACING`, :data:`CRASH_FORMS`,
  :data:`WORD_RULES`, :data:`STAND_AFTER`);
- a treatment name followed by a word of :data:`MEASURED_BY` (or "came back") is a
  measurement, and a symptom followed by "syndrome" names the illness: neither is a mention;
- a name that may mean two entries (:meth:`~mecfs_treatments.Catalog.meanings`) is
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

__all__ = [
    "CRASH_FORMS",
    "CRASH_NOT_AFTER",
    "CRASH_NOT_BEFORE",
    "EVERYDAY_WORDS",
    "MEASURED_BY",
    "NOT_AFTER_PACING",
    "PACE_AFTER",
    "REST_NOT_AFTER",
    "STAND_AFTER",
    "WORD_RULES",
    "Matcher",
    "Mention",
    "MentionKind",
    "search_form",
]


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


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


EVERYDAY_WORDS = _words(
    "rest pace salt fog ice iron exercise act air walker cane lightning worry fluids saline aches "
    "compression nicotine igg"
) | {"wires crossed"}
"""Names that are also everyday words: found only inside a longer name, or in capitals where
the data writes them so (``ACT``), or under a rule of their own (``rest``, ``pace``)."""

NOT_AFTER_PACING = _words("the up around about back a my his her their its round along")
"""Words after "pacing" that show walking about, not activity pacing."""

PACE_AFTER = _words("myself yourself yourselves himself herself themselves ourselves oneself activities")
""""pace" names pacing when one of these follows it ("pace myself")."""

REST_NOT_AFTER = _words("the at a")
""""rest" names rest unless one of these comes before it ("the rest", "at rest") or "of" after it."""

CRASH_FORMS = ("crash", "crashes", "crashed", "crashing")
"""Forms of "crash" (post-exertional malaise) that are matched, unless a word of
:data:`CRASH_NOT_AFTER` comes before or of :data:`CRASH_NOT_BEFORE` comes after."""
CRASH_NOT_AFTER = _words(
    "car bike cycle road traffic market stock plane computer laptop phone system app website server"
)
"""Words before "crash" that show it is not post-exertional malaise ("car crash")."""
CRASH_NOT_BEFORE = _words("at into course diet landing helmet test barrier pad")
"""Words after "crash" that show it is not post-exertional malaise ("crashed at a friend's")."""

MEASURED_BY = _words("level levels test tests tested result results checked deficiency deficient status")
"""A treatment name followed by one of these, or by "came back" or "was checked", is a
measurement ("B12 came back at 180", "cortisol was checked"), not a mention of the treatment."""

WORD_RULES: dict[str, tuple[str, frozenset[str]]] = {
    "fatigue": ("before", _words("metal compassion decision zoom battle screen alarm donor voter material")),
    "weakness": ("after", _words("for in")),
    "setback": ("after", _words("for to in")),
    "payback": ("after", _words("for to time")),
    "foggy": ("after", _words("morning day night evening weather window windows glasses road")),
}
"""Symptom words found unless the word before (or after) is one of these: "metal fatigue",
"a weakness for", "payback for", "a foggy morning"."""

STAND_AFTER = _words("up for long still upright or and without")
""""can't stand" names orthostatic intolerance when one of these follows it, or nothing does."""

_ABBREVIATION = re.compile(r"[A-Z][A-Z0-9]{1,5}")
_SPACES = "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
_DASHES = "-_\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u00ad"
_MARKS = "\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u00ab\u00bb\u2026\u2022\u00b7\u00a7\u00b0"
# Every character that is not a letter or a digit reads as a space: a name then stands
# between spaces wherever it stands between punctuation, and the automaton finds whole
# words only.
_TABLE = str.maketrans(
    dict.fromkeys(
        [c for c in map(chr, range(128)) if not c.isalnum()] + list(_SPACES + _DASHES + _MARKS), " "
    )
)


def search_form(text: str) -> str:
    """The text as the matcher reads it: the same length, lower case, every mark and space a space."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a character whose lower case is longer ("İ"): keep it as it is
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return lowered.translate(_TABLE)


_RULES = {
    "pacing": "pacing",
    "rest": "rest",
    "crash": "crash",
    "pace": "pace",
    "can't stand": "stand",
    "can\u2019t stand": "stand",
    **{word: word for word in WORD_RULES},
}
_RULED: dict[str, tuple[MentionKind, str, str]] = {
    "pace": (MentionKind.TREATMENT, "pacing", "pace"),
    **dict.fromkeys(CRASH_FORMS, (MentionKind.SYMPTOM, "post-exertional-malaise", "crash")),
}
_MEASURED = (*(f" {word} " for word in sorted(MEASURED_BY)), " came back", " was checked", " were checked")
_SYNDROME = (" syndrome",)
_FIRST_WORD = re.compile(r"[^\W_]+")
_LETTERS_DIGITS = re.compile(r"\b([a-z]+)([0-9]+)\b")


def _forms(key: str) -> list[str]:
    """The forms of a name found in text: as written, plural of the last word, the other word
    order around one "and", and letters and digits apart ("coq 10", "b 12")."""
    forms = [key]
    left, sep, right = key.partition(" and ")
    if sep and " and " not in right:
        forms.append(f"{right} and {left}")
    spaced = _LETTERS_DIGITS.sub(r"\1 \2", key)
    if spaced != key:
        forms.append(spaced)
    for form in list(forms):
        head, _, last = form.rpartition(" ")
        forms += [(f"{head} {other}" if head else other) for other in plural_forms(last)]
    return forms


class _Pattern:
    """What a name found in text stands for, and the rules for accepting it."""

    __slots__ = ("candidates", "caps", "everyday", "id", "kind", "length", "plain", "rule")

    def __init__(self, kind: MentionKind, entry_id: str, length: int, caps: bool, everyday: bool) -> None:
        self.kind = kind
        self.id = entry_id
        self.length = length
        self.caps = caps
        self.everyday = everyday
        self.rule = ""  # a word rule of its own: "pacing", "rest", "pace", "crash"
        self.plain = not (caps or everyday)  # no rule but the measurement and illness checks
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
                key = search_form(name).strip()
                if not key:
                    continue
                caps = _ABBREVIATION.fullmatch(name.strip()) is not None
                everyday = key in EVERYDAY_WORDS
                others = also.get(key) if kind is MentionKind.TREATMENT and also else None
                candidates = (entry_id, *[i for i in others if i != entry_id]) if others else (entry_id,)
                if key.startswith("the ") and len(key) > 4:
                    key = key[4:].lstrip()  # "The Perrin Technique": the article is not part of the name
                forms = _forms(key)
                for form in forms:
                    if form in patterns and form != key:
                        continue  # a name as written wins over another's plural
                    existing = patterns.get(form)
                    if existing is not None and existing.kind is MentionKind.TREATMENT:
                        continue  # one surface, two kinds: the treatment
                    pattern = _Pattern(kind, entry_id, len(form), caps, everyday)
                    pattern.rule = _RULES.get(key, "")
                    pattern.plain = pattern.plain and not pattern.rule
                    pattern.candidates = candidates
                    patterns[form] = pattern
        # Words that name a treatment or symptom only in some uses, under a rule of their own.
        for form, (kind, entry_id, rule) in _RULED.items():
            if form not in patterns:
                pattern = _Pattern(kind, entry_id, len(form), False, False)
                pattern.rule = rule
                pattern.plain = False
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
                    automaton.add_word(f" {form} ", pattern)  # between spaces: whole words only
                automaton.make_automaton()
                self._automaton = automaton
        if self._automaton is None:
            for form in sorted(patterns, key=len, reverse=True):
                first = _FIRST_WORD.match(form)  # the scanner meets a name at its first word
                if first is not None:
                    self._firsts.setdefault(first.group(), []).append(form)

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
        treatment = MentionKind.TREATMENT
        for start, pattern in found:
            if start < reached:
                continue
            end = start + pattern.length
            if pattern.plain:
                # Most names have no rule of their own: the two checks every name has.
                if searched.startswith(_MEASURED if pattern.kind is treatment else _SYNDROME, end):
                    continue
            elif not self._accept(text, searched, start, end, pattern):
                continue
            mentions.append(
                Mention(start, end, text[start:end], pattern.kind, pattern.id, pattern.candidates)
            )
            reached = end
        return tuple(mentions)

    def _candidates(self, searched: str) -> list[tuple[int, _Pattern]]:
        # The names were added between spaces, and marks read as spaces: every match is a
        # whole word.  In the padded text a match ending at `end` starts (in the text)
        # at end - length - 1.
        return [(end - pattern.length - 1, pattern) for end, pattern in self._automaton.iter(f" {searched} ")]

    def _scan(self, searched: str) -> list[tuple[int, _Pattern]]:
        """The pure-Python scanner: at each word, the names that start with it, longest first."""
        found = []
        size = len(searched)
        patterns = self._patterns
        for word in _FIRST_WORD.finditer(searched):
            start = word.start()
            if start and searched[start - 1] != " ":
                continue
            for form in self._firsts.get(word.group(), ()):
                end = start + len(form)
                if searched.startswith(form, start) and (end == size or searched[end] == " "):
                    found.append((start, patterns[form]))
        return found

    def _accept(self, text: str, searched: str, start: int, end: int, pattern: _Pattern) -> bool:
        rule = pattern.rule
        if (pattern.caps or pattern.everyday) and not rule:
            # As written in capitals where the data writes it so; a plural "s" may follow ("SSRIs").
            written = text[start:end]
            core = written[:-1] if written.endswith("s") and len(written) > 1 else written
            if not (pattern.caps and core.isupper()):
                return False
            # Capitals among capitals are shouting ("I CAN'T GET UP"), not an abbreviation.
            if _shouted(text, start, end, self._patterns):
                return False
        if rule:
            before, after = _word_before(searched, start), _word_after(searched, end)
            if rule == "pacing" and after in NOT_AFTER_PACING:
                return False
            if rule == "rest" and (before in REST_NOT_AFTER or after == "of"):
                return False
            if rule == "pace" and after not in PACE_AFTER:
                return False
            if rule == "crash" and (before in CRASH_NOT_AFTER or after in CRASH_NOT_BEFORE):
                return False
            if rule == "stand" and after and after not in STAND_AFTER:
                return False
            if rule in WORD_RULES:
                side, words = WORD_RULES[rule]
                if (before if side == "before" else after) in words:
                    return False
        # A measurement ("B12 came back at 180") is no mention of the treatment, and
        # "chronic fatigue syndrome" names the illness, not the symptom.
        return not searched.startswith(_MEASURED if pattern.kind is MentionKind.TREATMENT else _SYNDROME, end)

    def find_many(self, texts: Iterable[str]) -> Iterator[tuple[Mention, ...]]:
        """The mentions of each text, in order; the texts are read one at a time."""
        for text in texts:
            yield self.find(text)


def _word_before(searched: str, start: int) -> str:
    words = searched[max(0, start - 40) : start].split()
    return words[-1].strip(".,;:!?\"'()") if words else ""


def _word_after(searched: str, end: int) -> str:
    words = searched[end : end + 40].split()
    return words[0].strip(".,;:!?\"'()") if words else ""


def _shouted(text: str, start: int, end: int, patterns: dict[str, _Pattern]) -> bool:
    """Whether a word next to a capitalised name is in capitals too and names nothing."""
    for match in (
        re.search(r"([^\W\d_]{2,})[^\w]*$", text[max(0, start - 40) : start]),
        re.match(r"[^\w]*([^\W\d_]{2,})", text[end : end + 40]),
    ):
        if match is not None:
            word = match.group(1)
            if word.isupper() and word.lower() not in patterns:
                return True
    return False
