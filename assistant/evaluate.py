"""Running an eval set through the assistant and scoring it.

Eval rows (see ../shared/eval/): ``{id, question, answers, doc}`` where ``answers`` are gold strings,
or ``spans`` ([[start, end], ...] in ``doc``), or neither for an unanswerable question; conversation
rows hold ``turns``, asked in order in one conversation. Scoring follows the shared scorer: a hit is
a quote of at most 500 characters that contains a gold answer (normalised), or that comes from the
gold document and overlaps a gold span; only the first three quotes count.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections.abc import Callable, Iterable
from pathlib import Path

QUOTE_CAP = 500

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.translate(_QUOTES)).strip().lower()


def load_rows(paths: Iterable[Path]) -> list[dict]:
    """Eval rows from JSONL files, conversations kept whole."""
    rows = []
    for path in paths:
        with Path(path).open(encoding="utf-8") as fh:
            rows.extend(json.loads(line) for line in fh if line.strip())
    return rows


def flatten(rows: list[dict]) -> list[dict]:
    out = []
    for r in rows:
        if "turns" in r:
            out.extend(dict(t, conv=r["id"]) for t in r["turns"])
        else:
            out.append(r)
    return out


def is_answerable(q: dict) -> bool:
    return bool(q.get("answers") or q.get("spans"))


def is_hit(q: dict, c: dict) -> bool:
    if len(c["quote"]) > QUOTE_CAP:
        return False
    if any(norm(a) in norm(c["quote"]) for a in q.get("answers") or []):
        return True
    same_doc = Path(c.get("document", "")).name == q.get("doc")
    return same_doc and any(c["start"] < e and s < c["end"] for s, e in q.get("spans", []))


def run(rows: list[dict], ask: Callable[[str, str | None], dict]) -> list[dict]:
    """Ask every question; ``ask(question, conversation_id)`` returns an /ask-shaped dict."""
    responses = []
    for row in rows:
        turns = row["turns"] if "turns" in row else [row]
        cid = None
        for t in turns:
            started = time.perf_counter()
            r = ask(t["question"], cid)
            r = dict(r, id=t["id"], latency_ms=(time.perf_counter() - started) * 1000)
            if "turns" in row:
                cid = r.get("conversation_id")
            responses.append(r)
    return responses


def score(questions: list[dict], responses: list[dict], texts: dict[str, str]) -> dict:
    """Metrics for ``responses`` to the (flattened) ``questions``; ``texts`` maps document names to text."""
    by_id = {r["id"]: r for r in responses}
    answerable = [q for q in questions if is_answerable(q)]
    unanswerable = [q for q in questions if not is_answerable(q)]
    hit1 = hit3 = doc1 = 0
    rr = 0.0
    faithful = total = 0
    lengths = []
    for q in questions:
        for c in by_id.get(q["id"], {}).get("citations", []):
            total += 1
            lengths.append(len(c["quote"]))
            text = texts.get(Path(c["document"]).name)
            faithful += text is not None and text[c["start"] : c["end"]] == c["quote"]
    for q in answerable:
        r = by_id.get(q["id"], {})
        cits = r.get("citations", []) if r.get("answered", True) else []
        ok = [is_hit(q, c) for c in cits[:3]]
        hit1 += bool(ok and ok[0])
        hit3 += any(ok)
        rr += next((1 / (i + 1) for i, good in enumerate(ok) if good), 0.0)
        doc1 += bool(cits) and Path(cits[0]["document"]).name == q.get("doc")
    n = max(len(answerable), 1)
    abstained = sum(1 for q in unanswerable if not by_id.get(q["id"], {}).get("answered", True))
    false_abstained = sum(1 for q in answerable if not by_id.get(q["id"], {}).get("answered", True))
    latencies = sorted(r["latency_ms"] for r in responses if "latency_ms" in r)
    out = {
        "questions": len(questions),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "hit@1": round(hit1 / n, 3),
        "hit@3": round(hit3 / n, 3),
        "mrr": round(rr / n, 3),
        "doc@1": round(doc1 / n, 3),
        "abstain_recall": round(abstained / len(unanswerable), 3) if unanswerable else None,
        "false_abstain_rate": round(false_abstained / n, 3),
        "faithful_quotes": f"{faithful}/{total}",
        "mean_quote_chars": round(statistics.mean(lengths), 1) if lengths else None,
    }
    if latencies:
        out["latency_ms_p50"] = round(latencies[len(latencies) // 2], 1)
        out["latency_ms_p95"] = round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))], 1)
    return out


def format_table(metrics: dict) -> str:
    width = max(len(k) for k in metrics)
    return "\n".join(f"{k:<{width}}  {'-' if v is None else v}" for k, v in metrics.items())
