"""Slips of typing in a question, read as the word the documents spell: "shenzen weaknesses" is asked of
Shenzhen, "intercpetions" of interceptions, "tecnent's" of Tencent's.

A word is read as another only when it is no English word (lemminflect's lexicon, or spaCy's function words:
"employees" stays "employees" though the documents say "employers", "among" stays "among") and no word of the
documents, and when it is nearer to one word of the documents starting with the same letter than to any other
(optimal string alignment distance, by RapidFuzz). The slip must look like one: a letter left out or added,
two letters swapped ("huawie"), or a letter typed for one whose key it touches ("affext"); any letter for
another only in a long word. "Meizu" is not "Meitu" ("z" and "t" are far apart): a name so near a name of the
documents is most often another name, which the documents do not answer for. Short words are left as typed:
too many words are one edit apart. A contraction typed without its apostrophe ("whats", "doesnt") is read with it,
as spaCy's English tokenizer knows them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Mapping
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA, Indel, Levenshtein

MIN_LENGTH = 4  # shorter words are left as typed
TWO_EDITS_FROM = 8  # words at least this long may be two edits away, and have a letter typed for another
CACHE_SIZE = 4096
# A word typed: letters, perhaps with a possessive ("tecnent's"); not part of "e-mail", "www.shenzen.com",
# "a@b" or "a/b".
_TYPED = re.compile(r"(?<![\w'’./@-])(?P<word>[A-Za-z]+)(?P<tail>['’]s)?(?![\w'’./@-])")
# A word of the documents, contractions and possessives whole ("didn’t", not "didn" and "t").
_WRITTEN = re.compile(r"[A-Za-z][A-Za-z'’]*[A-Za-z]|[A-Za-z]")


# The endings of contractions as typed without the apostrophe, and as written with it.
_CONTRACTED = {"s": "'s", "nt": "n't", "re": "'re", "ve": "'ve", "ll": "'ll", "d": "'d", "m": "'m"}
_OPENS = re.compile(r"(^|[.!?]\s+)\W*$")  # where a sentence opens, so its first word is capitalised
_ASKING = ("what'", "where'", "who'", "when'", "why'", "how'")


@lru_cache(maxsize=1)
def _contractions() -> dict[str, str]:
    """Contractions typed without their apostrophe, in lower case, as written with it ("whats": "what's",
    "dont": "don't"), from spaCy's English tokenizer exceptions."""
    from spacy.lang.en.tokenizer_exceptions import TOKENIZER_EXCEPTIONS
    from spacy.symbols import ORTH

    out = {}
    for typed, pieces in TOKENIZER_EXCEPTIONS.items():
        parts = [piece[ORTH] for piece in pieces]
        if typed.islower() and len(parts) == 2 and "".join(parts) == typed and parts[1] in _CONTRACTED:
            out[typed] = parts[0] + _CONTRACTED[parts[1]]
    return out


@lru_cache(maxsize=CACHE_SIZE)
def english(word: str) -> bool:
    """Whether ``word`` (in lower case) is an English word: a content word in lemminflect's lexicon, or a
    function word in spaCy's list of them ("among")."""
    from lemminflect import getAllLemmas  # its tables load on first use
    from spacy.lang.en.stop_words import STOP_WORDS

    return word in STOP_WORDS or bool(getAllLemmas(word))


# Where each letter sits on a QWERTY keyboard: (row, position along it, each row set off from the one above).
_KEYS = {
    letter: (row, col + offset)
    for row, (letters, offset) in enumerate([("qwertyuiop", 0.0), ("asdfghjkl", 0.25), ("zxcvbnm", 0.75)])
    for col, letter in enumerate(letters)
}


def _neighbours(a: str, b: str) -> bool:
    """Whether the keys of letters ``a`` and ``b`` touch on a QWERTY keyboard ("x" and "c", not "z" and "t")."""
    if a not in _KEYS or b not in _KEYS or a == b:
        return False
    (row_a, at_a), (row_b, at_b) = _KEYS[a], _KEYS[b]
    return abs(row_a - row_b) <= 1 and abs(at_a - at_b) <= 1.0


def _slip(typed: str, meant: str) -> bool:
    """Whether ``typed`` reads as a slip in typing ``meant``: letters left out or added, two swapped, or a letter
    typed for one whose key it touches ("affext"); any letter for another in a long word."""
    if len(typed) >= TWO_EDITS_FROM or Indel.distance(typed, meant) == OSA.distance(typed, meant):
        return True
    if _swapped(typed, meant):
        return True
    return all(
        op.tag != "replace" or _neighbours(typed[op.src_pos], meant[op.dest_pos])
        for op in Levenshtein.editops(typed, meant)
    )


def _swapped(typed: str, meant: str) -> bool:
    """Whether ``typed`` is ``meant`` with two neighbouring letters swapped, and perhaps one left out or added."""
    return OSA.distance(typed, meant) < Indel.distance(typed, meant) and any(
        typed[i : i + 2] == meant[j + 1] + meant[j]
        for i in range(len(typed) - 1)
        for j in range(len(meant) - 1)
        if typed[i] != typed[i + 1]
    )


class Speller:
    """Reads the slips of typing in a question as words of the documents (``vocabulary``, in lower case);
    ``forms`` gives how the documents write a name ("shenzhen" is "Shenzhen")."""

    def __init__(self, vocabulary: Collection[str], forms: Mapping[str, str] | None = None) -> None:
        self._known = frozenset(vocabulary)
        self._by_letter: dict[str, list[str]] = {}
        for word in sorted(self._known):
            if len(word) >= MIN_LENGTH - 1:
                self._by_letter.setdefault(word[0], []).append(word)
        self._forms = forms or {}
        self._read: dict[str, str | None] = {}  # words already looked up (a conversation asks them again)

    def word_for(self, typed: str) -> str | None:
        """The word of the documents that ``typed`` is a slip for, or None."""
        word = typed.lower()
        if word not in self._read:
            if len(self._read) >= CACHE_SIZE:
                self._read.clear()
            self._read[word] = self._look_up(word)
        return self._read[word]

    def _look_up(self, word: str) -> str | None:
        if word in self._known:
            return None
        contracted = _contractions().get(word)
        # "wheres" and "hows" are read as "where's" and "how's", though the lexicon has them as plurals.
        if contracted and (contracted.startswith(_ASKING) or not english(word)):
            return contracted
        if len(word) < MIN_LENGTH or english(word):
            return None
        most = 2 if len(word) >= TWO_EDITS_FROM else 1
        found = process.extract(
            word, self._by_letter.get(word[0], []), scorer=OSA.distance, score_cutoff=most, limit=None
        )
        if not found:
            return None
        best = min(score for _, score, _ in found)
        closest = [candidate for candidate, score, _ in found if score == best]
        if len(closest) != 1 or not _slip(word, closest[0]):
            return None  # as near to two words, or not a slip of typing: no telling which was meant
        return self._forms.get(closest[0], closest[0])

    def correct(self, text: str) -> str:
        """``text`` with each slip of typing replaced by the word of the documents it is a slip for."""

        def mend(m: re.Match[str]) -> str:
            typed = m.group("word")
            meant = self.word_for(typed)
            if (
                meant
                and "'" in meant
                and not (typed.islower() or (typed.istitle() and _OPENS.search(text, 0, m.start())))
            ):
                return m.group(0)  # "IM", "HES", or "Im" inside a question: a name, not "I'm" or "he's"
            if meant and typed[0].isupper() and meant.islower():
                meant = meant[0].upper() + meant[1:]  # "Whats" opening a question is "What's"
            return meant + (m.group("tail") or "") if meant else m.group(0)

        return _TYPED.sub(mend, text)


def speller_in(snapshot) -> Speller:
    """A ``Speller`` of the words of the documents of ``snapshot``, written as they write them."""
    capitalised: dict[str, Counter[str]] = {}  # the capitalised forms of a word never written in lower case
    lower = set()
    for document in snapshot.documents.values():
        for word in _WRITTEN.findall(document.text):
            word = word.replace("’", "'")
            if word.islower():
                lower.add(word)
            else:
                capitalised.setdefault(word.lower(), Counter())[word] += 1
    forms = {key: seen.most_common(1)[0][0] for key, seen in capitalised.items() if key not in lower}
    forms |= snapshot.name_forms
    return Speller(lower | capitalised.keys() | forms.keys(), forms)
