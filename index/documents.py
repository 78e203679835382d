"""Reading corpus files into documents: the one place that knows file formats.

A document's ``text`` is the text every offset in the index refers to; it is kept exactly as
extracted (for a .txt file, the file decoded as UTF-8; for HTML, the visible text; for PDF, the text
of each page; for Word, its paragraphs and tables), never normalised afterwards.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from zipfile import BadZipFile

from bs4 import BeautifulSoup
from docx import Document as DocxDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table as DocxTable
from pypdf import PdfReader
from pypdf.errors import DependencyError, PyPdfError

from index.errors import DocumentError

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
TITLE_MAX_CHARS = 150


@dataclass(frozen=True)
class Document:
    """A corpus file as the assistant sees it."""

    path: str  # POSIX path relative to the corpus root
    title: str
    text: str
    sha256: str
    pages: tuple[int, ...] = ()  # offset in ``text`` where each page starts (paged formats only)


@dataclass(frozen=True)
class Extracted:
    """What a reader gets out of a file: the text, the title its format records, page starts."""

    text: str
    title: str | None = None
    pages: tuple[int, ...] = ()


def _decode_utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentError(f"not valid UTF-8 (byte {exc.start}); save the file as UTF-8") from exc


def _first_line_title(text: str, *, strip_markdown: bool = False) -> str | None:
    """The first non-empty line, when it reads as a title (short, not a sentence)."""
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if strip_markdown:
            line = line.lstrip("#").strip()
        if 0 < len(line) <= TITLE_MAX_CHARS and not line.endswith((".", ",", ";", ":")):
            return line
        return None
    return None


def _clean_title(title: object) -> str | None:
    title = " ".join(str(title or "").split())
    return title[:TITLE_MAX_CHARS] or None


def _tidy(text: str) -> str:
    """Spaces collapsed within lines, at most one blank line between blocks."""
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip()


def _read_plain(data: bytes) -> Extracted:
    text = _decode_utf8(data)
    return Extracted(text, _first_line_title(text))


def _read_markdown(data: bytes) -> Extracted:
    text = _decode_utf8(data)
    return Extracted(text, _first_line_title(text, strip_markdown=True))


_BLANK_RUN = re.compile(r"\n{3,}")
_HIDDEN_TAGS = ["script", "style", "noscript", "template", "head", "svg", "iframe", "object", "canvas"]
_BLOCK_TAGS = [
    "p", "div", "section", "article", "main", "header", "footer", "nav", "aside", "h1", "h2", "h3", "h4", "h5",
    "h6", "ul", "ol", "li", "dl", "dt", "dd", "table", "tr", "blockquote", "pre", "figure", "figcaption",
    "form", "fieldset", "address", "hr", "details", "summary",
]  # fmt: skip


def _read_html(data: bytes) -> Extracted:
    """The visible text of an HTML page, one block per paragraph, list items marked with a bullet."""
    soup = BeautifulSoup(data, "html.parser")
    title = soup.title.get_text() if soup.title else None
    if not title and soup.h1:
        title = soup.h1.get_text()
    for tag in soup.find_all(_HIDDEN_TAGS):
        tag.decompose()
    for tag in soup.find_all(style=re.compile(r"display\s*:\s*none", re.I)):
        tag.decompose()
    for tag in soup.find_all(hidden=True):
        tag.decompose()
    for tag in soup.find_all("br"):
        tag.replace_with("\n")
    for tag in soup.find_all(["td", "th"]):
        tag.append(" ")
    for tag in soup.find_all(_BLOCK_TAGS):
        if tag.name == "li":
            tag.insert(0, "• ")
        tag.insert_before("\n\n")
        tag.insert_after("\n\n")
    text = _tidy(soup.get_text())
    return Extracted(text, _clean_title(title) or _first_line_title(text))


def _opens_without_password(reader: PdfReader) -> bool:
    """Whether an encrypted PDF opens with the empty password (PDFs that only restrict printing or copying)."""
    try:
        return bool(reader.decrypt(""))
    except (PyPdfError, DependencyError, NotImplementedError):
        return False


def _read_pdf(data: bytes) -> Extracted:
    """The text of each page, pages one blank line apart; the page starts are kept for citations."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _opens_without_password(reader):
            raise DocumentError("the PDF is encrypted; save an unencrypted copy to index it")
        parts, pages, pos = [], [], 0
        for page in reader.pages:
            text = _tidy(page.extract_text() or "")
            pages.append(pos)
            parts.append(text)
            pos += len(text) + 2
        title = reader.metadata.title if reader.metadata else None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError, NotImplementedError) as exc:
        raise DocumentError(f"cannot read the PDF ({type(exc).__name__}: {exc})") from exc
    text = "\n\n".join(parts)
    return Extracted(text, _clean_title(title) or _first_line_title(text), tuple(pages))


def _read_docx(data: bytes) -> Extracted:
    """Paragraphs and table rows of a Word document, in order, one block each."""
    try:
        doc = DocxDocument(io.BytesIO(data))
        blocks = []
        for item in doc.iter_inner_content():
            if isinstance(item, DocxTable):
                blocks.extend(" ".join(c.text for c in row.cells) for row in item.rows)
            else:
                prefix = "• " if item.style is not None and item.style.name.startswith("List") else ""
                blocks.append(prefix + item.text)
        title = doc.core_properties.title
    except (BadZipFile, KeyError, ValueError, OSError, PackageNotFoundError) as exc:
        raise DocumentError(f"cannot read the Word document ({type(exc).__name__}: {exc})") from exc
    text = _tidy("\n\n".join(b for b in blocks if b.strip()))
    return Extracted(text, _clean_title(title) or _first_line_title(text))


# Extension -> reader. The only format dispatch in the project.
READERS: dict[str, Callable[[bytes], Extracted]] = {
    ".txt": _read_plain,
    ".md": _read_markdown,
    ".markdown": _read_markdown,
    ".html": _read_html,
    ".htm": _read_html,
    ".pdf": _read_pdf,
    ".docx": _read_docx,
}


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in READERS


def read_document(root: Path, path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read one corpus file.

    Args:
        root: the corpus folder.
        path: a file inside it.
        max_bytes: files larger than this are refused.

    Returns:
        The document, with its extracted text and the sha256 of the file's bytes.

    Raises:
        DocumentError: the file is of an unknown kind, too large, empty or cannot be decoded.
    """
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise DocumentError(f"unsupported file type {path.suffix or '(none)'!r}")
    size = path.stat().st_size
    if size > max_bytes:
        raise DocumentError(f"file is {size} bytes, over the limit of {max_bytes}")
    data = path.read_bytes()
    if not data:
        raise DocumentError("the file is empty")
    got = reader(data)
    if not got.text.strip():
        raise DocumentError("no text in the file" + (" (a scanned PDF needs OCR first)" if got.pages else ""))
    rel = path.relative_to(root).as_posix()
    return Document(
        path=rel,
        title=got.title or path.name,
        text=got.text,
        sha256=hashlib.sha256(data).hexdigest(),
        pages=got.pages,
    )


def is_hidden(rel: Path) -> bool:
    """Whether a corpus-relative path is hidden (it or a folder on its way starts with a dot): never indexed."""
    return any(part.startswith(".") for part in rel.parts)


def iter_corpus(root: Path) -> Iterator[Path]:
    """Every regular file under the corpus folder, hidden ones and links leading outside left out."""
    root_resolved = root.resolve()
    for path in sorted(root.rglob("*")):
        if is_hidden(path.relative_to(root)):
            continue
        if not path.is_file():
            continue
        if not path.resolve().is_relative_to(root_resolved):
            continue
        yield path


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
