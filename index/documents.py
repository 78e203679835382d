"""Reading corpus files into documents: the one place that knows file formats.

A document's ``text`` is the text every offset in the index refers to; it is kept exactly as
extracted (for a .txt file, the file decoded as UTF-8), never normalised afterwards.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

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


def _read_plain(data: bytes, name: str) -> tuple[str, str | None]:
    text = _decode_utf8(data)
    return text, _first_line_title(text)


def _read_markdown(data: bytes, name: str) -> tuple[str, str | None]:
    text = _decode_utf8(data)
    return text, _first_line_title(text, strip_markdown=True)


# Extension -> reader returning (text, title or None). The only format dispatch in the project.
READERS: dict[str, Callable[[bytes, str], tuple[str, str | None]]] = {
    ".txt": _read_plain,
    ".md": _read_markdown,
    ".markdown": _read_markdown,
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
    text, title = reader(data, path.name)
    if not text.strip():
        raise DocumentError("no text in the file")
    rel = path.relative_to(root).as_posix()
    return Document(path=rel, title=title or path.name, text=text, sha256=hashlib.sha256(data).hexdigest())


def iter_corpus(root: Path) -> Iterator[Path]:
    """Every regular file under the corpus folder, hidden ones and links leading outside left out."""
    root_resolved = root.resolve()
    for path in sorted(root.rglob("*")):
        rel_parts = path.relative_to(root).parts
        if any(part.startswith(".") for part in rel_parts):
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
