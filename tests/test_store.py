import numpy as np
import pytest

from index.errors import IndexCorruptError
from index.lexical import LexicalIndex
from index.store import VectorStore


def _unit(rng, n, dim):
    v = rng.standard_normal((n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_search_matches_numpy_brute_force():
    rng = np.random.default_rng(7)
    vectors, queries = _unit(rng, 500, 32), _unit(rng, 20, 32)
    ids = rng.choice(10**12, size=500, replace=False).astype(np.int64)
    store = VectorStore(32)
    store.add(ids, vectors)
    scores, found = store.search(queries, 10)
    brute = queries @ vectors.T
    for q in range(len(queries)):
        order = np.argsort(-brute[q])[:10]
        assert list(found[q]) == list(ids[order])
        np.testing.assert_allclose(scores[q], brute[q][order], rtol=1e-5, atol=1e-5)


def test_remove_save_and_load(tmp_path):
    rng = np.random.default_rng(1)
    vectors = _unit(rng, 50, 8)
    ids = np.arange(100, 150, dtype=np.int64)
    store = VectorStore(8)
    store.add(ids, vectors)
    assert store.remove(ids[:10]) == 10
    assert len(store) == 40
    store.save(tmp_path / "v.faiss")
    loaded = VectorStore.load(tmp_path / "v.faiss")
    assert len(loaded) == 40
    _, found = loaded.search(vectors[:10], 1)
    assert not set(found[:, 0]) & set(ids[:10])  # removed vectors are never returned
    got_ids, got_vectors = loaded.all_vectors()
    np.testing.assert_allclose(got_vectors[np.argsort(got_ids)], vectors[10:], atol=1e-6)


def test_bad_shapes_are_rejected():
    store = VectorStore(4)
    with pytest.raises(ValueError, match=r"shape \(n, 4\)"):
        store.add(np.array([1]), np.zeros((1, 5), dtype=np.float32))
    with pytest.raises(ValueError, match="2 ids for 1 vectors"):
        store.add(np.array([1, 2]), np.zeros((1, 4), dtype=np.float32))


def test_corrupt_file_is_reported(tmp_path):
    (tmp_path / "v.faiss").write_bytes(b"not faiss")
    with pytest.raises(IndexCorruptError, match="cannot read vectors"):
        VectorStore.load(tmp_path / "v.faiss")


def test_bm25_ranks_term_matches_and_survives_save(tmp_path):
    texts = ["Shenzhen is a hardware hub.", "BBK owns Oppo and Vivo.", "Cats sleep a lot."]
    lex = LexicalIndex.build(texts)
    rows, scores = lex.search("Who owns Oppo?", 3)
    assert list(rows) == [1] and scores[0] > 0
    assert lex.search("the of and", 3)[0].size == 0
    lex.save(tmp_path / "bm25")
    again = LexicalIndex.load(tmp_path / "bm25")
    assert list(again.search("hardware hubs", 3)[0]) == [0]
    assert again.idf("oppo") > again.idf("zzz-unknown") - 10  # unseen terms count as rare, finite
