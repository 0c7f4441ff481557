"""Per-request plumbing of the review server: who is asking (:class:`Visitor`), the app's
settings (:class:`Reviewing`), refusals, the origin and CSRF checks, and the error pages
(which never show a file-system path)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote

from markupsafe import Markup
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.templating import Jinja2Templates

from translate.doc.render import isolate_html, isolate_text
from translate.paths import corpus_dir, reviews_dir
from translate.server.auth import (
    SESSION_COOKIE,
    SESSION_MAX_AGE,
    Session,
    Signer,
    csrf_ok,
    origin_problem,
    reviewer_for_token,
)
from translate.server.limits import LiveSessions, public_message
from translate.server.views import Row

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
        self.live = LiveSessions(SESSION_MAX_AGE)
        self.templates = Jinja2Templates(directory=str(HERE / "templates"))
        self.templates.env.autoescape = True
        self.templates.env.filters["isolate"] = lambda text: Markup(isolate_html(str(text)))
        self.templates.env.filters["isolate_text"] = lambda text: isolate_text(str(text))

    @property
    def auth(self) -> bool:
        return self.reviewers is not None

    def visitor(self, request: Request) -> Visitor:
        """The request's :class:`Visitor` (kept on ``request.state`` after the first call)."""
        known = getattr(request.state, "visitor", None)
        if known is not None:
            return known
        session = self.signer.load(request.cookies.get(SESSION_COOKIE))
        if session and session.reviewer and (
            session.csrf not in self.live  # logged out (or signed by an earlier run of the server)
            or (self.auth and session.reviewer not in (self.reviewers or {}))  # since removed from the file
        ):
            session = Session(None, session.csrf, session.issued)
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

    def sign_in(self, response: Response, name: str | None) -> None:
        """Give ``response`` a fresh session for ``name`` (``None``: nobody), known to this server."""
        session = Session.new(name)
        if name:
            self.live.add(session.csrf, session.issued)
        self.set_session(response, session)

    def render_row(self, request: Request, doc_id: str, row: Row, can_write: bool) -> str:
        session = self.visitor(request).session
        return self.templates.get_template("_segment.html").render(
            row=row, doc_id=doc_id, can_write=can_write, csrf=session.csrf if session else ""
        )

    def render_progress(self, counts: dict[str, Any]) -> str:
        return self.templates.get_template("_progress.html").render(progress=counts)


def public(message: str) -> str:
    """An error message as a browser may see it: no file-system paths."""
    return public_message(message, {str(corpus_dir()): "corpus", str(reviews_dir()): "reviews"})


def rv_of(request: Request) -> Reviewing:
    return request.app.state.reviewing


def login_redirect(request: Request) -> Response | None:
    rv = rv_of(request)
    if rv.auth and not rv.visitor(request).reviewer:
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
    return None


def safe_next(value: str | None) -> str:
    return value if value and value.startswith("/") and not value.startswith("//") and "\\" not in value else "/"


def form_fields(body: bytes) -> dict[str, str]:
    return dict(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True))


def refused(request: Request, status: int, message: str, **extra: Any) -> Response:
    message = public(message)
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"ok": False, "error": message, **extra}, status_code=status)
    return rv_of(request).page(request, "error.html", {"title": "Refused", "message": message}, status)


def cross_site(request: Request) -> Response | None:
    """The refusal of a POST whose headers show another site, or ``None`` (no body read)."""
    own = f"{request.url.scheme}://{request.url.netloc}"
    if (problem := origin_problem(request.headers, own)) is not None:
        return refused(request, 403, problem)
    return None


def forged(request: Request, fields: dict[str, str]) -> Response | None:
    """The refusal of a POST from another site or without this session's CSRF token, or ``None``."""
    if (refusal := cross_site(request)) is not None:
        return refusal
    if not csrf_ok(rv_of(request).visitor(request).session, request.headers.get("x-csrf-token") or fields.get("csrf")):
        return refused(request, 403, "missing or wrong CSRF token: reload the page and try again")
    return None


def writer(request: Request) -> str | Response:
    """The reviewer allowed to write, or the response refusing the write; from the headers
    alone (session cookie, bearer token, origin), before any of the body is read."""
    rv = rv_of(request)
    visitor = rv.visitor(request)
    if visitor.bearer:
        return visitor.reviewer
    if (refusal := cross_site(request)) is not None:
        return refusal
    if not visitor.reviewer:
        who = "log in" if rv.auth else "name yourself (the form at the top of the page)"
        return refused(request, 403, f"{who} before reviewing")
    return visitor.reviewer


async def favicon(request: Request) -> Response:
    return FileResponse(HERE / "static" / "favicon.svg", media_type="image/svg+xml",
                        headers={"cache-control": "max-age=86400"})


async def not_found(request: Request, exc: Exception) -> Response:
    """404 (and other HTTP errors) as a page, or JSON for a client asking for it; never a path."""
    status = exc.status_code if isinstance(exc, HTTPException) else 404
    message = "no such page" if status == 404 else (exc.detail if isinstance(exc, HTTPException) else "refused")
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"ok": False, "error": message}, status_code=status)
    title = "Not found" if status == 404 else "Refused"
    return rv_of(request).page(request, "error.html", {"title": title, "message": message}, status)


async def server_error(request: Request, exc: Exception) -> Response:
    """An unexpected error: a short page; the details (and any path) stay in the server's log."""
    message = "the server hit an unexpected error; the details are in its log"
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"ok": False, "error": message}, status_code=500)
    return Response(f'<!doctype html><html lang="en"><meta charset="utf-8"><title>Server error</title>'
                    f'<h1>Server error</h1><p class="error">{message}</p><p><a href="/">Back</a></p>',
                    status_code=500, media_type="text/html")
