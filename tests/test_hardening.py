"""Hostile input, access control and faults: each gives a clear answer, keeps serving what it can, loses nothing."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3

import pytest
import schemathesis
from conftest import SEED_CORPUS, write
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from assistant.service import Assistant
from assistant.settings import Settings
from web.app import create_app

QUESTION = {"question": "Which company owns Oppo, Vivo and OnePlus?"}


@pytest.fixture
def small(tmp_path, embedder, seed_settings, seed_assistant):
    """Settings and an assistant over a copy of the seed corpus and its index, in a folder of the test's own."""

    def make(**overrides):
        corpus = tmp_path / "corpus"
        if not corpus.exists():
            shutil.copytree(SEED_CORPUS, corpus)
            ignore = shutil.ignore_patterns("conversations.sqlite3*", "build.lock")
            shutil.copytree(seed_settings.index_dir, tmp_path / "index", ignore=ignore)
        s = Settings(corpus=corpus, index_dir=tmp_path / "index", **overrides)
        return s, Assistant.open(s, embedder, build=True)

    return make


# --- access control ---------------------------------------------------------------------------------------


def test_api_key_guards_questions_documents_and_conversations(small):
    s, assistant = small(api_key="k3y-for-tests", admin_token="adm1n")
    with TestClient(create_app(s, assistant)) as c:
        doc = next(iter(assistant.snapshot.documents))
        for method, url in [("post", "/ask"), ("get", f"/documents/{doc}"), ("get", "/conversations/abc")]:
            r = c.request(method, url, json=QUESTION if method == "post" else None)
            assert r.status_code == 401 and "API key" in r.json()["detail"], url
            assert r.headers["www-authenticate"] == "Bearer"
        assert c.post("/ask", json=QUESTION, headers={"Authorization": "Bearer wrong"}).status_code == 401
        r = c.post("/ask", json=QUESTION, headers={"Authorization": "Bearer k3y-for-tests"})
        assert r.status_code == 200 and r.json()["answered"]
        # The page, its assets and /health stay open; /health says a key is needed.
        assert c.get("/").status_code == 200 and c.get("/static/chat.js").status_code == 200
        assert c.get("/health").json()["auth_required"] is True
        # The API key is not the admin token.
        assert c.post("/reindex", headers={"Authorization": "Bearer k3y-for-tests"}).status_code == 401


def test_the_chat_page_signs_in_with_a_session_cookie_not_the_key(small):
    s, assistant = small(api_key="k3y-for-tests")
    with TestClient(create_app(s, assistant)) as c:
        assert c.post("/session", json={"key": "nope"}).status_code == 401
        r = c.post("/session", json={"key": "k3y-for-tests"})
        assert r.status_code == 204
        cookie = r.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "k3y-for-tests" not in cookie
        answer = c.post("/ask", json=QUESTION).json()  # the cookie is enough
        assert answer["answered"]
        assert c.get(answer["citations"][0]["url"].split("#")[0]).status_code == 200
        c.cookies.clear()
        c.cookies.set("assistant_session", "9999999999.forged")
        assert c.post("/ask", json=QUESTION).status_code == 401
        c.cookies.clear()
        assert c.delete("/session").status_code == 204


# --- hostile input ----------------------------------------------------------------------------------------


def test_request_bodies_over_the_limit_are_refused(client):
    big = {"question": "x" * 200_000}
    r = client.post("/ask", json=big)
    assert r.status_code == 413 and "larger than" in r.json()["detail"]

    def chunks():  # no Content-Length: the limit still holds
        for _ in range(100):
            yield b"x" * 1024

    r = client.post("/ask", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b'{"question": "caf\xe9 au lait?"}', 400),  # not UTF-8
        (b'{"question": "\xff\xfe"}', 400),
        (b"\x00\x01\x02", 422),
        (b'{"question": "Who?", "top_k": 1000}', 422),
        (b'{"question": "Who?", "conversation_id": "../../etc/passwd"}', 422),
    ],
)
def test_malformed_bodies_get_a_clear_4xx(client, body, status):
    r = client.post("/ask", content=body, headers={"content-type": "application/json"})
    assert r.status_code == status and r.json()["detail"]


@pytest.mark.parametrize("path", ["/documents/%ff%fe.txt", "/documents/%00", "/documents/..%2f..%2fetc%2fpasswd"])
def test_odd_document_paths_are_404(client, path):
    r = client.get(path)
    assert r.status_code == 404 and "Traceback" not in r.text


def test_links_leading_outside_the_corpus_are_never_indexed_or_served(tmp_path, fake_embedder):
    from index.build import build_index
    from index.snapshot import IndexSnapshot

    secret = write(tmp_path / "outside" / "secret.txt", "The launch code is 0000.")
    corpus = tmp_path / "corpus"
    write(corpus / "inside.txt", "Inside\n\nShenzhen makes drones.")
    (corpus / "link.txt").symlink_to(secret)
    (corpus / "linked-dir").symlink_to(secret.parent, target_is_directory=True)
    build_index(corpus, tmp_path / "index", fake_embedder)
    snap = IndexSnapshot.load(tmp_path / "index")
    assert set(snap.documents) == {"inside.txt"}
    s = Settings(corpus=corpus, index_dir=tmp_path / "index")
    with TestClient(create_app(s, Assistant(s, fake_embedder, snap))) as c:
        for p in ("link.txt", "linked-dir/secret.txt"):
            assert c.get(f"/documents/{p}").status_code == 404


def test_very_long_documents_and_lines_stay_within_bounds(tmp_path, fake_embedder):
    corpus = tmp_path / "corpus"
    one_line = " ".join(f"token{i} and the harbour crane number {i}" for i in range(3000))  # ~110,000 chars
    write(corpus / "long-line.txt", one_line)
    write(corpus / "many-lines.txt", "\n".join(f"Line {i}: the warehouse keeps {i} boxes." for i in range(3000)))
    s = Settings(corpus=corpus, index_dir=tmp_path / "index", abstain_threshold=0.0)
    assistant = Assistant.open(s, fake_embedder, build=True)
    answer = assistant.ask("Which harbour crane number 2777 is listed?")
    assert answer.citations
    for c in answer.citations:
        text = assistant.document(c.document).text
        assert text[c.start : c.end] == c.quote and len(c.quote) <= s.max_quote_chars + 200


def test_no_stack_traces_or_server_paths_in_responses(tmp_path):
    s = Settings(corpus=tmp_path / "missing-corpus", index_dir=tmp_path / "missing-index")
    with TestClient(create_app(s)) as c:
        for r in (c.post("/ask", json=QUESTION), c.get("/health")):
            assert str(tmp_path) not in r.text and "Traceback" not in r.text
        assert c.post("/ask", json=QUESTION).status_code == 503


# --- fuzzing from the OpenAPI schema ---------------------------------------------------------------------


def test_fuzzing_the_api_finds_no_server_error(seed_settings, seed_assistant):
    app = create_app(seed_settings.model_copy(update={"admin_token": None}), seed_assistant)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} >= {"/ask", "/documents/{path}", "/conversations/{conversation_id}"}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
        def run(case):
            response = case.call()
            if response.status_code >= 500 or "Traceback" in response.text:
                failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}")

        run()
    assert not failures


# --- faults -----------------------------------------------------------------------------------------------


def test_index_deleted_while_serving_keeps_answering_and_can_be_rebuilt(small):
    s, assistant = small(admin_token="adm1n")
    with TestClient(create_app(s, assistant)) as c:
        shutil.rmtree(s.index_dir / "versions")
        assert c.post("/ask", json=QUESTION).json()["answered"]
        warnings = c.get("/health").json()["warnings"]
        assert any("missing from disk" in w for w in warnings)
        assert c.post("/reindex", headers={"Authorization": "Bearer adm1n"}).status_code == 202
        assert c.app.state.reindexer.wait(timeout=120)
        health = c.get("/health").json()
        assert health["reindex"]["state"] == "idle" and "warnings" not in health
        assert c.post("/ask", json=QUESTION).json()["answered"]


def test_truncated_index_files_do_not_stop_answering_and_the_next_build_repairs_them(small):
    from index.snapshot import IndexSnapshot, current_version_dir

    s, assistant = small()
    vdir = current_version_dir(s.index_dir)
    (vdir / "sentences.faiss").write_bytes((vdir / "sentences.faiss").read_bytes()[:100])
    assert assistant.ask(QUESTION["question"]).answered  # served from memory
    report = assistant.reindex()
    assert report.swapped and report.reused == 0  # nothing trusted from the damaged version
    assert len(IndexSnapshot.load(s.index_dir).sentences) == len(assistant.snapshot.sentences)


def test_a_locked_conversation_store_gives_503_and_loses_nothing(small):
    s, assistant = small()
    assistant.conversations._db.execute("PRAGMA busy_timeout = 100")
    with TestClient(create_app(s, assistant)) as c:
        first = c.post("/ask", json=QUESTION).json()
        cid = first["conversation_id"]
        other = sqlite3.connect(s.conversations_path)
        other.execute("BEGIN EXCLUSIVE")
        try:
            r = c.post("/ask", json={"question": "Where are they based?", "conversation_id": cid})
            assert r.status_code == 503 and "conversation store" in r.json()["detail"]
            assert c.get("/documents/" + first["citations"][0]["document"]).status_code == 200
        finally:
            other.rollback()
            other.close()
        turns = c.get(f"/conversations/{cid}").json()["turns"]
        assert [t["question"] for t in turns] == [QUESTION["question"]]
        assert c.post("/ask", json={"question": "Where are they based?", "conversation_id": cid}).status_code == 200


def test_a_corrupt_conversation_store_is_set_aside_not_deleted(small, tmp_path):
    s, first = small()
    first.conversations.close()  # the server stopped; then the file got damaged
    bad = b"this is not a database at all" * 100
    s.conversations_path.unlink()
    s.conversations_path.write_bytes(bad)
    s2, assistant = small()
    kept = list(s.conversations_path.parent.glob("conversations.sqlite3.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == bad
    with TestClient(create_app(s2, assistant)) as c:
        assert c.post("/ask", json=QUESTION).status_code == 200
        assert any("corrupt" in w for w in c.get("/health").json()["warnings"])
        assert str(tmp_path) not in c.get("/health").text


def test_a_missing_corpus_at_start_serves_the_index_already_built(small, embedder):
    s, _ = small()
    shutil.rmtree(s.corpus)
    assistant = Assistant.open(s, embedder, build=True)
    with TestClient(create_app(s, assistant)) as c:
        assert c.post("/ask", json=QUESTION).json()["answered"]
        warnings = c.get("/health").json()["warnings"]
        assert any("could not be updated" in w and "the corpus folder" in w for w in warnings)


def test_a_full_disk_during_a_build_keeps_the_current_index(tmp_path, fake_embedder, monkeypatch):
    import index.build as build
    from index.errors import IndexWriteError
    from index.snapshot import IndexSnapshot

    corpus = tmp_path / "corpus"
    write(corpus / "a.txt", "Alpha\n\nShenzhen makes drones.")
    build.build_index(corpus, tmp_path / "index", fake_embedder)
    version = IndexSnapshot.load(tmp_path / "index").version
    write(corpus / "b.txt", "Beta\n\nBeijing does research.")
    calls = {"n": 0}
    real = build.write_jsonl

    def full_disk(path, rows):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real(path, rows)

    monkeypatch.setattr(build, "write_jsonl", full_disk)
    with pytest.raises(IndexWriteError, match="No space left on device"):
        build.build_index(corpus, tmp_path / "index", fake_embedder)
    assert IndexSnapshot.load(tmp_path / "index").version == version
    assert not list((tmp_path / "index" / "versions").glob(".tmp-*"))
    monkeypatch.setattr(build, "write_jsonl", real)
    assert build.build_index(corpus, tmp_path / "index", fake_embedder).swapped
