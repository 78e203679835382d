"""Conversations: stored turns in SQLite, so a restart loses nothing."""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from index.errors import AssistantError

log = logging.getLogger("assistant.conversation")
_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")

SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS turns (
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    n INTEGER NOT NULL,
    question TEXT NOT NULL,
    query TEXT NOT NULL,
    answer TEXT NOT NULL,
    created_at REAL NOT NULL,
    PRIMARY KEY (conversation_id, n)
);
"""


class ConversationNotFoundError(AssistantError):
    """The conversation id is unknown (or has expired)."""


class ConversationStoreError(AssistantError):
    """The conversations database cannot be used right now (locked, unwritable, disk full)."""


@contextmanager
def _guard(what: str) -> Iterator[None]:
    try:
        yield
    except sqlite3.OperationalError as exc:
        raise ConversationStoreError(
            f"the conversation store could not {what} ({exc}); try again shortly. Nothing stored was lost"
        ) from exc


class ConversationIdError(AssistantError, ValueError):
    """The conversation id is malformed."""


@dataclass(frozen=True)
class Turn:
    n: int
    question: str
    query: str
    answer: dict
    created_at: float


def check_id(conversation_id: str) -> str:
    if not _ID.match(conversation_id):
        raise ConversationIdError("a conversation_id is 1 to 64 letters, digits, '-' or '_'")
    return conversation_id


class ConversationStore:
    """Conversations and their turns in one SQLite file, with bounded retention."""

    def __init__(self, path: Path | str, *, max_turns: int = 50, max_age_days: float = 30.0) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.max_turns = max_turns
        self.max_age_seconds = max_age_days * 86400
        self._lock = threading.Lock()
        self.set_aside: str | None = None  # where a corrupt database was moved, when one was found
        try:
            self._db = self._connect()
        except sqlite3.DatabaseError as exc:
            if self.path == ":memory:" or isinstance(exc, sqlite3.OperationalError):
                raise ConversationStoreError(f"cannot open the conversations database: {exc}") from exc
            # A corrupt file: keep it (nothing is deleted) and start a new one beside it.
            self.set_aside = f"{self.path}.corrupt-{time.strftime('%Y%m%dT%H%M%S')}"
            log.error("conversations database %s is corrupt (%s); moved to %s", self.path, exc, self.set_aside)
            for suffix in ("", "-wal", "-shm"):
                if Path(self.path + suffix).exists():
                    Path(self.path + suffix).rename(self.set_aside + suffix)
            self._db = self._connect()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, check_same_thread=False, timeout=5.0)
        try:
            db.execute("PRAGMA foreign_keys = ON")
            if self.path != ":memory:":
                db.execute("PRAGMA journal_mode = WAL")
            db.executescript(SCHEMA)
            db.commit()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def new(self) -> str:
        cid = uuid.uuid4().hex
        now = time.time()
        with self._lock, _guard("start a conversation"), self._db:
            self._db.execute("INSERT INTO conversations VALUES (?, ?, ?)", (cid, now, now))
        return cid

    def exists(self, conversation_id: str) -> bool:
        check_id(conversation_id)
        with self._lock, _guard("read the conversation"):
            row = self._db.execute("SELECT updated_at FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
        return row is not None and time.time() - row[0] <= self.max_age_seconds

    def turns(self, conversation_id: str) -> list[Turn]:
        """The kept turns, oldest first.

        Raises:
            ConversationNotFoundError: no such conversation.
        """
        if not self.exists(conversation_id):
            raise ConversationNotFoundError(
                f"no conversation {conversation_id!r}; it may have expired. Start a new one by leaving "
                "conversation_id out"
            )
        with self._lock, _guard("read the conversation"):
            rows = self._db.execute(
                "SELECT n, question, query, answer, created_at FROM turns WHERE conversation_id = ? ORDER BY n",
                (conversation_id,),
            ).fetchall()
        return [Turn(n, q, qu, json.loads(a), t) for n, q, qu, a, t in rows]

    def add_turn(self, conversation_id: str, question: str, query: str, answer: dict) -> None:
        now = time.time()
        with self._lock, _guard("save the turn"), self._db:
            (n,) = self._db.execute(
                "SELECT COALESCE(MAX(n), 0) + 1 FROM turns WHERE conversation_id = ?", (conversation_id,)
            ).fetchone()
            self._db.execute(
                "INSERT INTO turns VALUES (?, ?, ?, ?, ?, ?)",
                (conversation_id, n, question, query, json.dumps(answer, ensure_ascii=False), now),
            )
            self._db.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (now, conversation_id))
            self._db.execute(
                "DELETE FROM turns WHERE conversation_id = ? AND n <= ?",
                (conversation_id, n - self.max_turns),
            )
            self._db.execute("DELETE FROM conversations WHERE updated_at < ?", (now - self.max_age_seconds,))
