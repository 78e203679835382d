"""Lexical retrieval: BM25 (bm25s) over stemmed, stop-word-free terms."""

from __future__ import annotations

import json
from collections import defaultdict
from functools import cached_property, lru_cache
from pathlib import Path

import bm25s
import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_EN_PLUS

from index.errors import IndexCorruptError

LANGUAGE = "english"


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer(LANGUAGE)


def terms(texts: list[str]) -> list[list[str]]:
    """Stemmed content terms of each text (stop words removed), the same for passages and queries."""
    if not texts:
        return []
    return bm25s.tokenize(texts, stopwords="en", stemmer=_stemmer(), return_ids=False, show_progress=False)


@lru_cache(maxsize=16)
def term_set(words: frozenset[str]) -> frozenset[str]:
    """The terms of a fixed set of words (question words and the like), worked out once."""
    return frozenset(terms([" ".join(sorted(words))])[0])


def idf_of(df: int, n: int) -> float:
    """BM25's inverse document frequency of a term found in ``df`` of ``n`` texts."""
    return float(np.log(1 + (n - df + 0.5) / (df + 0.5)))


# A term matches another form of its word when the stemmer left one of these endings on one of them:
# "really" stays "realli" beside "real", "inventor" beside "invent". Both must be words of letters at
# least NEAR_MIN long; other shared openings ("georg" and "georgia", "moth" and "mother") are other words.
NEAR_ENDINGS = ("i", "li", "er", "or")
NEAR_MIN = 4


# Not the forms of words that say nothing of a topic ("has" for "have": "How many employees does Tencent
# have?" is not answered by every sentence saying "Tencent has").
_FUNCTION_WORDS = frozenset(STOPWORDS_EN_PLUS)


def _verb_lemma(word: str) -> str | None:
    """The verb ``word`` is a form of, when that is all it can be ("said" is "say"; not "found", also a verb
    of its own, "born", also an adjective, or "saw", also a noun)."""
    from lemminflect import getAllLemmas  # its tables load on first use, not when an index is built

    lemmas = getAllLemmas(word)
    verbs = lemmas.get("VERB", ())
    return verbs[0] if len(lemmas) == 1 and len(verbs) == 1 else None


@lru_cache(maxsize=4096)
def other_forms(word: str) -> frozenset[str]:
    """The terms of the irregular forms of ``word`` as a verb, by lemminflect's English tables ("said" for
    "say", "buy" and "buying" for "bought"), besides its own term: those that can be nothing but that verb's
    ("find" does not bring in "found", a verb of its own). None for a function word (``_FUNCTION_WORDS``)."""
    from lemminflect import getAllInflections, getAllLemmas

    word = word.lower()
    if word in _FUNCTION_WORDS:
        return frozenset()
    lemma = word if word in getAllLemmas(word).get("VERB", ()) else _verb_lemma(word)
    if lemma is None or lemma in _FUNCTION_WORDS:
        return frozenset()
    forms = {f for found in getAllInflections(lemma, upos="VERB").values() for f in found if _verb_lemma(f) == lemma}
    forms.add(lemma)
    return frozenset(t for found in terms(sorted(forms)) for t in found) - set(terms([word])[0])


class LexicalIndex:
    """BM25 over a fixed list of texts; results are row numbers into that list."""

    def __init__(self, retriever: bm25s.BM25, size: int) -> None:
        self._retriever = retriever
        self._size = size

    def __len__(self) -> int:
        return self._size

    @classmethod
    def build(cls, texts: list[str]) -> LexicalIndex:
        retriever = bm25s.BM25()
        tokens = terms(texts)
        if not any(tokens):
            # bm25s cannot index a corpus without a single term; a placeholder no query can match.
            tokens = [["\x00"]] * max(len(texts), 1)
        retriever.index(tokens, show_progress=False)
        return cls(retriever, len(texts))

    def search(self, query: str, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top ``k`` (rows, scores) with a positive score."""
        vocab = self._retriever.vocab_dict
        q = [t for t in terms([query])[0] if t in vocab]
        k = min(k, self._size)
        if not q or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        rows, scores = self._retriever.retrieve([q], k=k, show_progress=False, n_threads=1)
        rows, scores = rows[0].astype(np.int64), scores[0].astype(np.float32)
        keep = scores > 0
        return rows[keep], scores[keep]

    def query_terms(self, query: str) -> list[str]:
        """The query's terms that occur in the indexed texts."""
        vocab = self._retriever.vocab_dict
        return [t for t in terms([query])[0] if t in vocab]

    def knows(self, term: str) -> bool:
        """Whether a (stemmed) term occurs in the indexed texts."""
        return term in self._retriever.vocab_dict

    def warm(self) -> None:
        """Work out now what the first question would otherwise wait for."""
        _ = self._by_opening
        other_forms("say")  # loads lemminflect's tables

    @cached_property
    def _by_opening(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for term in self._retriever.vocab_dict:
            if len(term) >= NEAR_MIN:
                out[term[:NEAR_MIN]].append(term)
        return dict(out)

    def near(self, term: str, word: str | None = None) -> frozenset[str]:
        """Other forms of ``term`` in the indexed texts: the same stem with an ending the stemmer left
        (``NEAR_ENDINGS``), on either of the two, and, given the ``word`` it was made from, the terms of
        that word's irregular forms (``other_forms``: "said" for "say")."""
        vocab = self._retriever.vocab_dict
        irregular = frozenset(t for t in other_forms(word) if t in vocab) if word else frozenset()
        if len(term) < NEAR_MIN or not term.isalpha():
            return irregular
        return irregular | frozenset(
            u
            for u in self._by_opening.get(term[:NEAR_MIN], ())
            if u.isalpha()
            and (
                (u.startswith(term) and u[len(term) :] in NEAR_ENDINGS)
                or (term.startswith(u) and term[len(u) :] in NEAR_ENDINGS)
            )
        )

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every row for ``query`` (zeros when no query term occurs)."""
        q = self.query_terms(query)
        if not q or not self._size:
            return np.zeros(self._size, dtype=np.float32)
        return self._retriever.get_scores(q)[: self._size].astype(np.float32)

    def idf(self, term: str) -> float:
        """Inverse document frequency of a term over the indexed rows (unseen terms count as rare)."""
        tid = self._retriever.vocab_dict.get(term)
        n = max(self._size, 1)
        if tid is None:
            return float(np.log(1 + n))
        indptr = self._retriever.scores["indptr"]
        return idf_of(int(indptr[tid + 1] - indptr[tid]), n)

    def save(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        self._retriever.save(str(path))
        (path / "size.json").write_text(json.dumps({"size": self._size}))

    @classmethod
    def load(cls, path: Path) -> LexicalIndex:
        try:
            size = json.loads((path / "size.json").read_text())["size"]
            retriever = bm25s.BM25.load(str(path))
        except (OSError, ValueError, KeyError) as exc:
            raise IndexCorruptError(f"cannot read the lexical index in {path}: {exc}") from exc
        return cls(retriever, size)
