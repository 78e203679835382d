"""From ranked sentences to quotes: the shortest verbatim span that answers, several only when they add."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.question import AnswerType, gives_reason, holds_type, words
from assistant.types import Hit
from index.chunking import CLAUSE_BREAK, PARAGRAPH_BREAK, Chunk, leans_back, one_paragraph
from index.lexical import terms

# White space and the punctuation a sentence split may leave at a sentence's start (": Beijing's…").
_OPENING_LEFTOVER = re.compile(r"[\s:;,]*")
# An item of a list: a bullet or a number opening the line (web/static/chat.js has the same pattern).
LIST_ITEM = re.compile(r"^\s*([•◦▪‣∙·*–-]|\d{1,3}[.)])\s")
# A sentence that introduces a list ("…compare well with their US counterparts:") says nothing without it.
_INTRODUCES = re.compile(r":\s*$")

SHORT_QUOTE = 120
# A quote may grow by this much beyond its longest length to take in the sentence a pronoun points back to.
CONTEXT_CHARS = 180


def introduced_by(text: str, before: str) -> bool:
    """Whether the sentence ``before`` introduces the sentence ``text``, even across a paragraph break: it ends
    with a colon ("Thomas Goletz … said that the factory hub has drawn in software talent as it matures:"),
    and ``text`` is what it introduces ("Shenzhen is not hardware, it's manufacturing."), not an item of a list
    (read with the sentence introducing the whole list)."""
    return bool(_INTRODUCES.search(before)) and not LIST_ITEM.match(text)


def reads_on(text: str, before: str, same_paragraph: bool) -> bool:
    """Whether a sentence is read, and quoted, with the sentence ``before`` it: that one introduces it
    (``introduced_by``), or it points back to it (``leans_back``) with no paragraph break between them
    (``same_paragraph``): a paragraph's first sentence does not point back into the one before."""
    return introduced_by(text, before) or (leans_back(text) and same_paragraph)


@dataclass(frozen=True)
class Quote:
    """A verbatim span of a document chosen to answer."""

    doc: str
    start: int
    end: int
    score: float


def _clauses(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for m in CLAUSE_BREAK.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return [(a, b) for a, b in spans if b > a]


def trim_to_clause(text: str, *, max_chars: int, question: str, kind: AnswerType | None) -> tuple[int, int]:
    """Offsets within ``text`` of the run of clauses, at most ``max_chars`` long, that best answers.

    A run is judged by the question terms it holds and by whether it holds the kind of answer
    wanted; among equals the earlier and longer run wins. Text already short enough is kept whole.
    """
    if len(text) <= max_chars:
        return 0, len(text)
    clauses = _clauses(text)
    q_terms = set(terms([question])[0])
    q_words = words(question)
    best, best_key = None, None
    for i in range(len(clauses)):
        for j in range(i, len(clauses)):
            a, b = clauses[i][0], clauses[j][1]
            if b - a > max_chars:
                break
            piece = text[a:b]
            found = len(q_terms.intersection(terms([piece])[0]))
            key = (found + (1.5 if holds_type(piece, kind, q_words) else 0.0), b - a, -a)
            if best_key is None or key > best_key:
                best, best_key = (a, b), key
    if best is None:
        # No clause fits: cut at the last space before the limit.
        cut = text.rfind(" ", 0, max_chars)
        return 0, cut if cut > 0 else max_chars
    a, b = best
    return a, b


def _overlaps(quote: Quote, doc: str, start: int, end: int) -> bool:
    return quote.doc == doc and quote.start < end and start < quote.end


def _touch(quote: Quote, start: int, end: int, text_of: Callable[[str], str] | None) -> bool:
    """Whether ``start:end`` overlaps ``quote``, or follows or precedes it in the same paragraph."""
    if _overlaps(quote, quote.doc, start, end):
        return True
    if text_of is None:
        return False
    gap = text_of(quote.doc)[min(quote.end, end) : max(quote.start, start)]
    return not gap.strip() and not PARAGRAPH_BREAK.search(gap)


def _one_paragraph(text_of: Callable[[str], str] | None, doc: str, start: int, end: int) -> bool:
    """Whether no paragraph break lies between ``start`` and ``end`` of ``doc`` (so when the text is unknown)."""
    return text_of is None or one_paragraph(text_of(doc), start, end)


def select_quotes(
    hits: list[Hit],
    *,
    text_of: Callable[[str], str] | None = None,
    previous: Callable[[Chunk], Chunk | None] | None = None,
    following: Callable[[Chunk], Chunk | None] | None = None,
    question: str,
    kind: AnswerType | None,
    top_k: int,
    max_chars: int,
    keep_ratio: float,
    reason: bool = False,
) -> list[Quote]:
    """Quotes for the best hits: the first always, others when they score close to it and are distinct.

    Args:
        hits: ranked sentences.
        previous: the sentence before a hit's, used when the hit opens by pointing back to it.
        following: the sentence after a hit's, quoted too when the hit is short and it carries on.
        text_of: a document's text by its path; with it, a hit right beside a quote already chosen joins that quote.
        question: what was asked (for trimming long sentences).
        kind: the kind of answer wanted.
        top_k: most quotes.
        max_chars: longest quote.
        keep_ratio: a later hit is quoted only when its score is at least this share of the best.
        reason: the question asks why; a first quote that says no reason of its own takes in the next sentence.
    """
    quotes: list[Quote] = []
    if not hits:
        return quotes
    best = hits[0].score
    q_words = words(question)
    for hit in hits:
        if len(quotes) >= top_k:
            break
        if quotes and hit.score < best * keep_ratio:
            break
        c = hit.chunk
        if any(_overlaps(q, c.doc, c.start, c.end) for q in quotes):
            continue
        a, b = trim_to_clause(c.text, max_chars=max_chars, question=question, kind=kind)
        # Trim white space the clause cut may have left at the edges, and punctuation a sentence split left at
        # the start (": Beijing's tech hub…" after "Where are the universities?").
        piece = c.text[a:b]
        a += _OPENING_LEFTOVER.match(piece).end()
        b -= len(piece) - len(piece.rstrip())
        start, end = c.start + a, c.start + b
        # Walk back over sentences that point back or are introduced (at most three), while the quote stays short
        # enough.
        current = c
        for _ in range(3):
            if previous is None or start != current.start:
                break
            before = previous(current)
            if before is None or end - before.start > max_chars + CONTEXT_CHARS:
                break
            if not reads_on(current.text, before.text, _one_paragraph(text_of, c.doc, before.end, current.start)):
                break
            start, current = before.start, before
        # The sentence after this one, when the quote runs to this one's end.
        after = following(c) if following and b == len(c.text) else None
        # A short sentence whose next one carries on about it ("It had its start…") is quoted with it.
        if (
            after is not None
            and end - start < SHORT_QUOTE
            and leans_back(after.text)
            and after.end - start <= max_chars
            and _one_paragraph(text_of, c.doc, c.end, after.start)
        ):
            end = after.end
        # A first quote may take in the next sentence of its paragraph, when it fits: asked why, one giving no reason
        # states what is to be explained, and the reason most often follows ("…warned that going to the market isn't
        # always the right approach to prototyping." "Sheer size makes it hard to find things…"); asked for a date,
        # an amount, a person or a place, one holding none of that kind is followed by one that does ("Shenzhen, he
        # said, is getting expensive, and many factories have to move out." "The question is whether they stay in
        # the region—plans call for them to move to Dongguan…").
        if (
            not quotes
            and after is not None
            and end == c.end
            and after.end - start <= max_chars
            and _one_paragraph(text_of, c.doc, c.end, after.start)
            and (
                (reason and not gives_reason(c.text[a:b]))
                or (
                    kind is not None
                    and not holds_type(c.text[a:b], kind, q_words)
                    and holds_type(after.text, kind, q_words)
                )
            )
        ):
            end = after.end
        # A sentence introducing a list is quoted with as many of its items as fit.
        item = after if _INTRODUCES.search(c.text) else None
        while item is not None and LIST_ITEM.match(item.text) and item.end - start <= max_chars + CONTEXT_CHARS:
            end = item.end
            item = following(item)
        # The sentences this one leans on, or the one beside it, may be quoted already: grow that quote to
        # take this one in ("He paraphrased the Te Deum…" then "It became known as the German Te Deum."),
        # with the sentences it leans on or, when that would be too long, with its own sentence only.
        bare = (c.start + a, c.start + b)
        joined = False
        # Between two quotes, it joins them both when that is short enough, else the better one it fits beside.
        for lo, hi in dict.fromkeys([(start, end), bare]):
            touching = [i for i, q in enumerate(quotes) if q.doc == c.doc and _touch(q, lo, hi, text_of)]
            if not touching:
                continue
            for group in [touching] + ([[i] for i in touching] if len(touching) > 1 else []):
                g_lo = min(lo, *(quotes[i].start for i in group))
                g_hi = max(hi, *(quotes[i].end for i in group))
                others = (q for i, q in enumerate(quotes) if i not in group)
                if g_hi - g_lo <= max_chars + CONTEXT_CHARS and not any(
                    _overlaps(q, c.doc, g_lo, g_hi) for q in others
                ):
                    quotes[group[0]] = Quote(doc=c.doc, start=g_lo, end=g_hi, score=quotes[group[0]].score)
                    quotes = [q for i, q in enumerate(quotes) if i not in group[1:]]
                    joined = True
                    break
            if joined:
                break
            start, end = bare
        if joined or any(_overlaps(q, c.doc, start, end) for q in quotes):
            continue
        quotes.append(Quote(doc=c.doc, start=start, end=end, score=hit.score))
    return quotes
