"""Shared helpers for the benchmarks: where the external data lives, building an index of it, timing."""

from __future__ import annotations

import os
import platform
import random
import re
import sys
from datetime import date
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EXTERNAL = ROOT.parent / "shared" / "eval" / "external"
OUT = ROOT / "benchmarks" / "out"

from assistant.service import Assistant  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from index.embedder import SentenceTransformerEmbedder  # noqa: E402

_EMBEDDER = None


def embedder() -> SentenceTransformerEmbedder:
    global _EMBEDDER
    if _EMBEDDER is None:
        _EMBEDDER = SentenceTransformerEmbedder()
    return _EMBEDDER


def open_assistant(name: str, corpus: Path, **settings) -> Assistant:
    """An assistant over ``corpus`` with its index kept in benchmarks/out/NAME (built or updated first)."""
    s = Settings(corpus=corpus, index_dir=OUT / name / "index", **settings)
    return Assistant.open(s, embedder(), build=True, progress=sys.stderr.isatty())


def article_file(title: str) -> str:
    """The corpus file of a SQuAD article, named as the data set's converter names it."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", title) + ".txt"


def sample(rows: list[dict], n: int | None, seed: int = 13) -> list[dict]:
    if n is None or n >= len(rows):
        return rows
    return random.Random(seed).sample(rows, n)


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {date.today()}"
