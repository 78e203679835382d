"""Building the index: incremental, and swapped in atomically.

A build reads every corpus file, reuses what an earlier compatible build already holds (files whose
sha256 is unchanged keep their records; passages whose text was embedded before keep their vectors),
embeds only new text, writes a complete new version beside the current one, and then switches to it
by replacing the ``CURRENT`` pointer in one rename. A build that fails or is killed leaves the
current version untouched.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from index.chunking import Chunk, ChunkerSettings, chunk, embedded_texts, sentences
from index.documents import DEFAULT_MAX_BYTES, file_sha256, iter_corpus, read_document
from index.embedder import Embedder
from index.errors import (
    AssistantError,
    BuildLockedError,
    DocumentError,
    IndexCorruptError,
    IndexMismatchError,
    IndexNotFoundError,
    IndexWriteError,
)
from index.lexical import LexicalIndex
from index.manifest import FileEntry, Manifest
from index.snapshot import CURRENT, VERSIONS, DocumentRecord, IndexSnapshot, write_jsonl
from index.store import VectorStore, id_to_int

LOCK = "build.lock"


@dataclass
class BuildReport:
    """What a build did, for the CLI summary and /health."""

    version: str
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[dict[str, str]] = field(default_factory=list)
    documents: int = 0
    passages: int = 0
    sentences: int = 0
    embedded: int = 0
    reused: int = 0
    seconds: float = 0.0
    swapped: bool = False

    def summary(self) -> str:
        line = (
            f"{self.documents} files ({len(self.added)} added, {len(self.changed)} changed, "
            f"{len(self.removed)} removed, {self.unchanged} unchanged, {len(self.skipped)} skipped), "
            f"{self.passages} passages, {self.sentences} sentences; "
            f"{self.embedded} texts embedded, {self.reused} reused; {self.seconds:.1f}s"
        )
        return line + ("" if self.swapped else "; index already up to date")


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:24]


@contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """Hold the index's build lock, or fail at once when another build holds it."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with (index_dir / LOCK).open("w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise BuildLockedError(
                f"another build of {index_dir} is running; wait for it to finish and try again"
            ) from exc
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _previous(index_dir: Path, embedder: Embedder, chunker: dict) -> IndexSnapshot | None:
    """The current version when it can be reused by this build."""
    try:
        snapshot = IndexSnapshot.load(index_dir)
        snapshot.manifest.check_compatible(model_sha256=embedder.weights_sha256, chunker=chunker)
        return snapshot
    except (IndexNotFoundError, IndexMismatchError, IndexCorruptError):
        return None


def _new_version_name() -> str:
    return datetime.now(UTC).strftime("v%Y%m%dT%H%M%S%fZ")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _embedded(passages: list[Chunk], sents: list[Chunk], docs: dict[str, DocumentRecord]) -> list[str]:
    """What is embedded for each passage and then each sentence (``chunking.embedded_texts``)."""
    by_doc: dict[str, list[Chunk]] = {}
    for s in sents:
        by_doc.setdefault(s.doc, []).append(s)
    embedded = {}
    for doc, spans in by_doc.items():
        embedded.update(zip((s.id for s in spans), embedded_texts(docs[doc].text, spans), strict=True))
    return [p.text for p in passages] + [embedded[s.id] for s in sents]


def _vectors_for(
    texts: list[str],
    keys: list[str],
    previous_keys: list[str | None],
    previous_matrix: np.ndarray | None,
    embedder: Embedder,
    progress: bool,
) -> tuple[np.ndarray, int, int]:
    """Vectors for ``texts`` (``keys``: their ``text_key``): reused from the previous version when it recorded
    the same key for a vector, else new.

    The previous version was built with the same model (checked by the caller), so the text embedded alone keys
    the cache; the key recorded with each vector is that of the text it was made from, so a change in what is
    embedded for a span (``chunking.embedded_texts``) never reuses a vector made from other text.
    """
    wanted = set(keys)
    reuse: dict[str, int] = {}
    if previous_matrix is not None:
        for row, k in enumerate(previous_keys):
            if k is not None and k in wanted and k not in reuse:
                reuse[k] = row
    new_texts: dict[str, str] = {}
    for k, t in zip(keys, texts, strict=True):
        if k not in reuse:
            new_texts.setdefault(k, t)
    fresh = embedder.embed_passages(list(new_texts.values()), show_progress=progress) if new_texts else None
    fresh_row = {k: i for i, k in enumerate(new_texts)}
    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    for i, k in enumerate(keys):
        out[i] = previous_matrix[reuse[k]] if k in reuse else fresh[fresh_row[k]]
    reused = sum(1 for k in keys if k in reuse)
    return out, len(new_texts), reused


def build_index(
    corpus_dir: Path,
    index_dir: Path,
    embedder: Embedder,
    chunker: ChunkerSettings | None = None,
    *,
    max_file_bytes: int = DEFAULT_MAX_BYTES,
    rebuild: bool = False,
    progress: bool = False,
) -> BuildReport:
    """Build or update the index of ``corpus_dir`` in ``index_dir``.

    Args:
        corpus_dir: the documents.
        index_dir: where index versions live.
        embedder: the embedding model.
        chunker: chunking settings (recorded in the manifest).
        max_file_bytes: larger files are skipped.
        rebuild: ignore the current version and embed everything again.
        progress: show a progress bar while embedding.

    Returns:
        What changed; ``swapped`` is False when the index was already up to date.

    Raises:
        AssistantError: the corpus folder is missing.
        BuildLockedError: another build is running.
    """
    t0 = time.perf_counter()
    chunker = chunker or ChunkerSettings()
    chunker.check()
    if not corpus_dir.is_dir():
        raise AssistantError(f"the corpus folder {corpus_dir} does not exist; create it and add documents")
    with build_lock(index_dir):
        previous = None if rebuild else _previous(index_dir, embedder, chunker.as_dict())
        prev_files = previous.manifest.files if previous else {}
        report = BuildReport(version="")
        docs: dict[str, DocumentRecord] = {}
        passages: list[Chunk] = []
        sents: list[Chunk] = []
        for path in iter_corpus(corpus_dir):
            rel = path.relative_to(corpus_dir).as_posix()
            try:
                sha = file_sha256(path)
                if previous and rel in prev_files and prev_files[rel].sha256 == sha:
                    docs[rel] = previous.documents[rel]
                    passages.extend(previous.passages[i] for i in previous.passages_of_doc.get(rel, []))
                    sents.extend(previous.sentences[i] for i in previous.sentences_of_doc.get(rel, []))
                    report.unchanged += 1
                    continue
                doc = read_document(corpus_dir, path, max_bytes=max_file_bytes)
            except (DocumentError, OSError) as exc:
                report.skipped.append({"path": rel, "reason": str(exc)})
                continue
            docs[rel] = DocumentRecord(doc.path, doc.title, doc.sha256, doc.text, doc.pages)
            passages.extend(
                chunk(
                    doc.text,
                    doc=rel,
                    max_chars=chunker.max_chars,
                    overlap=chunker.overlap,
                    max_sentence_chars=chunker.max_sentence_chars,
                )
            )
            sents.extend(sentences(doc.text, doc=rel, max_sentence_chars=chunker.max_sentence_chars))
            (report.changed if rel in prev_files else report.added).append(rel)
        report.removed = sorted(set(prev_files) - set(docs))
        report.documents, report.passages, report.sentences = len(docs), len(passages), len(sents)
        # What is embedded for each span; a sentence's text may change with the rule reading it in context,
        # the documents unchanged.
        texts = _embedded(passages, sents, docs)
        keys = [text_key(t) for t in texts]
        up_to_date = (
            previous is not None
            and not (report.added or report.changed or report.removed)
            and report.skipped == previous.manifest.skipped
            and keys == previous.vector_keys
        )
        if up_to_date:
            report.version = previous.version
            report.reused = len(passages) + len(sents)
            report.seconds = time.perf_counter() - t0
            return report

        # Passages and sentences share one cache: a one-sentence paragraph is embedded once.
        vecs, report.embedded, report.reused = _vectors_for(
            texts,
            keys,
            previous.vector_keys if previous else [],
            np.vstack([previous.passage_matrix, previous.sentence_matrix]) if previous else None,
            embedder,
            progress,
        )
        p_vecs, s_vecs = vecs[: len(passages)], vecs[len(passages) :]
        report.version = _new_version_name()
        manifest = Manifest(
            model_name=embedder.name,
            model_sha256=embedder.weights_sha256,
            dim=embedder.dim,
            chunker=chunker.as_dict(),
            files={rel: FileEntry(d.sha256, d.title, 0, 0) for rel, d in docs.items()},
            skipped=report.skipped,
            built_at=datetime.now(UTC).isoformat(timespec="seconds"),
            version=report.version,
            counts={"documents": len(docs), "passages": len(passages), "sentences": len(sents)},
        )
        for p in passages:
            manifest.files[p.doc].passages += 1
        for s in sents:
            manifest.files[s.doc].sentences += 1
        try:
            _write_version(index_dir, manifest, docs, (passages, sents), keys, (p_vecs, s_vecs))
        except OSError as exc:
            shutil.rmtree(index_dir / VERSIONS / f".tmp-{manifest.version}", ignore_errors=True)
            raise IndexWriteError(
                f"could not write the new index version ({exc.strerror or exc}); the index in use is unchanged"
            ) from exc
        report.swapped = True
        report.seconds = time.perf_counter() - t0
        return report


def _write_version(
    index_dir: Path,
    manifest: Manifest,
    docs: dict[str, DocumentRecord],
    spans: tuple[list[Chunk], list[Chunk]],
    keys: list[str],
    vectors: tuple[np.ndarray, np.ndarray],
) -> None:
    """Write a complete version in a temporary folder, then make it current in one rename. ``spans``: the
    passages and the sentences; ``keys``: those of the texts their vectors were made from, passages first."""
    passages, sents = spans
    p_vecs, s_vecs = vectors
    p_keys, s_keys = keys[: len(passages)], keys[len(passages) :]
    versions = index_dir / VERSIONS
    versions.mkdir(parents=True, exist_ok=True)
    for stale in versions.glob(".tmp-*"):  # left by a build that was killed; we hold the lock
        shutil.rmtree(stale, ignore_errors=True)
    tmp = versions / f".tmp-{manifest.version}"
    tmp.mkdir()
    write_jsonl(tmp / "documents.jsonl", [vars(d) for d in docs.values()])
    for name, chunks, vecs, made_from in (("passages", passages, p_vecs, p_keys), ("sentences", sents, s_vecs, s_keys)):
        rows = [
            {"id": s.id, "doc": s.doc, "start": s.start, "end": s.end, "key": k}
            for s, k in zip(chunks, made_from, strict=True)
        ]
        write_jsonl(tmp / f"{name}.jsonl", rows)
        store = VectorStore(manifest.dim)
        store.add(np.array([id_to_int(s.id) for s in chunks], dtype=np.int64), vecs)
        store.save(tmp / f"{name}.faiss")
        LexicalIndex.build([s.text for s in chunks]).save(tmp / f"bm25_{name}")
    (tmp / "manifest.json").write_text(manifest.to_json(), encoding="utf-8")
    for f in tmp.rglob("*"):
        if f.is_file():
            with f.open("rb+") as fh:
                os.fsync(fh.fileno())
    final = versions / manifest.version
    os.rename(tmp, final)
    _fsync_dir(versions)
    pointer = index_dir / f"{CURRENT}.tmp"
    with pointer.open("w") as fh:
        fh.write(manifest.version)
        fh.flush()
        os.fsync(fh.fileno())
    previous = (index_dir / CURRENT).read_text().strip() if (index_dir / CURRENT).exists() else None
    os.replace(pointer, index_dir / CURRENT)
    _fsync_dir(index_dir)
    # Keep the new version and the one before it (a server may still be loading it); drop the rest.
    for old in versions.iterdir():
        if old.name not in (manifest.version, previous) and not old.name.startswith(".tmp-"):
            shutil.rmtree(old, ignore_errors=True)
