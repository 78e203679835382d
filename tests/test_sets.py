"""The question sets written for the seed corpus (benchmarks/sets) hold answers the documents say verbatim."""

from pathlib import Path

import pytest

from assistant import evaluate

ROOT = Path(__file__).resolve().parent.parent
SETS = sorted((ROOT / "benchmarks" / "sets").glob("*.jsonl"))


@pytest.mark.parametrize("path", SETS, ids=[p.name for p in SETS])
def test_every_answer_is_in_its_document_and_every_id_once(path):
    rows = evaluate.flatten(evaluate.load_rows([path]))
    assert rows and len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        if r["answers"]:
            text = evaluate.norm((ROOT / "docs_corpus" / r["doc"]).read_text(encoding="utf-8"))
            assert any(evaluate.norm(a) in text for a in r["answers"]), r["id"]
        else:
            assert r["doc"] is None, r["id"]


def test_both_sets_are_there():
    assert [p.name for p in SETS] == ["written_conversations.jsonl", "written_questions.jsonl"]
