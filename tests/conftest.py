"""Shared fixtures: the real packaged model once per session, a fake embedder, small corpora."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
SEED_CORPUS = ROOT / "docs_corpus"
SHARED = ROOT.parent / "shared"
DEV_QUESTIONS = SHARED / "eval" / "dev_questions.jsonl"
DEV_CONVERSATIONS = SHARED / "eval" / "dev_conversations.jsonl"


@pytest.fixture(scope="session")
def embedder():
    """The real all-MiniLM-L6-v2 from its package (loaded once)."""
    from index.embedder import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


@pytest.fixture
def fake_embedder():
    from index.embedder import HashEmbedder

    return HashEmbedder()


@pytest.fixture(scope="session")
def seed_settings(tmp_path_factory):
    from assistant.settings import Settings

    base = tmp_path_factory.mktemp("seed")
    corpus = base / "corpus"
    shutil.copytree(SEED_CORPUS, corpus)
    return Settings(corpus=corpus, index_dir=base / "index")


@pytest.fixture(scope="session")
def seed_assistant(seed_settings, embedder):
    """An assistant over the seed corpus, with the real model."""
    from assistant.service import Assistant

    return Assistant.open(seed_settings, embedder, build=True)


@pytest.fixture(scope="session")
def client(seed_settings, seed_assistant):
    from fastapi.testclient import TestClient

    from web.app import create_app

    with TestClient(create_app(seed_settings, seed_assistant)) as c:
        yield c


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def assistant_over(base: Path, embedder, files: dict[str, str], **settings):
    """A real assistant over ``files`` (name -> text) written into ``base/corpus``, its index in ``base/index``."""
    from assistant.service import Assistant
    from assistant.settings import Settings

    for name, text in files.items():
        write(base / "corpus" / name, text)
    return Assistant.open(Settings(corpus=base / "corpus", index_dir=base / "index", **settings), embedder, build=True)


@contextmanager
def running_server(settings, assistant) -> Iterator[str]:
    """A real uvicorn server for ``assistant`` in a thread on a free port; yields its base URL."""
    import uvicorn

    from web.app import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(settings, assistant), port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the uvicorn server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
