"""A built index on disk, and the read-only snapshot of it the assistant answers from.

Layout of an index directory::

    CURRENT                 name of the version in use (replaced atomically)
    versions/<version>/     manifest.json, documents.jsonl, passages.jsonl, sentences.jsonl,
                            passages.faiss, sentences.faiss, bm25_passages/, bm25_sentences/
    build.lock              held while a build runs
"""

from __future__ import annotations

import bisect
import functools
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from bm25s.stopwords import STOPWORDS_EN_PLUS

from index.chunking import Chunk
from index.errors import IndexCorruptError, IndexNotFoundError
from index.lexical import LexicalIndex
from index.manifest import REBUILD_HINT, Manifest
from index.store import VectorStore, id_to_int

CURRENT = "CURRENT"
VERSIONS = "versions"
_LOWER_WORD = re.compile(r"(?<![\w’'-])[a-z][a-z’'-]*")
_PLAIN_WORDS = frozenset(STOPWORDS_EN_PLUS)
_CASED_WORD = re.compile(r"(?<![\w’'-])[a-z]?[A-Z][\w’'-]*")
_NAME_GOES_ON = re.compile(r"[ \xa0](?!I\b)[A-Z]")  # another capitalised word follows ("Yongxi Li"), not "I"
# What comes before a sentence's or an item's first word: a sentence's end (with any closing quote or bracket),
# a line's start, a dash, a bullet or a heading's marks.
_OPENS = re.compile(r"(^|[\n.!?:;\"“‘(•]|—)[\s\"“”‘’()*•#-]*$")
# Words in which a text speaks in the first person ("I learned that…", "my Alipay account").
# "I" only before a lower-case word or a contraction ("I learned", "I’ve"), and not after a capitalised
# word, so that "World War I began" and "Phase I trials" are not read as someone speaking.
_FIRST_PERSON = re.compile(
    r"(?<![A-Z][a-z] )(?<![A-Z][a-z][a-z] )(?<![A-Z][a-z][a-z][a-z] )(?<![A-Z][a-z]{4} )(?<![A-Z][a-z]{5} )"
    r"\bI(?=\s+[a-z]|['’][a-z])|\b([Mm]e|[Mm]y|[Mm]yself|[Ww]e|us|[Oo]ur|[Oo]urs|[Oo]urselves)\b"
)
# Words saying where something is, with the name of the place: "based in Huizhou", "Beijing-based", "(headquartered
# in Hangzhou)", "Shenzhen is home to ZTE", "a Beijing native", "hail from Shenzhen", "This is where Alibaba is".
# Not "query-based", "home to fresh talent" or "JD is where people go".
_PLACE_NAME = r"(the\s+)?[A-Z]"
_LOCATES = re.compile(
    rf"\b(based|located|headquartered|situated)\s+(in|at|near|outside)\s+{_PLACE_NAME}|\b[A-Z][\w’'.]*-based\b"
    rf"|\b[Hh]ome\s+(to|of)\s+{_PLACE_NAME}|\b[A-Z][\w’']*\s+natives?\b|\bhails?\s+from\s+{_PLACE_NAME}"
    r"|\b(This|That|Here)\s+(is|was)\s+where\b|\b[Hh]eadquarters\s+(is\s+|are\s+)?(in|at)\s+[A-Z]"
)
# A sentence saying where something is not ("Although not based in Beijing, …").
_NOT_LOCATED = re.compile(r"(\bnot|n[’']t|\bnever)\s+(\w+\s+)?(based|located|headquartered|situated)\b", re.I)
# Who wrote a text: a byline ("By Jane Doe", "Author: Jane Doe") or a note on the writer ("David Cohen is a
# former acting editor at TechNode.", "Jane Doe writes about…"). Read only at a document's edges.
_NAME = r"[A-Z][\w'’.-]*(?:\s+(?:and\s+|&\s+)?[A-Z][\w'’.-]*){1,5}"
_ROLE = (
    r"(?:writer|editor|journalist|reporter|correspondent|columnist|author|contributor|blogger|essayist|"
    r"novelist|critic)s?"
)
_BYLINE = re.compile(
    rf"^\W*(?:(?i:written\s+by|words\s+by|by)\s+|(?i:authors?|writers?|byline)\s*:\s*){_NAME}\W*$"
    rf"|^\W*{_NAME}\s+(?:is|was|has\s+been)\b[^.!?]{{0,120}}?\b{_ROLE}\b"
    rf"|^\W*{_NAME}\s+(?:writes|has\s+written|wrote|covers|has\s+covered)\s+(?:about|on|for)\b"
)
BYLINE_EDGE = (5, 8)  # a byline sits in a document's first or last sentences


@dataclass(frozen=True)
class DocumentRecord:
    path: str
    title: str
    sha256: str
    text: str
    pages: tuple[int, ...] = ()  # where each page starts in ``text`` (paged formats such as PDF)

    def page_at(self, offset: int) -> int | None:
        """The 1-based page holding ``offset``, or None for a document without pages."""
        return bisect.bisect_right(self.pages, offset) if self.pages else None


def current_version_dir(index_dir: Path) -> Path | None:
    """The directory of the version in use, or None when there is no built index."""
    try:
        name = (index_dir / CURRENT).read_text().strip()
    except FileNotFoundError:
        return None
    path = index_dir / VERSIONS / name
    return path if name and path.is_dir() else None


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def write_jsonl(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def _spans(rows: list[dict], documents: dict[str, DocumentRecord]) -> list[Chunk]:
    out = []
    for r in rows:
        text = documents[r["doc"]].text[r["start"] : r["end"]]
        out.append(Chunk(id=r["id"], doc=r["doc"], text=text, start=r["start"], end=r["end"]))
    return out


def _aligned(store: VectorStore, row_of: dict[int, int]) -> np.ndarray:
    ids, vectors = store.all_vectors()
    out = np.zeros((len(row_of), store.dim), dtype=np.float32)
    for i, v in zip(ids, vectors, strict=True):
        row = row_of.get(int(i))
        if row is None:
            raise IndexCorruptError(f"the vector store holds an id ({i}) with no record; {REBUILD_HINT}")
        out[row] = v
    return out


class IndexSnapshot:
    """One loaded index version: documents, passages, sentences, their vectors and BM25 indexes."""

    def __init__(
        self,
        manifest: Manifest,
        documents: dict[str, DocumentRecord],
        passages: list[Chunk],
        sentences: list[Chunk],
        passage_vectors: VectorStore,
        sentence_vectors: VectorStore,
        passage_bm25: LexicalIndex,
        sentence_bm25: LexicalIndex,
    ) -> None:
        if len(passage_vectors) != len(passages) or len(sentence_vectors) != len(sentences):
            raise IndexCorruptError(f"the vectors of index {manifest.version} do not match its records; {REBUILD_HINT}")
        self.manifest = manifest
        self.documents = documents
        self.passages = passages
        self.sentences = sentences
        self.passage_vectors = passage_vectors
        self.sentence_vectors = sentence_vectors
        self.passage_bm25 = passage_bm25
        self.sentence_bm25 = sentence_bm25
        # Per passage, then per sentence: the key of the text its vector was made from (None when not recorded).
        self.vector_keys: list[str | None] = [None] * (len(passages) + len(sentences))
        self.passage_row = {id_to_int(c.id): i for i, c in enumerate(passages)}
        self.sentence_row = {id_to_int(c.id): i for i, c in enumerate(sentences)}
        # Vectors aligned with the record rows, for scoring candidates found by any retriever.
        self.passage_matrix = _aligned(passage_vectors, self.passage_row)
        self.sentence_matrix = _aligned(sentence_vectors, self.sentence_row)
        # Which passages hold each sentence, and each document's sentences in order.
        self.sentences_of_doc: dict[str, list[int]] = defaultdict(list)
        for i, s in enumerate(sentences):
            self.sentences_of_doc[s.doc].append(i)
        self.passages_of_doc: dict[str, list[int]] = defaultdict(list)
        for i, c in enumerate(passages):
            self.passages_of_doc[c.doc].append(i)
        self.position_in_doc = {i: n for rows in self.sentences_of_doc.values() for n, i in enumerate(rows)}
        self.passages_of_sentence: dict[int, list[int]] = defaultdict(list)
        self.sentences_of_passage: dict[int, list[int]] = {}
        starts_by_doc = {d: np.array([sentences[i].start for i in rows]) for d, rows in self.sentences_of_doc.items()}
        for p, c in enumerate(passages):
            rows = self.sentences_of_doc.get(c.doc, [])
            starts = starts_by_doc.get(c.doc, np.zeros(0))
            lo, hi = np.searchsorted(starts, c.start), np.searchsorted(starts, c.end)
            inside = [rows[n] for n in range(lo, hi) if sentences[rows[n]].end <= c.end]
            self.sentences_of_passage[p] = inside
            for s in inside:
                self.passages_of_sentence[s].append(p)

    @functools.cached_property
    def lowercase_words(self) -> frozenset[str]:
        """Words the documents use in lower case: a capitalised one of these is a sentence opening, not a name."""
        return frozenset(w for d in self.documents.values() for w in _LOWER_WORD.findall(d.text))

    @functools.cached_property
    def name_forms(self) -> dict[str, str]:
        """Words the documents write capitalised and never in lower case, by their lower-case form (a
        typographic apostrophe made plain): how "alibaba" typed in a question is the name "Alibaba"."""
        return self._names[0]

    @functools.cached_property
    def name_pairs(self) -> frozenset[tuple[str, str]]:
        """Words of ``name_forms`` the documents write one after the other ("raja", "new"), in lower case."""
        return self._names[1]

    @functools.cached_property
    def lone_names(self) -> frozenset[str]:
        """Words of ``name_forms`` the documents also write with no capitalised word beside them ("alibaba"); one
        capitalised only inside longer names ("New" of "Raja New Energy") is a name only typed beside the rest."""
        return self._names[2]

    @functools.cached_property
    def _names(self) -> tuple[dict[str, str], frozenset[tuple[str, str]], frozenset[str]]:
        lower = self.lowercase_words
        forms: dict[str, str] = {}
        pairs: set[tuple[str, str]] = set()
        lone: set[str] = set()
        for d in self.documents.values():
            text, last = d.text, None  # the name word just before, when only a space lies between
            for m in _CASED_WORD.finditer(text):
                word = m.group(0)
                key = word.lower().replace("’", "'")
                base = key.removesuffix("'s")
                after = _NAME_GOES_ON.match(text, m.end())
                before = last is not None and last[1] == m.start() and text[m.start() - 1] in " \xa0"
                if before:
                    pairs.add((last[0], key))
                last = (key, m.end() + 1)
                # Not an acronym ("US" is not "us"), a word of every text ("Anything I want"), or a possessive of
                # a word written in lower case ("Today's").
                if word.isupper() or base in _PLAIN_WORDS or key.split("'")[0] in _PLAIN_WORDS:
                    continue
                if key in lower or base in lower or base.replace("'", "’") in lower:
                    continue
                # Capitalised inside a sentence, or opening it as part of a name ("Yongxi Li said"); not
                # only as a sentence's first word ("Visitors who came…").
                opening = _OPENS.search(text, max(0, m.start() - 12), m.start())
                if not opening or after:
                    forms.setdefault(key, word)
                if not before and not after:
                    lone.add(key)
        known = forms.keys()
        return forms, frozenset(p for p in pairs if p[0] in known or p[1] in known), frozenset(lone & known)

    @functools.cached_property
    def first_person_rows(self) -> frozenset[int]:
        """Sentences in which the writer speaks of themselves: what a question about "the author" is about."""
        return frozenset(r for r, s in enumerate(self.sentences) if _FIRST_PERSON.search(s.text))

    @functools.cached_property
    def locating_rows(self) -> frozenset[int]:
        """Sentences saying where something is, in whatever words: what "Where is Alibaba based?" asks for."""
        return frozenset(
            r for r, s in enumerate(self.sentences) if _LOCATES.search(s.text) and not _NOT_LOCATED.search(s.text)
        )

    @functools.cached_property
    def byline_rows(self) -> frozenset[int]:
        """Sentences at a document's start or end that say who wrote it: what "who wrote the piece?" asks for."""
        head, tail = BYLINE_EDGE
        edges = (r for rows in self.sentences_of_doc.values() for r in {*rows[:head], *rows[-tail:]})
        return frozenset(r for r in edges if _BYLINE.search(self.sentences[r].text))

    def warm(self) -> IndexSnapshot:
        """Work out now what questions would otherwise work out on first use (a scan of all the text)."""
        _ = self.lowercase_words, self._names, self.first_person_rows, self.locating_rows, self.byline_rows
        self.sentence_bm25.warm()
        return self

    def neighbour(self, row: int, step: int) -> int | None:
        """The row of the sentence ``step`` places before (-1) or after (+1) sentence ``row`` in its document."""
        order = self.sentences_of_doc[self.sentences[row].doc]
        pos = self.position_in_doc[row] + step
        return order[pos] if 0 <= pos < len(order) else None

    @property
    def version(self) -> str:
        return self.manifest.version

    @classmethod
    def load(cls, index_dir: Path) -> IndexSnapshot:
        """Load the version in use.

        Raises:
            IndexNotFoundError: no index has been built in ``index_dir``.
            IndexCorruptError: the files cannot be read.
        """
        vdir = current_version_dir(index_dir)
        if vdir is None:
            raise IndexNotFoundError(f"no index in {index_dir}; run `assistant index` to build it")
        return cls.load_version(vdir)

    @classmethod
    def load_version(cls, vdir: Path) -> IndexSnapshot:
        manifest = Manifest.read(vdir / "manifest.json")
        try:
            documents = {
                r["path"]: DocumentRecord(r["path"], r["title"], r["sha256"], r["text"], tuple(r.get("pages", ())))
                for r in read_jsonl(vdir / "documents.jsonl")
            }
            passage_rows = read_jsonl(vdir / "passages.jsonl")
            sentence_rows = read_jsonl(vdir / "sentences.jsonl")
            passages = _spans(passage_rows, documents)
            sentences = _spans(sentence_rows, documents)
        except (OSError, ValueError, KeyError) as exc:
            raise IndexCorruptError(f"cannot read the index records in {vdir}: {exc}; {REBUILD_HINT}") from exc
        snapshot = cls(
            manifest,
            documents,
            passages,
            sentences,
            VectorStore.load(vdir / "passages.faiss"),
            VectorStore.load(vdir / "sentences.faiss"),
            LexicalIndex.load(vdir / "bm25_passages"),
            LexicalIndex.load(vdir / "bm25_sentences"),
        )
        # The key of the text each vector was made from (what was embedded, not always the span's own text).
        snapshot.vector_keys = [r.get("key") for r in passage_rows + sentence_rows]
        return snapshot
