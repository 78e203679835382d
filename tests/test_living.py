"""A living corpus: files edited, added, removed and renamed; builds killed mid-way; re-indexing while serving."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from conftest import ROOT, running_server, write
from fastapi.testclient import TestClient

from index.build import build_index
from index.snapshot import IndexSnapshot

SHENZHEN_MORE = " ".join(
    f"Street {n} of the district has {n * 3} shops selling cables, screens and chips to makers." for n in range(1, 25)
)
FILES = {
    "shenzhen.txt": "Shenzhen\n\nShenzhen is a hardware hub. Huaqiangbei sells every electronic part.\n\n"
    f"{SHENZHEN_MORE}\n\nDJI makes drones in Shenzhen. Tencent was founded there in 1998.\n\n{SHENZHEN_MORE}",
    "beijing.txt": "Beijing\n\nBeijing hosts Peking University. Baidu is based in Haidian.",
    "hangzhou.txt": "Hangzhou\n\nHangzhou is home to Alibaba. Its West Lake draws visitors.",
    "notes/guangzhou.md": "# Guangzhou\n\nGuangzhou holds the Canton Fair every spring.",
}


def make_corpus(root: Path) -> Path:
    for name, text in FILES.items():
        write(root / name, text)
    return root


def spans(index_dir: Path) -> set[tuple[str, str]]:
    snap = IndexSnapshot.load(index_dir)
    return {(s.doc, s.text) for s in snap.passages + snap.sentences}


def test_edit_add_remove_rename_touch_exactly_their_passages(tmp_path, fake_embedder):
    corpus, index_dir = make_corpus(tmp_path / "corpus"), tmp_path / "index"
    build_index(corpus, index_dir, fake_embedder)
    before = spans(index_dir)

    # Edit one sentence of one file, add one, remove one, rename one.
    write(
        corpus / "shenzhen.txt",
        FILES["shenzhen.txt"].replace("founded there in 1998", "founded there in 1998 by Pony Ma"),
    )
    write(corpus / "chengdu.txt", "Chengdu\n\nChengdu is known for game studios.")
    (corpus / "hangzhou.txt").unlink()
    (corpus / "notes/guangzhou.md").rename(corpus / "notes/canton.md")
    report = build_index(corpus, index_dir, fake_embedder)
    after = spans(index_dir)

    assert report.changed == ["shenzhen.txt"]
    assert sorted(report.added) == ["chengdu.txt", "notes/canton.md"]
    assert report.removed == ["hangzhou.txt", "notes/guangzhou.md"] and report.unchanged == 1
    gone, new = before - after, after - before
    assert {doc for doc, _ in gone} == {"shenzhen.txt", "hangzhou.txt", "notes/guangzhou.md"}
    assert {doc for doc, _ in new} == {"shenzhen.txt", "chengdu.txt", "notes/canton.md"}
    # In the edited file only the edited sentence and the passages holding it changed.
    edited = [t for d, t in gone if d == "shenzhen.txt"]
    assert "Tencent was founded there in 1998." in edited
    assert all("founded there in 1998" in t for t in edited)
    assert sum(1 for d, _ in before if d == "shenzhen.txt") >= len(edited) + 4  # the rest kept as they were
    # No stale or duplicate passages: every span is one of the current files' and appears once.
    snap = IndexSnapshot.load(index_dir)
    assert set(snap.documents) == {"shenzhen.txt", "beijing.txt", "chengdu.txt", "notes/canton.md"}
    ids = [s.id for s in snap.passages + snap.sentences]
    assert len(ids) == len(set(ids))
    assert len(snap.passage_vectors) == len(snap.passages) and len(snap.sentence_vectors) == len(snap.sentences)
    # Only text never embedded before was embedded: the edited sentence and passage, and Chengdu's
    # (the renamed file's text was embedded under its old name, so its vectors are reused).
    new_texts = {t for _, t in new} - {t for _, t in before}
    assert report.embedded == len(new_texts)


WORKER = """
import sys, time
sys.path.insert(0, {root!r})
from index.build import build_index
from index.embedder import HashEmbedder

class Slow(HashEmbedder):
    def embed_passages(self, texts, *, show_progress=False):
        print("embedding", flush=True)
        time.sleep(float(sys.argv[3]))
        return super().embed_passages(texts)

build_index(__import__("pathlib").Path(sys.argv[1]), __import__("pathlib").Path(sys.argv[2]), Slow())
print("done", flush=True)
"""


@pytest.mark.parametrize("kill_after", [0.0, 0.3, 0.8, 1.5])
def test_a_killed_build_leaves_an_index_that_loads_and_answers(tmp_path, fake_embedder, kill_after):
    from assistant.service import Assistant
    from assistant.settings import Settings

    corpus, index_dir = make_corpus(tmp_path / "corpus"), tmp_path / "index"
    build_index(corpus, index_dir, fake_embedder)
    version = IndexSnapshot.load(index_dir).version
    for i in range(200):  # enough work that the kill lands mid-way: reading, embedding or writing
        write(corpus / f"bulk/{i:03}.txt", f"Bulk file {i}.\n\nCity number {i} has {i * 7} startups. " * 5)
    script = tmp_path / "worker.py"
    script.write_text(WORKER.format(root=str(ROOT)))
    proc = subprocess.Popen(
        [sys.executable, str(script), str(corpus), str(index_dir), "0.2"], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "embedding"
    time.sleep(kill_after)
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    snap = IndexSnapshot.load(index_dir)  # never a half-written index
    assert snap.version == version or len(snap.documents) == len(FILES) + 200
    settings = Settings(corpus=corpus, index_dir=index_dir, abstain_threshold=0.0)
    answer = Assistant(settings, fake_embedder, snap, None).ask("Where is Baidu based?")
    assert any("Haidian" in c.quote for c in answer.citations)
    # The next build cleans up after the killed one and completes.
    report = build_index(corpus, index_dir, fake_embedder)
    assert len(IndexSnapshot.load(index_dir).documents) == len(FILES) + 200
    assert not list((index_dir / "versions").glob(".tmp-*")) and report.documents == len(FILES) + 200


@pytest.fixture
def living(tmp_path, embedder):
    """Settings and an assistant over a small corpus of its own, with an admin token."""
    from assistant.service import Assistant
    from assistant.settings import Settings

    corpus = make_corpus(tmp_path / "corpus")
    settings = Settings(corpus=corpus, index_dir=tmp_path / "index", admin_token="s3cret", watch_debounce_ms=200)
    return settings, Assistant.open(settings, embedder, build=True)


def _wait_for(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_reindex_needs_the_admin_token_and_answers_follow_the_corpus(living):
    from web.app import create_app

    settings, assistant = living
    with TestClient(create_app(settings, assistant)) as c:
        old = c.get("/health").json()["index_version"]
        assert c.post("/reindex").status_code == 401
        r = c.post("/reindex", headers={"Authorization": "Bearer wrong"})
        assert r.status_code == 401 and "admin token" in r.json()["detail"]

        write(settings.corpus / "chengdu.txt", "Chengdu\n\nChengdu is famous for its game studios and pandas.")
        (settings.corpus / "hangzhou.txt").unlink()
        r = c.post("/reindex", headers={"Authorization": "Bearer s3cret"})
        assert r.status_code == 202 and r.json()["reindex"]["state"] in ("running", "idle")
        assert _wait_for(lambda: c.get("/health").json()["reindex"]["state"] == "idle")
        health = c.get("/health").json()
        assert health["index_version"] != old and health["reindex"]["added"] == 1
        assert health["reindex"]["removed"] == 1 and health["reindex"]["trigger"] == "api"
        answer = c.post("/ask", json={"question": "What is Chengdu famous for?"}).json()
        assert answer["answered"] and "game studios" in answer["citations"][0]["quote"]
        assert c.get("/documents/hangzhou.txt").status_code == 404


def test_reindex_is_disabled_without_a_token(tmp_path, seed_settings, seed_assistant):
    from web.app import create_app

    with TestClient(create_app(seed_settings, seed_assistant)) as c:
        r = c.post("/reindex", headers={"Authorization": "Bearer anything"})
        assert r.status_code == 403 and "ASSISTANT_ADMIN_TOKEN" in r.json()["detail"]


def test_a_failed_rebuild_keeps_the_index_in_use(living):
    from web.app import create_app

    settings, assistant = living
    with TestClient(create_app(settings, assistant)) as c:
        version = c.get("/health").json()["index_version"]
        settings.corpus.rename(settings.corpus.with_name("moved"))
        assert c.post("/reindex", headers={"Authorization": "Bearer s3cret"}).status_code == 202
        assert _wait_for(lambda: c.get("/health").json()["reindex"]["state"] == "failed")
        health = c.get("/health").json()
        assert "does not exist" in health["reindex"]["error"] and health["index_version"] == version
        answer = c.post("/ask", json={"question": "Where is Baidu based?"}).json()
        assert "Haidian" in answer["citations"][0]["quote"]


def test_watch_mode_reindexes_by_itself(living):
    from web.app import create_app

    settings, assistant = living
    settings = settings.model_copy(update={"watch": True})
    with TestClient(create_app(settings, assistant)) as c:
        version = c.get("/health").json()["index_version"]
        time.sleep(0.5)  # let the watcher start
        for i in range(3):  # a burst of changes
            write(settings.corpus / f"wuhan{i}.txt", f"Wuhan {i}\n\nWuhan has {i + 3} optics valleys.")
        assert _wait_for(lambda: c.get("/health").json()["index_version"] != version)
        assert _wait_for(lambda: c.get("/health").json()["reindex"]["state"] == "idle")
        health = c.get("/health").json()
        assert health["documents"] == len(FILES) + 3 and health["reindex"]["trigger"] == "watch"


def test_reindex_under_concurrent_asks_fails_no_request(living):
    settings, assistant = living
    stop = threading.Event()
    results: list[tuple[int, bool]] = []
    with running_server(settings, assistant) as base:

        def client():
            with httpx.Client(base_url=base, timeout=30) as h:
                while not stop.is_set():
                    r = h.post("/ask", json={"question": "Where is Baidu based?"})
                    ok = r.status_code == 200 and "Haidian" in r.json()["citations"][0]["quote"]
                    results.append((r.status_code, ok))

        clients = [threading.Thread(target=client) for _ in range(4)]
        for t in clients:
            t.start()
        try:
            with httpx.Client(base_url=base, timeout=30) as h:
                versions = {h.get("/health").json()["index_version"]}
                for i in range(3):
                    write(settings.corpus / f"new{i}.txt", f"New {i}\n\nCity {i} opened {i + 2} labs this year.")
                    assert h.post("/reindex", headers={"Authorization": "Bearer s3cret"}).status_code == 202
                    assert _wait_for(lambda: h.get("/health").json()["reindex"]["state"] == "idle")
                    versions.add(h.get("/health").json()["index_version"])
            # A fast machine rebuilds so small a corpus in a moment: keep asking until enough answers are in.
            assert _wait_for(lambda: len(results) >= 20)
        finally:
            stop.set()
            for t in clients:
                t.join()
    assert len(versions) == 4  # three rebuilds swapped in while the clients asked
    assert len(results) >= 20 and all(status == 200 and ok for status, ok in results)


def test_assistant_index_and_serve_watch_are_on_the_command_line():
    out = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "serve", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert "--watch" in out.stdout


def test_the_watcher_judges_hidden_files_within_the_corpus_only(tmp_path):
    from watchfiles import Change

    from assistant.reindex import corpus_filter

    corpus = tmp_path / ".config" / "corpus"  # a hidden folder above the corpus hides nothing in it
    wanted = corpus_filter(corpus)
    assert wanted(Change.added, str(corpus / "notes" / "a.txt"))
    assert wanted(Change.modified, str(corpus / "report.pdf"))
    assert wanted(Change.deleted, str(corpus / "old-folder"))
    assert not wanted(Change.added, str(corpus / ".git" / "a.txt"))
    assert not wanted(Change.added, str(corpus / "picture.png"))
