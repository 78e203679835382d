"""Slips of typing in a question, read as the word the documents spell: "shenzen weaknesses" is asked of
Shenzhen, "intercpetions" of interceptions.

A word is read as another only when it is no English word (lemminflect's lexicon, or spaCy's function
words: "employees" stays "employees" though the documents say "employers", "among" stays "among") and no word
of the documents, and when one word of the documents alone is that close to it (optimal string alignment
distance, by RapidFuzz: a swap of two letters is one edit) and starts with the same letter. Short words are
left as typed: too many words are one edit apart.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

MIN_LENGTH = 4  # shorter words are left as typed
TWO_EDITS_FROM = 8  # words at least this long may be two edits away; shorter ones, one
_WORD = re.compile(r"(?<![\w'’-])[A-Za-z]+(?![\w'’-])")  # a word typed: letters only, not part of "e-mail"
_LETTERS = re.compile(r"[A-Za-z]+")


@lru_cache(maxsize=4096)
def _english(word: str) -> bool:
    """Whether ``word`` (in lower case) is an English word: a content word in lemminflect's lexicon, or a
    function word in spaCy's list of them ("among")."""
    from lemminflect import getAllLemmas  # its tables load on first use
    from spacy.lang.en.stop_words import STOP_WORDS

    return word in STOP_WORDS or bool(getAllLemmas(word))


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

    def word_for(self, typed: str) -> str | None:
        """The word of the documents that ``typed`` is a slip for, or None."""
        word = typed.lower()
        if len(word) < MIN_LENGTH or word in self._known or _english(word):
            return None
        most = 2 if len(word) >= TWO_EDITS_FROM else 1
        found = process.extract(
            word, self._by_letter.get(word[0], []), scorer=OSA.distance, score_cutoff=most, limit=None
        )
        if not found:
            return None
        best = min(score for _, score, _ in found)
        closest = [candidate for candidate, score, _ in found if score == best]
        if len(closest) != 1:
            return None  # as near to two words: no telling which was meant
        return self._forms.get(closest[0], closest[0])

    def correct(self, text: str) -> str:
        """``text`` with each slip of typing replaced by the word of the documents it is a slip for."""
        return _WORD.sub(lambda m: self.word_for(m.group(0)) or m.group(0), text)


def speller_in(snapshot) -> Speller:
    """A ``Speller`` of the words of the documents of ``snapshot``, written as they write them."""
    written: dict[str, str] = {}  # a word's capitalised form, for a word never written in lower case
    lower = set()
    for document in snapshot.documents.values():
        for word in _LETTERS.findall(document.text):
            if word.islower():
                lower.add(word)
            else:
                written.setdefault(word.lower(), word)
    forms = {key: word for key, word in written.items() if key not in lower} | snapshot.name_forms
    return Speller(lower | written.keys() | forms.keys(), forms)
