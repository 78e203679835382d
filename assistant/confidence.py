"""How sure the assistant is that its best sentence answers the question, as a probability.

A logistic model over the best hit's evidence (``CONFIDENCE_FEATURES`` and the blended score),
fitted by ``benchmarks/tune.py`` on answerable and unanswerable questions of the tuning halves of the
articles of SQuAD 2.0 (written against the very paragraph to look answerable) and of SQuAD v1.1 with holes
(on the topic, but the paragraph answering them taken out). The threshold that turns it into
answer-or-abstain is a setting (``ASSISTANT_ABSTAIN_THRESHOLD``), chosen on the dev set as described in
the README.
"""

from __future__ import annotations

import math

from assistant.retrieve import CONFIDENCE_FEATURES
from assistant.types import Hit

# Coefficients in the order of CONFIDENCE_FEATURES, then the blended score, then the bias.
COEFFICIENTS = {
    "sentence_dense": 3.5757,
    "passage_dense": 3.3098,
    "coverage": 1.4267,
    "window_coverage": 0.9573,
    "answer_type": 0.3318,
    "missing_term": -0.0901,
    "negation_missing": -3.5778,
    "figure_missing": -1.0919,
    "polarity_flip": -1.6147,
    "opposite_word": -1.9327,
    "denial_elsewhere": -1.9514,
    "name_missing": -1.1306,
    "score": -0.8834,
}
BIAS = -2.2569
# A question that opens by asking for a date, an amount or a person ("When was DJI founded?", "How many
# employees…?", "Who founded Huawei?") is seldom answered by a first quote holding none. The odds of an answer
# are then scaled by how much rarer that is among the questions the documents answer than among those they do
# not, measured on the tuning halves of SQuAD 2.0 and of SQuAD v1.1 with holes by
# `python -m benchmarks.tune --type-odds` (2 of 897 answered questions lack it, 28 of 388 unanswerable ones).
TYPE_MISSING_ODDS = 0.038
# A "How many…" question whose first quote gives numbers, none of them of the thing it counts
# (``names.counts_another``: "How many bikes does Ofo have?" and "The two biggest players…"): measured the same
# way by `python -m benchmarks.tune --type-odds` (21 of 230 answered questions, 32 of 91 unanswerable ones).
COUNTS_ANOTHER_ODDS = 0.263


def confidence(hit: Hit | None, *, type_missing: bool = False, counts_another: bool = False) -> float:
    """Probability-like confidence in [0, 1] that ``hit`` answers the question (0 for no hit).

    The odds are scaled by ``TYPE_MISSING_ODDS`` when ``type_missing``: the question opens by asking for a
    date, an amount or a person that the quote shown first does not hold (``names.lacks_asked_for``); otherwise
    by ``COUNTS_ANOTHER_ODDS`` when ``counts_another``: its numbers count something else than the question asks.
    The model's probability is scaled down by the share of the question's terms that the documents
    never use: the fit cannot learn it (SQuAD's unanswerable questions, written from the very paragraph or
    on an article's topic, use the article's words), but a question about something the documents never
    mention is the common case of a question they do not answer.
    """
    if hit is None:
        return 0.0
    z = BIAS + COEFFICIENTS["score"] * hit.score
    z += sum(COEFFICIENTS[name] * hit.features.get(name, 0.0) for name in CONFIDENCE_FEATURES)
    if type_missing:
        z += math.log(TYPE_MISSING_ODDS)
    elif counts_another:
        z += math.log(COUNTS_ANOTHER_ODDS)
    return (1.0 - hit.features.get("unknown_terms", 0.0)) / (1.0 + math.exp(-z))
