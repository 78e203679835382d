"""Re-indexing while serving: one background build at a time, asked for by the API or by a folder watcher.

Questions keep being answered from the index in use while a build runs; when it finishes the assistant
moves to the new version in one step (``Assistant.swap``). A build asked for while another runs is not
lost: one more build follows, so the index ends up matching the corpus as it was last changed.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import watchfiles

from assistant.service import Assistant
from index.documents import is_hidden, is_supported
from index.errors import AssistantError

log = logging.getLogger("assistant.reindex")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Reindexer:
    """Runs builds of the corpus in a background thread, one at a time, and reports their state."""

    def __init__(self, assistant: Callable[[], Assistant | None]) -> None:
        self._assistant = assistant
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pending = False
        self._status: dict = {"state": "idle"}

    def status(self) -> dict:
        """``state`` (idle, running, failed), when the last build started and finished, what it did or why it failed."""
        with self._lock:
            return dict(self._status, pending=self._pending)

    def start(self, trigger: str = "api") -> bool:
        """Start a build in the background. Returns False when one is already running (another follows it)."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                self._pending = True
                return False
            self._status = {**self._status, "state": "running", "trigger": trigger, "started_at": _now()}
            self._thread = threading.Thread(target=self._run, name="reindex", daemon=True)
            self._thread.start()
            return True

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the running build (and any that follows it); True when none is left running."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            thread = self._thread
            if thread is None:
                return True
            thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
            if thread.is_alive():
                return False
            if self._thread is thread:
                return True

    def _run(self) -> None:
        while True:
            assistant = self._assistant()
            try:
                if assistant is None:
                    raise AssistantError("the assistant is not loaded yet")
                report = assistant.reindex()
            except AssistantError as exc:  # the index in use stays; say why
                log.error("re-index failed: %s", exc)
                update = {"state": "failed", "error": str(exc)}
            except Exception as exc:  # noqa: BLE001 - a background build must never take the server down
                log.exception("re-index failed")
                update = {"state": "failed", "error": f"{type(exc).__name__}: {exc}"}
            else:
                log.info("re-index: %s", report.summary())
                update = {
                    "state": "idle",
                    "error": None,
                    "summary": report.summary(),
                    "added": len(report.added),
                    "changed": len(report.changed),
                    "removed": len(report.removed),
                    "skipped": len(report.skipped),
                    "embedded": report.embedded,
                    "reused": report.reused,
                    "version": report.version,
                }
            with self._lock:
                self._status = {**self._status, **update, "finished_at": _now()}
                if not self._pending:
                    self._thread = None
                    return
                self._pending = False
                self._status.update(state="running", started_at=_now())


def corpus_filter(corpus: Path) -> Callable[[watchfiles.Change, str], bool]:
    """A filter of file events in ``corpus`` keeping those that can change the index: a supported file (or any
    deletion, which may be a folder), not hidden. Hidden means within the corpus, as ``iter_corpus`` has it."""
    root = corpus.absolute()

    def can_change_index(change: watchfiles.Change, path: str) -> bool:
        rel = Path(os.path.relpath(path, root))
        return not is_hidden(rel) and (is_supported(rel) or change == watchfiles.Change.deleted)

    return can_change_index


def watch_corpus(corpus: Path, reindexer: Reindexer, stop: threading.Event, *, debounce_ms: int = 1500) -> None:
    """Rebuild whenever the corpus changes, a burst of changes making one build (runs until ``stop`` is set)."""
    log.info("watching %s for changes", corpus)
    for changes in watchfiles.watch(
        corpus, watch_filter=corpus_filter(corpus), debounce=debounce_ms, stop_event=stop, raise_interrupt=False
    ):
        log.info("%d change(s) in the corpus; re-indexing", len(changes))
        reindexer.start(trigger="watch")
