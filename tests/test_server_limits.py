"""Server limits (issue 10 item 8, issue 12 point 7): body cap before reading, authentication
before the body, edit length, logout ends the session on the server, no paths in error
pages, a busy port said clearly before "Reviewing on"."""

from __future__ import annotations

import re
import select
import socket
import time

import pytest
from click.testing import CliRunner
from review_helpers import running_server, save_document
from starlette.testclient import TestClient

from translate.cli import cli
from translate.errors import ListenError, ReviewInputError
from translate.review.log import ReviewLog
from translate.review.rules import edit_length_problem
from translate.server.app import create_app
from translate.server.auth import hash_token
from translate.server.limits import DEFAULT_MAX_BODY, check_listen, public_message

TOKEN = "s3cret-token-of-amal"
MB = 1_000_000
TOO_LARGE = ("request body too large: this server accepts at most {n} bytes "
             "(start it with 'translate serve --max-body BYTES' to allow more)")


@pytest.fixture
def doc():
    return save_document()


def csrf_of(html: str) -> str:
    return re.search(r'<meta name="csrf-token" content="([^"]+)">', html).group(1)


class Counting:
    """An ASGI wrapper counting the request-body bytes the app pulls from the server."""

    def __init__(self, app):
        self.app = app
        self.body_bytes = 0

    async def __call__(self, scope, receive, send):
        async def counted():
            message = await receive()
            if message["type"] == "http.request":
                self.body_bytes += len(message.get("body", b""))
            return message

        await self.app(scope, counted, send)


def raw_post(base: str, path: str, headers: dict[str, str], chunks=(), chunked: bool = False, timeout: float = 10):
    """POST by hand: send the head, then ``chunks`` while the server has not answered; return
    (status, headers, body, bytes of body sent). Raises ``TimeoutError`` if no answer comes."""
    host, port = base.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=timeout)
    head = [f"POST {path} HTTP/1.1", f"Host: {host}:{port}"] + [f"{k}: {v}" for k, v in headers.items()]
    if chunked:
        head.append("Transfer-Encoding: chunked")
    sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
    sent = 0
    for chunk in chunks:
        if select.select([sock], [], [], 0)[0]:  # the server answered: stop sending
            break
        try:
            sock.sendall((f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n") if chunked else chunk)
        except (BrokenPipeError, ConnectionResetError):
            break
        sent += len(chunk)
    data = b""
    deadline = time.monotonic() + timeout
    while b"\r\n\r\n" not in data or len(data) < _expected_length(data):
        if time.monotonic() > deadline:
            raise TimeoutError(f"no answer to POST {path} within {timeout} s")
        try:
            piece = sock.recv(65536)
        except ConnectionResetError:
            break
        if not piece:
            break
        data += piece
    sock.close()
    head_bytes, _, body = data.partition(b"\r\n\r\n")
    lines = head_bytes.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    got = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return status, got, body, sent


def _expected_length(data: bytes) -> int:
    head, _, _ = data.partition(b"\r\n\r\n")
    m = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head)
    return len(head) + 4 + int(m.group(1)) if m else len(data) + 1


@pytest.fixture
def reviewers():
    return {"amal": hash_token(TOKEN)}


# --- the body cap and authentication come before the body ---------------------------------------

@pytest.mark.parametrize("auth", [True, False], ids=["reviewers-file", "loopback-unnamed"])
@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_an_unauthenticated_post_is_refused_without_reading_its_body(doc, reviewers, auth, chunked):
    # the cap is set above the body, so only the missing identity can refuse it
    app = Counting(create_app(reviewers=reviewers if auth else None, max_body=10 * MB))
    with running_server(app) as base:
        headers = {"Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded"}
        if not chunked:
            headers["Content-Length"] = str(5 * MB)
        # only the head is sent: a server that waited for the 5 MB would never answer
        status, got, body, _ = raw_post(base, "/doc/doc-1/s1/edit", headers, chunked=chunked)
    who = "log in" if auth else "name yourself (the form at the top of the page)"
    assert (status, body.decode()) == (403, f'{{"ok":false,"error":"{who} before reviewing"}}')
    assert got["connection"] == "close"  # and the unread body is not read afterwards either
    assert app.body_bytes == 0
    assert ReviewLog.for_document("doc-1").events() == []


def test_a_body_over_the_cap_is_refused_by_its_content_length_before_reading(doc, reviewers):
    app = Counting(create_app(reviewers=reviewers))
    with running_server(app) as base:
        status, got, body, _ = raw_post(base, "/doc/doc-1/s1/comment", {
            "Authorization": f"Bearer {TOKEN}", "Accept": "application/json",
            "Content-Type": "application/x-www-form-urlencoded", "Content-Length": str(5 * MB)})
    assert status == 413 and got["connection"] == "close"
    assert body.decode() == '{"ok":false,"error":"' + TOO_LARGE.format(n="1,000,000") + '"}'
    assert app.body_bytes == 0


def test_a_streamed_body_is_cut_off_at_the_cap(doc, reviewers):
    app = Counting(create_app(reviewers=reviewers))
    chunk = b"x" * 65536
    with running_server(app) as base:
        status, _, body, sent = raw_post(base, "/doc/doc-1/s1/comment", {
            "Authorization": f"Bearer {TOKEN}", "Accept": "application/json",
            "Content-Type": "application/x-www-form-urlencoded"}, chunks=[chunk] * 80, chunked=True)  # 5.2 MB
    assert status == 413 and TOO_LARGE.format(n="1,000,000") in body.decode()
    # the app pulled the cap and at most one more piece (uvicorn hands a body over in pieces of
    # up to a few hundred KiB), never the 5.2 MB the client offered
    assert DEFAULT_MAX_BODY < app.body_bytes <= DEFAULT_MAX_BODY + 512 * 1024
    assert ReviewLog.for_document("doc-1").events() == []


def test_a_body_under_the_cap_goes_through_and_max_body_is_configurable(doc, reviewers):
    client = TestClient(create_app(reviewers=reviewers, max_body=2 * MB))
    note = "n" * 1_500_000
    r = client.post("/doc/doc-1/s1/comment", data={"note": note},
                    headers={"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"})
    assert r.status_code == 200
    r = client.post("/doc/doc-1/s1/comment", data={"note": note + note},
                    headers={"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"})
    assert (r.status_code, r.json()["error"]) == (413, TOO_LARGE.format(n="2,000,000"))
    r = client.post("/doc/doc-1/s1/comment", data={"note": note + note}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 413 and "<h1>Too large</h1>" in r.text  # a page for a browser's form
    assert [e.note for e in ReviewLog.for_document("doc-1").events()] == [note]


def test_sign_in_forms_take_small_bodies_only(doc, reviewers):
    client = TestClient(create_app(reviewers=reviewers))
    r = client.post("/login", data={"name": "amal", "token": "t" * 20_000}, headers={"Accept": "application/json"})
    assert (r.status_code, r.json()["error"]) == (413, TOO_LARGE.format(n="16,384"))


def test_a_bad_content_length_is_refused(doc):
    client = TestClient(create_app())
    r = client.post("/whoami", content=b"name=x", headers={"Content-Length": "six", "Accept": "application/json"})
    assert (r.status_code, r.json()["error"]) == (400, "Content-Length is not a whole number")


# --- edit length --------------------------------------------------------------------------------

def test_an_edit_longer_than_the_bound_is_refused_everywhere(doc, reviewers):
    limit_message = ("segment s1: the edit is 10,001 characters long; an edit may have at most 10,000 "
                     "(10 times the Arabic, and never fewer than 10,000)")
    api = TestClient(create_app(reviewers=reviewers))
    headers = {"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"}
    r = api.post("/doc/doc-1/s1/edit", data={"base_rev": "0", "text": "x" * 10_001}, headers=headers)
    assert (r.status_code, r.json()["error"]) == (400, limit_message)
    with pytest.raises(ReviewInputError, match="10,001 characters long"):
        ReviewLog.for_document("doc-1").append(doc, reviewer="amal", segment="s1", action="edit", text="x" * 10_001)
    result = CliRunner().invoke(cli, ["review", "edit", "doc-1", "s1", "--text", "x" * 10_001, "--reviewer", "amal"])
    assert (result.exit_code, result.output) == (1, f"Error: {limit_message}\n")
    assert ReviewLog.for_document("doc-1").events() == []
    r = api.post("/doc/doc-1/s1/edit", data={"base_rev": "0", "text": "x" * 10_000}, headers=headers)
    assert r.status_code == 200


def test_the_edit_bound_is_ten_times_a_long_arabic():
    assert edit_length_problem("ا" * 1500, "x" * 15_000) is None
    assert edit_length_problem("ا" * 1500, "x" * 15_001) == (
        "the edit is 15,001 characters long; an edit may have at most 15,000 "
        "(10 times the Arabic, and never fewer than 10,000)")
    assert edit_length_problem("", "x" * 10_000) is None


# --- logout ends the session on the server ------------------------------------------------------

def test_after_logout_the_old_cookie_cannot_write(doc):
    app = create_app()
    client = TestClient(app)
    token = csrf_of(client.get("/").text)
    client.post("/whoami", data={"name": "amal", "csrf": token})
    page = client.get("/doc/doc-1").text
    csrf, cookie = csrf_of(page), client.cookies.get("translate_review")
    assert 'id="reviewer-name"' in page
    r = client.post("/logout", data={"csrf": csrf}, follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/")

    thief = TestClient(app)  # someone who kept the old cookie
    thief.cookies.set("translate_review", cookie)
    r = thief.post("/doc/doc-1/s1/approve", data={"csrf": csrf, "base_rev": "0"},
                   headers={"Accept": "application/json"})
    assert (r.status_code, r.json()["error"]) == (
        403, "name yourself (the form at the top of the page) before reviewing")
    assert 'id="reviewer-name"' not in thief.get("/doc/doc-1").text
    assert ReviewLog.for_document("doc-1").events() == []


def test_after_logout_a_token_session_is_gone(doc, reviewers):
    app = create_app(reviewers=reviewers)
    client = TestClient(app)
    token = csrf_of(client.get("/login").text)
    client.post("/login", data={"name": "amal", "token": TOKEN, "csrf": token})
    csrf, cookie = csrf_of(client.get("/doc/doc-1").text), client.cookies.get("translate_review")
    assert client.post("/logout", data={"csrf": csrf}, follow_redirects=False).headers["location"] == "/login"
    thief = TestClient(app)
    thief.cookies.set("translate_review", cookie)
    r = thief.get("/doc/doc-1", follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/login?next=/doc/doc-1")
    r = thief.post("/doc/doc-1/s1/approve", data={"csrf": csrf, "base_rev": "0"},
                   headers={"Accept": "application/json"})
    assert (r.status_code, r.json()["error"]) == (403, "log in before reviewing")
    # logging in again works, with a new session
    token = csrf_of(client.get("/login").text)
    client.post("/login", data={"name": "amal", "token": TOKEN, "csrf": token})
    r = client.post("/doc/doc-1/s1/approve", data={"base_rev": "0"},
                    headers={"Accept": "application/json", "X-CSRF-Token": csrf_of(client.get("/doc/doc-1").text)})
    assert r.status_code == 200


# --- error pages never show file-system paths ---------------------------------------------------

def test_error_pages_show_no_file_system_paths(doc, tmp_path, monkeypatch):
    client = TestClient(create_app(), raise_server_exceptions=False)
    r = client.get("/no/such/page")
    assert r.status_code == 404 and "<h1>Not found</h1>" in r.text and "no such page" in r.text
    r = client.get("/doc/missing")
    assert r.status_code == 404
    assert "no document &#x27;missing&#x27;: corpus/missing/bilingual.json does not exist" in r.text
    assert client.get("/doc/missing", headers={"Accept": "application/json"}).status_code == 404
    monkeypatch.setattr("translate.server.app.load_document", lambda doc_id: 1 / 0)
    r = client.get("/doc/doc-1")
    assert r.status_code == 500 and "the server hit an unexpected error; the details are in its log" in r.text
    for page in (client.get("/no/such/page"), client.get("/doc/missing"), r):
        assert str(tmp_path) not in page.text and "/home/" not in page.text and "Traceback" not in page.text


def test_public_message_takes_paths_out():
    assert public_message("/srv/x/reviews/a.jsonl:3: bad", {"/srv/x/reviews": "reviews"}) == "reviews/a.jsonl:3: bad"
    assert public_message("cannot read /home/amal/models/m/config.json now") == "cannot read …/config.json now"
    kept = "see http://127.0.0.1:8000/doc/a and 59/2721"
    assert public_message(kept) == kept


def test_favicon_is_served(doc):
    r = TestClient(create_app()).get("/favicon.ico")
    assert (r.status_code, r.headers["content-type"]) == (200, "image/svg+xml")
    assert r.text.startswith("<svg")


# --- translate serve: busy port, --max-body -----------------------------------------------------

def test_serve_on_a_busy_port_says_so_before_reviewing_on(monkeypatch):
    monkeypatch.setattr("uvicorn.run", lambda *a, **kw: pytest.fail("uvicorn must not start"))
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--port", str(port)])
        with pytest.raises(ListenError):
            check_listen("127.0.0.1", port)
    assert (result.exit_code, result.output) == (
        1, f"Error: port {port} on 127.0.0.1 is already in use: pass --port N\n")


def test_serve_passes_max_body_to_the_app(monkeypatch, doc):
    calls = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: calls.append(app))
    monkeypatch.setattr("translate.server.limits.check_listen", lambda host, port: None)
    result = CliRunner().invoke(cli, ["serve", "--max-body", "2048"])
    assert result.exit_code == 0, result.output
    client = TestClient(calls[-1], base_url="http://127.0.0.1:8000")
    r = client.post("/whoami", content=b"x" * 3000, headers={"Accept": "application/json",
                                                             "Content-Type": "application/x-www-form-urlencoded"})
    assert (r.status_code, r.json()["error"]) == (413, TOO_LARGE.format(n="2,048"))
    result = CliRunner().invoke(cli, ["serve", "--max-body", "10"])
    assert result.exit_code == 2 and "10 is not in the range x>=1024" in result.output
