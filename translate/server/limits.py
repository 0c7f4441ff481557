"""Limits of the review server: request bodies, sessions, what error pages may say, the port.

* :class:`BodyLimit` (ASGI middleware) answers ``413`` before a body is read when its
  ``Content-Length`` is over the cap, and stops a streamed (chunked) body as soon as it
  passes the cap; sign-in forms (``/login``, ``/whoami``, ``/logout``) have a smaller cap.
  A response sent while the request body is still unread closes the connection, so a
  refused upload is never read to its end.
* :class:`LiveSessions`: the server-side record of signed-in sessions; logging out
  forgets one, so its cookie no longer signs anyone in.
* :func:`public_message`: an error message with the machine's file-system paths taken out.
* :func:`check_listen`: the address can be listened on, checked before the server says it is up.
"""

from __future__ import annotations

import errno
import json
import os
import re
import socket
import time
from html import escape
from typing import Any

from translate.errors import ListenError

DEFAULT_MAX_BODY = 1_000_000
SIGN_IN_MAX_BODY = 16_384
SIGN_IN_PATHS = ("/login", "/whoami", "/logout")
MAX_LIVE_SESSIONS = 10_000


class BodyTooLarge(Exception):
    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(limit)


def too_large_message(limit: int) -> str:
    return (f"request body too large: this server accepts at most {limit:,} bytes "
            "(start it with 'translate serve --max-body BYTES' to allow more)")


class BodyLimit:
    """Caps request bodies at ``max_body`` bytes (``SIGN_IN_MAX_BODY`` on the sign-in forms)."""

    def __init__(self, app: Any, max_body: int = DEFAULT_MAX_BODY):
        self.app = app
        self.max_body = max_body

    def limit_for(self, path: str) -> int:
        return min(self.max_body, SIGN_IN_MAX_BODY) if path in SIGN_IN_PATHS else self.max_body

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope.get("path", ""))
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        chunked = b"chunked" in headers.get(b"transfer-encoding", b"").lower()
        if length is not None:
            if not length.strip().isdigit():
                await _refuse(scope, send, 400, "Content-Length is not a whole number")
                return
            if int(length) > limit:
                await _refuse(scope, send, 413, too_large_message(limit))
                return
        expects_body = chunked or (length is not None and int(length) > 0)
        seen = 0
        done = not expects_body
        started = False

        async def counted() -> Any:
            nonlocal seen, done
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                done = not message.get("more_body", False)
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        async def closing(message: Any) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if not done:  # answered before the body was read: do not read it afterwards
                    message = {**message, "headers": [*message.get("headers", []), (b"connection", b"close")]}
            await send(message)

        try:
            await self.app(scope, counted, closing)
        except BodyTooLarge as exc:
            if not started:
                await _refuse(scope, send, 413, too_large_message(exc.limit))


async def _refuse(scope: Any, send: Any, status: int, message: str) -> None:
    """A refusal before the app runs: JSON for a client that asks for it, else a small page."""
    accept = dict(scope.get("headers") or []).get(b"accept", b"")
    if b"application/json" in accept:
        body = json.dumps({"ok": False, "error": message}, separators=(",", ":")).encode("utf-8")
        kind = b"application/json"
    else:
        title = "Too large" if status == 413 else "Bad request"
        body = (f'<!doctype html><html lang="en"><meta charset="utf-8"><title>{title}</title>'
                f'<h1>{title}</h1><p class="error">{escape(message)}</p><p><a href="/">Back</a></p>').encode("utf-8")
        kind = b"text/html; charset=utf-8"
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", kind), (b"content-length", str(len(body)).encode()), (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


class LiveSessions:
    """The signed-in sessions this server issued and that have not logged out (by session id)."""

    def __init__(self, max_age: float):
        self.max_age = max_age
        self._issued: dict[str, float] = {}

    def add(self, session_id: str, issued: float) -> None:
        now = time.time()
        if len(self._issued) >= MAX_LIVE_SESSIONS:
            self._issued = {k: t for k, t in self._issued.items() if now - t <= self.max_age}
            while len(self._issued) >= MAX_LIVE_SESSIONS:  # the oldest goes first
                self._issued.pop(next(iter(self._issued)))
        self._issued[session_id] = issued

    def __contains__(self, session_id: str) -> bool:
        issued = self._issued.get(session_id)
        return issued is not None and time.time() - issued <= self.max_age

    def discard(self, session_id: str) -> None:
        self._issued.pop(session_id, None)


_ABSOLUTE_PATH = re.compile(r"(?<![\w/:.~-])(?:/[^\s/:'\"()]+)+/?")


def public_message(message: str, roots: dict[str, str] | None = None) -> str:
    """``message`` without file-system paths: a path under one of ``roots`` (``{path: name}``,
    e.g. the corpus folder -> ``corpus``) is shown from that name on; any other absolute path
    is cut to its last part (``…/bilingual.json``)."""
    for path, name in sorted((roots or {}).items(), key=lambda kv: -len(kv[0])):
        for form in {path, os.path.abspath(path), os.path.realpath(path)}:
            if form and form not in (".", os.sep):
                message = message.replace(form.rstrip(os.sep) + os.sep, name + "/").replace(form, name)
    return _ABSOLUTE_PATH.sub(lambda m: "…/" + m.group().rstrip("/").rsplit("/", 1)[-1], message)


def check_listen(host: str, port: int) -> None:
    """Raise :class:`ListenError` unless ``host:port`` can be listened on now (port 0: any port)."""
    bare = host.strip("[]")
    family = socket.AF_INET6 if ":" in bare else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
            sock.bind((bare, port))
    except socket.gaierror as exc:
        raise ListenError(f"cannot listen on {host}: no such address ({exc.strerror})") from None
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ListenError(f"port {port} on {host} is already in use: pass --port N") from None
        if exc.errno == errno.EACCES:
            raise ListenError(f"port {port} on {host} needs more rights than this user has "
                              "(ports below 1024 usually do): pass --port N") from None
        if exc.errno == errno.EADDRNOTAVAIL:
            raise ListenError(f"cannot listen on {host}: this machine has no such address") from None
        raise ListenError(f"cannot listen on port {port} on {host}: {exc.strerror}") from None
