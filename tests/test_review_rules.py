"""One owner per review write rule (issue 13): the same broken rule gives the same message from
``translate review`` (exact output, exit 1), from the review page (the HTTP response) and from
``translate import`` of an XLIFF file, because all of them go through translate.review.rules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from review_helpers import save_document
from starlette.testclient import TestClient

from translate.cli import cli
from translate.interchange.units import XLIFF_NS
from translate.interchange.xliff import export_xliff
from translate.review.log import ReviewLog, states
from translate.server.app import create_app

NS = {"x": XLIFF_NS}
BAD_S3 = "The army said the aid reached $725."  # drops "725 million" and the glossary's "US military"
LONG = "x" * 10_001
QA_REFUSAL = (
    "QA errors block approval of s3 (nothing was written; fix the English, or give an override reason to "
    "approve anyway):\n"
    "  s3: numbers: number ٧٢٥ مليون (725000000) missing from the English\n"
    "  s3: terms: glossary term 'US military' missing (for 'الجيش الأميركي')"
)
LENGTH = ("segment s1: the edit is 10,001 characters long; an edit may have at most 10,000 "
          "(10 times the Arabic, and never fewer than 10,000)")


def run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def csrf_of(html: str) -> str:
    return re.search(r'<meta name="csrf-token" content="([^"]+)">', html).group(1)


def reviewer_client(name: str = "amal") -> tuple[TestClient, str, object]:
    """A client of the review page named ``name``; returns it, its CSRF token and the naming response."""
    client = TestClient(create_app())
    token = csrf_of(client.get("/").text)
    named = client.post("/whoami", data={"name": name, "csrf": token, "next": "/doc/doc-1"})
    return client, csrf_of(client.get("/doc/doc-1").text), named


def cat_tool(path: Path, edits: dict[str, str], finals: tuple[str, ...], rename: dict[str, str]) -> int | None:
    """Change targets, mark units final and rename units as a CAT tool (or a mistake) would;
    returns the line of the first renamed unit."""
    tree = etree.parse(str(path))
    for sid, text in edits.items():
        tree.find(f".//x:unit[@id='{sid}']/x:segment/x:target", NS).text = text
    for sid in finals:
        tree.find(f".//x:unit[@id='{sid}']/x:segment", NS).set("state", "final")
    line = None
    for old, new in rename.items():
        unit = tree.find(f".//x:unit[@id='{old}']", NS)
        unit.set("id", new)
        line = unit.sourceline
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    return line


# (id, setup edit of s3?, CLI args of `translate review`, server (segment, action, fields) or None for
#  the naming form, XLIFF changes (edits, finals, renames, import options), the rule's message)
RULES = [
    ("reviewer-name", False, ("approve", "doc-1", "s1", "-r", "  "), None,
     ({"s1": "A rare call"}, (), {}, ("--reviewer", "  ")), "a reviewer name is required"),
    ("edit-length", False, ("edit", "doc-1", "s1", "--text", LONG, "-r", "bob"), ("s1", "edit", {"text": LONG}),
     ({"s1": LONG}, (), {}, ()), LENGTH),
    ("override-reason", False, ("approve", "doc-1", "s3", "-r", "bob", "--override", "  "),
     ("s3", "approve", {"override": "  "}), ({}, ("s3",), {}, ("--override", "  ")), "an override needs a reason"),
    ("qa-blocks-approval", True, ("approve", "doc-1", "s3", "-r", "bob"), ("s3", "approve", {}),
     ({}, ("s3",), {}, ()), QA_REFUSAL),
    ("unknown-segment", False, ("approve", "doc-1", "s9", "-r", "bob"), ("s9", "approve", {}),
     ({}, (), {"s5": "s9"}, ()), "document 'doc-1' has no segment 's9'"),
]


@pytest.mark.parametrize(("setup", "cli_args", "server", "xliff", "message"), [r[1:] for r in RULES],
                         ids=[r[0] for r in RULES])
def test_a_broken_rule_reads_the_same_from_cli_server_and_xliff_import(setup, cli_args, server, xliff, message):
    doc = save_document()
    log = ReviewLog.for_document("doc-1")
    if setup:
        log.append(doc, reviewer="amal", segment="s3", action="edit", text=BAD_S3, base_rev=0)
    before = log.path.read_bytes() if log.path.exists() else b""

    result = run("review", *cli_args)
    assert (result.exit_code, result.output) == (1, f"Error: {message}\n")

    if server is None:  # the page's reviewer names themself with the same rule
        _, _, named = reviewer_client("  ")
        assert named.status_code == 400 and message in named.text
    else:
        client, csrf, _ = reviewer_client()
        sid, action, fields = server
        rev = states(doc)["s3"].rev if sid == "s3" else 0
        r = client.post(f"/doc/doc-1/{sid}/{action}", data={"csrf": csrf, "base_rev": str(rev), **fields},
                        headers={"Accept": "application/json"})
        assert r.status_code in (400, 404, 422) and r.json()["error"] == message

    path = Path("out.xlf")
    export_xliff(doc, states(doc), path)
    edits, finals, rename, options = xliff
    line = cat_tool(path, edits, finals, rename)
    result = run("import", "doc-1", path, *(("--reviewer", "omar") if "--reviewer" not in options else ()), *options)
    where = f"{path}:{line}: " if line else ""
    assert (result.exit_code, result.output) == (1, f"Error: {where}{message}\n")

    assert (log.path.read_bytes() if log.path.exists() else b"") == before  # nothing was written anywhere


# rules an XLIFF file cannot break (it carries no comments and no reopening): CLI and page agree
TWO_WAY = [
    ("empty-comment", ("comment", "doc-1", "s1", "--text", "  ", "-r", "bob"), ("s1", "comment", {"note": "  "}),
     "a comment cannot be empty"),
    ("empty-edit", ("edit", "doc-1", "s1", "--text", " \n", "-r", "bob"), ("s1", "edit", {"text": " \n"}),
     "an edit needs a text"),
    ("reopen-a-draft", ("reopen", "doc-1", "s1", "-r", "bob"), ("s1", "reopen", {}),
     "segment s1 is draft, not approved or rejected: nothing to reopen"),
]


@pytest.mark.parametrize(("cli_args", "server", "message"), [r[1:] for r in TWO_WAY], ids=[r[0] for r in TWO_WAY])
def test_rules_without_an_xliff_form_read_the_same_from_cli_and_server(cli_args, server, message):
    save_document()
    result = run("review", *cli_args)
    assert (result.exit_code, result.output) == (1, f"Error: {message}\n")
    client, csrf, _ = reviewer_client()
    sid, action, fields = server
    r = client.post(f"/doc/doc-1/{sid}/{action}", data={"csrf": csrf, "base_rev": "0", **fields},
                    headers={"Accept": "application/json"})
    assert r.status_code in (400, 409) and r.json()["error"] == message
    assert not ReviewLog.for_document("doc-1").path.exists() or ReviewLog.for_document("doc-1").events() == []
