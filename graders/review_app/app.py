"""The review app's route table, templates and login pages (`create_app`)."""

from __future__ import annotations

import functools
import os
import re
import secrets
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from graders.paths import templates_dir
from graders.review_app import views
from graders.review_app.auth import (
    Endpoint,
    LoginLimiter,
    csrf_ok,
    csrf_token,
    refused,
    requires,
)
from graders.review_app.store import ReviewStore

HERE = Path(__file__).parent
FONTS = templates_dir() / "fonts"
# Explicit bidi controls (embeddings, overrides, isolates, marks): shown as visible codes.
BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")


def inert(text: Any) -> Markup:
    """Student text, HTML-escaped, with every bidi control character made visible and inert."""
    safe = str(escape(str(text or "")))
    return Markup(BIDI.sub(lambda m: f'<span class="ctl">[U+{ord(m.group()):04X}]</span>', safe))


def _templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True, trim_blocks=True
    )
    env.filters["inert"] = inert
    env.filters["pts"] = lambda x: f"{float(x):g}"
    return Jinja2Templates(env=env)


def render(request: Request, name: str, status: int = 200, **ctx: Any) -> Response:
    t = request.app.state.templates
    ctx |= {
        "user": getattr(request.state, "user", None),
        "csrf": csrf_token(request),
        "assignment": request.app.state.assignment,
    }
    return t.TemplateResponse(request, name, ctx, status_code=status)


async def login_page(request: Request) -> Response:
    return render(request, "login.html.j2")


async def login(request: Request) -> Response:
    form = await request.form()
    if not csrf_ok(request, form):
        return refused(403, "توکن CSRF نادرست است.", "missing or wrong CSRF token")
    name, password = str(form.get("name", "")), str(form.get("password", ""))
    client = request.client.host if request.client else "?"
    limiter: LoginLimiter = request.app.state.limiter
    if limiter.blocked(f"ip:{client}", f"user:{name}"):
        return render(
            request,
            "login.html.j2",
            429,
            error=(
                "تلاش‌های ناموفق زیاد بود؛ چند دقیقه بعد دوباره امتحان کنید.",
                "too many failed logins; try again in a few minutes",
            ),
        )
    user = await run_in_threadpool(request.app.state.store.verify, name, password)
    if user is None:
        limiter.fail(f"ip:{client}", f"user:{name}")
        return render(
            request,
            "login.html.j2",
            401,
            error=("نام یا گذرواژه نادرست است.", "wrong name or password"),
        )
    request.session.clear()
    request.session.update(user=user["name"], stamp=user["stamp"], csrf=secrets.token_urlsafe(32))
    return RedirectResponse("/", status_code=303)


@requires()
def logout(request: Request, form: Any) -> Response:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


# Each URL once: the page it shows (GET) and the form posted to it (POST); None: not served.
ROUTES: tuple[tuple[str, Endpoint | None, Endpoint | None], ...] = (
    ("/login", login_page, login),
    ("/logout", None, logout),
    ("/", views.overview, None),
    ("/grade/{item}", views.next_item, None),
    ("/grade/{item}/{key}", views.grade_page, views.grade_save),
    ("/rubric/{item}", None, views.rubric_add),
    ("/rubric/{item}/{rid:int}", None, views.rubric_edit),
    ("/comments/{item}", None, views.comment_add),
    ("/submission/{key}", views.submission_page, None),
    ("/override/{key}", None, views.override_save),
    ("/audit", views.audit_page, None),
    ("/accounts", views.accounts_page, views.accounts_add),
)


def create_app(assignment: str, gradebook: str | Path, secret: str | None = None) -> Starlette:
    from graders.review import item_max
    from graders.spec import load_spec

    spec = load_spec(assignment)
    routes: list[BaseRoute] = [
        Route(path, view, methods=[method])
        for path, page, form in ROUTES
        for method, view in (("GET", page), ("POST", form))
        if view is not None
    ]
    routes += [
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        Mount("/fonts", StaticFiles(directory=FONTS), name="fonts"),
    ]
    key = secret or os.environ.get("DLGRADE_REVIEW_SECRET") or secrets.token_urlsafe(32)
    middleware = [
        Middleware(
            SessionMiddleware,
            secret_key=key,
            session_cookie="dlgrade_review",
            max_age=12 * 3600,
            same_site="strict",
            https_only=False,
        )
    ]
    app = Starlette(routes=routes, middleware=middleware)
    app.state.store = ReviewStore(gradebook, functools.partial(item_max, spec))
    app.state.assignment = spec.id
    app.state.spec = spec
    app.state.templates = _templates()
    app.state.limiter = LoginLimiter()
    return app


PUBLIC_PATHS = ("/login", "/static", "/fonts")  # the login page and its fonts, script, style
