"""Logins for the review app: signed session cookies (Starlette's SessionMiddleware, which
signs with itsdangerous; HttpOnly, SameSite=strict), a CSRF token per session checked on every
form, a login-attempt rate limit, and the `requires` decorator every route goes through."""

from __future__ import annotations

import functools
import hmac
import secrets
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from graders.errors import DlgradeError

Endpoint = Callable[[Request], Awaitable[Response]]
View = Callable[[Request, Any], Response]

MAX_FAILURES = 5
WINDOW_S = 300.0


class LoginLimiter:
    """At most MAX_FAILURES failed logins per client address and per account name in WINDOW_S."""

    def __init__(self, max_failures: int = MAX_FAILURES, window_s: float = WINDOW_S) -> None:
        self.max_failures, self.window_s = max_failures, window_s
        self._failures: dict[str, deque[float]] = defaultdict(deque)

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._failures[key]
        while q and now - q[0] > self.window_s:
            q.popleft()
        return q

    def blocked(self, *keys: str) -> bool:
        now = time.monotonic()
        return any(len(self._recent(k, now)) >= self.max_failures for k in keys)

    def fail(self, *keys: str) -> None:
        now = time.monotonic()
        for k in keys:
            self._recent(k, now).append(now)


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


def csrf_ok(request: Request, form: Any) -> bool:
    sent = str(form.get("csrf", "") or request.headers.get("x-csrf-token", ""))
    token = request.session.get("csrf", "")
    return bool(token) and hmac.compare_digest(sent, token)


def refused(status: int, fa: str, en: str) -> Response:
    return PlainTextResponse(f"{fa}\n{en}\n", status_code=status)


def current_user(request: Request) -> dict[str, str] | None:
    name = request.session.get("user")
    if not name:
        return None
    user = request.app.state.store.account(name)  # a removed account loses its sessions
    if user is None or user["stamp"] != request.session.get("stamp"):
        return None  # so does one whose password was reset since the login
    return user


def requires(role: str | None = None) -> Callable[[View], Endpoint]:
    """Login (and a role) for a route; POSTs must carry the session's CSRF token. The view
    (`view(request, form)`, form None for a GET) runs in a worker thread, so a slow database
    call never holds up the other TAs' requests; a bad form value answers 400."""

    def wrap(view: View) -> Endpoint:
        @functools.wraps(view)
        async def guarded(request: Request) -> Response:
            user = await run_in_threadpool(current_user, request)
            if user is None:
                if request.method == "GET":
                    return RedirectResponse("/login", status_code=303)
                return refused(401, "ابتدا وارد شوید.", "log in first")
            if role is not None and user["role"] != role:
                return refused(403, "این کار فقط برای استاد است.", "instructors only")
            form = await request.form() if request.method == "POST" else None
            if form is not None and not csrf_ok(request, form):
                return refused(403, "توکن CSRF نادرست است.", "missing or wrong CSRF token")
            request.state.user = user
            try:
                return await run_in_threadpool(view, request, form)
            except DlgradeError as exc:  # a bad form value or address
                return refused(400, exc.message_fa, exc.message_en)

        guarded.login_required = True  # type: ignore[attr-defined]
        return guarded

    return wrap
