"""End to end through FastAPI's TestClient with the real packaged model."""

import json
import shutil

import pytest
from conftest import DEV_QUESTIONS, SEED_CORPUS, write
from fastapi.testclient import TestClient

pytestmark = pytest.mark.slow


def _dev_questions():
    return [json.loads(line) for line in DEV_QUESTIONS.read_text().splitlines() if line.strip()]


def test_ask_returns_the_contract(client):
    r = client.post("/ask", json={"question": "Which company owns Oppo, Vivo and OnePlus?"})
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"answer", "answered", "citations", "conversation_id", "query"}
    assert body["answered"] is True and body["citations"]
    c = body["citations"][0]
    assert set(c) == {"n", "document", "title", "quote", "start", "end", "score", "url", "page"}
    assert c["page"] is None  # a text file has no pages
    assert c["n"] == 1 and "[1]" in body["answer"]
    assert c["url"] == f"/documents/{c['document']}#c={c['start']}-{c['end']}"
    scores = [x["score"] for x in body["citations"]]
    assert scores == sorted(scores, reverse=True)


def test_every_citation_on_every_dev_question_is_verbatim(client):
    texts = {}
    for q in _dev_questions():
        body = client.post("/ask", json={"question": q["question"]}).json()
        for c in body["citations"]:
            if c["document"] not in texts:
                texts[c["document"]] = client.get(f"/documents/{c['document']}", params={"format": "text"}).text
            assert texts[c["document"]][c["start"] : c["end"]] == c["quote"], (q["id"], c)
            assert len(c["quote"]) <= 500
    # The extracted text served is the file decoded as UTF-8.
    for doc, text in texts.items():
        assert text == (SEED_CORPUS / doc).read_text(encoding="utf-8")


def test_unanswerable_question_is_not_answered(client):
    body = client.post("/ask", json={"question": "What is the capital of France?"}).json()
    assert body["answered"] is False
    assert "do not answer" in body["answer"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"question": ""}, "question"),
        ({"question": "   \n\t "}, "question"),
        ({"question": "x" * 1001}, "question"),
        ({"question": 42}, "question"),
        ({"question": ["a"]}, "question"),
        ({}, "question"),
        ({"question": "ok?", "top_k": 0}, "top_k"),
        ({"question": "ok?", "top_k": "three"}, "top_k"),
        ({"question": "ok?", "conversation_id": "../../etc"}, "conversation_id"),
        ({"question": "ok?", "surprise": 1}, "surprise"),
    ],
)
def test_bad_requests_get_422_with_a_message(client, payload, field):
    r = client.post("/ask", json=payload)
    assert r.status_code == 422
    body = r.json()
    assert field in body["detail"] and "Traceback" not in r.text


def test_malformed_json_is_a_422(client):
    r = client.post("/ask", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["detail"]


def test_unknown_conversation_is_a_404(client):
    r = client.post("/ask", json={"question": "Who owns it?", "conversation_id": "doesnotexist"})
    assert r.status_code == 404 and "no conversation" in r.json()["detail"]
    assert client.get("/conversations/doesnotexist").status_code == 404


def test_conversation_keeps_its_turns(client):
    first = client.post("/ask", json={"question": "Where is Tuya headquartered?"}).json()
    cid = first["conversation_id"]
    second = client.post("/ask", json={"question": "Who is the CEO of Trouble Maker?", "conversation_id": cid}).json()
    assert second["conversation_id"] == cid
    turns = client.get(f"/conversations/{cid}").json()["turns"]
    assert [t["question"] for t in turns] == [
        "Where is Tuya headquartered?",
        "Who is the CEO of Trouble Maker?",
    ]
    assert turns[1]["answer"]["citations"] == second["citations"]


@pytest.mark.parametrize(
    "path",
    [
        "/documents/../pyproject.toml",
        "/documents/%2e%2e/%2e%2e/etc/passwd",
        "/documents//etc/passwd",
        "/documents/..%2F..%2Fetc%2Fpasswd",
        "/documents/nope.txt",
    ],
)
def test_paths_outside_the_corpus_are_404(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert "root:" not in r.text and "[project]" not in r.text


def test_source_view_shows_the_document_with_the_highlighter(client):
    doc = sorted(p.name for p in SEED_CORPUS.glob("*.txt"))[0]
    r = client.get(f"/documents/{doc}")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert 'id="doc-text"' in r.text and "/static/document.js" in r.text
    js = client.get("/static/document.js").text
    assert "#c=" in js or "c=(" in js and "scrollIntoView" in js


def test_health(client):
    body = client.get("/health").json()
    assert body["ready"] is True and body["documents"] == 2 and body["chunks"] > 10
    assert body["index_version"].startswith("v") and body["built_at"]
    assert body["reindex"]["state"] == "idle" and body["skipped"] == []


def test_chat_page_and_api_docs_work_offline(client):
    page = client.get("/")
    assert page.status_code == 200 and 'id="ask-form"' in page.text and "/static/chat.js" in page.text
    assert "http" not in page.text.split("<body", 1)[1].replace("http-equiv", "")  # no CDN
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/swagger/swagger-ui-bundle.js" in docs.text
    assert client.get("/swagger/swagger-ui-bundle.js").status_code == 200
    schema = client.get("/openapi.json").json()
    citation = schema["components"]["schemas"]["CitationOut"]["properties"]
    assert all(prop.get("description") for prop in citation.values())


def test_html_in_documents_is_shown_as_text(tmp_path, embedder):
    from assistant.service import Assistant
    from assistant.settings import Settings
    from web.app import create_app

    corpus = tmp_path / "corpus"
    shutil.copytree(SEED_CORPUS, corpus)
    evil = (
        "Evil <script>alert('x')</script> Title\n\n"
        "The payload <img src=x onerror=alert(1)> hides in the XSS test sentence."
    )
    write(corpus / "evil.txt", evil)
    settings = Settings(corpus=corpus, index_dir=tmp_path / "index")
    assistant = Assistant.open(settings, embedder, build=True)
    with TestClient(create_app(settings, assistant)) as c:
        page = c.get("/documents/evil.txt").text
        assert "<script>alert" not in page and "&lt;script&gt;alert" in page
        assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
        body = c.post("/ask", json={"question": "What hides in the XSS test sentence?"}).json()
        assert any("<img" in cit["quote"] for cit in body["citations"])  # JSON keeps it verbatim
        assert c.get("/documents/evil.txt", params={"format": "text"}).headers["content-type"].startswith("text/plain")


def test_not_ready_without_an_index(tmp_path):
    from assistant.settings import Settings
    from web.app import create_app

    settings = Settings(corpus=tmp_path, index_dir=tmp_path / "missing")
    app = create_app(settings)
    app.state.not_ready = "no index in missing; run `assistant index` to build it"
    app.state.assistant = None
    c = TestClient(app)  # no lifespan: nothing loads
    r = c.post("/ask", json={"question": "Anything?"})
    assert r.status_code == 503 and "assistant index" in r.json()["detail"]
    assert c.get("/health").json()["ready"] is False
