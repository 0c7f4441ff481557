"""A Hugging Face Hub on 127.0.0.1: just enough of its HTTP API for the real ``huggingface_hub``
client's ``list_repo_files`` and ``snapshot_download`` (``tests/test_engines.py``).

It holds one model repo at one commit and records every request, so a test can say which files
were downloaded and that a later call made no request at all. The routes, as huggingface_hub 2.4
calls them (``hf_api.py``, ``_snapshot_download.py``, ``file_download.py``):

- ``GET /api/models/{repo}/revision/{rev}``: the repo's info (``sha`` is the commit);
- ``GET /api/models/{repo}/tree/{rev}?recursive=True``: the file list, one page (no ``Link``);
- ``HEAD``/``GET /{repo}/resolve/{rev}/{file}``: ``X-Repo-Commit``, ``ETag`` and ``Content-Length``,
  then the bytes. No ``X-Xet-*`` header, so the client downloads over plain HTTP.

Another repo answers 404 with ``X-Error-Code: RepoNotFound`` (the client raises
``RepositoryNotFoundError``), another revision ``RevisionNotFound``, another file ``EntryNotFound``;
any other path (the client's ``/api/agent-harnesses`` look-up) a bare 404.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

_REPO_PATH = re.compile(r"/api/models/(?P<repo>[^/]+/[^/]+)(/(?P<what>revision|tree)/(?P<rev>[^/]+))?/?")
_RESOLVE_PATH = re.compile(r"/(?P<repo>[^/]+/[^/]+)/resolve/(?P<rev>[^/]+)/(?P<file>.+)")


class LocalHub:
    """Serves ``files`` (name -> bytes) as ``repo_id`` at commit ``revision`` (40 hex digits; ``main``
    points there) until :meth:`close`. ``requests`` lists every ``(method, path)`` received."""

    def __init__(self, repo_id: str, revision: str, files: dict[str, bytes]) -> None:
        self.repo_id, self.revision, self.files = repo_id, revision, dict(files)
        self.requests: list[tuple[str, str]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))  # port 0: any free port
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def downloaded(self) -> list[str]:
        """The files whose bytes were sent (a ``GET`` of their resolve URL), in order."""
        return [m["file"] for method, path in self.requests
                if method == "GET" and (m := _RESOLVE_PATH.fullmatch(path))]

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def answer(self, method: str, path: str) -> tuple[int, dict[str, str], bytes]:
        """Status, headers and body for a request (the body is dropped for a ``HEAD``)."""
        self.requests.append((method, path))
        if m := _RESOLVE_PATH.fullmatch(path):
            return self._resolve(m["repo"], m["rev"], m["file"])
        if (m := _REPO_PATH.fullmatch(path)) and method == "GET":
            return self._api(m["repo"], m["what"], m["rev"] or "main")
        return _error(404, None, "Not found")

    def _missing(self, repo: str, rev: str) -> tuple[int, dict[str, str], bytes] | None:
        if repo != self.repo_id:  # what the hub says of a missing (or private) repo
            return _error(404, "RepoNotFound", "Repository not found")
        if rev not in ("main", self.revision):
            return _error(404, "RevisionNotFound", f"Invalid rev id: {rev}")
        return None

    def _api(self, repo: str, what: str | None, rev: str) -> tuple[int, dict[str, str], bytes]:
        if missing := self._missing(repo, rev):
            return missing
        if what == "tree":
            body = [{"type": "file", "path": name, "size": len(data), "oid": _git_blob_id(data)}
                    for name, data in sorted(self.files.items())]
        else:
            body = {"id": repo, "sha": self.revision, "private": False,
                    "siblings": [{"rfilename": name} for name in sorted(self.files)]}
        return 200, {"Content-Type": "application/json"}, json.dumps(body).encode()

    def _resolve(self, repo: str, rev: str, name: str) -> tuple[int, dict[str, str], bytes]:
        if missing := self._missing(repo, rev):
            return missing
        if name not in self.files:
            status, headers, body = _error(404, "EntryNotFound", f"{name} does not exist")
            return status, {**headers, "X-Repo-Commit": self.revision}, body
        data = self.files[name]
        # the client names the cached blob after the ETag and checks the size it downloads
        headers = {"X-Repo-Commit": self.revision, "ETag": f'"{hashlib.sha256(data).hexdigest()}"',
                   "Content-Type": "application/octet-stream"}
        return 200, headers, data


def _git_blob_id(data: bytes) -> str:
    """What the hub's tree calls a file's ``oid``: its git blob id."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _error(status: int, code: str | None, message: str) -> tuple[int, dict[str, str], bytes]:
    headers = {"Content-Type": "application/json", "X-Error-Message": message}
    if code:
        headers["X-Error-Code"] = code
    return status, headers, json.dumps({"error": message}).encode()


def _handler(hub: LocalHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._reply("GET")

        def do_HEAD(self) -> None:
            self._reply("HEAD")

        def _reply(self, method: str) -> None:
            status, headers, body = hub.answer(method, unquote(urlsplit(self.path).path))
            self.send_response(status)
            for key, value in {**headers, "Content-Length": str(len(body))}.items():
                self.send_header(key, value)
            self.end_headers()
            if method == "GET":
                self.wfile.write(body)

        def log_message(self, format, *args) -> None:
            pass  # the test reads hub.requests; nothing on stderr

    return Handler


def point_huggingface_hub_at(monkeypatch, url: str) -> None:
    """Make the real ``huggingface_hub`` talk to ``url``, online, for one test.

    ``HF_ENDPOINT`` and ``HF_HUB_OFFLINE`` are read when the library is imported (into
    ``constants.ENDPOINT``, ``constants.HUGGINGFACE_CO_URL_TEMPLATE`` and
    ``constants.HF_HUB_OFFLINE``), and the module-level ``HfApi`` behind ``list_repo_files`` keeps
    the endpoint it was built with: setting the environment alone would reach huggingface.co.
    """
    import huggingface_hub
    from huggingface_hub import constants, hf_api

    monkeypatch.setenv("HF_ENDPOINT", url)  # what translate.engines.resolve.hub_reachable probes
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr(constants, "ENDPOINT", url)
    monkeypatch.setattr(constants, "HUGGINGFACE_CO_URL_TEMPLATE", url + "/{repo_id}/resolve/{revision}/{filename}")
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(hf_api.api, "endpoint", url)
    assert huggingface_hub.list_repo_files.__self__ is hf_api.api  # the instance patched above
