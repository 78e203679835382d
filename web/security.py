"""Access control and request hygiene: the API key (bearer header or session cookie), the admin token,
the request body limit, and messages that never show server paths."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.settings import Settings

SESSION_COOKIE = "assistant_session"
SESSION_SECONDS = 7 * 86400

bearer = HTTPBearer(auto_error=False, description="The API key (ASSISTANT_API_KEY), or the admin token for /reindex.")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def same_secret(given: str, expected: str) -> bool:
    """Compare secrets in constant time."""
    return secrets.compare_digest(given.encode(), expected.encode())


def _sign(key: str, expires: int) -> str:
    return hmac.new(key.encode(), f"session:{expires}".encode(), hashlib.sha256).hexdigest()


def session_value(key: str, now: float | None = None) -> str:
    """A session cookie value: an expiry time and its signature by the API key (never the key itself)."""
    expires = int((now or time.time()) + SESSION_SECONDS)
    return f"{expires}.{_sign(key, expires)}"


def valid_session(value: str | None, key: str, now: float | None = None) -> bool:
    if not value or "." not in value:
        return False
    expires, _, signature = value.partition(".")
    if not expires.isdigit() or int(expires) < (now or time.time()):
        return False
    return same_secret(signature, _sign(key, int(expires)))


def require_api_key(request: Request, credentials: Credentials) -> None:
    """Let the request through when no API key is set, or when it carries the key or a valid session."""
    key = request.app.state.settings.api_key
    if key is None:
        return
    secret = key.get_secret_value()
    if credentials is not None and same_secret(credentials.credentials, secret):
        return
    if valid_session(request.cookies.get(SESSION_COOKIE), secret):
        return
    raise HTTPException(
        401,
        "an API key is needed: send it as 'Authorization: Bearer <key>', or sign in on the chat page",
        {"WWW-Authenticate": "Bearer"},
    )


def require_admin(request: Request, credentials: Credentials) -> None:
    token = request.app.state.settings.admin_token
    if token is None:
        raise HTTPException(403, "re-indexing over HTTP is disabled; set ASSISTANT_ADMIN_TOKEN to enable it")
    if credentials is None or not same_secret(credentials.credentials, token.get_secret_value()):
        raise HTTPException(
            401, "a valid admin token is needed ('Authorization: Bearer <token>')", {"WWW-Authenticate": "Bearer"}
        )


def public_message(settings: Settings, text: str) -> str:
    """``text`` with the server's folders named by their role, not their path."""
    places = [
        (settings.conversations_path, "the conversations database"),
        (settings.index_dir, "the index folder"),
        (settings.corpus, "the corpus folder"),
    ]
    if settings.model_dir is not None:
        places.append((settings.model_dir, "the model folder"))
    for path, name in places:
        for form in {str(path.resolve()), str(path.absolute()), str(path)}:
            if len(form) > 1:
                text = text.replace(form, name)
    return text


class BodyLimit:
    """Refuse request bodies over ``max_bytes`` with a 413, whether or not they declare their length."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(send)
            return
        # Read the body first (it is small by the limit) so an oversized one never reaches the app.
        messages: list[Message] = []
        seen = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                await self._refuse(send)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, send: Send) -> None:
        body = f'{{"detail": "the request body is larger than {self.max_bytes} bytes"}}'.encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})
