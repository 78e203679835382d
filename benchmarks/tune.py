"""How the retrieval weights and the abstention model were set, on SQuAD, never on the dev set.

Weights: a grid search for hit@1 on half of SQuAD v1.1's articles (even positions in name order);
the other half reports what the weights do on articles they were not fitted on.
Abstention: a logistic model over the best hit's evidence, fitted on the tuning halves of the articles of
SQuAD 2.0 and of SQuAD v1.1 with holes (answerable vs unanswerable questions) and checked on the other halves. With
--type-odds: the odds ratio of a first quote lacking the date, amount or person a question opens by
asking for, among answered and unanswerable questions of the tuning halves of SQuAD 2.0 and SQuAD v1.1
with holes (``TYPE_MISSING_ODDS`` in assistant/confidence.py); and of the first quote of a "How many…" question
giving numbers, none of them of the thing it counts (``COUNTS_ANOTHER_ODDS``).

    python -m benchmarks.tune [--questions N] [--fresh]
    python -m benchmarks.tune --type-odds
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import pickle
from pathlib import Path

import numpy as np

from assistant import names, question, retrieve
from assistant.evaluate import load_rows, norm
from assistant.names import counted_asked, counts_another, lacks_asked_for
from assistant.question import asks_person, definite_type
from assistant.retrieve import CONFIDENCE_FEATURES, Weights
from benchmarks.common import EXTERNAL, OUT, article_file, open_assistant, sample
from benchmarks.holes import squad_with_holes
from index import build, chunking

FEATURES = list(Weights.__dataclass_fields__)
ALL_FEATURES = FEATURES + [f for f in CONFIDENCE_FEATURES if f not in FEATURES]


def split_articles(rows: list[dict]) -> tuple[set[str], set[str]]:
    docs = sorted({r["doc"] for r in rows if r.get("doc")})
    return set(docs[0::2]), set(docs[1::2])


def with_articles(folder):
    """SQuAD 2.0 rows with each question's article, unanswerable ones too (from the source JSON)."""
    article = {}
    for art in json.loads((folder / "dev-v2.0.json").read_text())["data"]:
        for p in art["paragraphs"]:
            for qa in p["qas"]:
                article[qa["id"]] = article_file(art["title"])
    rows = load_rows([folder / "questions.jsonl"])
    return [dict(r, doc=r["doc"] or article.get(r["id"], "?")) for r in rows]


def holes_with_articles():
    """The corpus of SQuAD v1.1 with holes and its questions, each with the article it was written on (answered
    there or not, for splits by article)."""
    corpus, rows = squad_with_holes()
    return corpus, [dict(r, doc=r["article"]) for r in rows]


def collect(assistant, rows):
    """Per question: candidate feature matrix, labels (sentence holds a gold answer), answerable flag."""
    out = []
    for r in rows:
        hits = assistant._retriever.search(r["question"], k=40)
        if not hits:
            continue
        X = np.array([[h.features[f] for f in ALL_FEATURES] for h in hits], dtype=np.float32)
        y = np.array([any(norm(a) in norm(h.chunk.text) for a in r["answers"]) for h in hits])
        out.append((X, y, bool(r["answers"]), r["doc"]))
    return out


def cached(name, fn):
    path = OUT / f"{name}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    data = fn()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(data))
    return data


def features_of_halves(name: str, corpus, rows: list[dict], n: int):
    """Collected features of ``n`` sampled questions from each half of the articles (cached in OUT)."""
    tune_docs, test_docs = split_articles(rows)

    def both():
        a = open_assistant(name, corpus)
        return tuple(collect(a, sample([r for r in rows if r["doc"] in docs], n)) for docs in (tune_docs, test_docs))

    # Keyed by the features collected and the code reading questions, working them out and cutting the documents
    # (what is embedded for each sentence), so that a cache of other features, or of features worked out
    # otherwise, is never read.
    code = (retrieve, question, names, chunking, build)
    key = " ".join(ALL_FEATURES) + "".join(Path(m.__file__).read_text() for m in code)
    return cached(f"tune-{name}-{n}-{hashlib.sha256(key.encode()).hexdigest()[:8]}", both)


def hit_at_1(data, w):
    return float(np.mean([y[np.argmax(X @ w)] for X, y, *_ in data]))


def fit_logistic(X: np.ndarray, y: np.ndarray, l2: float = 1e-3, steps: int = 3000) -> np.ndarray:
    """Weights (bias last) of a logistic regression, by gradient descent on standardised inputs."""
    mu, sd = X.mean(0), X.std(0) + 1e-6
    Z = np.hstack([(X - mu) / sd, np.ones((len(X), 1))])
    w = np.zeros(Z.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-Z @ w))
        w -= 0.5 * (Z.T @ (p - y) / len(y) + l2 * w)
    # Fold the standardisation back in so the model applies to raw features.
    coef = w[:-1] / sd
    return np.append(coef, w[-1] - (mu / sd) @ w[:-1])


def type_missing_odds(sets: list[tuple[str, object, list[dict]]]) -> dict:
    """How much rarer it is for the first quote to lack the date, amount or person a question opens by asking
    for when the documents answer the question (and that quote holds the answer) than when they do not; and
    for the numbers it gives to count something else than a "How many…" question asks for.

    Counted over every such question of each set's tuning half of articles; a half count is added to each
    cell so that an empty one does not give 0 or infinity. The counts are also given by kind.
    """
    counts: dict[str, dict[str, list[int]]] = {}  # kind -> answered/unanswered -> [lacking, all]
    for name, corpus, rows in sets:
        tune_docs, _ = split_articles(rows)
        assistant = open_assistant(name, corpus)
        for r in rows:
            kind = definite_type(r["question"]) or ("person" if asks_person(r["question"]) else None)
            if r["doc"] not in tune_docs or kind is None:
                continue
            citations = assistant.ask(r["question"]).citations
            if not citations:
                continue
            quote = citations[0].quote
            if r["answers"] and not any(norm(a) in norm(quote) for a in r["answers"]):
                continue  # answerable, but the first quote is not the answer: evidence of neither kind
            lacking = int(lacks_asked_for(r["question"], quote, assistant.snapshot.lowercase_words))
            group = "answered" if r["answers"] else "unanswered"
            tallies = {kind: lacking, "all": lacking}
            # Of the "How many…" questions counting a thing (not a unit or money) whose quote gives a number:
            # how often none of its numbers counts that thing.
            if not lacking and counted_asked(r["question"]) is not None:
                tallies["counts_another"] = int(counts_another(r["question"], quote, assistant.embedder))
            for key, lack in tallies.items():
                cell = counts.setdefault(key, {"answered": [0, 0], "unanswered": [0, 0]})[group]
                cell[0] += lack
                cell[1] += 1
    empty = {"answered": [0, 0], "unanswered": [0, 0]}

    def ratio(cells):
        (a_lack, a_all), (u_lack, u_all) = cells["answered"], cells["unanswered"]
        return round(((a_lack + 0.5) / (a_all + 1)) / ((u_lack + 0.5) / (u_all + 1)), 3)

    return {
        "type_missing_odds": ratio(counts.get("all", empty)),
        "counts_another_odds": ratio(counts.get("counts_another", empty)),
        **{
            kind: {
                group: f"{lack} of {n} {'count another thing' if kind == 'counts_another' else 'lack it'}"
                for group, (lack, n) in cells.items()
            }
            for kind, cells in counts.items()
        },
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--questions", type=int, default=1500)
    ap.add_argument("--fresh", action="store_true", help="recompute cached features")
    ap.add_argument(
        "--type-odds",
        action="store_true",
        help="only measure the odds ratios of a missing date, amount or person and of a count of another thing",
    )
    args = ap.parse_args()
    squad2 = EXTERNAL / "squad-v2.0-cs224n-dev-half"
    if args.type_odds:
        sets = [
            ("squad-v2.0", squad2 / "corpus", with_articles(squad2)),
            ("squad-v1.1-holes", *holes_with_articles()),
        ]
        print(json.dumps(type_missing_odds(sets)))
        return
    if args.fresh:
        for f in OUT.glob("tune-*.pkl"):
            f.unlink()
    w_now = np.array([getattr(Weights(), f, 0.0) for f in ALL_FEATURES], dtype=np.float32)

    rows = load_rows([EXTERNAL / "squad-v1.1" / "questions.jsonl"])
    tune, test = features_of_halves("squad-v1.1", EXTERNAL / "squad-v1.1" / "corpus", rows, args.questions)
    grid = {
        "sentence_dense": [1.0],
        "passage_dense": [0.5, 0.75, 1.0],
        "sentence_bm25": [0.0, 0.15],
        "passage_bm25": [0.0, 0.2, 0.4],
        "coverage": [0.6, 0.8, 1.0, 1.2],
        "window_coverage": [0.2, 0.4, 0.6],
        "answer_type": [0.1, 0.25, 0.4],
        "definite_type": [0.0, 0.25, 0.5],
        # Set on the questions asking for what they deny alone (a few in 100 of these): see Weights.
        "negation_missing": [-0.5],
    }
    results = []
    extra = [0.0] * (len(ALL_FEATURES) - len(FEATURES))
    for combo in itertools.product(*(grid[f] for f in FEATURES)):
        w = np.array(list(combo) + extra, dtype=np.float32)
        results.append((hit_at_1(tune, w), combo))
    results.sort(reverse=True)
    for score, combo in results[:5]:
        w = np.array(list(combo) + extra, dtype=np.float32)
        print(
            json.dumps(
                {
                    "tune_hit@1": round(score, 4),
                    "test_hit@1": round(hit_at_1(test, w), 4),
                    "weights": dict(zip(FEATURES, combo, strict=True)),
                }
            )
        )
    print(
        json.dumps(
            {
                "current": dict(zip(ALL_FEATURES, w_now.tolist(), strict=True)),
                "tune_hit@1": round(hit_at_1(tune, w_now), 4),
                "test_hit@1": round(hit_at_1(test, w_now), 4),
                "candidate_recall@40": round(float(np.mean([y.any() for _, y, *_ in test])), 4),
            }
        )
    )

    # The abstention model learns from both kinds of question the documents do not answer: SQuAD 2.0's, written
    # against the very paragraph that lacks the answer, and SQuAD v1.1's whose paragraph was taken out (the
    # common case: the documents are on the topic but do not hold the fact asked for).
    halves = {
        "squad-v2.0": features_of_halves("squad-v2.0", squad2 / "corpus", with_articles(squad2), args.questions),
        "squad-v1.1-holes": features_of_halves("squad-v1.1-holes", *holes_with_articles(), args.questions),
    }
    idx = [ALL_FEATURES.index(f) for f in CONFIDENCE_FEATURES]

    def top_features(data):
        X = np.array([np.append(d[0][np.argmax(d[0] @ w_now)][idx], (d[0] @ w_now).max()) for d in data])
        return X, np.array([d[2] for d in data], dtype=np.float64)

    X, y = map(np.concatenate, zip(*(top_features(tune_half) for tune_half, _ in halves.values()), strict=True))
    coef = fit_logistic(X, y)
    print(
        json.dumps(
            {
                "confidence_model": [round(float(c), 4) for c in coef],
                "inputs": CONFIDENCE_FEATURES + ["score", "bias"],
            }
        )
    )
    for name, (_, test_half) in halves.items():
        Xt, yt = top_features(test_half)
        p = 1 / (1 + np.exp(-(np.hstack([Xt, np.ones((len(Xt), 1))]) @ coef)))
        for threshold in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6):
            abstain = p < threshold
            print(
                json.dumps(
                    {
                        "test_half": name,
                        "threshold": threshold,
                        "abstain_recall": round(float(abstain[yt == 0].mean()), 3),
                        "false_abstain": round(float(abstain[yt == 1].mean()), 3),
                    }
                )
            )


if __name__ == "__main__":
    main()


def choose_threshold(confidences: list[float], answerable: list[bool], max_false_abstain: float = 0.05) -> float:
    """The threshold that abstains on the most unanswerable questions while wrongly abstaining on at
    most ``max_false_abstain`` of the answerable ones (the midpoint between neighbouring confidences)."""
    values = sorted(set(confidences))
    cuts = [0.0] + [(a + b) / 2 for a, b in zip(values, values[1:], strict=False)]
    n_ans = max(sum(answerable), 1)
    best = 0.0
    for cut in cuts:
        false = sum(1 for c, a in zip(confidences, answerable, strict=True) if a and c < cut) / n_ans
        if false <= max_false_abstain:
            best = cut
    return best
