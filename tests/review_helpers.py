"""A small translated document for the review, QA, CLI and server tests (no model needed)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from translate.doc.model import Document, Segment, Signature, Term
from translate.paths import corpus_dir
from translate.doc.store import save_outputs

XSS = "<script>alert(1)</script>"

# (id, kind, Arabic, English MT, [(Arabic term, English term)])
ROWS = [
    ("s1", "title", "اتصال نادر بين قادة الجيشين", "Rare contact between the leaders of the two armies", []),
    ("s2", "byline", "زينة", "Zeina", []),
    ("s3", "sentence", "قال الجيش الأميركي إن المساعدات بلغت ٧٢٥ مليون دولار.",
     "The US military said the aid reached $725 million.", [("الجيش الأميركي", "US military")]),
    ("s4", "sentence", f"كتب أحدهم {XSS} في التعليق.", f"Someone wrote {XSS} in the comment.", []),
    ("s5", "sentence", "وأجرى 3 مكالمات في عام ٢٠٢٣.", "He made 3 calls in 2023.", []),
]


def make_document(doc_id: str = "doc-1") -> tuple[Document, str]:
    """The document and its Arabic source text (one line per segment; spans index the source)."""
    segments, lines, offset = [], [], 0
    for paragraph, (sid, kind, ar, en, terms) in enumerate(ROWS):
        found = []
        for src, tgt in terms:
            start = offset + ar.index(src)
            tstart = en.index(tgt)
            found.append(Term(source=src, source_span=(start, start + len(src)), target=tgt, entry=src,
                              category="org", realized=True, target_span=(tstart, tstart + len(tgt))))
        segments.append(Segment(id=sid, kind=kind, paragraph=paragraph, source=ar,
                                source_span=(offset, offset + len(ar)), translation=en, terms=tuple(found)))
        lines.append(ar)
        offset += len(ar) + 1
    sig = Signature(model="Helsinki-NLP/opus-mt-ar-en", revision="test", backend="none", beam=1, version="0.1.0")
    return Document(doc_id=doc_id, segments=tuple(segments), signature=sig), "\n".join(lines) + "\n"


def save_document(doc_id: str = "doc-1") -> Document:
    doc, source = make_document(doc_id)
    save_outputs(doc, source.encode("utf-8"), corpus_dir() / doc_id)  # with its manifest, as translate run does
    return doc


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(app) -> Iterator[str]:
    """Serve ``app`` with uvicorn in a thread on a free loopback port; yield its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
