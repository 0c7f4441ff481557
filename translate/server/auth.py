"""Who may write through the review server, and proof that a write came from its own page.

* **Reviewers file** (``--reviewers FILE``), needed for a non-loopback host: one
  ``name<TAB>sha256-hex-of-token`` per line, ``#`` comments and blank lines
  allowed. Tokens are never stored, only their SHA-256.
* **Session**: one cookie, HMAC-signed with a per-process secret, holding the
  reviewer's name (self-declared on loopback, proven by token otherwise), a CSRF
  token and its issue time.
* **Headers**: a strict Content-Security-Policy (no inline script) on every response.
* **CSRF**: every POST must carry the session's CSRF token (form field ``csrf``
  or header ``X-CSRF-Token``), and its ``Origin`` (or ``Referer``) and
  ``Sec-Fetch-Site``, when sent, must be this server. A request authenticated
  with ``Authorization: Bearer TOKEN`` carries no cookie a browser would attach
  by itself, so it needs no CSRF token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translate.errors import InputFileError
from translate.review.log import reviewer_problem
from translate.textio import atomic_write_text, read_text

SESSION_COOKIE = "translate_review"
SESSION_MAX_AGE = 12 * 3600
_HEX64 = frozenset("0123456789abcdef")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def is_loopback(host: str) -> bool:
    """``localhost``, ``127.0.0.0/8`` and ``::1`` are loopback; anything else (``0.0.0.0`` too) is not."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def load_reviewers(path: str | Path) -> dict[str, str]:
    """``{name: sha256-hex}``; ``InputFileError`` (``file:line: ...``) on a bad line or a file naming nobody."""
    p = Path(path)
    reviewers = parse_reviewers(read_text(p, allow_empty=True), p)
    if not reviewers:
        raise InputFileError(
            p, "names no reviewer (add one with 'translate serve --add-reviewer NAME --reviewers FILE')"
        )
    return reviewers


def parse_reviewers(text: str, p: Path) -> dict[str, str]:
    """The ``{name: sha256-hex}`` lines of a reviewers file's ``text`` (read from ``p``)."""
    reviewers: dict[str, str] = {}
    for lineno, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, sep, digest = line.partition("\t")
        digest = digest.strip().lower()
        if not sep:
            raise InputFileError(p, "expected 'name<TAB>sha256-hex-of-token'", lineno)
        problem = reviewer_problem(name)
        if problem:
            raise InputFileError(p, problem, lineno)
        if len(digest) != 64 or not set(digest) <= _HEX64:
            raise InputFileError(p, f"the hash of {name.strip()!r} is not 64 hex digits (a SHA-256)", lineno)
        if name.strip() in reviewers:
            raise InputFileError(p, f"reviewer {name.strip()!r} appears twice", lineno)
        reviewers[name.strip()] = digest
    return reviewers


def add_reviewer(path: str | Path, name: str) -> str:
    """Append ``name`` with the hash of a fresh token (atomically); return the token, shown once."""
    p = Path(path)
    problem = reviewer_problem(name)
    if problem:
        raise InputFileError(p, problem)
    name = name.strip()
    existing = ""
    if p.exists():
        existing = read_text(p, allow_empty=True)
        if name in parse_reviewers(existing, p):
            raise InputFileError(p, f"reviewer {name!r} is already listed; remove that line to issue a new token")
        if existing and not existing.endswith("\n"):
            existing += "\n"
    token = secrets.token_urlsafe(24)
    atomic_write_text(p, existing + f"{name}\t{hash_token(token)}\n", private=True)  # token hashes: owner only
    return token


def reviewer_for_token(token: str, reviewers: dict[str, str]) -> str | None:
    digest = hash_token(token)
    found = None
    for name, expected in reviewers.items():  # compare with every entry, in constant time
        if hmac.compare_digest(digest, expected):
            found = name
    return found


@dataclass(frozen=True)
class Session:
    reviewer: str | None
    csrf: str
    issued: float

    @classmethod
    def new(cls, reviewer: str | None = None) -> Session:
        return cls(reviewer=reviewer, csrf=secrets.token_urlsafe(24), issued=time.time())


class Signer:
    """Signs and checks session cookies with HMAC-SHA256 and a secret that lives as long as the app."""

    def __init__(self, secret: bytes | None = None):
        self._secret = secret or secrets.token_bytes(32)

    def _mac(self, payload: str) -> str:
        return hmac.new(self._secret, payload.encode("ascii"), hashlib.sha256).hexdigest()

    def dump(self, session: Session) -> str:
        data: dict[str, Any] = {"r": session.reviewer, "c": session.csrf, "t": int(session.issued)}
        payload = base64.urlsafe_b64encode(json.dumps(data).encode("utf-8")).decode("ascii")
        return f"{payload}.{self._mac(payload)}"

    def load(self, value: str | None) -> Session | None:
        """The session in a cookie, or ``None`` if it is missing, forged or expired."""
        if not value or "." not in value:
            return None
        payload, mac = value.rsplit(".", 1)
        if not hmac.compare_digest(mac, self._mac(payload)):
            return None
        try:
            data = json.loads(base64.urlsafe_b64decode(payload.encode("ascii")))
            session = Session(reviewer=data["r"], csrf=str(data["c"]), issued=float(data["t"]))
        except (ValueError, KeyError, TypeError):
            return None
        if time.time() - session.issued > SESSION_MAX_AGE:
            return None
        return session


def origin_problem(headers: Any, own_origin: str) -> str | None:
    """Why a write's ``Origin``/``Referer``/``Sec-Fetch-Site`` headers show another site, or ``None``."""
    site = headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return f"cross-site request refused (Sec-Fetch-Site: {site})"
    origin = headers.get("origin")
    if origin is not None:
        return None if origin == own_origin else f"request from another origin refused ({origin})"
    referer = headers.get("referer")
    if referer is not None and not (referer == own_origin or referer.startswith(own_origin + "/")):
        return "request from another page refused (Referer)"
    return None


def csrf_ok(session: Session | None, sent: str | None) -> bool:
    return bool(session and sent and hmac.compare_digest(session.csrf, sent))


SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
                                 b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
]


class SecurityHeaders:
    """Adds a strict Content-Security-Policy (no inline script) and friends to every response."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers if scope["type"] == "http" else send)
