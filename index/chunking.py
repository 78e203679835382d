"""Sentence splitting and chunking: pure functions that keep exact character offsets.

Every span satisfies ``text[span.start:span.end] == span.text``; nothing here does I/O.
Sentences are what the assistant quotes; passages (runs of neighbouring sentences) give
retrieval the context a single sentence lacks.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

import pysbd

from index.errors import SettingsError

# A paragraph break: a line holding nothing but white space (also "\r\n\r\n"). Passages never run across one.
PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v\u00a0]*\n\s*")


def one_paragraph(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` holds no paragraph break."""
    return not PARAGRAPH_BREAK.search(text, start, end)


# A sentence that opens by pointing back ("They also…", "It was…") needs the one before it to be understood.
_LEANS_BACK = re.compile(
    r"^(?:[\w’'-]+[\s,]+){0,3}?(they|them|it|its|it’s|he|him|she|his|her|their|this|these|those|the company|the firm|"
    r"the city|such)\b",
    re.I,
)


def leans_back(text: str) -> bool:
    """Whether a sentence opens by pointing back to an earlier one."""
    return bool(_LEANS_BACK.match(text))


# A word, for finding names: a letter opening it (any alphabet's), then letters, digits, apostrophes, hyphens.
_TOKEN = re.compile(r"[^\W\d_][\w’'&.-]*")
_LOWER_WORD = re.compile(r"(?<![\w’'-])[a-z][\w’'-]*")
# What may join the words of one name ("Xiaonei Network"): spaces, not a line break.
_JOINS_NAME = re.compile(r"[ \t\u00a0]+")
# Words that open sentences without naming anything, for a document too short to write them in lower case too.
_OPENERS = frozenset(
    """a an the this that these those there here it its they their them he his she her we our you your i my one
    another other some many most all both each every no not and but or so yet as if when while after before
    although though since because in on at for from with by to of also still even just only now then today
    what which who whom whose how why where such""".split()
)
# Most names a sentence is embedded after: the model reads 256 word pieces, and the sentence must stay in them.
MAX_CONTEXT_NAMES = 6


def names_in(text: str, lower: Collection[str]) -> list[str]:
    """The capitalised names ``text`` uses, each once, in order ("I" is no name). Its first word counts only
    when it is not in ``lower``, the words its document writes in lower case ("Another"), nor a common opener."""
    found: list[str] = []
    run: list[str] = []
    end = 0
    for i, m in enumerate(_TOKEN.finditer(text)):
        word = m.group(0).rstrip(".")
        base = re.split(r"[’']", word)[0]  # "There’s", "I’ve"
        opener = i == 0 and (base.lower() in lower or base.lower() in _OPENERS)
        capital = word[:1].isupper() and base != "I" and not opener
        if capital and run and _JOINS_NAME.fullmatch(text, end, m.start()):
            run.append(word)
        else:
            if run:
                found.append(" ".join(run))
            run = [word] if capital else []
        end = m.end()
    if run:
        found.append(" ".join(run))
    return list(dict.fromkeys(found))


def _uses(text: str, name: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) is not None


def embedded_texts(text: str, spans: list[Chunk]) -> list[str]:
    """What is embedded for each of ``spans``, the sentences of one document in order: the sentence itself, or,
    for one pointing back to the sentence before it in its paragraph ("It had its start with students…"), the
    sentence after the names that one uses and it does not ("Beijing’s Renren, Facebook, China: It had its
    start with students…"), those it was itself read with first, at most ``MAX_CONTEXT_NAMES``. The model then
    reads what "it" stands for."""
    lower = frozenset(_LOWER_WORD.findall(text))
    out: list[str] = []
    carried: list[str] = []  # the names the sentence before was read with
    for i, s in enumerate(spans):
        before = spans[i - 1] if i else None
        named: list[str] = []
        if before is not None and leans_back(s.text) and one_paragraph(text, before.end, s.start):
            named = [n for n in dict.fromkeys(carried + names_in(before.text, lower)) if not _uses(s.text, n)]
            named = named[:MAX_CONTEXT_NAMES]
        out.append(f"{', '.join(named)}: {s.text}" if named else s.text)
        carried = named
    return out


# Clause boundaries: after , ; : or a closing parenthesis, before a dash or an opening one, around " - ".
# Over-long sentences are cut here, and quotes are trimmed here.
CLAUSE_BREAK = re.compile(r"(?<=[;:,\u2014\u2013)])\s+|\s+(?=[\u2014\u2013(])|\s+-\s+")


@dataclass(frozen=True)
class Chunk:
    """A span of a document's text: a passage, or a single sentence."""

    id: str
    doc: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class ChunkerSettings:
    """How documents are cut; recorded in the manifest so an index is only read with its own."""

    max_chars: int = 700
    overlap: int = 1
    max_sentence_chars: int = 400

    def check(self) -> None:
        if self.max_chars < 50:
            raise SettingsError(f"chunk max_chars must be at least 50, got {self.max_chars}")
        if self.overlap < 0:
            raise SettingsError(f"chunk overlap must be 0 or more sentences, got {self.overlap}")
        if not 50 <= self.max_sentence_chars <= self.max_chars:
            raise SettingsError(
                f"max_sentence_chars must be between 50 and max_chars ({self.max_chars}), got {self.max_sentence_chars}"
            )

    def as_dict(self) -> dict[str, int | str]:
        return {
            "max_chars": self.max_chars,
            "overlap": self.overlap,
            "max_sentence_chars": self.max_sentence_chars,
            "splitter": f"pysbd-{pysbd.__version__}",
            "passages": "within-paragraphs",
            "sentence_context": "names-pointed-back-to",
        }


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _blocks(text: str) -> list[tuple[int, int]]:
    """Paragraph-like blocks separated by blank lines."""
    spans, pos = [], 0
    for m in PARAGRAPH_BREAK.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return [s for s in (_strip_span(text, a, b) for a, b in spans) if s[0] < s[1]]


def _cut_long(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """Cut a span longer than ``limit`` at clause breaks (or spaces) into pieces of at most ``limit``."""
    pieces: list[tuple[int, int]] = []
    while end - start > limit:
        window = text[start : start + limit + 1]
        cuts = [m.start() for m in CLAUSE_BREAK.finditer(window) if m.start() > limit // 3]
        if not cuts:
            cuts = [m.start() for m in re.finditer(r"\s+", window) if m.start() > 0]
        cut = start + (cuts[-1] if cuts else limit)
        a, b = _strip_span(text, start, cut)
        if a < b:
            pieces.append((a, b))
        start, end = _strip_span(text, cut, end)
    if start < end:
        pieces.append((start, end))
    return pieces


def _block_sentences(text: str, max_sentence_chars: int) -> list[list[tuple[int, int]]]:
    """Sentence spans of each paragraph-like block, in order."""
    out: list[list[tuple[int, int]]] = []
    for b_start, b_end in _blocks(text):
        block = text[b_start:b_end]
        spans: list[tuple[int, int]] = []
        cursor = 0
        for seg in _segmenter().segment(block):
            found = block.find(seg, cursor) if seg else -1
            if found < 0:
                # The splitter altered the text; keep what is left as one span rather than guess.
                break
            s, e = _strip_span(block, found, found + len(seg))
            cursor = found + len(seg)
            if s < e:
                spans.extend(_cut_long(text, b_start + s, b_start + e, max_sentence_chars))
        if cursor < len(block):
            s, e = _strip_span(block, cursor, len(block))
            if s < e:
                spans.extend(_cut_long(text, b_start + s, b_start + e, max_sentence_chars))
        if spans:
            out.append(spans)
    return out


def split_sentences(text: str, *, max_sentence_chars: int = 400) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of ``text``, in order, without surrounding white space.

    Blocks separated by blank lines never share a sentence; sentences longer than
    ``max_sentence_chars`` are cut at clause boundaries so a quote stays short.
    """
    return [span for block in _block_sentences(text, max_sentence_chars) for span in block]


def span_id(doc: str, text: str, occurrence: int = 0, kind: str = "sentence") -> str:
    """Stable id from source, content and kind (the n-th occurrence of the same text gets its own id;
    a one-sentence paragraph is a passage and a sentence with ids of their own)."""
    h = hashlib.sha256(f"{kind}\x00{doc}\x00{occurrence}\x00{text}".encode()).hexdigest()
    return h[:16]


def _make_spans(doc: str, text: str, spans: list[tuple[int, int]], kind: str) -> list[Chunk]:
    seen: dict[str, int] = {}
    out = []
    for s, e in spans:
        piece = text[s:e]
        n = seen.get(piece, 0)
        seen[piece] = n + 1
        out.append(Chunk(id=span_id(doc, piece, n, kind), doc=doc, text=piece, start=s, end=e))
    return out


def sentences(text: str, *, doc: str = "", max_sentence_chars: int = 400) -> list[Chunk]:
    """The sentences of ``text`` as spans with stable ids."""
    return _make_spans(doc, text, split_sentences(text, max_sentence_chars=max_sentence_chars), "sentence")


def chunk(
    text: str, *, max_chars: int, overlap: int, doc: str = "", max_sentence_chars: int | None = None
) -> list[Chunk]:
    """Cut ``text`` into passages of whole sentences, never across a paragraph (blank-line) break.

    A passage is the context a sentence is judged in, so it stays on one topic: a paragraph, or
    overlapping runs of a paragraph too long for one passage.

    Args:
        text: the document text.
        max_chars: a passage is at most this long (a single over-long sentence is cut first).
        overlap: how many sentences a passage shares with the one before it in the same paragraph.
        doc: the document path recorded in each chunk.
        max_sentence_chars: longest sentence before it is cut at clause boundaries.

    Returns:
        Passages in document order; ``text[c.start:c.end] == c.text`` for each.

    Raises:
        SettingsError: the settings cannot work.
    """
    settings = ChunkerSettings(max_chars, overlap, max_sentence_chars or min(400, max_chars))
    settings.check()
    groups: list[tuple[int, int]] = []
    for sents in _block_sentences(text, settings.max_sentence_chars):
        i = 0
        while i < len(sents):
            j = i + 1
            while j < len(sents) and sents[j][1] - sents[i][0] <= max_chars:
                j += 1
            groups.append((sents[i][0], sents[j - 1][1]))
            if j >= len(sents):
                break
            # Step forward keeping ``overlap`` sentences, but always make progress.
            i = max(j - overlap, i + 1)
    return _make_spans(doc, text, groups, "passage")
