"""Request and response models of the HTTP API (they are also its OpenAPI documentation)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

MAX_QUESTION_CHARS = 1000


class AskRequest(BaseModel):
    """A question, optionally continuing a conversation."""

    model_config = ConfigDict(extra="forbid", str_strict=True)

    question: str = Field(
        ...,
        min_length=1,
        max_length=MAX_QUESTION_CHARS,
        description="The question, in plain words.",
        examples=["Which company owns Oppo, Vivo and OnePlus?"],
    )
    conversation_id: str | None = Field(
        None,
        pattern=r"^[A-Za-z0-9_-]{1,64}$",
        description="Continue this conversation (as returned by an earlier answer); leave out to start one.",
    )
    top_k: int | None = Field(None, ge=1, le=10, strict=True, description="Most quotes in the answer (1 to 10).")

    @field_validator("question")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the question is empty or only white space")
        return value


class CitationOut(BaseModel):
    """A verbatim quote from a document: ``quote`` is exactly the document's text from ``start`` to ``end``."""

    n: int = Field(..., description="The marker number used in the answer text, [n].")
    document: str = Field(..., description="Path of the document, relative to the corpus folder.")
    title: str = Field(..., description="The document's title.")
    quote: str = Field(..., description="The quoted text, verbatim.")
    start: int = Field(..., description="Offset of the quote's first character in the document's extracted text.")
    end: int = Field(..., description="Offset just past the quote's last character.")
    score: float = Field(..., description="How strongly the retrieval supports this quote (higher is better).")
    url: str = Field(..., description="Opens the document with the quote highlighted.")
    page: int | None = Field(None, description="For paged documents (PDF): the page the quote starts on, from 1.")


class AskResponse(BaseModel):
    """The answer to one question."""

    answer: str = Field(..., description="The answer text, quoting the documents with [n] markers.")
    answered: bool = Field(..., description="False when the documents do not answer the question.")
    citations: list[CitationOut] = Field(
        ..., description="Quotes, best first. When not answered, the nearest passages (not an answer)."
    )
    conversation_id: str = Field(..., description="Pass it back to ask a follow-up question.")
    query: str = Field(..., description="The query actually searched, after follow-up resolution.")


class SkippedFile(BaseModel):
    path: str = Field(..., description="File path relative to the corpus folder.")
    reason: str = Field(..., description="Why it was not indexed.")


class ReindexState(BaseModel):
    """Background re-indexing: what runs now and what the last build did."""

    state: Literal["idle", "running", "failed"] = Field(..., description="idle, running, or failed (last build).")
    pending: bool = Field(False, description="Another build will follow the running one (changes came in meanwhile).")
    trigger: str | None = Field(None, description="What started the last build: api or watch.")
    started_at: str | None = Field(None, description="When the last build started (ISO 8601, UTC).")
    finished_at: str | None = Field(None, description="When the last build finished.")
    summary: str | None = Field(None, description="What the last successful build did.")
    error: str | None = Field(None, description="Why the last build failed; the index in use was kept.")
    added: int | None = None
    changed: int | None = None
    removed: int | None = None
    skipped: int | None = None
    embedded: int | None = Field(None, description="Texts embedded by the last build.")
    reused: int | None = Field(None, description="Texts whose vectors the last build reused.")
    version: str | None = Field(None, description="Index version the last build produced or kept.")


class SessionRequest(BaseModel):
    key: str = Field(..., min_length=1, max_length=1000, description="The API key (ASSISTANT_API_KEY).")


class ReindexAccepted(BaseModel):
    started: bool = Field(..., description="False when a build was already running; one more follows it.")
    reindex: ReindexState


class HealthResponse(BaseModel):
    """Whether the service can answer, and what index it answers from."""

    ready: bool = Field(..., description="True when an index is loaded and questions can be answered.")
    documents: int = Field(..., description="Documents in the index.")
    chunks: int = Field(..., description="Passages in the index.")
    index_version: str = Field(..., description="Changes whenever a new index is swapped in.")
    built_at: str = Field(..., description="When the index in use was built (ISO 8601, UTC).")
    reindex: ReindexState
    auth_required: bool = Field(False, description="Whether /ask, /documents and /conversations need the API key.")
    skipped: list[SkippedFile] | None = Field(None, description="Files left out of the index, with reasons.")
    warnings: list[str] | None = Field(None, description="Problems the service works around, and what to do.")
    message: str | None = Field(None, description="What to do when not ready.")


class TurnOut(BaseModel):
    n: int = Field(..., description="Turn number in the conversation, from 1.")
    question: str = Field(..., description="The question as asked.")
    query: str = Field(..., description="The query searched for it.")
    answer: AskResponse


class ConversationOut(BaseModel):
    conversation_id: str
    turns: list[TurnOut] = Field(..., description="The kept turns, oldest first.")


class ErrorOut(BaseModel):
    detail: str = Field(..., description="What was wrong and what to do.")
