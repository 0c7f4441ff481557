"""The browser review page: Starlette, server-rendered Jinja2 (autoescaped), a little JavaScript.

| route | what |
|---|---|
| ``GET /`` | the documents in ``corpus/`` with their review progress |
| ``GET /doc/{doc}`` | side-by-side Arabic/English, per-segment state, QA badges, term highlights |
| ``POST /doc/{doc}/{seg}/{action}`` | edit/approve/reject/comment/reopen (form fields ``base_rev``, ``text``, ``note``, ``csrf``) |
| ``GET/POST /whoami`` | loopback: a reviewer names themself |
| ``GET/POST /login`` | reviewers file: name + token |
| ``POST /logout`` | forget the reviewer (the session is ended on the server too) |
| ``GET /favicon.ico`` | the icon |

A POST that asks for ``application/json`` gets ``{"ok", "state", "issues", "row", "progress",
"progress_html"}`` (``row``: the re-rendered segment) or, on a stale ``base_rev``, status 409 with
``{"error", "current", "row"}``; an approval refused for QA errors is 422 with
``{"error", "needs_override": true}`` (send ``override`` = the reason to approve anyway);
a plain form POST is redirected back to the page.

Who is writing is checked from the headers (session cookie or ``Authorization: Bearer``)
before any request body is read; bodies are capped (:mod:`translate.server.limits`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from translate.doc.render import doc_title, signature_items
from translate.doc.store import load_document
from translate.errors import (
    ApprovalRefusedError,
    DocumentNotFoundError,
    ReviewConflictError,
    ReviewLogError,
    TranslateError,
)
from translate.paths import check_doc_id
from translate.review.log import ACTIONS, REV_CHECKED, ReviewLog, SegmentState, reviewer_problem, states
from translate.server.auth import SecurityHeaders, reviewer_for_token
from translate.server.limits import DEFAULT_MAX_BODY, BodyLimit
from translate.server.requests import (
    HERE,
    Reviewing,
    cross_site,
    favicon,
    forged,
    form_fields,
    login_redirect,
    not_found,
    public,
    refused,
    rv_of,
    safe_next,
    server_error,
    writer,
)
from translate.server.views import Row, document_rows, index_entries, progress, row_for


async def index(request: Request) -> Response:
    if (redirect := login_redirect(request)) is not None:
        return redirect
    entries = await run_in_threadpool(index_entries)
    for entry in entries:
        if entry["error"]:
            entry["error"] = public(entry["error"])
    return rv_of(request).page(request, "index.html", {"entries": entries})


async def document_page(request: Request) -> Response:
    if (redirect := login_redirect(request)) is not None:
        return redirect
    rv = rv_of(request)
    doc_id = request.path_params["doc_id"]
    try:
        check_doc_id(doc_id)
        doc = await run_in_threadpool(load_document, doc_id)
        rows = await run_in_threadpool(document_rows, doc)
    except DocumentNotFoundError as exc:
        return rv.page(request, "error.html", {"title": "No such document", "message": public(str(exc))}, 404)
    except TranslateError as exc:
        return rv.page(request, "error.html", {"title": "Cannot show this document", "message": public(str(exc))},
                       500)
    can_write = bool(rv.visitor(request).reviewer)
    title = doc_title(doc)
    return rv.page(request, "document.html", {
        "doc": doc, "rows": rows, "doc_id": doc_id, "can_write": can_write, "title": title,
        "signature": signature_items(doc),
        "progress": progress({r.seg.id: r.state for r in rows}),
    })


async def segment_action(request: Request) -> Response:
    rv = rv_of(request)
    doc_id, seg_id, action = (request.path_params[k] for k in ("doc_id", "seg_id", "action"))
    reviewer = writer(request)
    if isinstance(reviewer, Response):
        return reviewer
    if action not in ACTIONS:
        return refused(request, 404, f"unknown action {action!r}")
    fields = form_fields(await request.body())
    if not rv.visitor(request).bearer and (refusal := forged(request, fields)) is not None:
        return refusal
    try:
        base_rev = int(fields["base_rev"]) if fields.get("base_rev", "") != "" else None
    except ValueError:
        return refused(request, 400, "base_rev must be a whole number")
    if base_rev is None and action in REV_CHECKED:
        return refused(request, 400, "base_rev is required: send the revision you reviewed")
    # every write rule and its message: translate.review.rules, run by ReviewLog.record
    text = fields.get("text")
    note = (fields.get("note") or "").strip() or None
    override = fields.get("override")
    if text is not None:
        text = text.replace("\r\n", "\n")

    def act() -> tuple[int, dict[str, Any], Row]:
        doc = load_document(check_doc_id(doc_id))
        try:
            _, state = ReviewLog.for_document(doc_id).record(
                doc, reviewer=reviewer, segment=seg_id, action=action, text=text, base_rev=base_rev, note=note,
                override=override if action == "approve" else None,
            )
        except ReviewConflictError as exc:
            current = exc.current if isinstance(exc.current, SegmentState) else states(doc)[seg_id]
            payload = {"ok": False, "error": str(exc), "current": current.to_dict()}
            return 409, payload, row_for(doc, seg_id, current)
        except ApprovalRefusedError as exc:
            payload = {"ok": False, "error": str(exc), "needs_override": True}
            return 422, payload, row_for(doc, seg_id, states(doc)[seg_id])
        row = row_for(doc, seg_id, state)
        payload = {"ok": True, "state": row.state.to_dict(), "issues": [i.to_dict() for i in row.issues],
                   "progress": progress(states(doc))}
        return 200, payload, row

    try:
        status, payload, row = await run_in_threadpool(act)
    except DocumentNotFoundError as exc:
        return refused(request, 404, str(exc))
    except ReviewLogError as exc:
        return refused(request, 500, str(exc))
    except ValueError as exc:
        return refused(request, 400, str(exc))
    if "application/json" in request.headers.get("accept", ""):
        payload["row"] = rv.render_row(request, doc_id, row, can_write=True)
        if "progress" in payload:
            payload["progress_html"] = rv.render_progress(payload["progress"])
        return JSONResponse(payload, status_code=status)
    if status == 422:
        return rv.page(request, "error.html", {
            "title": "Not approved", "back": f"/doc/{quote(doc_id)}#seg-{quote(seg_id)}",
            "message": public(payload["error"]) + " (to approve anyway, give a reason in the box "
                                                   "'Approve despite QA errors' under the segment)"}, 422)
    if status == 409:
        return rv.page(request, "error.html", {"title": "Conflict", "message": payload["error"],
                                               "back": f"/doc/{quote(doc_id)}#seg-{quote(seg_id)}"}, 409)
    return RedirectResponse(f"/doc/{quote(doc_id)}#seg-{quote(seg_id)}", status_code=303)


Identify = Callable[[dict[str, str]], tuple[str, 'str | None', int]]  # form fields -> name, refusal, status


async def _sign_in(request: Request, template: str, identify: Identify) -> Response:
    """The sign-in form: GET shows ``template``; a POST that passes the CSRF check signs in the
    reviewer ``identify(fields)`` names, or shows the form again with its refusal."""
    rv = rv_of(request)
    if request.method == "GET":
        return rv.page(request, template, {"next": safe_next(request.query_params.get("next")), "error": None})
    if (refusal := cross_site(request)) is not None:
        return refusal
    fields = form_fields(await request.body())
    if (refusal := forged(request, fields)) is not None:
        return refusal
    nxt = safe_next(fields.get("next"))
    name, problem, status = identify(fields)
    if problem is not None:
        return rv.page(request, template, {"next": nxt, "error": problem}, status)
    response = RedirectResponse(nxt, status_code=303)
    old = rv.visitor(request).session
    if old is not None:
        rv.live.discard(old.csrf)
    rv.sign_in(response, name)
    return response


async def whoami(request: Request) -> Response:
    """Loopback: a reviewer names themself."""
    if rv_of(request).auth:
        return RedirectResponse("/login", status_code=303)

    def named(fields: dict[str, str]) -> tuple[str, str | None, int]:
        name = fields.get("name", "")
        return name.strip(), reviewer_problem(name), 400

    return await _sign_in(request, "whoami.html", named)


async def login(request: Request) -> Response:
    """A reviewers file: name and token."""
    rv = rv_of(request)
    if not rv.auth:
        return RedirectResponse("/whoami", status_code=303)

    def by_token(fields: dict[str, str]) -> tuple[str, str | None, int]:
        name = fields.get("name", "").strip()
        known = bool(name) and reviewer_for_token(fields.get("token", ""), rv.reviewers or {}) == name
        return name, None if known else "unknown reviewer or wrong token", 403

    return await _sign_in(request, "login.html", by_token)


async def logout(request: Request) -> Response:
    """Forget the reviewer here and on the server: the old cookie signs nobody in any more."""
    rv = rv_of(request)
    if (refusal := cross_site(request)) is not None:
        return refusal
    fields = form_fields(await request.body())
    if (refusal := forged(request, fields)) is not None:
        return refusal
    session = rv.visitor(request).session
    if session is not None:
        rv.live.discard(session.csrf)
    response = RedirectResponse("/login" if rv.auth else "/", status_code=303)
    rv.sign_in(response, None)
    return response


def create_app(
    *, reviewers: dict[str, str] | None = None, secret: bytes | None = None, allowed_hosts: list[str] | None = None,
    max_body: int = DEFAULT_MAX_BODY,
) -> Starlette:
    """The review app. ``reviewers`` (name -> token SHA-256) switches on token login;
    ``allowed_hosts`` refuses other ``Host`` headers (DNS rebinding); ``max_body`` caps request bodies."""
    middleware = [Middleware(SecurityHeaders), Middleware(BodyLimit, max_body=max_body)]
    if allowed_hosts:
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts))
    app = Starlette(
        routes=[
            Route("/", index),
            Route("/doc/{doc_id}", document_page),
            Route("/doc/{doc_id}/{seg_id}/{action}", segment_action, methods=["POST"]),
            Route("/whoami", whoami, methods=["GET", "POST"]),
            Route("/login", login, methods=["GET", "POST"]),
            Route("/logout", logout, methods=["POST"]),
            Route("/favicon.ico", favicon),
            Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
        ],
        middleware=middleware,
        exception_handlers={HTTPException: not_found, 500: server_error},
    )
    app.state.reviewing = Reviewing(reviewers, secret)
    return app
