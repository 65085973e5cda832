"""The review app's pages (plain functions run in a worker thread, see `auth.requires`): the overview, grading one item across the class, rubric and comment
bank edits, a submission's checks with overrides, the audit log, accounts."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from graders.review_app.auth import refused, requires
from graders.review_app.store import ConflictError, ReviewInputError, ReviewStore


def _store(request: Request) -> ReviewStore:
    return request.app.state.store


def _aid(request: Request) -> str:
    return request.app.state.assignment


def _render(request: Request, name: str, status: int = 200, **ctx: Any) -> Response:
    from graders.review_app.app import render

    return render(request, name, status, **ctx)


def _float(value: Any, fa: str, en: str) -> float:
    try:
        return float(str(value).replace("٫", ".").strip())
    except ValueError as exc:
        raise ReviewInputError(f"{en}: not a number: {value!r}", f"{fa}: عدد نیست") from exc


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(str(value))
    except ValueError:
        return default


def _back(form: Any) -> str:
    """Where a form returns to: a path of this app only (never another site)."""
    back = str(form.get("back") or "/")
    return back if back.startswith("/") and not back.startswith(("//", "/\\")) else "/"


def _grade_url(item: str, key: str) -> str:
    return f"/grade/{quote(item)}/{quote(key)}"


@requires()
def overview(request: Request, form: Any) -> Response:
    store = _store(request)
    return _render(
        request,
        "overview.html.j2",
        items=store.overview(_aid(request)),
        submissions=store.submissions(_aid(request)),
    )


@requires()
def next_item(request: Request, form: Any) -> Response:
    item = request.path_params["item"]
    queue = _store(request).queue(_aid(request), item)
    if not queue:
        return refused(404, "این مورد در صف بررسی نیست.", "nothing to review for this item")
    todo = [k for k, done in queue if not done]
    return RedirectResponse(_grade_url(item, (todo or [queue[0][0]])[0]), status_code=303)


def _neighbours(queue: list[tuple[str, bool]], key: str) -> dict[str, str | None]:
    keys = [k for k, _ in queue]
    i = keys.index(key) if key in keys else -1
    after = keys[i + 1 :] + keys[: max(i, 0)]
    todo = [k for k in after if not dict(queue)[k]]
    return {
        "prev": keys[i - 1] if i > 0 else None,
        "next": keys[i + 1] if 0 <= i < len(keys) - 1 else None,
        "next_todo": todo[0] if todo else None,
        "position": i + 1,
        "count": len(keys),
        "done": sum(1 for _, d in queue if d),
    }


def _grade_context(request: Request, item: str, key: str) -> dict[str, Any] | None:
    store, aid = _store(request), _aid(request)
    check = store.check(aid, key, item)
    if check is None:
        return None
    store.seed_rubric(aid, item, check.get("evidence", {}).get("rubric", []))
    queue = store.queue(aid, item)
    return {
        "item": item,
        "key": key,
        "check": check,
        "evidence": check.get("evidence", {}),
        "rubric": store.rubric(aid, item),
        "review": store.review(aid, key, item),
        "comments": store.comments(aid, item),
        "nav": _neighbours(queue, key),
        "queue": queue,
    }


@requires()
def grade_page(request: Request, form: Any) -> Response:
    item, key = request.path_params["item"], request.path_params["key"]
    ctx = _grade_context(request, item, key)
    if ctx is None:
        return refused(404, "این ارسال یا مورد پیدا نشد.", "no such submission or item")
    return _render(request, "grade.html.j2", **ctx)


def _save(
    request: Request, form: Any, key: str, item: str, check: dict[str, Any], **decision: Any
) -> None:
    """Save the signed-in TA's decision on one item, with the form's version and comment, out of
    the item's maximum; a ConflictError or ReviewInputError is the caller's to show."""
    _store(request).save(
        request.state.user["name"],
        _aid(request),
        key,
        item,
        version=_int(form.get("version")),
        top=float(check["max"]),
        comment=str(form.get("comment", "")),
        **decision,
    )


@requires()
def grade_save(request: Request, form: Any) -> Response:
    item, key = request.path_params["item"], request.path_params["key"]
    store, aid = _store(request), _aid(request)
    check = store.check(aid, key, item)
    if check is None:
        return refused(404, "این ارسال یا مورد پیدا نشد.", "no such submission or item")
    ids = [_int(v, -1) for v in form.getlist("rubric")]
    try:
        _save(request, form, key, item, check, rubric_ids=ids)
    except (ConflictError, ReviewInputError) as exc:
        ctx = _grade_context(request, item, key)
        return _render(request, "grade.html.j2", 409, error=(exc.message_fa, exc.message_en), **ctx)
    nav = _neighbours(store.queue(aid, item), key)
    target = nav["next_todo"] if form.get("go") != "stay" else key
    return RedirectResponse(_grade_url(item, target) if target else "/", status_code=303)


@requires("instructor")
def rubric_add(request: Request, form: Any) -> Response:
    item = request.path_params["item"]
    points = _float(form.get("points"), "امتیاز", "points")
    _store(request).add_rubric_item(
        request.state.user["name"],
        _aid(request),
        item,
        points,
        str(form.get("text_fa", "")),
        str(form.get("text_en", "")),
    )
    return RedirectResponse(_back(form), status_code=303)


@requires("instructor")
def rubric_edit(request: Request, form: Any) -> Response:
    item, rid = request.path_params["item"], request.path_params["rid"]
    store = _store(request)
    top = store.item_max(item)
    try:
        store.edit_rubric_item(
            request.state.user["name"],
            rid,
            _float(form.get("points"), "امتیاز", "points"),
            str(form.get("text_fa", "")),
            str(form.get("text_en", "")),
            _int(form.get("version")),
            top,
        )
    except (ConflictError, ReviewInputError) as exc:
        return refused(409, exc.message_fa, exc.message_en)
    return RedirectResponse(_back(form), status_code=303)


@requires()
def comment_add(request: Request, form: Any) -> Response:
    _store(request).add_comment(
        request.state.user["name"],
        _aid(request),
        request.path_params["item"],
        str(form.get("text", "")),
    )
    return RedirectResponse(_back(form), status_code=303)


@requires()
def submission_page(request: Request, form: Any) -> Response:
    return _submission(request)


def _submission(request: Request, status: int = 200, error: Any = None) -> Response:
    key = request.path_params["key"]
    store, aid = _store(request), _aid(request)
    checks = store.checks_of(aid, key)
    if not checks:
        return refused(404, "این ارسال پیدا نشد.", "no such submission")
    reviews = {c["item"]: store.review(aid, key, c["item"]) for c in checks}
    return _render(
        request, "submission.html.j2", status, key=key, checks=checks, reviews=reviews, error=error
    )


@requires()
def override_save(request: Request, form: Any) -> Response:
    key = request.path_params["key"]
    store, aid = _store(request), _aid(request)
    item = str(form.get("item", ""))
    check = store.check(aid, key, item) if item.count(".") == 2 else None
    if check is None:
        return refused(404, "این مورد پیدا نشد.", "no such item")
    try:
        points = _float(form.get("points"), "نمره", "points")
        reason = str(form.get("reason", ""))
        _save(request, form, key, item, check, override_points=points, reason=reason)
    except (ConflictError, ReviewInputError) as exc:
        return _submission(request, 409, (exc.message_fa, exc.message_en))
    return RedirectResponse(f"/submission/{quote(key)}", status_code=303)


@requires()
def audit_page(request: Request, form: Any) -> Response:
    return _render(request, "audit.html.j2", rows=_store(request).audit(_aid(request)))


@requires("instructor")
def accounts_page(request: Request, form: Any) -> Response:
    return _render(request, "accounts.html.j2", accounts=_store(request).accounts())


@requires("instructor")
def accounts_add(request: Request, form: Any) -> Response:
    try:
        _store(request).add_account(
            str(form.get("name", "")),
            str(form.get("password", "")),
            str(form.get("role", "ta")),
            who=request.state.user["name"],
        )
    except ReviewInputError as exc:
        return refused(400, exc.message_fa, exc.message_en)
    return RedirectResponse("/accounts", status_code=303)
