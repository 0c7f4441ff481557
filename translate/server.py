"""The browser review page: Starlette, server-rendered Jinja2 (autoescaped), a little JavaScript.

| route | what |
|---|---|
| ``GET /`` | the documents in ``corpus/`` with their review progress |
| ``GET /doc/{doc}`` | side-by-side Arabic/English, per-segment state, QA badges, term highlights |
| ``POST /doc/{doc}/{seg}/{action}`` | edit/approve/reject/comment/reopen (form fields ``base_rev``, ``text``, ``note``, ``csrf``) |
| ``GET/POST /whoami`` | loopback: a reviewer names themself |
| ``GET/POST /login`` | reviewers file: name + token |
| ``POST /logout`` | forget the reviewer |

A POST that asks for ``application/json`` gets ``{"ok", "state", "issues", "row"}``
(``row``: the re-rendered segment) or, on a stale ``base_rev``, status 409 with
``{"error", "current", "row"}``; a plain form POST is redirected back to the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from .errors import DocumentNotFoundError, ReviewConflictError, ReviewLogError, TranslateError
from .paths import check_doc_id
from .review import ACTIONS, REV_CHECKED, ReviewLog, SegmentState, reviewer_problem, states
from .server_auth import (
    SESSION_COOKIE,
    SESSION_MAX_AGE,
    SecurityHeaders,
    Session,
    Signer,
    csrf_ok,
    origin_problem,
    reviewer_for_token,
)
from .server_views import Row, document_rows, index_entries, make_row, progress
from .store import load_document

HERE = Path(__file__).parent
@dataclass(frozen=True)
class Visitor:
    """Who is asking, worked out once per request: the signed session (if any) and the
    reviewer allowed to write, from an API token (``bearer``, no CSRF needed) or the session."""

    session: Session | None
    reviewer: str | None
    bearer: bool


class Reviewing:
    """Per-app settings: who may write and how sessions are signed (no module-level state)."""

    def __init__(self, reviewers: dict[str, str] | None, secret: bytes | None):
        self.reviewers = reviewers
        self.signer = Signer(secret)
        self.templates = Jinja2Templates(directory=str(HERE / "templates"))
        self.templates.env.autoescape = True

    @property
    def auth(self) -> bool:
        return self.reviewers is not None

    def visitor(self, request: Request) -> Visitor:
        """The request's :class:`Visitor` (kept on ``request.state`` after the first call)."""
        known = getattr(request.state, "visitor", None)
        if known is not None:
            return known
        session = self.signer.load(request.cookies.get(SESSION_COOKIE))
        if session and self.auth and session.reviewer not in (self.reviewers or {}):
            session = Session(None, session.csrf, session.issued)  # a reviewer since removed from the file
        header = request.headers.get("authorization", "")
        token_name = None
        if self.auth and header[:7].lower() == "bearer ":
            token_name = reviewer_for_token(header[7:].strip(), self.reviewers or {})
        visitor = Visitor(session, token_name or (session.reviewer if session else None), token_name is not None)
        request.state.visitor = visitor
        return visitor

    def page(self, request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
        visitor = self.visitor(request)
        session = visitor.session or Session.new()
        context = {"reviewer": visitor.reviewer, "csrf": session.csrf, "auth": self.auth, **context}
        response = self.templates.TemplateResponse(request, name, context, status_code=status)
        self.set_session(response, session)
        return response

    def set_session(self, response: Response, session: Session) -> None:
        response.set_cookie(SESSION_COOKIE, self.signer.dump(session), max_age=SESSION_MAX_AGE,
                            httponly=True, samesite="strict", secure=False)

    def render_row(self, request: Request, doc_id: str, row: Row, can_write: bool) -> str:
        session = self.visitor(request).session
        return self.templates.get_template("_segment.html").render(
            row=row, doc_id=doc_id, can_write=can_write, csrf=session.csrf if session else ""
        )


def _rv(request: Request) -> Reviewing:
    return request.app.state.reviewing


def _login_redirect(request: Request) -> Response | None:
    rv = _rv(request)
    if rv.auth and not rv.visitor(request).reviewer:
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
    return None


def _safe_next(value: str | None) -> str:
    return value if value and value.startswith("/") and not value.startswith("//") and "\\" not in value else "/"


async def index(request: Request) -> Response:
    if (redirect := _login_redirect(request)) is not None:
        return redirect
    entries = await run_in_threadpool(index_entries)
    return _rv(request).page(request, "index.html", {"entries": entries})


async def document_page(request: Request) -> Response:
    if (redirect := _login_redirect(request)) is not None:
        return redirect
    rv = _rv(request)
    doc_id = request.path_params["doc_id"]
    try:
        check_doc_id(doc_id)
        doc = await run_in_threadpool(load_document, doc_id)
        rows = await run_in_threadpool(document_rows, doc)
    except DocumentNotFoundError as exc:
        return rv.page(request, "error.html", {"title": "No such document", "message": str(exc)}, 404)
    except TranslateError as exc:
        return rv.page(request, "error.html", {"title": "Cannot show this document", "message": str(exc)}, 500)
    can_write = bool(rv.visitor(request).reviewer)
    return rv.page(request, "document.html", {
        "doc": doc, "rows": rows, "doc_id": doc_id, "can_write": can_write,
        "progress": progress({r.seg.id: r.state for r in rows}),
    })


def _fields(body: bytes) -> dict[str, str]:
    return dict(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True))


def _refused(request: Request, status: int, message: str) -> Response:
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"ok": False, "error": message}, status_code=status)
    return _rv(request).page(request, "error.html", {"title": "Refused", "message": message}, status)


def _forged(request: Request, fields: dict[str, str]) -> Response | None:
    """The refusal of a POST from another site or without this session's CSRF token, or ``None``."""
    own = f"{request.url.scheme}://{request.url.netloc}"
    if (problem := origin_problem(request.headers, own)) is not None:
        return _refused(request, 403, problem)
    if not csrf_ok(_rv(request).visitor(request).session, request.headers.get("x-csrf-token") or fields.get("csrf")):
        return _refused(request, 403, "missing or wrong CSRF token: reload the page and try again")
    return None


def _check_write(request: Request, fields: dict[str, str]) -> str | Response:
    """The reviewer allowed to write, or the response refusing the write."""
    rv = _rv(request)
    visitor = rv.visitor(request)
    if visitor.bearer:
        return visitor.reviewer
    if (refusal := _forged(request, fields)) is not None:
        return refusal
    if not visitor.reviewer:
        who = "log in" if rv.auth else "name yourself (the form at the top of the page)"
        return _refused(request, 403, f"{who} before reviewing")
    return visitor.reviewer


async def segment_action(request: Request) -> Response:
    rv = _rv(request)
    doc_id, seg_id, action = (request.path_params[k] for k in ("doc_id", "seg_id", "action"))
    fields = _fields(await request.body())
    reviewer = _check_write(request, fields)
    if isinstance(reviewer, Response):
        return reviewer
    if action not in ACTIONS:
        return _refused(request, 404, f"unknown action {action!r}")
    try:
        base_rev = int(fields["base_rev"]) if fields.get("base_rev", "") != "" else None
    except ValueError:
        return _refused(request, 400, "base_rev must be a whole number")
    if base_rev is None and action in REV_CHECKED:
        return _refused(request, 400, "base_rev is required: send the revision you reviewed")
    text = fields.get("text")
    note = (fields.get("note") or "").strip() or None
    if action == "edit" and text is None:
        return _refused(request, 400, "an edit needs a text")
    if action == "comment" and not note:
        return _refused(request, 400, "a comment cannot be empty")
    if text is not None:
        text = text.replace("\r\n", "\n")

    def act() -> tuple[int, dict[str, Any], Row]:
        doc = load_document(check_doc_id(doc_id))
        try:
            _, state = ReviewLog.for_document(doc_id).record(
                doc, reviewer=reviewer, segment=seg_id, action=action, text=text, base_rev=base_rev, note=note
            )
        except ReviewConflictError as exc:
            current = exc.current if isinstance(exc.current, SegmentState) else states(doc)[seg_id]
            payload = {"ok": False, "error": str(exc), "current": current.to_dict()}
            return 409, payload, make_row(doc.segment(seg_id), current)
        row = make_row(doc.segment(seg_id), state)
        return 200, {"ok": True, "state": row.state.to_dict(), "issues": [i.to_dict() for i in row.issues]}, row

    try:
        status, payload, row = await run_in_threadpool(act)
    except DocumentNotFoundError as exc:
        return _refused(request, 404, str(exc))
    except ReviewLogError as exc:
        return _refused(request, 500, str(exc))
    except ValueError as exc:
        return _refused(request, 400, str(exc))
    if "application/json" in request.headers.get("accept", ""):
        payload["row"] = rv.render_row(request, doc_id, row, can_write=True)
        return JSONResponse(payload, status_code=status)
    if status == 409:
        return rv.page(request, "error.html", {"title": "Conflict", "message": payload["error"],
                                               "back": f"/doc/{quote(doc_id)}#seg-{quote(seg_id)}"}, 409)
    return RedirectResponse(f"/doc/{quote(doc_id)}#seg-{quote(seg_id)}", status_code=303)


Identify = Callable[[dict[str, str]], tuple[str, 'str | None', int]]  # form fields -> name, refusal, status


async def _sign_in(request: Request, template: str, identify: Identify) -> Response:
    """The sign-in form: GET shows ``template``; a POST that passes the CSRF check signs in the
    reviewer ``identify(fields)`` names, or shows the form again with its refusal."""
    rv = _rv(request)
    if request.method == "GET":
        return rv.page(request, template, {"next": _safe_next(request.query_params.get("next")), "error": None})
    fields = _fields(await request.body())
    if (refusal := _forged(request, fields)) is not None:
        return refusal
    nxt = _safe_next(fields.get("next"))
    name, problem, status = identify(fields)
    if problem is not None:
        return rv.page(request, template, {"next": nxt, "error": problem}, status)
    response = RedirectResponse(nxt, status_code=303)
    rv.set_session(response, Session.new(name))
    return response


async def whoami(request: Request) -> Response:
    """Loopback: a reviewer names themself."""
    if _rv(request).auth:
        return RedirectResponse("/login", status_code=303)

    def named(fields: dict[str, str]) -> tuple[str, str | None, int]:
        name = fields.get("name", "")
        return name.strip(), reviewer_problem(name), 400

    return await _sign_in(request, "whoami.html", named)


async def login(request: Request) -> Response:
    """A reviewers file: name and token."""
    rv = _rv(request)
    if not rv.auth:
        return RedirectResponse("/whoami", status_code=303)

    def by_token(fields: dict[str, str]) -> tuple[str, str | None, int]:
        name = fields.get("name", "").strip()
        known = bool(name) and reviewer_for_token(fields.get("token", ""), rv.reviewers or {}) == name
        return name, None if known else "unknown reviewer or wrong token", 403

    return await _sign_in(request, "login.html", by_token)


async def logout(request: Request) -> Response:
    rv = _rv(request)
    fields = _fields(await request.body())
    if (refusal := _forged(request, fields)) is not None:
        return refusal
    response = RedirectResponse("/login" if rv.auth else "/", status_code=303)
    rv.set_session(response, Session.new())
    return response


def create_app(
    *, reviewers: dict[str, str] | None = None, secret: bytes | None = None, allowed_hosts: list[str] | None = None
) -> Starlette:
    """The review app. ``reviewers`` (name -> token SHA-256) switches on token login;
    ``allowed_hosts`` refuses other ``Host`` headers (DNS rebinding)."""
    middleware = [Middleware(SecurityHeaders)]
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
            Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
        ],
        middleware=middleware,
    )
    app.state.reviewing = Reviewing(reviewers, secret)
    return app
