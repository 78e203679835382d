"""The assistant as one service object with no HTTP in it: used alike by the CLI, the tests and the web."""

from __future__ import annotations

import logging
import threading
from urllib.parse import quote as url_quote

from assistant.confidence import confidence as answer_confidence
from assistant.conversation import ConversationStore
from assistant.followup import casing_in, generic_in, nearness_prior, resolve, says_much
from assistant.names import counts_another, lacks_asked_for, people, places
from assistant.names import warm as warm_names
from assistant.question import asks_reason, definite_type, expected_type
from assistant.quotes import select_quotes
from assistant.retrieve import Retriever
from assistant.settings import Settings
from assistant.types import Answer, Citation, Hit
from index.build import BuildReport, build_index
from index.chunking import Chunk
from index.embedder import Embedder, SentenceTransformerEmbedder
from index.errors import AssistantError
from index.snapshot import DocumentRecord, IndexSnapshot, current_version_dir
from index.store import id_to_int

log = logging.getLogger("assistant")
NOT_IN_DOCUMENTS = "The documents do not answer this question."
CLOSEST = " The passages below are the closest they come, but they are not an answer."
KEEP_RATIO = 0.6


class QuestionError(AssistantError, ValueError):
    """The question cannot be asked (empty, too long)."""


class DocumentNotFoundError(AssistantError):
    """No such document in the index."""


def build_from_settings(
    settings: Settings, embedder: Embedder, *, rebuild: bool = False, progress: bool = False
) -> BuildReport:
    """Build or update the index that ``settings`` name (see ``index.build.build_index``)."""
    return build_index(
        settings.corpus,
        settings.index_dir,
        embedder,
        settings.chunker,
        max_file_bytes=settings.max_file_bytes,
        rebuild=rebuild,
        progress=progress,
    )


def _neighbour(snapshot: IndexSnapshot, sentence: Chunk, step: int) -> Chunk | None:
    """The sentence ``step`` places before (-1) or after (+1) this one in its document."""
    row = snapshot.neighbour(snapshot.sentence_row[id_to_int(sentence.id)], step)
    return None if row is None else snapshot.sentences[row]


def citation_url(document: str, start: int, end: int) -> str:
    return f"/documents/{url_quote(document)}#c={start}-{end}"


class Assistant:
    """Answers questions from one index snapshot, swapped atomically when a new index is built."""

    def __init__(
        self,
        settings: Settings,
        embedder: Embedder,
        snapshot: IndexSnapshot,
        conversations: ConversationStore | None = None,
        startup_warnings: list[str] | None = None,
    ) -> None:
        self.settings = settings
        self.embedder = embedder
        self.conversations = conversations or ConversationStore(":memory:")
        self._lock = threading.Lock()
        self._retriever = Retriever(snapshot.warm(), embedder)
        _ = self._retriever.speller  # worked out now, not on the first question
        self.startup_warnings = startup_warnings or []  # problems met while opening, for /health

    @classmethod
    def open(
        cls,
        settings: Settings,
        embedder: Embedder | None = None,
        *,
        build: bool = False,
        progress: bool = False,
    ) -> Assistant:
        """Load the model and the index (building or updating it first when ``build``).

        Raises:
            IndexNotFoundError: there is no index and ``build`` is False.
            IndexMismatchError: the index was built with another model or chunker.
        """
        embedder = embedder or SentenceTransformerEmbedder(
            settings.model_dir,
            max_concurrent_queries=settings.embed_concurrency,
            threads=settings.model_threads or None,
        )
        warnings = []
        if build:
            try:
                log.info("index: %s", build_from_settings(settings, embedder, progress=progress).summary())
            except AssistantError as exc:
                # The corpus folder gone, a disk full, another build running: serve the index there is.
                if current_version_dir(settings.index_dir) is None:
                    raise
                log.error("could not update the index (%s); answering from the one already built", exc)
                warnings.append(f"the index could not be updated at start ({exc}); answering from the last one built")
        snapshot = IndexSnapshot.load(settings.index_dir)
        snapshot.manifest.check_compatible(model_sha256=embedder.weights_sha256, chunker=settings.chunker.as_dict())
        warm_names()
        conversations = ConversationStore(
            settings.conversations_path,
            max_turns=settings.conversation_max_turns,
            max_age_days=settings.conversation_max_age_days,
        )
        return cls(settings, embedder, snapshot, conversations, warnings)

    @property
    def snapshot(self) -> IndexSnapshot:
        return self._retriever.snapshot

    def swap(self, snapshot: IndexSnapshot) -> None:
        """Answer from ``snapshot`` from now on (questions under way finish on the old one)."""
        retriever = Retriever(snapshot.warm(), self.embedder, self._retriever.weights, self._retriever.pools)
        _ = retriever.speller
        with self._lock:
            self._retriever = retriever

    def reindex(self, *, progress: bool = False, rebuild: bool = False) -> BuildReport:
        """Build or update the index from the corpus and start answering from it."""
        report = build_from_settings(self.settings, self.embedder, rebuild=rebuild, progress=progress)
        if report.swapped:
            self.swap(IndexSnapshot.load(self.settings.index_dir))
        return report

    def _weak(self, hits: list[Hit]) -> bool:
        """Whether the best hit falls short of answering. A question using words the documents never
        use is a change of topic, not a follow-up, so it is not retried in the conversation's context."""
        if not hits:
            return True
        if hits[0].features.get("unknown_terms", 0.0) > 0:
            return False
        return answer_confidence(hits[0]) < self.settings.abstain_threshold

    def _own_reading(self, retriever, question: str, best: Hit, missing: bool, another: bool) -> float:
        """The confidence in ``best`` on the question's own words, for a follow-up that names its own subject but
        was searched with words from earlier turns ("What has Ping'an pivoted to, according to him?" with
        "Anthony Lawrance"): they found the sentence but may say little of what is asked. Only when the question
        alone finds the same sentence best; 0 otherwise. A follow-up naming nothing of its own ("When was it
        founded?") is not judged so: alone, it fits any founding."""
        alone = retriever.search(question, question=question, k=1)
        if not alone or alone[0].row != best.row:
            return 0.0
        return answer_confidence(alone[0], type_missing=missing, counts_another=another)

    def _check_question(self, question: str) -> str:
        if not isinstance(question, str) or not question.strip():
            raise QuestionError("the question is empty")
        if len(question) > self.settings.max_question_chars:
            raise QuestionError(f"the question is longer than {self.settings.max_question_chars} characters")
        return question.strip()

    def ask(self, question: str, conversation_id: str | None = None, top_k: int | None = None) -> Answer:
        """Answer a question with verbatim quotes from the documents, or say they do not answer it.

        Args:
            question: what the person asked.
            conversation_id: continue this conversation; a new one is started when None.
            top_k: most quotes (defaults to the settings).

        Returns:
            The answer, its citations (best first) and the conversation id.

        Raises:
            QuestionError: the question is empty or too long.
            ConversationNotFoundError: ``conversation_id`` is unknown.
        """
        typed = question = self._check_question(question)
        if conversation_id is None:
            conversation_id, history = self.conversations.new(), []
        else:
            history = self.conversations.turns(conversation_id)  # raises for an unknown id
        retriever = self._retriever  # one snapshot for the whole question, even if a swap happens
        snapshot = retriever.snapshot
        top_k = top_k or self.settings.top_k
        k = max(20, top_k * 4)
        common = snapshot.lowercase_words
        generic = generic_in(snapshot) if history else None
        # Slips of typing are read as the documents' words ("shenzen" is "Shenzhen"), in earlier turns too.
        spelled = retriever.speller.correct
        question = spelled(question)
        casing = casing_in(snapshot)
        cased = (lambda text: casing(spelled(text))) if history else None
        resolution = resolve(
            question, history, common=common, generic=generic, cased=cased, people=people, places=places
        )
        query = resolution.query
        hits = retriever.search(query, question=question, k=k, prior=nearness_prior(snapshot, resolution))
        if history and not resolution.followup and self._weak(hits):
            # Weak alone: try it in the context of the conversation, and keep that only when it clears the bar.
            contextual = resolve(
                question, history, force=True, common=common, generic=generic, cased=cased, people=people, places=places
            )
            if contextual.query != question:
                alt = retriever.search(
                    contextual.query, question=question, k=k, prior=nearness_prior(snapshot, contextual)
                )
                if not self._weak(alt):
                    hits, query = alt, contextual.query
        quotes = select_quotes(
            hits,
            previous=lambda sentence: _neighbour(snapshot, sentence, -1),
            following=lambda sentence: _neighbour(snapshot, sentence, +1),
            text_of=lambda doc: snapshot.documents[doc].text,
            question=question,
            # A long sentence is cut to the clause holding what is asked for, a date or amount first: the first
            # quote is what the answer is judged by below.
            kind=definite_type(question) or expected_type(question),
            top_k=top_k,
            max_chars=self.settings.max_quote_chars,
            keep_ratio=KEEP_RATIO,
            reason=asks_reason(question),
        )
        citations = [self._citation(snapshot, n, q.doc, q.start, q.end, q.score) for n, q in enumerate(quotes, 1)]
        first = citations[0].quote if citations else ""
        # A quote without the date, amount or person the question opens by asking for seldom answers it.
        missing = lacks_asked_for(question, first, common)
        # …nor one whose numbers count something other than what a "How many…" question asks for.
        another = not missing and counts_another(question, first, self.embedder)
        confidence = answer_confidence(hits[0] if hits else None, type_missing=missing, counts_another=another)
        # Searched with the resolution's words (not the question alone, already found weak), and still short.
        own_subject = (
            (resolution.names_subject or says_much(question)) and query == resolution.query and query != question
        )
        if hits and own_subject and confidence < self.settings.abstain_threshold:
            confidence = max(confidence, self._own_reading(retriever, question, hits[0], missing, another))
        answered = bool(quotes) and confidence >= self.settings.abstain_threshold
        if answered:
            text = "\n\n".join(f"“{c.quote}” [{c.n}]" for c in citations)
        else:
            text = NOT_IN_DOCUMENTS + (CLOSEST if citations else "")
        answer = Answer(
            text=text,
            answered=answered,
            citations=citations,
            conversation_id=conversation_id,
            query=query,
            confidence=round(confidence, 4),
        )
        self.conversations.add_turn(conversation_id, typed, query, answer.to_dict())
        return answer

    @staticmethod
    def _citation(snapshot: IndexSnapshot, n: int, doc: str, start: int, end: int, score: float) -> Citation:
        record = snapshot.documents[doc]
        return Citation(
            n=n,
            document=doc,
            title=record.title,
            quote=record.text[start:end],
            start=start,
            end=end,
            score=round(score, 4),
            url=citation_url(doc, start, end),
            page=record.page_at(start),
        )

    def document(self, path: str) -> DocumentRecord:
        """A document of the index by its corpus-relative path.

        Raises:
            DocumentNotFoundError: no such document (paths outside the corpus never match).
        """
        record = self.snapshot.documents.get(path)
        if record is None:
            raise DocumentNotFoundError(f"no document {path!r} in the index")
        return record

    def health(self) -> dict:
        m = self.snapshot.manifest
        return {
            "ready": True,
            "documents": len(self.snapshot.documents),
            "chunks": len(self.snapshot.passages),
            "sentences": len(self.snapshot.sentences),
            "index_version": m.version,
            "built_at": m.built_at,
            "model": m.model_name,
            "skipped": m.skipped,
            "warnings": self.warnings(),
        }

    def warnings(self) -> list[str]:
        """Problems the service is working around, each with what to do."""
        out = list(self.startup_warnings)
        if self.conversations.set_aside:
            out.append(
                f"the conversations database was corrupt and was moved to {self.conversations.set_aside}; "
                "a new one was started"
            )
        on_disk = current_version_dir(self.settings.index_dir)
        if on_disk is None or not (on_disk / "manifest.json").is_file():
            out.append(
                "the index files are missing from disk; answering from the index loaded in memory. "
                "Run `assistant index` (or POST /reindex) to write them again"
            )
        return out
