"""Hybrid retrieval of sentences: dense (FAISS) and lexical (BM25), over sentences and their passages.

Every candidate sentence gets a handful of evidence features, blended with fixed weights into one
score. The weights were set on a held-out half of SQuAD v1.1 (see benchmarks/), not on the dev set.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import cached_property, lru_cache

import numpy as np
from anyascii import anyascii

from assistant.names import MEASURES, asked_thing, counted_thing, naming_words, opens_with_name
from assistant.question import (
    OTHER_WORDS,
    QUESTION_WORDS,
    WORD,
    asked_kind_words,
    asks_denied,
    authorship_words,
    definite_type,
    definition_target,
    denied_words,
    denies_elsewhere,
    expected_type,
    figures,
    flips_polarity,
    holds_type,
    introduces,
    negates,
    place_relation_words,
    says_opposite,
    strip_request,
    without_question_words,
    words,
    writer_words,
)
from assistant.quotes import LIST_ITEM, reads_on
from assistant.spelling import Speller, speller_in
from assistant.types import Hit
from index.chunking import names_in, one_paragraph
from index.embedder import Embedder
from index.lexical import idf_of, term_set, terms
from index.snapshot import IndexSnapshot


@dataclass(frozen=True)
class Weights:
    """How much each piece of evidence counts in a sentence's score."""

    sentence_dense: float = 1.0
    passage_dense: float = 1.0
    sentence_bm25: float = 0.0
    passage_bm25: float = 0.2
    coverage: float = 1.0
    window_coverage: float = 0.6
    answer_type: float = 0.25
    # On the SQuAD v1.1 halves of `python -m benchmarks.tune` (its cached features, the other weights as they are) any
    # weight from 0.25 to 1.0 does the same (tune 0.740-0.741, test 0.782-0.783); 0.5 puts first the dated sentence
    # that answers "When did the writer of the Shanghai article arrive?" over one sharing more of its words, in
    # questions written by people who had not seen the documents.
    definite_type: float = 0.5
    # A question asking for something it denies ("Which city is NOT going to be the next Silicon Valley?") is seldom
    # answered by a sentence denying nothing, however many of its words that one shares. On the SQuAD questions so
    # asked (``question.asks_denied``: 231 in v1.1 dev, 589 in the 2.0 half, 64 of them answerable), hit@1 goes from
    # 0.459 to 0.489 and from 0.594 to 0.625 at -0.5 (0.494 and 0.641 at -1.0, which abstains on 5 in 100 fewer of
    # the unanswerable ones, against 5 at -0.5); the abstention recall at 15% false abstention on 1,000 questions of
    # SQuAD 2.0 and of SQuAD v1.1 with holes is unchanged.
    negation_missing: float = -0.5


# Share of a term's weight that another form of its word earns ("really" for "real").
OTHER_FORM_SHARE = 0.5

# What a sentence that itself asks a question ("Is it only all about hardware?") loses: it shares the
# question's words but does not answer it.
ASKING_PENALTY = 0.5
_ASKS = re.compile(r"\?[\s”\"’')\]]*$")

# Evidence of the best hit that the abstention model reads (with the blended score).
CONFIDENCE_FEATURES = [
    "sentence_dense",
    "passage_dense",
    "coverage",
    "window_coverage",
    "answer_type",
    "missing_term",
    "negation_missing",
    "figure_missing",
    "polarity_flip",
    "opposite_word",
    "denial_elsewhere",
    "name_missing",
]


@dataclass(frozen=True)
class Pools:
    """How many candidates each retriever contributes."""

    sentences: int = 60
    passages: int = 12


MAX_LIST_ITEMS = 30

# How much an unknown word that does not name anything counts towards ``unknown_share``. Tagged by spaCy, 60 of
# the 97 unknown words in the dev questions and 185 questions written by people who had not seen the documents
# are verbs, adjectives or adverbs ("relocating", "likened") where the documents answer, against 4 of 19 where
# they do not ("employees", "France", "Fahrenheit"); on SQuAD v1.1 with holes, 77 of 209 against 25 of 140.
# Half is the midpoint: on those sets it keeps abstention recall and wrongly abstains a little less.
DESCRIBING_SHARE = 0.5


@lru_cache(maxsize=1)
def _known_anyway() -> frozenset[str]:
    """The terms of words any question may use that a corpus need not: never counted as unknown. Besides the
    question words, spaCy's English stop words ("among", "per", "together", "him"), imported on first use:
    spaCy takes a second to import, and building an index never needs it."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return term_set(QUESTION_WORDS | OTHER_WORDS | frozenset(STOP_WORDS))


def unknown_share(question: str, knows: Callable[[str], bool]) -> float:
    """Share of the question's terms that the documents never use, leaving out a request's wording
    ("tell me about…"). The question words ("where", "does") and the words asking for something else
    ("anything else") count as known: a small corpus may lack them. A word that names something (a noun, a
    name, a number: "employees", "France", "2019") counts in full: it is usually what the question is about.
    Any other word ("relocating", "likened", "truly") counts ``DESCRIBING_SHARE``: it is often the asker's own
    wording for what the documents say in theirs. The share is 1 when the thing a "How many…" question counts
    ("employees"), or the thing a question asks for ("What currency…?", "Who is the mayor of…?",
    ``names.asked_thing``), is a word the documents never use in any form: they seldom count it, or give it, in
    other words. Not for a unit or money ("How many kilometers…?"): the documents may write it as "km"
    (``names.MEASURES``)."""
    asked = terms([strip_request(question)])[0]
    if all(knows(t) or t in _known_anyway() for t in asked):
        return 0.0  # and the tagger need not read the question: the thing counted or asked for is among these
    thing = counted_thing(question) or asked_thing(question)
    counted = terms([thing])[0] if thing and thing.lower() not in MEASURES else []
    if counted and not any(knows(t) or t in _known_anyway() for t in counted):
        return 1.0  # the documents do not count, or give, what they never mention ("How many employees…?")
    kind = set(terms([asked_kind_words(question)])[0])  # "title" in "Mike Reed job title": the answer's kind
    unknown = [t for t in asked if not (knows(t) or t in _known_anyway() or t in kind)]
    if not unknown:
        return 0.0
    naming = set(terms([" ".join(naming_words(question))])[0])
    return sum(1.0 if t in naming else DESCRIBING_SHARE for t in unknown) / len(asked)


def _weight_held(held: set[str], q_idf: dict[str, float], near: dict[str, frozenset[str]]) -> float:
    """Weight of the question terms a text holds: in full, or ``OTHER_FORM_SHARE`` of it for another form."""
    return sum(
        q_idf[t] if t in held else OTHER_FORM_SHARE * q_idf[t] if near.get(t, frozenset()) & held else 0.0
        for t in q_idf
    )


# A name the question gives ("Yale", "Prussia") that the sentence, those beside it, its passage and its document's
# title do not use is likely swapped for another the sentence uses ("How is the Yale rowing crew ranked?" and "The
# Harvard crew is…"): SQuAD 2.0 writes many unanswerable questions so. Names are compared without accents
# ("Kucukdeveci" is "Kücükdeveci") and by their openings, so that a people's or a language's word counts for its
# place ("Russian" and "Russia", "British" and "Britain"): terms sharing their first NAME_OPENING letters or more,
# at least half the shorter one. Names shorter than NAME_MIN letters ("Ms", "Dr", "EU") are left out: titles and
# abbreviations, often written out in the documents. Among the questions `python -m benchmarks.tune` collects, the
# best sentence lacks a name so for 86 of 757 unanswerable questions and 29 of 743 answerable ones of SQuAD 2.0's
# tuning half of articles, and for 50 of 194 against 49 of 1,306 in SQuAD v1.1 with holes (on the other halves: 46
# of 809 against 14 of 691, and 54 of 194 against 38 of 1,306).
NAME_OPENING = 4
NAME_MIN = 3


_FIRST_RUN = re.compile(r"\W*([A-Z][\w'’-]*)")


def name_terms(question: str, lower: frozenset[str]) -> list[str]:
    """The terms, without accents, of the names ``question`` gives: capitalised words (or parts of a hyphenated
    word: "Yale" in "Yale-educated") that the documents never write in lower case (``lower``), so not "City" in
    "What French City…?", nor words any question may use ("Anything else?", ``_known_anyway``)."""
    asked = strip_request(question)
    runs = names_in(asked, lower)
    # A first word the documents never write in lower case ("According to Reed, …") is a name only when the tagger
    # reads it as one: it is capitalised for opening the question.
    first = _FIRST_RUN.match(asked)
    if runs and first and runs[0].startswith(first.group(1)) and not opens_with_name(asked):
        runs[0] = runs[0][len(first.group(1)) :]
    named = [
        part
        for run in runs
        for word in run.split()
        for part in word.split("-")
        if part[:1].isupper() and re.split(r"[’']", part)[0].lower() not in lower
    ]
    if not named:
        return []
    found = terms([anyascii(" ".join(named))])[0]
    return [t for t in dict.fromkeys(found) if len(t) >= NAME_MIN and t not in _known_anyway()]


# How many texts' terms ``_NamesHeld`` keeps for the searches after (all of a small corpus's: the same passages
# come back question after question); past that it starts again.
NAMES_HELD_SIZE = 20000


class _NamesHeld:
    """The terms, without accents, of the texts searches read for names (sentences, passages, titles) in one
    snapshot, each worked out once, with those terms by their openings. Safe to share between threads."""

    def __init__(self, snapshot: IndexSnapshot) -> None:
        self._snap = snapshot
        self._held: dict[tuple[str, object], tuple[frozenset[str], dict[str, list[str]]]] = {}

    def _texts(self, rows: list[int], passages: list[int], doc: str) -> list[tuple[tuple[str, object], str]]:
        snap = self._snap
        return (
            [(("sentence", r), snap.sentences[r].text) for r in rows]
            + [(("passage", p), snap.passages[p].text) for p in passages]
            + [(("title", doc), snap.documents[doc].title or "")]
        )

    def lack(self, asked: list[tuple[list[str], list[int], list[int], str]]) -> list[bool]:
        """For each (names, sentence rows, passages, document): whether a name of ``names`` is in no form in
        the sentences, the passages and the document's title. The texts not read yet are read in one batch."""
        texts = [self._texts(rows, passages, doc) for _, rows, passages, doc in asked]
        # Read from a view of this search's own: another thread may start the shared one again meanwhile.
        held = {key: self._held.get(key) for group in texts for key, _ in group}
        new = {key: text for group in texts for key, text in group if held[key] is None}
        if len(self._held) + len(new) > NAMES_HELD_SIZE:
            self._held = {}
        for key, found in zip(new, terms([anyascii(t) for t in new.values()]), strict=True):
            by_opening: dict[str, list[str]] = {}
            for t in found:
                if len(t) >= NAME_OPENING:
                    by_opening.setdefault(t[:NAME_OPENING], []).append(t)
            held[key] = self._held[key] = (frozenset(found), by_opening)
        return [
            any(not any(_holds_name(t, *held[key]) for key, _ in group) for t in names)
            for (names, *_), group in zip(asked, texts, strict=True)
        ]


def _holds_name(term: str, found: frozenset[str], by_opening: dict[str, list[str]]) -> bool:
    """Whether ``term`` is among ``found`` or shares an opening with one of them (``NAME_OPENING``)."""
    if term in found:
        return True
    for other in by_opening.get(term[:NAME_OPENING], ()):
        n = NAME_OPENING
        while n < min(len(term), len(other)) and term[n] == other[n]:
            n += 1
        if 2 * n >= min(len(term), len(other)):
            return True
    return False


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    k = min(k, len(scores))
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    idx = np.argpartition(-scores, k - 1)[:k]
    return idx[scores[idx] > 0]


class Retriever:
    """Ranks the sentences of one index snapshot against a query."""

    def __init__(
        self,
        snapshot: IndexSnapshot,
        embedder: Embedder,
        weights: Weights | None = None,
        pools: Pools | None = None,
    ) -> None:
        self.snapshot = snapshot
        self.embedder = embedder
        self.weights = weights or Weights()
        self.pools = pools or Pools()

    @cached_property
    def names_held(self) -> _NamesHeld:
        """The terms of the texts read for the names questions give, kept for this snapshot's searches."""
        return _NamesHeld(self.snapshot)

    @cached_property
    def speller(self) -> Speller:
        """Reads slips of typing in a question as the words of this snapshot's documents."""
        return speller_in(self.snapshot)

    def search(
        self,
        query: str,
        *,
        k: int = 20,
        question: str | None = None,
        prior: Callable[[int], float] | None = None,
    ) -> list[Hit]:
        """Rank sentences for ``query``.

        Args:
            query: the text searched (a question, possibly expanded with conversation context).
            k: how many hits to return.
            question: the question as asked, for the answer type (defaults to ``query``).
            prior: extra score for a sentence row (from the conversation), added to the blend.

        Returns:
            Hits best first; each carries its features.
        """
        snap = self.snapshot
        if not snap.sentences:
            return []
        question = question or query
        qv = self.embedder.embed_query(query)

        p_dense = snap.passage_matrix @ qv
        # The words asking are no terms a text must hold: the sentence answering "Who is Thomas Goletz?" never
        # says "who".
        # Nor is a request's wording ("Tell me about…").
        terms_asked = without_question_words(strip_request(query))
        p_bm25 = snap.passage_bm25.scores(terms_asked)
        s_bm25 = snap.sentence_bm25.scores(terms_asked)
        _, dense_ids = snap.sentence_vectors.search(qv, self.pools.sentences)
        candidates: set[int] = {snap.sentence_row[int(i)] for i in dense_ids[0] if i >= 0}
        candidates.update(int(r) for r in _top(s_bm25, self.pools.sentences))
        p_max_bm25 = float(p_bm25.max()) or 1.0
        s_max_bm25 = float(s_bm25.max()) or 1.0
        top_passages = np.concatenate([_top(p_dense + 1.0, self.pools.passages), _top(p_bm25, self.pools.passages)])
        for p in top_passages:
            candidates.update(snap.sentences_of_passage[int(p)])
        # "Who wrote the piece on…?" is answered by the byline of a piece found for the question, read in the
        # context of the piece: its best passage. The byline holds the question's words for the writer ("author").
        asked_author = authorship_words(question) if snap.byline_rows else []
        author_terms = set(terms([" ".join(asked_author)])[0]) if asked_author else set()
        best_passage = {}
        if author_terms:
            found = {snap.passages[int(p)].doc for p in top_passages}
            relevance = p_dense + p_bm25 / p_max_bm25
            for r in snap.byline_rows:
                if snap.sentences[r].doc in found:
                    best_passage[r] = max(snap.passages_of_doc[snap.sentences[r].doc], key=lambda p: relevance[p])
            candidates.update(best_passage)
        rows = np.array(sorted(candidates), dtype=np.int64)

        s_dense = snap.sentence_matrix[rows] @ qv
        # A sentence's context is its passage; an item of a list is read with the sentence introducing the list.
        leads = {int(r): self._list_lead(int(r)) for r in rows}
        context = [
            [best_passage[r]]
            if r in best_passage
            else snap.passages_of_sentence[r] + (snap.passages_of_sentence[leads[r]] if leads[r] is not None else [])
            for r in rows
        ]
        ctx_dense = np.array([max((p_dense[p] for p in ps), default=0.0) for ps in context])
        ctx_bm25 = np.array([max((p_bm25[p] for p in ps), default=0.0) for ps in context])
        if best_passage:
            # A byline's own words say nothing of the topic: it speaks for the piece, as close as its passage.
            bylines = np.array([r in best_passage for r in rows])
            s_dense = np.where(bylines, np.maximum(s_dense, ctx_dense), s_dense)

        lexical = snap.sentence_bm25
        # The question's terms (those the documents use) and their weights.
        q_idf = {t: lexical.idf(t) for t in lexical.query_terms(terms_asked)}
        # Another form of a question term ("really" for "real", "said" for "say") counts for part of it, also
        # when the documents never use the question's own form.
        near: dict[str, frozenset[str]] = {}
        asked_words = WORD.findall(terms_asked)
        for word, found in zip(asked_words, terms(asked_words) if asked_words else [], strict=True):
            for t in found:
                near[t] = near.get(t, frozenset()) | lexical.near(t, word)
        for t, forms in near.items():
            if forms and t not in q_idf:
                q_idf[t] = max(lexical.idf(u) for u in forms)
        # Terms some sentences hold by what they are, not by their words: "the author" of a text is its "I",
        # "my" and "we"; the byline of a piece found holds the question's words for its writer. Each entry: the
        # terms, the sentences holding them, and how many sentences of that kind the documents have (for the idf).
        # A question for who wrote a piece wants its byline: the writer's "I" does not name them.
        said_by_writer = writer_words(question) if snap.first_person_rows and not author_terms else []
        writer = set(terms([" ".join(said_by_writer)])[0]) if said_by_writer else set()
        # A sentence saying where something is holds the question's word for that ("based"), whatever its own.
        located = set(terms([" ".join(place_relation_words(question))])[0]) if snap.locating_rows else set()
        implied = [
            (writer, snap.first_person_rows, len(snap.first_person_rows)),
            (author_terms, best_passage.keys(), len(snap.byline_rows)),
            (located, snap.locating_rows, len(snap.locating_rows)),
        ]
        for held, _, kind_count in implied:
            for t in held:
                q_idf[t] = max(q_idf.get(t, 0.0), idf_of(kind_count, len(snap.sentences)))
        implied_terms = writer | author_terms | located
        # Share of the question's own terms that the documents never use at all.
        unknown = unknown_share(question, lambda t: t in implied_terms or lexical.knows(t) or bool(near.get(t)))
        q_total = sum(q_idf.values()) or 1.0
        q_max = max(q_idf.values(), default=0.0) or 1.0
        # "What is Mobike?", "Who is Henk Werner?": the kind of answer is a sentence introducing the thing
        # (``defines``, counted as ``answer_type``). On the questions so asked in SQuAD v1.1 (78) hit@1 goes from
        # 0.692 to 0.769, in SQuAD 2.0's half (20 answerable of 37) from 0.80 to 0.90, abstention unchanged. Counted
        # again as evidence of its own, it puts more such sentences first and the confidence, whose fit never saw
        # it, lower: more wrongly abstain.
        thing = definition_target(question)
        kind = expected_type(question) if thing is None else None
        definite = definite_type(question)
        q_words = words(question)
        common = snap.lowercase_words
        # Terms of each candidate and of its context: the sentences beside it (a sentence often leans on
        # the one before it) and, for an item of a list, the sentence that introduces the list.
        neighbours = {int(r): self._context_rows(int(r), leads[int(r)]) for r in rows}
        needed = sorted({int(r) for r in rows} | {x for v in neighbours.values() for x in v})
        needed_terms = dict(zip(needed, (set(t) for t in terms([snap.sentences[r].text for r in needed])), strict=True))
        for held, holders, _ in implied:
            if held:
                for r in needed:
                    if r in holders:
                        needed_terms[r] |= held
        # A byline's context is the piece's passage, not the sentences beside it.
        piece_texts = [snap.passages[p].text for p in best_passage.values()]
        piece_terms = dict(zip(best_passage, map(set, terms(piece_texts)), strict=True)) if piece_texts else {}
        for r in best_passage:
            neighbours[r] = []
        # A question asking for something it denies ("What was not the aim…?") or naming a figure ("…in the
        # 1970s?") that its answer would say too: a quote denying nothing, or a sentence without the figure, nor
        # those beside it, is likely about something else (such questions are written to look answered by it).
        # So is a sentence saying, or beside sentences saying, a word of the question only in its denying form or
        # the other way round ("non-binary" and "binary"): it says the opposite. A quote denying only something else
        # than the question denies is also likely about something else: in SQuAD 2.0's tuning half of articles, of
        # the questions denying something whose best sentence denies something too, 14 of 18 unanswerable ones and
        # 1 of 9 answered ones (`python -m benchmarks.run`'s sample).
        q_denies = asks_denied(question)
        q_denied = denied_words(question) if q_denies else frozenset()
        q_figures = figures(question)
        q_names = name_terms(question, common)
        names_lacking: dict[int, tuple[list[str], list[int], list[int], str]] = {}
        # Around a byline: the piece's passage.
        around_texts = {
            int(r): [snap.passages[best_passage[int(r)]].text]
            if int(r) in best_passage
            else [snap.sentences[x].text for x in (int(r), *neighbours[int(r)])]
            for r in rows
        }

        w = self.weights
        hits = []
        for n, r in enumerate(rows):
            sentence = snap.sentences[r]
            own = needed_terms[int(r)]
            window = own.union(*(needed_terms[x] for x in neighbours[int(r)]), piece_terms.get(int(r), ()))
            coverage = _weight_held(own, q_idf, near) / q_total
            window_coverage = _weight_held(window, q_idf, near) / q_total
            # The rarest question term missing around the sentence (in no form): a swapped name or detail.
            missing = max(
                (q_idf[t] for t in q_idf.keys() - window if not near.get(t, frozenset()) & window), default=0.0
            )
            missing /= q_max
            # The answer may sit in the sentence a pronoun points back to, or in the one ending in a colon that
            # introduces this one ("…said that…:"): it is quoted with it.
            before = snap.neighbour(int(r), -1)
            if before is not None:
                leaned_on = snap.sentences[before]
                same_paragraph = one_paragraph(snap.documents[sentence.doc].text, leaned_on.end, sentence.start)
                if not reads_on(sentence.text, leaned_on.text, same_paragraph):
                    before = None
            quoted = [sentence.text] if before is None else [sentence.text, snap.sentences[before].text]
            defines = thing is not None and introduces(sentence.text, thing)
            typed = defines or any(holds_type(text, kind, q_words, common) for text in quoted)
            # A question opening by asking for a date or an amount ("When was…", "How many…") wants one more.
            typed_definite = definite is not None and any(holds_type(text, definite, q_words) for text in quoted)
            texts_around = around_texts[int(r)]
            # Most sentences hold the names as asked; the others are read without accents, passage and title too,
            # once the hits are ranked (``name_missing`` is evidence for the confidence, not for the ranking).
            lacking = [t for t in q_names if t not in window]
            if lacking:
                names_lacking[int(r)] = (lacking, [int(r), *neighbours[int(r)]], context[n], sentence.doc)
            around = " ".join(texts_around)
            features = {
                "sentence_dense": float(s_dense[n]),
                "passage_dense": float(ctx_dense[n]),
                "sentence_bm25": float(s_bm25[r]) / s_max_bm25,
                "passage_bm25": float(ctx_bm25[n]) / p_max_bm25,
                "coverage": coverage,
                "window_coverage": window_coverage,
                "answer_type": float(typed),
                "definite_type": float(typed_definite),
                "defines": float(defines),
                "missing_term": missing,
                "negation_missing": float(q_denies and not any(map(negates, quoted))),
                "figure_missing": float(bool(q_figures - set().union(*map(figures, texts_around)))),
                "polarity_flip": float(flips_polarity(question, around)),
                "opposite_word": float(says_opposite(question, around)),
                "denial_elsewhere": float(denies_elsewhere(q_denied, quoted)),
                "name_missing": 0.0,
                "unknown_terms": unknown,
                "asks": float(bool(_ASKS.search(sentence.text))),
            }
            score = sum(getattr(w, name, 0.0) * value for name, value in features.items())
            score -= ASKING_PENALTY * features["asks"]
            if prior is not None:
                score += prior(int(r))
            hits.append(Hit(chunk=sentence, score=float(score), row=int(r), features=features))
        hits.sort(key=lambda h: -h.score)
        hits = hits[:k]
        lacking_names = [h for h in hits if h.row in names_lacking]
        lacks = self.names_held.lack([names_lacking[h.row] for h in lacking_names])
        for h, lack in zip(lacking_names, lacks, strict=True):
            h.features["name_missing"] = float(lack)
        return hits

    def _context_rows(self, row: int, lead: int | None) -> list[int]:
        """The sentences beside ``row`` and, for an item of a list, ``lead``: the sentence introducing it."""
        snap = self.snapshot
        rows = [x for x in (snap.neighbour(row, -1), snap.neighbour(row, +1)) if x is not None]
        if lead is not None and lead not in rows:
            rows.append(lead)
        return rows

    def _list_lead(self, row: int) -> int | None:
        """For an item of a list, the sentence that introduces the list (None for any other sentence)."""
        snap = self.snapshot
        if not LIST_ITEM.match(snap.sentences[row].text):
            return None
        lead = snap.neighbour(row, -1)
        for _ in range(MAX_LIST_ITEMS):
            if lead is None or not LIST_ITEM.match(snap.sentences[lead].text):
                break
            lead = snap.neighbour(lead, -1)
        return lead

    def search_documents(self, query: str, k: int = 10, *, rrf_k: int = 60) -> list[tuple[str, float]]:
        """Rank documents: each by its best passage under dense and under BM25 search, fused by reciprocal rank."""
        snap = self.snapshot
        if not snap.passages:
            return []
        qv = self.embedder.embed_query(query)
        fused: dict[str, float] = {}
        for scores in (snap.passage_matrix @ qv, snap.passage_bm25.scores(query)):
            best: dict[str, float] = {}
            for p in np.argsort(-scores)[: max(k * 20, 200)]:
                doc = snap.passages[int(p)].doc
                if doc not in best and scores[p] > 0:
                    best[doc] = float(scores[p])
            for rank, doc in enumerate(best):
                fused[doc] = fused.get(doc, 0.0) + 1.0 / (rrf_k + rank + 1)
        return sorted(fused.items(), key=lambda item: -item[1])[:k]

    def describe(self) -> dict:
        return {"weights": asdict(self.weights), "pools": asdict(self.pools)}
