"""One settings object for the whole application (environment prefix ``ASSISTANT_``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from index.chunking import ChunkerSettings


class Settings(BaseSettings):
    """Settings read from the environment (``ASSISTANT_CORPUS``, ``ASSISTANT_INDEX_DIR``, …) or passed in."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", env_file=None, extra="ignore")

    corpus: Path = Field(Path("docs_corpus"), description="Folder of documents to answer from.")
    index_dir: Path = Field(Path(".index"), description="Where the built index lives.")
    model_dir: Path | None = Field(
        None,
        description="A local sentence-transformers model folder; the packaged all-MiniLM-L6-v2 when unset.",
    )
    embed_concurrency: int = Field(
        1,
        ge=1,
        description="Most questions embedded by the model at once; questions arriving meanwhile wait and are "
        "embedded together in one batch (benchmarks/RESULTS-load.md).",
    )
    model_threads: int = Field(
        0,
        ge=0,
        description="Threads for each forward pass of the model (torch); 0 keeps torch's default of one per core. "
        "Set 1 on a machine shared with other busy processes: there it kept latency steady "
        "(benchmarks/RESULTS-load.md).",
    )
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)

    chunk_max_chars: int = Field(700, ge=50, description="Longest passage, in characters.")
    chunk_overlap: int = Field(1, ge=0, description="Sentences shared by neighbouring passages of a paragraph.")
    max_sentence_chars: int = Field(400, ge=50, description="Sentences longer than this are cut at clauses.")
    max_file_bytes: int = Field(50 * 1024 * 1024, ge=1, description="Larger corpus files are skipped.")

    top_k: int = Field(3, ge=1, le=10, description="Most quotes in one answer.")
    max_quote_chars: int = Field(300, ge=80, le=500, description="Longest quote, in characters.")
    abstain_threshold: float = Field(
        0.40,
        ge=0.0,
        le=1.0,
        description="Answers whose confidence (0 to 1) is below this say the documents do not answer the question. "
        "Chosen on the dev set by benchmarks/calibrate.py.",
    )
    max_question_chars: int = Field(1000, ge=1)
    max_body_bytes: int = Field(64 * 1024, ge=1024, description="Larger request bodies are refused with a 413.")

    conversations_db: Path | None = Field(
        None, description="SQLite file for conversations; `conversations.sqlite3` in the index folder when unset."
    )
    conversation_max_turns: int = Field(50, ge=1, description="Turns kept per conversation (older ones dropped).")
    conversation_max_age_days: float = Field(30.0, gt=0, description="Conversations idle longer are forgotten.")

    build_on_start: bool = Field(
        False, description="Build or update the index when the server starts (what `assistant serve` does)."
    )
    api_key: SecretStr | None = Field(
        None, description="When set, /ask, /documents and /conversations need it (bearer token or session cookie)."
    )
    admin_token: SecretStr | None = Field(
        None, description="Bearer token for POST /reindex; re-indexing over HTTP is disabled when unset."
    )
    watch: bool = Field(False, description="Watch the corpus folder and re-index when it changes (`serve --watch`).")
    watch_debounce_ms: int = Field(1500, ge=50, description="Changes this close together make one re-index.")

    @property
    def conversations_path(self) -> Path:
        return self.conversations_db or self.index_dir / "conversations.sqlite3"

    @property
    def chunker(self) -> ChunkerSettings:
        return ChunkerSettings(self.chunk_max_chars, self.chunk_overlap, self.max_sentence_chars)
