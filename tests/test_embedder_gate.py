"""The query batcher: bounded concurrent encodes, batches that map back to the right callers."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from index.embedder import QueryBatcher


class FakeModel:
    """An encode that takes a while, maps "q7" to [7.0], and records how many calls overlap."""

    def __init__(self, seconds: float = 0.05, fail_on: str | None = None) -> None:
        self.seconds = seconds
        self.fail_on = fail_on
        self.batches: list[list[str]] = []
        self.running = 0
        self.most_running = 0
        self._lock = threading.Lock()

    def __call__(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            self.batches.append(list(texts))
            self.running += 1
            self.most_running = max(self.most_running, self.running)
        try:
            time.sleep(self.seconds)
            if self.fail_on in texts:
                raise RuntimeError("model failed")
            return np.array([[float(t[1:])] for t in texts], dtype=np.float32)
        finally:
            with self._lock:
                self.running -= 1


def ask_all(batcher: QueryBatcher, texts: list[str]) -> dict[str, object]:
    """Call the batcher from one thread per text, all at once; each text's result or exception."""
    results: dict[str, object] = {}
    start = threading.Barrier(len(texts))

    def call(text: str) -> None:
        start.wait()
        try:
            results[text] = batcher(text)
        except Exception as exc:
            results[text] = exc

    threads = [threading.Thread(target=call, args=(t,)) for t in texts]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=30)
    assert not any(th.is_alive() for th in threads), "a caller never got its result"
    return results


@pytest.mark.parametrize("limit", [1, 2])
def test_at_most_max_concurrent_encodes_run_at_once(limit):
    model = FakeModel()
    texts = [f"q{i}" for i in range(16)]
    ask_all(QueryBatcher(model, max_concurrent=limit), texts)
    assert model.most_running == limit
    assert sorted(t for batch in model.batches for t in batch) == sorted(texts)  # each encoded exactly once


def test_concurrent_queries_are_batched_and_each_caller_gets_its_own_row():
    model = FakeModel()
    texts = [f"q{i}" for i in range(16)]
    results = ask_all(QueryBatcher(model, max_concurrent=1), texts)
    assert len(model.batches) < len(texts)  # the queries that waited went through together
    assert max(len(b) for b in model.batches) > 1
    for text in texts:
        np.testing.assert_array_equal(results[text], [float(text[1:])])


def test_batches_are_capped_at_max_batch():
    model = FakeModel()
    texts = [f"q{i}" for i in range(12)]
    results = ask_all(QueryBatcher(model, max_batch=3), texts)
    assert max(len(b) for b in model.batches) <= 3
    assert all(results[t][0] == float(t[1:]) for t in texts)


def test_a_lone_query_goes_straight_through():
    model = FakeModel(seconds=0)
    batcher = QueryBatcher(model)
    assert batcher("q5")[0] == 5.0
    assert batcher("q6")[0] == 6.0
    assert model.batches == [["q5"], ["q6"]]


def test_a_failed_encode_raises_in_its_callers_and_the_batcher_recovers():
    model = FakeModel(fail_on="q3")
    batcher = QueryBatcher(model)
    results = ask_all(batcher, [f"q{i}" for i in range(8)])
    failed = {t for t, r in results.items() if isinstance(r, RuntimeError)}
    assert "q3" in failed
    failed_batch = next(b for b in model.batches if "q3" in b)
    assert failed == set(failed_batch)  # everyone in that batch, nobody else
    for t, r in results.items():
        if t not in failed:
            assert r[0] == float(t[1:])
    model.fail_on = None
    assert batcher("q9")[0] == 9.0


def test_a_short_answer_from_encode_is_an_error_not_a_hang():
    batcher = QueryBatcher(lambda texts: np.zeros((0, 1), dtype=np.float32))
    with pytest.raises(ValueError, match="0 rows for 1 texts"):
        batcher("q1")
    with pytest.raises(ValueError):
        QueryBatcher(lambda texts: texts, max_concurrent=0)


@pytest.mark.slow
def test_real_model_rows_of_a_batch_match_single_queries(embedder):
    """Padding a short question to the length of a long one in a batch must not change its vector."""
    texts = [
        "Which company owns Oppo, Vivo and OnePlus?",
        "Who is the CEO?",
        "What is the name of Shenzhen's famous electronics market, the one that sells every component there is?",
        "Haidian",
    ]
    batch = embedder.embed(texts)
    for text, row in zip(texts, batch, strict=True):
        np.testing.assert_allclose(row, embedder.embed_query(text), atol=1e-5)
