"""The review server: pages, escaping, CSRF/origin, reviewer identity, token auth, conflicts, concurrency."""

from __future__ import annotations

import re
import threading

import httpx
import pytest
from click.testing import CliRunner
from markupsafe import escape
from review_helpers import XSS, running_server, save_document
from starlette.testclient import TestClient

from translate.cli import cli
from translate.review.log import ReviewLog, states
from translate.server.app import create_app
from translate.server.auth import Signer, hash_token, is_loopback, load_reviewers, origin_problem

TOKEN = "s3cret-token-of-amal"


@pytest.fixture
def doc():
    return save_document()


def csrf_of(html: str) -> str:
    return re.search(r'<meta name="csrf-token" content="([^"]+)">', html).group(1)


def named_client(app, name: str = "amal") -> tuple[TestClient, str]:
    """A client that named itself on the loopback server; returns it and its CSRF token."""
    client = TestClient(app)
    token = csrf_of(client.get("/").text)
    r = client.post("/whoami", data={"name": name, "csrf": token, "next": "/doc/doc-1"}, follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/doc/doc-1")
    page = client.get("/doc/doc-1")
    assert f'Reviewing as <strong id="reviewer-name" dir="auto">{escape(name)}</strong>' in page.text
    return client, csrf_of(page.text)


def post(client, seg: str, action: str, csrf: str | None, **fields):
    data = {k: str(v) for k, v in fields.items()}
    if csrf is not None:
        data["csrf"] = csrf
    return client.post(f"/doc/doc-1/{seg}/{action}", data=data, headers={"Accept": "application/json"})


def test_index_lists_documents_with_progress(doc):
    ReviewLog.for_document("doc-1").append(doc, reviewer="amal", segment="s1", action="approve")
    save_document("doc-2")
    html = TestClient(create_app()).get("/").text
    assert '<a href="/doc/doc-1">doc-1</a>' in html and '<a href="/doc/doc-2">doc-2</a>' in html
    assert '<progress max="5" value="1"></progress> <span class="percent">20% approved</span>' in html
    assert '<progress max="5" value="0"></progress> <span class="percent">0% approved</span>' in html


def test_index_shows_a_damaged_log_instead_of_failing(doc):
    log = ReviewLog.for_document("doc-1")
    log.path.parent.mkdir(parents=True)
    log.path.write_text('{"seq": 1', encoding="utf-8")
    r = TestClient(create_app()).get("/")
    assert r.status_code == 200
    assert "reviews/doc-1.jsonl:1: torn last line" in r.text
    page = TestClient(create_app()).get("/doc/doc-1")
    assert page.status_code == 500 and "reviews/doc-1.jsonl:1: torn last line" in page.text
    assert str(log.path.parent.parent) not in r.text + page.text  # no file-system path leaks


def test_document_page_escapes_every_text_and_sends_a_strict_csp(doc):
    client, csrf = named_client(create_app(), name="<b>amal</b>")
    post(client, "s2", "edit", csrf, text='<img src=x onerror="alert(2)">', base_rev=0)
    post(client, "s1", "comment", csrf, note="<script>alert(3)</script>")
    r = client.get("/doc/doc-1")
    html = r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the Arabic and the MT
    assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;" in html
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in html
    assert "&lt;b&gt;amal&lt;/b&gt;" in html
    assert XSS not in html and "<img" not in html and "<b>amal" not in html
    assert html.count("<script") == 1  # only review.js
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"


def test_document_page_shows_state_qa_badges_and_term_highlights(doc):
    log = ReviewLog.for_document("doc-1")
    log.append(doc, reviewer="amal", segment="s3", action="edit", text="The army said the aid reached $725.")
    log.append(doc, reviewer="bob", segment="s5", action="approve")
    html = TestClient(create_app()).get("/doc/doc-1").text
    s3 = html[html.index('id="seg-s3"'):html.index('id="seg-s4"')]
    assert 'data-rev="1" data-status="edited"' in s3
    assert "edited by <bdi>amal</bdi>" in s3 and '<span class="badge qa-error"' in s3 and ">2 QA errors</span>" in s3
    # Arabic quoted in an English message is isolated, so "725 مليون (725000000)" keeps its order
    assert ('error: numbers: number <bdi dir="rtl" lang="ar">٧٢٥ مليون</bdi> (725000000) missing from the English'
            in s3)
    assert ("error: terms: glossary term &#x27;US military&#x27; missing (for &#x27;"
            '<bdi dir="rtl" lang="ar">الجيش الأميركي</bdi>&#x27;)') in s3
    assert ('قال <mark class="term c0" data-term="0" title="\u2067الجيش الأميركي\u2069 → US military (org)">'
            "الجيش الأميركي</mark>" in s3)
    s5 = html[html.index('id="seg-s5"'):]
    assert 'data-status="approved"' in s5 and "approved by <bdi>bob</bdi>" in s5 and "QA ok" in s5
    fresh = TestClient(create_app()).get("/doc/doc-1").text
    assert "Name yourself at the top to edit and approve." in fresh and 'action="/doc/doc-1/s1/edit"' not in fresh


def test_edit_approve_and_conflict_through_json(doc):
    client, csrf = named_client(create_app())
    r = post(client, "s3", "edit", csrf, text="The US military said aid reached $725 million!", base_rev=0)
    assert r.status_code == 200
    body = r.json()
    assert body["ok"] and body["state"]["rev"] == 1 and body["state"]["edited_by"] == "amal"
    assert body["issues"] == [] and 'data-rev="1"' in body["row"]
    r = post(client, "s3", "approve", csrf, base_rev=1)
    assert r.status_code == 200 and r.json()["state"]["status"] == "approved"
    r = post(client, "s3", "edit", csrf, text="Stale", base_rev=0)
    assert r.status_code == 409
    body = r.json()
    assert body["error"] == ("conflict: segment s3 is at rev 1 (approved by amal; last edit by amal), not rev 0; "
                             "current text: 'The US military said aid reached $725 million!'")
    assert body["current"]["text"] == "The US military said aid reached $725 million!"
    assert 'data-rev="1"' in body["row"]
    assert [e.action for e in ReviewLog.for_document("doc-1").events()] == ["edit", "approve"]


def test_plain_form_posts_redirect_back_and_conflicts_render_a_page(doc):
    client, csrf = named_client(create_app())
    r = client.post("/doc/doc-1/s2/edit", data={"csrf": csrf, "base_rev": "0", "text": "By Zeina"},
                    follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/doc/doc-1#seg-s2")
    r = client.post("/doc/doc-1/s2/edit", data={"csrf": csrf, "base_rev": "0", "text": "Zeina!"})
    assert r.status_code == 409
    assert "Conflict" in r.text and "current text: &#x27;By Zeina&#x27;" in r.text


@pytest.mark.parametrize(
    ("seg", "action", "fields", "status", "error"),
    [
        ("s1", "edit", {"base_rev": "0"}, 400, "an edit needs a text"),
        ("s1", "edit", {"text": "x"}, 400, "base_rev is required: send the revision you reviewed"),
        ("s1", "approve", {"base_rev": "one"}, 400, "base_rev must be a whole number"),
        ("s1", "comment", {"note": "  "}, 400, "a comment cannot be empty"),
        ("s1", "delete", {"base_rev": "0"}, 404, "unknown action 'delete'"),
        ("s9", "approve", {"base_rev": "0"}, 404, "document 'doc-1' has no segment 's9'"),
        ("s1", "reopen", {"base_rev": "0"}, 409, "segment s1 is draft, not approved or rejected: nothing to reopen"),
    ],
)
def test_bad_writes_are_refused(doc, seg, action, fields, status, error):
    client, csrf = named_client(create_app())
    r = post(client, seg, action, csrf, **fields)
    assert (r.status_code, r.json()["error"]) == (status, error)
    assert ReviewLog.for_document("doc-1").events() == []


@pytest.mark.parametrize(
    ("csrf", "headers", "error"),
    [
        (None, {}, "missing or wrong CSRF token: reload the page and try again"),
        ("wrong", {}, "missing or wrong CSRF token: reload the page and try again"),
        ("GOOD", {"Origin": "http://evil.example"}, "request from another origin refused (http://evil.example)"),
        ("GOOD", {"Sec-Fetch-Site": "cross-site"}, "cross-site request refused (Sec-Fetch-Site: cross-site)"),
        ("GOOD", {"Referer": "http://evil.example/page"}, "request from another page refused (Referer)"),
    ],
)
def test_csrf_and_origin_are_checked_on_every_write(doc, csrf, headers, error):
    client, good = named_client(create_app())
    data = {"base_rev": "0"} | ({"csrf": good if csrf == "GOOD" else csrf} if csrf else {})
    for path in ("/doc/doc-1/s1/approve", "/whoami", "/logout"):
        r = client.post(path, data={**data, "name": "mallory"}, headers={"Accept": "application/json", **headers})
        assert (r.status_code, r.json()["error"]) == (403, error), path
    assert ReviewLog.for_document("doc-1").events() == []
    ok = client.post("/doc/doc-1/s1/approve", data={"base_rev": "0"},
                     headers={"Accept": "application/json", "X-CSRF-Token": good, "Origin": str(client.base_url)})
    assert ok.status_code == 200


def test_a_reviewer_must_name_themself_and_forged_cookies_are_ignored(doc):
    client = TestClient(create_app())
    token = csrf_of(client.get("/doc/doc-1").text)
    r = post(client, "s1", "approve", token, base_rev=0)
    assert (r.status_code, r.json()["error"]) == (403, "name yourself (the form at the top of the page) before reviewing")
    r = client.post("/whoami", data={"name": "a\nb", "csrf": token})
    assert r.status_code == 400 and "tabs, line breaks or control characters" in r.text
    forged = Signer(b"another secret").dump(__import__("translate.server.auth").server.auth.Session("amal", "x", 2e9))
    client.cookies.set("translate_review", forged)
    assert post(client, "s1", "approve", "x", base_rev=0).status_code == 403
    assert ReviewLog.for_document("doc-1").events() == []


def test_whoami_next_cannot_leave_the_site(doc):
    client = TestClient(create_app())
    for nxt in ("https://evil.example/", "//evil.example/", "/\\evil"):
        token = csrf_of(client.get("/").text)
        r = client.post("/whoami", data={"name": "amal", "csrf": token, "next": nxt}, follow_redirects=False)
        assert r.headers["location"] == "/"


def test_two_reviewers_at_once_one_wins_one_conflicts_nothing_lost(doc):
    app = create_app()
    with running_server(app) as base:
        clients, tokens = [], []
        for name in ("amal", "bob"):
            c = httpx.Client(base_url=base, timeout=10)
            tok = csrf_of(c.get("/").text)
            c.post("/whoami", data={"name": name, "csrf": tok})
            clients.append(c)
            tokens.append(csrf_of(c.get("/doc/doc-1").text))
        barrier = threading.Barrier(2)
        responses = [None, None]

        def edit(i: int) -> None:
            barrier.wait()
            responses[i] = clients[i].post(
                "/doc/doc-1/s3/edit", data={"csrf": tokens[i], "base_rev": "0", "text": f"Text of reviewer {i}"},
                headers={"Accept": "application/json", "Origin": base},
            )

        threads = [threading.Thread(target=edit, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        codes = sorted(r.status_code for r in responses)
        assert codes == [200, 409]
        winner = next(i for i in range(2) if responses[i].status_code == 200)
        loser = 1 - winner
        conflict = responses[loser].json()
        assert conflict["current"]["text"] == f"Text of reviewer {winner}"
        assert f"current text: 'Text of reviewer {winner}'" in conflict["error"]
        events = ReviewLog.for_document("doc-1").events()
        assert [(e.seq, e.action, e.text, e.base_rev) for e in events] == [(1, "edit", f"Text of reviewer {winner}", 0)]
        # the loser re-bases on what it was shown and wins the next round
        r = clients[loser].post("/doc/doc-1/s3/edit", data={"csrf": tokens[loser], "base_rev": "1", "text": "Merged"},
                                headers={"Accept": "application/json"})
        assert r.status_code == 200
        for c in clients:
            c.close()
    assert states(doc)["s3"].text == "Merged"
    assert [e.seq for e in ReviewLog.for_document("doc-1").events()] == [1, 2]


# --- reviewers file, tokens, non-loopback -------------------------------------------------------

@pytest.fixture
def reviewers_file(tmp_path):
    path = tmp_path / "reviewers.tsv"
    path.write_text(f"# who may review\namal\t{hash_token(TOKEN)}\n\nbob\t{hash_token('bob-token')}\n", encoding="utf-8")
    return path


def test_token_login_bearer_and_redirects(doc, reviewers_file):
    app = create_app(reviewers=load_reviewers(reviewers_file))
    client = TestClient(app)
    r = client.get("/doc/doc-1", follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/login?next=/doc/doc-1")
    token = csrf_of(client.get("/login").text)
    r = client.post("/login", data={"name": "amal", "token": "guess", "csrf": token})
    assert r.status_code == 403 and "unknown reviewer or wrong token" in r.text
    r = client.post("/login", data={"name": "bob", "token": TOKEN, "csrf": token})
    assert r.status_code == 403  # amal's token does not log bob in
    r = client.post("/login", data={"name": "amal", "token": TOKEN, "csrf": token, "next": "/doc/doc-1"},
                    follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/doc/doc-1")
    page = client.get("/doc/doc-1")
    assert 'Reviewing as <strong id="reviewer-name" dir="auto">amal</strong>' in page.text
    assert post(client, "s1", "approve", csrf_of(page.text), base_rev=0).status_code == 200
    api = TestClient(app)
    r = api.post("/doc/doc-1/s2/approve", data={"base_rev": "0"},
                 headers={"Authorization": "Bearer bob-token", "Accept": "application/json"})
    assert r.status_code == 200 and r.json()["state"]["approved_by"] == "bob"
    r = api.post("/doc/doc-1/s3/approve", data={"base_rev": "0"},
                 headers={"Authorization": "Bearer nope", "Accept": "application/json"})
    assert r.status_code == 403
    assert TestClient(app).get("/whoami", follow_redirects=False).headers["location"] == "/login"
    assert [(e.reviewer, e.segment) for e in ReviewLog.for_document("doc-1").events()] == [("amal", "s1"), ("bob", "s2")]


def test_trusted_hosts_refuse_dns_rebinding(doc):
    client = TestClient(create_app(allowed_hosts=["127.0.0.1", "localhost"]), base_url="http://evil.example")
    assert client.get("/").status_code == 400
    assert TestClient(create_app(allowed_hosts=["127.0.0.1"]), base_url="http://127.0.0.1:8000").get("/").status_code == 200


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("amal\n", "{p}:1: expected 'name<TAB>sha256-hex-of-token'"),
        ("amal\tabc\n", "{p}:1: the hash of 'amal' is not 64 hex digits (a SHA-256)"),
        (f"# c\namal\t{'a' * 64}\namal\t{'b' * 64}\n", "{p}:3: reviewer 'amal' appears twice"),
        ("# nobody\n", "{p}: names no reviewer (add one with 'translate serve --add-reviewer NAME --reviewers FILE')"),
    ],
)
def test_bad_reviewers_files(tmp_path, text, error):
    p = tmp_path / "reviewers.tsv"
    p.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--reviewers", str(p)])
    assert (result.exit_code, result.output) == (1, "Error: " + error.format(p=p) + "\n")


def test_serve_refuses_a_public_host_without_reviewers():
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        "Error: --host 0.0.0.0 is not a loopback address, so reviewers must log in: pass --reviewers FILE "
        "(make one with 'translate serve --add-reviewer NAME --reviewers FILE')"
    )


def test_add_reviewer_prints_a_token_and_stores_only_its_hash(tmp_path, reviewers_file):
    result = CliRunner().invoke(cli, ["serve", "--add-reviewer", "zeina", "--reviewers", str(reviewers_file)])
    assert result.exit_code == 0
    first, token = result.output.splitlines()
    assert first == f"added zeina to {reviewers_file}; their token (shown only now):"
    assert token not in reviewers_file.read_text(encoding="utf-8")
    assert load_reviewers(reviewers_file)["zeina"] == hash_token(token)
    again = CliRunner().invoke(cli, ["serve", "--add-reviewer", "zeina", "--reviewers", str(reviewers_file)])
    assert (again.exit_code, again.output) == (
        1, f"Error: {reviewers_file}: reviewer 'zeina' is already listed; remove that line to issue a new token\n")
    new = tmp_path / "new" / "reviewers.tsv"
    assert CliRunner().invoke(cli, ["serve", "--add-reviewer", "x", "--reviewers", str(new)]).exit_code == 0
    assert list(load_reviewers(new)) == ["x"]


def test_add_reviewer_refuses_a_broken_file_and_leaves_it_alone(tmp_path):
    broken = tmp_path / "reviewers.tsv"
    broken.write_bytes(b"# reviewers\nzeina\tnot-a-hash\n")
    result = CliRunner().invoke(cli, ["serve", "--add-reviewer", "omar", "--reviewers", str(broken)])
    assert (result.exit_code, result.output) == (
        1, f"Error: {broken}:2: the hash of 'zeina' is not 64 hex digits (a SHA-256)\n")
    assert broken.read_bytes() == b"# reviewers\nzeina\tnot-a-hash\n"


def test_serve_starts_uvicorn_with_the_right_app(monkeypatch, reviewers_file):
    calls = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: calls.append((app, kw)))
    result = CliRunner().invoke(cli, ["serve", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert result.output == "Reviewing on http://127.0.0.1:8123/ (loopback, reviewers name themselves); Ctrl+C to stop\n"
    app, kw = calls[-1]
    assert kw == {"host": "127.0.0.1", "port": 8123, "log_level": "warning"}
    assert app.state.reviewing.auth is False
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--reviewers", str(reviewers_file)])
    assert result.exit_code == 0, result.output
    assert calls[-1][0].state.reviewing.reviewers == load_reviewers(reviewers_file)


@pytest.mark.parametrize(("host", "loopback"), [("127.0.0.1", True), ("127.0.0.2", True), ("localhost", True),
                                                 ("::1", True), ("[::1]", True), ("0.0.0.0", False),
                                                 ("192.168.1.5", False), ("example.org", False)])
def test_is_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_origin_problem_accepts_same_origin_and_no_headers():
    own = "http://127.0.0.1:8000"
    assert origin_problem({}, own) is None
    assert origin_problem({"origin": own, "sec-fetch-site": "same-origin", "referer": own + "/doc/x"}, own) is None
    assert origin_problem({"referer": "http://127.0.0.1:8000.evil.example/"}, own) == (
        "request from another page refused (Referer)")
