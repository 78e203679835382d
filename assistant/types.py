"""The query side's data types."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from index.chunking import Chunk


@dataclass(frozen=True)
class Hit:
    """A retrieved sentence with the evidence that ranked it."""

    chunk: Chunk
    score: float
    row: int = -1
    features: dict[str, float] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Citation:
    """A verbatim quote: ``quote == text_of(document)[start:end]``."""

    n: int
    document: str
    title: str
    quote: str
    start: int
    end: int
    score: float
    url: str
    page: int | None = None  # for paged documents (PDF): the page the quote starts on


@dataclass(frozen=True)
class Answer:
    """What the assistant says to one question."""

    text: str
    answered: bool
    citations: list[Citation]
    conversation_id: str
    query: str
    confidence: float = 0.0

    def to_dict(self) -> dict:
        """The answer in the shape of the ``/ask`` response (DESIGN.md)."""
        return {
            "answer": self.text,
            "answered": self.answered,
            "citations": [asdict(c) for c in self.citations],
            "conversation_id": self.conversation_id,
            "query": self.query,
        }
