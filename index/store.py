"""The vector store: one small class that hides FAISS.

Inner product over L2-normalised vectors (cosine similarity), with explicit int64 ids so a
row is never assumed to be the i-th chunk.
"""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

from index.errors import IndexCorruptError


def id_to_int(chunk_id: str) -> int:
    """A chunk id (hex) as the non-negative int64 FAISS stores."""
    return int(chunk_id[:15], 16)


class VectorStore:
    """Exact inner-product search over normalised vectors with stable int64 ids."""

    def __init__(self, dim: int) -> None:
        if dim <= 0:
            raise ValueError(f"dimension must be positive, got {dim}")
        self.dim = dim
        self._index = faiss.IndexIDMap(faiss.IndexFlatIP(dim))

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[1] != self.dim:
            raise ValueError(f"expected vectors of shape (n, {self.dim}), got {vectors.shape}")
        if len(ids) != len(vectors):
            raise ValueError(f"{len(ids)} ids for {len(vectors)} vectors")
        if len(ids):
            self._index.add_with_ids(vectors, ids)

    def remove(self, ids: np.ndarray) -> int:
        """Remove these ids; returns how many were removed."""
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        if not len(ids):
            return 0
        return int(self._index.remove_ids(faiss.IDSelectorBatch(ids)))

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top ``k`` (scores, ids) for each query row; missing results are dropped."""
        query = np.ascontiguousarray(np.atleast_2d(query), dtype=np.float32)
        k = min(k, len(self))
        if k <= 0:
            empty = np.zeros((len(query), 0))
            return empty.astype(np.float32), empty.astype(np.int64)
        scores, ids = self._index.search(query, k)
        return scores, ids

    def all_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """Every (id, vector) pair stored, as two arrays (a copy)."""
        flat = faiss.downcast_index(self._index.index)
        n = len(self)
        if n == 0:
            return np.zeros(0, dtype=np.int64), np.zeros((0, self.dim), dtype=np.float32)
        vectors = faiss.rev_swig_ptr(flat.get_xb(), n * self.dim).reshape(n, self.dim).copy()
        return faiss.vector_to_array(self._index.id_map).astype(np.int64), vectors

    def save(self, path: Path) -> None:
        faiss.write_index(self._index, str(path))

    @classmethod
    def load(cls, path: Path) -> VectorStore:
        try:
            index = faiss.read_index(str(path))
        except RuntimeError as exc:
            raise IndexCorruptError(f"cannot read vectors from {path}: {exc}") from exc
        store = cls(index.d)
        store._index = index
        return store
