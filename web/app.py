"""The FastAPI application factory: model and index load once, in ``lifespan``."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.conversation import ConversationIdError, ConversationNotFoundError, ConversationStoreError
from assistant.reindex import Reindexer, watch_corpus
from assistant.service import Assistant, DocumentNotFoundError, QuestionError
from assistant.settings import Settings
from index.errors import AssistantError, IndexNotFoundError
from web.routes import router
from web.security import BodyLimit, public_message

log = logging.getLogger("assistant.web")
HERE = Path(__file__).parent

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}

STATUS_OF: list[tuple[type[AssistantError], int]] = [
    (QuestionError, 422),
    (ConversationIdError, 422),
    (ConversationStoreError, 503),
    (ConversationNotFoundError, 404),
    (DocumentNotFoundError, 404),
    (IndexNotFoundError, 503),
]


def create_app(settings: Settings | None = None, assistant: Assistant | None = None) -> FastAPI:
    """Build the web app.

    Args:
        settings: the settings; read from the environment when None.
        assistant: an assistant already opened (tests share one); opened in ``lifespan`` when None.
    """
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if app.state.assistant is None:
            try:
                app.state.assistant = Assistant.open(settings, build=settings.build_on_start)
            except AssistantError as exc:
                # Keep serving /health and the page so the problem is visible; /ask answers 503.
                log.error("not ready: %s", exc)
                app.state.not_ready = str(exc)
        stop = threading.Event()
        watcher = None
        if settings.watch:
            if settings.corpus.is_dir():
                watcher = threading.Thread(
                    target=watch_corpus,
                    args=(settings.corpus, app.state.reindexer, stop),
                    kwargs={"debounce_ms": settings.watch_debounce_ms},
                    name="watch",
                    daemon=True,
                )
                watcher.start()
            else:
                log.error("cannot watch %s: the folder does not exist", settings.corpus)
        yield
        stop.set()
        if watcher is not None:
            watcher.join(timeout=5)
        app.state.reindexer.wait(timeout=30)

    app = FastAPI(
        title="Document assistant",
        summary="Answers questions with verbatim, cited quotes from a folder of documents.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.assistant = assistant
    app.state.not_ready = None
    app.state.reindexer = Reindexer(lambda: app.state.assistant)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    # Swagger UI 5 (reads OpenAPI 3.1) from the installed fastapi-offline package: no CDN.
    app.mount("/swagger", StaticFiles(directory=Path(fastapi_offline.__file__).parent / "static"), name="swagger")
    app.include_router(router)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.exception_handler(AssistantError)
    async def assistant_error(request: Request, exc: AssistantError) -> JSONResponse:
        status = next((code for kind, code in STATUS_OF if isinstance(exc, kind)), 500)
        if status == 500:
            log.exception("unexpected error", exc_info=exc)
            return JSONResponse({"detail": "internal error; see the server log"}, status_code=500)
        return JSONResponse({"detail": public_message(settings, str(exc))}, status_code=status)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
            problems.append({"field": where, "message": err.get("msg", "invalid")})
        detail = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
        return JSONResponse({"detail": detail, "errors": problems}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        return JSONResponse({"detail": "internal error; see the server log"}, status_code=500)

    return app
