"""Benchmarks on public data sets nobody on the team wrote. Prints one table; writes benchmarks/RESULTS.md.

    python -m benchmarks.run [--squad N] [--squad2 N] [--holes N] [--doc2dial N] [--skip scifact ...]

- SQuAD v1.1 dev: 48 articles as documents; hit@1/hit@3 of the answer inside the first quotes.
- SQuAD 2.0 (half of dev): answerable and unanswerable questions: abstention recall and false abstention.
- SQuAD v1.1 with holes: each paragraph taken out with a chance of 0.2, so the questions on those are on the
  documents' topic but unanswered (benchmarks/holes.py): abstention recall and false abstention.
- For both: the same on the articles no tuning read (``untouched_articles``: benchmarks/tune.py fits on the
  tuning halves), and the abstention recall of the highest threshold wrongly abstaining on at most 15% of the
  answerable questions, whatever the threshold set.
- SciFact (BEIR): document retrieval nDCG@10 and recall@100 on the 300 test claims.
- doc2dial: multi-turn conversations over 272 documents, hit@3 with and without follow-up resolution.
- With the dev set, the questions and conversations written for the seed corpus in benchmarks/sets.
- For the SQuAD sets, the same on the questions asking what or who a thing is (``question.definition_target``).
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import time
from pathlib import Path

import numpy as np

from assistant import evaluate
from assistant.question import definition_target
from benchmarks.common import EXTERNAL, OUT, ROOT, machine, open_assistant, sample
from benchmarks.holes import squad_with_holes
from benchmarks.tune import choose_threshold, split_articles, with_articles


def _squad(name: str, folder: Path, n: int | None) -> dict:
    return _questions(name, folder / "corpus", evaluate.load_rows([folder / "questions.jsonl"]), n)


def _squad2(n: int | None) -> dict:
    folder = EXTERNAL / "squad-v2.0-cs224n-dev-half"
    return _questions("squad-v2.0", folder / "corpus", with_articles(folder), n, by_article=True)


def _holes(n: int | None) -> dict:
    corpus, rows = squad_with_holes()
    return _questions("squad-v1.1-holes", corpus, rows, n, by_article=True)


ABSTAIN_SHARE = 0.15  # the false abstention rate the SQuAD 2.0 target allows
AT_SHARE = f"abstain_recall_at_false_abstain_{ABSTAIN_SHARE}"


def at_false_abstain(rows: list[dict], responses: list[dict], share: float = ABSTAIN_SHARE) -> dict | None:
    """The abstention recall of the highest threshold that wrongly abstains on at most ``share`` of the
    answerable questions (``tune.choose_threshold``, whatever the threshold set), with the false abstention it
    reaches."""
    confidence = {r["id"]: r["confidence"] for r in responses}
    answerable = [confidence[q["id"]] for q in rows if evaluate.is_answerable(q)]
    unanswerable = [confidence[q["id"]] for q in rows if not evaluate.is_answerable(q)]
    if not answerable or not unanswerable:
        return None
    threshold = choose_threshold(
        answerable + unanswerable, [True] * len(answerable) + [False] * len(unanswerable), share
    )
    return {
        "abstain_recall": round(float(np.mean([c < threshold for c in unanswerable])), 3),
        "false_abstain": round(float(np.mean([c < threshold for c in answerable])), 3),
    }


def untouched_articles() -> set[str]:
    """The articles no tuning read: in the test half of SQuAD v1.1's articles (retrieval weights; and, with
    holes, the confidence model) and, for SQuAD 2.0's, in the test half of its own (the confidence model).
    SQuAD 2.0's articles are SQuAD v1.1's, split again among themselves (benchmarks/tune.py)."""
    v1 = evaluate.load_rows([EXTERNAL / "squad-v1.1" / "questions.jsonl"])
    _, v1_test = split_articles(v1)
    _, v2_test = split_articles(with_articles(EXTERNAL / "squad-v2.0-cs224n-dev-half"))
    v2_all = {p.name for p in (EXTERNAL / "squad-v2.0-cs224n-dev-half" / "corpus").glob("*.txt")}
    return {a for a in v1_test if a not in v2_all or a in v2_test}


def _with_confidence(answer) -> dict:
    """The /ask response with the confidence it was judged by (which /ask does not show)."""
    return dict(answer.to_dict(), confidence=answer.confidence)


def _part_of(rows: list[dict], responses: list[dict], texts: dict[str, str], ids: set[str]) -> dict:
    """hit@1, hit@3 and abstention on the questions ``ids`` of ``rows`` alone."""
    part = evaluate.score([r for r in rows if r["id"] in ids], [r for r in responses if r["id"] in ids], texts)
    return {k: part[k] for k in ("questions", "hit@1", "hit@3", "abstain_recall", "false_abstain_rate")}


def _questions(name: str, corpus: Path, rows: list[dict], n: int | None, by_article: bool = False) -> dict:
    assistant = open_assistant(name, corpus)
    rows = sample(rows, n)
    responses = evaluate.run(rows, lambda q, cid: _with_confidence(assistant.ask(q)))
    texts = {Path(p).name: d.text for p, d in assistant.snapshot.documents.items()}
    result = evaluate.score(rows, responses, texts)
    # The questions asking what or who a thing is ("What is a statocyst?", "Who was Frédéric Chopin?").
    asking = {r["id"] for r in rows if definition_target(r["question"])}
    if asking:
        result["asking_what_a_thing_is"] = _part_of(rows, responses, texts, asking)
    if by_article:
        test_docs = untouched_articles()
        untouched = {r["id"] for r in rows if (r.get("article") or r["doc"]) in test_docs}
        result["untouched_articles"] = _part_of(rows, responses, texts, untouched)
        result["untouched_articles"][AT_SHARE] = at_false_abstain([r for r in rows if r["id"] in untouched], responses)
        result[AT_SHARE] = at_false_abstain(rows, responses)
    return result


def _scifact_corpus() -> Path:
    """SciFact abstracts as one .txt file each (title, blank line, abstract), made once."""
    folder = OUT / "scifact-corpus"
    if not folder.is_dir():
        folder.mkdir(parents=True)
        with (EXTERNAL / "scifact" / "corpus.jsonl").open() as fh:
            for line in fh:
                d = json.loads(line)
                (folder / f"{d['_id']}.txt").write_text(f"{d['title']}\n\n{d['text']}\n", encoding="utf-8")
    return folder


def _scifact() -> dict:
    assistant = open_assistant("scifact", _scifact_corpus())
    queries = {}
    with (EXTERNAL / "scifact" / "queries.jsonl").open() as fh:
        for line in fh:
            q = json.loads(line)
            queries[q["_id"]] = q["text"]
    qrels: dict[str, dict[str, int]] = {}
    for line in (EXTERNAL / "scifact" / "qrels" / "test.tsv").read_text().splitlines()[1:]:
        qid, doc, rel = line.split("\t")
        qrels.setdefault(qid, {})[doc] = int(rel)
    ndcg = recall = 0.0
    for qid, rel in qrels.items():
        ranked = [d.removesuffix(".txt") for d, _ in assistant._retriever.search_documents(queries[qid], k=100)]
        dcg = sum(rel.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:10]))
        ideal = sum(1 / math.log2(i + 2) for i in range(min(len(rel), 10)))
        ndcg += dcg / ideal
        recall += len(set(ranked) & set(rel)) / len(rel)
    return {"queries": len(qrels), "ndcg@10": round(ndcg / len(qrels), 3), "recall@100": round(recall / len(qrels), 3)}


def _doc2dial(n: int | None) -> dict:
    assistant = open_assistant("doc2dial", EXTERNAL / "doc2dial" / "corpus")
    rows = sample(evaluate.load_rows([EXTERNAL / "doc2dial" / "conversations.jsonl"]), n)
    texts = {Path(p).name: d.text for p, d in assistant.snapshot.documents.items()}
    questions = evaluate.flatten(rows)
    with_context = evaluate.score(
        questions, evaluate.run(rows, lambda q, cid: assistant.ask(q, conversation_id=cid).to_dict()), texts
    )
    alone = evaluate.score(questions, evaluate.run(rows, lambda q, cid: assistant.ask(q).to_dict()), texts)
    return {"conversations": len(rows), "turns": len(questions), "with_resolution": with_context, "alone": alone}


def _drag(assistant, singles: list[dict], texts: dict[str, str]) -> dict:
    """Standalone questions asked in the middle of a conversation (after the previous dev question) must
    score as they do alone: hit@1 both ways, how many first quotes changed, and how many were searched
    with conversation context added."""
    alone = evaluate.run(singles, lambda q, cid: assistant.ask(q).to_dict())
    in_conversation = []
    for before, row in zip(singles, singles[1:], strict=False):
        cid = assistant.ask(before["question"]).conversation_id
        started = time.perf_counter()
        r = assistant.ask(row["question"], conversation_id=cid).to_dict()
        in_conversation.append(dict(r, id=row["id"], latency_ms=(time.perf_counter() - started) * 1000))
    rows = singles[1:]
    first = {r["id"]: (r["citations"][0]["start"] if r["citations"] else None) for r in alone}
    return {
        "questions": len(rows),
        "hit@1_alone": evaluate.score(rows, alone[1:], texts)["hit@1"],
        "hit@1_after_another_question": evaluate.score(rows, in_conversation, texts)["hit@1"],
        "first_quote_changed": sum(
            1 for r in in_conversation if (r["citations"][0]["start"] if r["citations"] else None) != first[r["id"]]
        ),
        "context_added": sum(1 for r, q in zip(in_conversation, rows, strict=True) if r["query"] != q["question"]),
    }


def _latency_p50(responses: list[dict]) -> float:
    return round(statistics.median(r["latency_ms"] for r in responses), 1) if responses else 0.0


SETS = ROOT / "benchmarks" / "sets"  # questions written for the seed corpus (benchmarks/sets/README.md)


def _dev() -> dict:
    assistant = open_assistant("dev", ROOT / "docs_corpus")
    dev = EXTERNAL.parent
    singles = evaluate.load_rows([dev / "dev_questions.jsonl"])
    convs = evaluate.load_rows([dev / "dev_conversations.jsonl"])
    texts = {Path(p).name: d.text for p, d in assistant.snapshot.documents.items()}
    ask = lambda q, cid: assistant.ask(q, conversation_id=cid).to_dict()  # noqa: E731
    conv_responses = evaluate.run(convs, ask)
    firsts = {c["turns"][0]["id"] for c in convs}
    written = evaluate.load_rows([SETS / "written_questions.jsonl"])
    written_convs = evaluate.load_rows([SETS / "written_conversations.jsonl"])
    return {
        "questions": evaluate.score(singles, evaluate.run(singles, ask), texts),
        "conversations": evaluate.score(evaluate.flatten(convs), conv_responses, texts),
        "written_questions": evaluate.score(written, evaluate.run(written, ask), texts),
        "written_conversations": evaluate.score(
            evaluate.flatten(written_convs), evaluate.run(written_convs, ask), texts
        ),
        "latency_p50_ms": {
            "first_turns": _latency_p50([r for r in conv_responses if r["id"] in firsts]),
            "follow_ups": _latency_p50([r for r in conv_responses if r["id"] not in firsts]),
        },
        "standalone_in_conversation": _drag(assistant, singles, texts),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--squad", type=int, default=2000, help="questions sampled from SQuAD v1.1 (0: all)")
    ap.add_argument("--squad2", type=int, default=2000, help="questions sampled from SQuAD 2.0 (0: all)")
    ap.add_argument("--holes", type=int, default=2000, help="questions sampled from SQuAD v1.1 with holes (0: all)")
    ap.add_argument("--doc2dial", type=int, default=200, help="conversations sampled from doc2dial (0: all)")
    ap.add_argument("--skip", nargs="*", default=[], choices=["dev", "squad", "squad2", "holes", "scifact", "doc2dial"])
    args = ap.parse_args()
    results: dict[str, dict] = {}
    started = time.perf_counter()
    runs = {
        "dev": _dev,
        "squad": lambda: _squad("squad-v1.1", EXTERNAL / "squad-v1.1", args.squad or None),
        "squad2": lambda: _squad2(args.squad2 or None),
        "holes": lambda: _holes(args.holes or None),
        "scifact": _scifact,
        "doc2dial": lambda: _doc2dial(args.doc2dial or None),
    }
    for name, fn in runs.items():
        if name not in args.skip:
            t = time.perf_counter()
            results[name] = fn()
            results[name]["seconds"] = round(time.perf_counter() - t, 1)
            print(name, json.dumps(results[name]), flush=True)
    report = render(results, args, time.perf_counter() - started)
    print(report)
    (ROOT / "benchmarks" / "RESULTS.md").write_text(report, encoding="utf-8")


def render(results: dict, args, seconds: float) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {machine()}. Command: `python -m benchmarks.run --squad {args.squad} --squad2 {args.squad2} "
        f"--holes {args.holes} --doc2dial {args.doc2dial}` ({seconds / 60:.0f} min). Samples are seeded.",
        "",
        "| set | n | hit@1 | hit@3 | MRR | abstain recall | false abstain | other |",
        "|---|---|---|---|---|---|---|---|",
    ]

    def row(name, m, other=""):
        lines.append(
            f"| {name} | {m['answerable'] + m['unanswerable']} | {m['hit@1']} | {m['hit@3']} | {m['mrr']} | "
            f"{'-' if m['abstain_recall'] is None else m['abstain_recall']} | {m['false_abstain_rate']} | "
            f"{other}p50 {m.get('latency_ms_p50')} ms, p95 {m.get('latency_ms_p95')} ms |"
        )

    if "dev" in results:
        row("dev questions", results["dev"]["questions"])
        row("dev conversations (per turn)", results["dev"]["conversations"])
        row("written questions (benchmarks/sets)", results["dev"]["written_questions"])
        row("written conversations (per turn)", results["dev"]["written_conversations"])
    if "squad" in results:
        row(f"SQuAD v1.1 dev ({'sample' if args.squad else 'all'})", results["squad"])

    def at_share(m: dict) -> str:
        at = m[AT_SHARE]
        reached = "-" if at is None else f"{at['abstain_recall']} (false abstention {at['false_abstain']})"
        return f"abstain recall at false abstention ≤ {ABSTAIN_SHARE}: {reached}; "

    def dash(value) -> str:
        return "-" if value is None else str(value)

    for key, name, n in (("squad2", "SQuAD 2.0 half", args.squad2), ("holes", "SQuAD v1.1 with holes", args.holes)):
        if key in results:
            m = results[key]
            row(f"{name} ({'sample' if n else 'all'})", m, at_share(m))
            t = m["untouched_articles"]
            lines.append(
                f"| {name}, articles no tuning read | {t['questions']} | {t['hit@1']} | {t['hit@3']} | | "
                f"{dash(t['abstain_recall'])} | {t['false_abstain_rate']} | {at_share(t).rstrip('; ')} |"
            )
    for key, name in (("squad", "SQuAD v1.1 dev"), ("squad2", "SQuAD 2.0 half"), ("holes", "SQuAD v1.1 with holes")):
        t = results.get(key, {}).get("asking_what_a_thing_is")
        if t:
            lines.append(
                f"| {name}, questions asking what or who a thing is | {t['questions']} | {t['hit@1']} | "
                f"{t['hit@3']} | | {dash(t['abstain_recall'])} | {t['false_abstain_rate']} | |"
            )
    if "doc2dial" in results:
        d = results["doc2dial"]
        row("doc2dial turns, with follow-up resolution", d["with_resolution"])
        row("doc2dial turns, each turn alone", d["alone"])
    if "scifact" in results:
        s = results["scifact"]
        lines.append(
            f"| SciFact test (documents) | {s['queries']} | | | | | | nDCG@10 {s['ndcg@10']}, "
            f"recall@100 {s['recall@100']} |"
        )
    if "dev" in results:
        d, lat = results["dev"]["standalone_in_conversation"], results["dev"]["latency_p50_ms"]
        lines += [
            "",
            f"Standalone dev questions asked right after another question in the same conversation: hit@1 "
            f"{d['hit@1_after_another_question']} (alone: {d['hit@1_alone']}); first quote changed for "
            f"{d['first_quote_changed']} of {d['questions']}; context added to the search for {d['context_added']}.",
            f"Latency p50 in the dev conversations: first turns {lat['first_turns']} ms, follow-ups "
            f"{lat['follow_ups']} ms.",
        ]
    lines += ["", "Raw figures:", "", "```json", json.dumps(results, indent=1), "```", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
