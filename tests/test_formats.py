"""Document formats and broken files, each with a real file made by the test."""

from __future__ import annotations

import io

import pytest
from conftest import write

from index.build import build_index
from index.documents import read_document
from index.errors import DocumentError


def make_pdf(pages: list[str], title: str | None = None) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    if title:
        pdf.set_title(title)
    pdf.set_font("Helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def make_docx(title: str | None, paragraphs: list[str], bullets: list[str], table: list[list[str]]) -> bytes:
    import docx

    d = docx.Document()
    if title:
        d.core_properties.title = title
    for p in paragraphs:
        d.add_paragraph(p)
    for b in bullets:
        d.add_paragraph(b, style="List Bullet")
    t = d.add_table(rows=len(table), cols=len(table[0]))
    for i, row in enumerate(table):
        for j, cell in enumerate(row):
            t.cell(i, j).text = cell
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def encrypt_pdf(data: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


HTML = """<!doctype html><html><head><title>Hubs &amp; Cities</title>
<style>p { color: red }</style><script>var secret = "do not index this script";</script></head>
<body><nav>Home | About</nav>
<h1>Shenzhen hardware</h1>
<p>Shenzhen is the <b>hardware</b> capital of China, with <a href="/x">Huaqiangbei</a> at its heart.</p>
<div style="display: none">Hidden text that nobody sees.</div>
<ul><li>DJI makes drones.</li><li>Tencent makes WeChat.</li></ul>
<table><tr><td>Founded</td><td>1980</td></tr></table>
<p>Line one<br>line two &lt;b&gt; stays text.</p>
</body></html>"""


def test_html_gives_the_visible_text_and_the_title(tmp_path):
    doc = read_document(tmp_path, write(tmp_path / "page.html", HTML))
    assert doc.title == "Hubs & Cities"
    assert "Shenzhen is the hardware capital of China, with Huaqiangbei at its heart." in doc.text
    assert "• DJI makes drones." in doc.text and "• Tencent makes WeChat." in doc.text
    assert "Founded 1980" in doc.text
    assert "line two <b> stays text." in doc.text
    for hidden in ("do not index this script", "color: red", "Hidden text that nobody sees"):
        assert hidden not in doc.text
    assert doc.pages == ()


def test_pdf_gives_the_text_of_each_page_and_where_each_starts(tmp_path):
    data = make_pdf(
        ["Shenzhen is a hardware hub. Factories line the streets.", "Beijing is where research happens."],
        title="Two Hubs",
    )
    doc = read_document(tmp_path, write(tmp_path / "hubs.pdf", data))
    assert doc.title == "Two Hubs"
    assert len(doc.pages) == 2 and doc.pages[0] == 0
    first, second = doc.text[: doc.pages[1]], doc.text[doc.pages[1] :]
    assert "Factories line the streets." in first and "Beijing" not in first
    assert second.startswith("Beijing is where research happens.")


def test_docx_gives_paragraphs_lists_tables_and_its_title(tmp_path):
    data = make_docx(
        "Word Hubs",
        ["Hangzhou is home to Alibaba.", "Its West Lake draws visitors."],
        ["Alipay handles payments."],
        [["City", "Company"], ["Hangzhou", "Alibaba"]],
    )
    doc = read_document(tmp_path, write(tmp_path / "hubs.docx", data))
    assert doc.title == "Word Hubs"
    assert doc.text.split("\n\n") == [
        "Hangzhou is home to Alibaba.",
        "Its West Lake draws visitors.",
        "• Alipay handles payments.",
        "City Company",
        "Hangzhou Alibaba",
    ]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.md", b"   \n\n  ", "no text"),
        ("latin1.txt", "café au lait".encode("latin-1"), "UTF-8"),
        ("broken.pdf", b"%PDF-1.7\nthis is not really a PDF\n%%EOF", "cannot read the PDF"),
        ("broken.docx", b"PK\x03\x04 not a zip at all", "cannot read the Word document"),
        ("picture.png", b"\x89PNG\r\n\x1a\n", "unsupported file type"),
        ("big.txt", b"x" * 2048, "over the limit"),
    ],
)
def test_bad_files_are_refused_with_a_reason(tmp_path, name, content, reason):
    with pytest.raises(DocumentError, match=reason):
        read_document(tmp_path, write(tmp_path / name, content), max_bytes=1024)


def test_an_encrypted_pdf_is_refused_with_a_reason(tmp_path):
    data = encrypt_pdf(make_pdf(["Secret plans for the new hub."]))
    with pytest.raises(DocumentError, match="encrypted"):
        read_document(tmp_path, write(tmp_path / "secret.pdf", data))


def test_a_build_indexes_every_good_file_and_reports_every_bad_one(tmp_path, fake_embedder):
    corpus = tmp_path / "corpus"
    write(corpus / "page.html", HTML)
    write(corpus / "hubs.pdf", make_pdf(["Shenzhen is a hardware hub.", "Beijing is where research happens."]))
    write(corpus / "hubs.docx", make_docx(None, ["Hangzhou is home to Alibaba."], [], [["a", "b"]]))
    write(corpus / "notes.txt", "Plain notes about Guangzhou.")
    write(corpus / "secret.pdf", encrypt_pdf(make_pdf(["Secret."])))
    write(corpus / "broken.pdf", b"%PDF-1.4 garbage")
    write(corpus / "empty.txt", b"")
    write(corpus / "latin1.txt", "café".encode("latin-1"))
    write(corpus / "image.png", b"\x89PNG\r\n\x1a\n")
    write(corpus / "huge.txt", "word " * 30_000)
    report = build_index(corpus, tmp_path / "index", fake_embedder, max_file_bytes=100_000)
    assert sorted(report.added) == ["hubs.docx", "hubs.pdf", "notes.txt", "page.html"]
    skipped = {s["path"]: s["reason"] for s in report.skipped}
    assert set(skipped) == {"secret.pdf", "broken.pdf", "empty.txt", "latin1.txt", "image.png", "huge.txt"}
    assert all(skipped.values())
    from index.snapshot import IndexSnapshot

    snap = IndexSnapshot.load(tmp_path / "index")
    assert set(snap.documents) == set(report.added)
    assert snap.manifest.skipped == report.skipped
    assert snap.documents["hubs.pdf"].pages == read_document(corpus, corpus / "hubs.pdf").pages
    for s in snap.sentences:  # offsets refer to the extracted text, for every format
        assert snap.documents[s.doc].text[s.start : s.end] == s.text


def test_a_pdf_citation_carries_its_page_and_the_source_view_shows_it(tmp_path, embedder):
    from fastapi.testclient import TestClient

    from assistant.service import Assistant
    from assistant.settings import Settings
    from web.app import create_app

    corpus = tmp_path / "corpus"
    pages = [
        "Shenzhen grew from a fishing village into a city of factories. Hardware startups come for the supply chain.",
        "Beijing hosts the universities. Peking University and Tsinghua train many of the country's engineers.",
        "Hangzhou is home to Alibaba. The company runs Taobao and Alipay from its campus.",
    ]
    write(corpus / "cities.pdf", make_pdf(pages, title="Three Cities"))
    settings = Settings(corpus=corpus, index_dir=tmp_path / "index", abstain_threshold=0.0)
    with TestClient(create_app(settings, Assistant.open(settings, embedder, build=True))) as c:
        body = c.post("/ask", json={"question": "Which universities train engineers in Beijing?"}).json()
        first = body["citations"][0]
        assert "Tsinghua" in first["quote"] and first["page"] == 2 and first["title"] == "Three Cities"
        text = c.get("/documents/cities.pdf", params={"format": "text"}).text
        assert text[first["start"] : first["end"]] == first["quote"]
        page = c.get("/documents/cities.pdf").text
        assert 'data-pages="0,' in page and "3 pages" in page
