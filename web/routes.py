"""HTTP routes: each one a thin call into the ``Assistant`` service."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from fastapi.templating import Jinja2Templates

from assistant.service import Assistant
from web.schemas import (
    AskRequest,
    AskResponse,
    ConversationOut,
    ErrorOut,
    HealthResponse,
    ReindexAccepted,
    SessionRequest,
)
from web.security import (
    SESSION_COOKIE,
    SESSION_SECONDS,
    public_message,
    require_admin,
    require_api_key,
    same_secret,
    session_value,
)

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
router = APIRouter()


def get_assistant(request: Request) -> Assistant:
    assistant = request.app.state.assistant
    if assistant is None:
        reason = request.app.state.not_ready or "the index is still loading"
        raise HTTPException(503, f"not ready: {public_message(request.app.state.settings, reason)}")
    return assistant


AssistantDep = Annotated[Assistant, Depends(get_assistant)]
ERRORS = {401: {"model": ErrorOut}, 404: {"model": ErrorOut}, 422: {"model": ErrorOut}, 503: {"model": ErrorOut}}
KEYED = [Depends(require_api_key)]


@router.post("/ask", response_model=AskResponse, responses=ERRORS, dependencies=KEYED, summary="Ask a question")
def ask(body: AskRequest, assistant: AssistantDep) -> AskResponse:
    """Answer with verbatim quotes from the documents, or say plainly that they do not answer."""
    answer = assistant.ask(body.question, conversation_id=body.conversation_id, top_k=body.top_k)
    return AskResponse.model_validate(answer.to_dict())


@router.get("/conversations/{conversation_id}", response_model=ConversationOut, responses=ERRORS, dependencies=KEYED)
def conversation(conversation_id: str, assistant: AssistantDep) -> ConversationOut:
    """The turns of a conversation, oldest first."""
    turns = assistant.conversations.turns(conversation_id)
    return ConversationOut(
        conversation_id=conversation_id,
        turns=[{"n": t.n, "question": t.question, "query": t.query, "answer": t.answer} for t in turns],
    )


@router.get("/documents/{path:path}", responses=ERRORS, dependencies=KEYED, summary="Show a document")
def document(
    path: str,
    request: Request,
    assistant: AssistantDep,
    format: Annotated[
        Literal["html", "text"], Query(description="html: the source view; text: the extracted text")
    ] = "html",
):
    """The document as the assistant read it: the text its citation offsets refer to (``format=text``),
    or a page that highlights the cited range given in the URL fragment ``#c=start-end``."""
    record = assistant.document(path)
    if format == "text":
        return PlainTextResponse(record.text)
    return templates.TemplateResponse(request, "document.html", {"doc": record})


@router.get("/health", response_model=HealthResponse, response_model_exclude_none=True)
def health(request: Request) -> HealthResponse:
    """Readiness, the index in use, files left out, problems worth knowing, and the state of re-indexing."""
    settings = request.app.state.settings
    assistant = request.app.state.assistant
    reindex = request.app.state.reindexer.status()
    if reindex.get("error"):
        reindex["error"] = public_message(settings, reindex["error"])
    auth = settings.api_key is not None
    if assistant is None:
        return HealthResponse(
            ready=False,
            documents=0,
            chunks=0,
            index_version="",
            built_at="",
            reindex=reindex,
            auth_required=auth,
            message=public_message(settings, request.app.state.not_ready or "loading"),
        )
    info = assistant.health()
    return HealthResponse(
        ready=True,
        documents=info["documents"],
        chunks=info["chunks"],
        index_version=info["index_version"],
        built_at=info["built_at"],
        reindex=reindex,
        auth_required=auth,
        skipped=info["skipped"],
        warnings=[public_message(settings, w) for w in info["warnings"]] or None,
    )


@router.post(
    "/reindex",
    status_code=202,
    response_model=ReindexAccepted,
    response_model_exclude_none=True,
    responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}},
    dependencies=[Depends(require_admin)],
    summary="Re-index the corpus in the background",
)
def reindex(request: Request) -> ReindexAccepted:
    """Start an incremental rebuild and return at once; questions are answered from the current index until
    the new one is ready. Follow its progress in ``GET /health``."""
    reindexer = request.app.state.reindexer
    started = reindexer.start(trigger="api")
    return ReindexAccepted(started=started, reindex=reindexer.status())


@router.post("/session", status_code=204, responses={401: {"model": ErrorOut}}, summary="Sign in with the API key")
def sign_in(body: SessionRequest, request: Request) -> Response:
    """Exchange the API key for a session cookie (HttpOnly, SameSite=Strict), so the chat page never keeps
    the key itself. Needed only when ``ASSISTANT_API_KEY`` is set."""
    key = request.app.state.settings.api_key
    response = Response(status_code=204)
    if key is None:
        return response
    if not same_secret(body.key, key.get_secret_value()):
        raise HTTPException(401, "that is not the API key")
    response.set_cookie(
        SESSION_COOKIE,
        session_value(key.get_secret_value()),
        max_age=SESSION_SECONDS,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@router.delete("/session", status_code=204, summary="Sign out")
def sign_out() -> Response:
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="strict")
    return response


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def chat_page(request: Request) -> HTMLResponse:
    return templates.TemplateResponse(request, "chat.html", {})


@router.get("/docs", response_class=HTMLResponse, include_in_schema=False)
def api_docs(request: Request) -> HTMLResponse:
    """Swagger UI served from the installed bundle: no CDN, works offline."""
    return templates.TemplateResponse(request, "swagger.html", {})
