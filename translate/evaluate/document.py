"""Evaluating a reviewed document: the MT draft against its approved post-edit.

* **HTER** is sacrebleu's TER of the MT draft against the approved post-edit, over the
  approved segments (the edits a reviewer needed, per reference word);
* the **share edited** counts approved segments whose English differs from the MT;
* **term accuracy** before (MT) and after (post-edit) uses the glossary hits recorded in the
  document (``Segment.terms``), or those of ``--glossary`` files when given; a miss's line
  counts the evaluated (approved) segments from 1, as in ``post_edit.segments``;
* when ``corpus/<doc>/reference.en.txt`` exists, the MT and the current English (the
  post-edit where there is one) are scored against it: line by line when it has one
  non-empty line per segment, else after aligning it with :func:`translate.evaluate.refalign.align`
  (the MT serving as the bridge), merged sentences joined by a space. The post-edit is also
  compared with the MT by sacrebleu's paired tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translate.evaluate.scores import Evaluation, MetricScore, evaluate_lines, tool_signature
from translate.evaluate.term_accuracy import TermAccuracy, glossary_targets, term_accuracy
from translate.errors import EvaluationError

REFERENCE = "reference.en.txt"


@dataclass(frozen=True)
class DocumentEvaluation:
    doc_id: str
    document_signature: str
    signature: str
    segments: int
    approved: int
    edited: int
    post_edit: Evaluation  # MT scored against the approved post-edit: its TER is the HTER
    terms_mt: TermAccuracy
    terms_post_edit: TermAccuracy
    reference: tuple[tuple[str, Evaluation], ...] = ()  # ("mt", ...), ("post_edit", ...)
    reference_path: str = ""
    reference_alignment: str = ""  # "lines" | "aligned"

    @property
    def hter(self) -> MetricScore:
        return self.post_edit.ter

    @property
    def edited_share(self) -> float:
        return self.edited / self.approved if self.approved else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "document_signature": self.document_signature,
            "signature": self.signature,
            "segments": self.segments,
            "approved": self.approved,
            "edited": self.edited,
            "edited_share": self.edited_share,
            "hter": self.hter.to_dict(),
            "post_edit": self.post_edit.to_dict(),
            "terms": {"mt": self.terms_mt.to_dict(), "post_edit": self.terms_post_edit.to_dict()},
            "reference": {name: ev.to_dict() for name, ev in self.reference} or None,
            "reference_path": self.reference_path,
            "reference_alignment": self.reference_alignment,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DocumentEvaluation:
        return cls(
            doc_id=d["doc_id"],
            document_signature=d["document_signature"],
            signature=d["signature"],
            segments=int(d["segments"]),
            approved=int(d["approved"]),
            edited=int(d["edited"]),
            post_edit=Evaluation.from_dict(d["post_edit"]),
            terms_mt=TermAccuracy.from_dict(d["terms"]["mt"]),
            terms_post_edit=TermAccuracy.from_dict(d["terms"]["post_edit"]),
            reference=tuple((k, Evaluation.from_dict(v)) for k, v in (d.get("reference") or {}).items()),
            reference_path=d.get("reference_path", ""),
            reference_alignment=d.get("reference_alignment", ""),
        )


def evaluate_document(
    doc_id: str, *, glossary_paths: Sequence[str | Path] = (), bootstrap: int = 1000, trials: int = 10000,
    progress=None,
) -> DocumentEvaluation:
    """``translate evaluate DOC``: HTER, share edited, term accuracy before/after, and the reference if any
    (``progress``: a :class:`translate.progress.Progress` for the scoring and significance tests)."""
    from translate.glossary.entries import load_glossaries
    from translate.review.log import is_approved, states
    from translate.doc.store import load_document
    from translate.paths import document_dir

    doc = load_document(doc_id)
    current = states(doc)
    glossaries = load_glossaries(glossary_paths) if glossary_paths else []  # none named: the recorded terms
    segs = list(doc.segments)
    if glossaries:
        targets = glossary_targets([s.source for s in segs], glossaries)
    else:
        targets = [[t.target for t in s.terms if t.mode != "suggest"] for s in segs]  # suggested: not forced
    approved = [k for k, s in enumerate(segs) if is_approved(current[s.id])]
    if not approved:
        raise EvaluationError(
            f"{doc_id}: no approved segment yet; approve post-edits first (translate review approve {doc_id} ...)"
        )
    sources = [segs[k].source for k in approved]
    mt = [current[segs[k].id].mt for k in approved]
    post = [current[segs[k].id].text for k in approved]
    ids = [segs[k].id for k in approved]
    these = [targets[k] for k in approved]
    doc_sig = str(doc.signature) if doc.signature else "none"
    sig = tool_signature(glossaries, doc.signature.glossaries if doc.signature else ()) + f"|document:{doc_sig}"
    post_edit = evaluate_lines(mt, [post], sources=sources, targets=these, ids=ids, signature=sig,
                               inputs=[("document", doc_id)], progress=progress)
    reference, alignment = (), ""
    ref_path = document_dir(doc_id) / REFERENCE
    if ref_path.exists():
        all_mt = [current[s.id].mt for s in segs]
        all_text = [current[s.id].text for s in segs]
        reference, alignment = _against_reference(ref_path, [s.source for s in segs], all_mt, all_text,
                                                  [s.id for s in segs], sig, bootstrap, trials, progress)
    return DocumentEvaluation(
        doc_id=doc_id,
        document_signature=doc_sig,
        signature=sig,
        segments=len(segs),
        approved=len(approved),
        edited=sum(1 for a, b in zip(mt, post) if a != b),
        post_edit=post_edit,
        terms_mt=post_edit.terms,  # evaluate_lines scored the MT (hyps) with these targets
        terms_post_edit=term_accuracy(post, these, sources),
        reference=reference,
        reference_path=str(ref_path) if reference else "",
        reference_alignment=alignment,
    )


def _against_reference(path: Path, sources: list[str], mt: list[str], text: list[str], ids: list[str],
                       sig: str, bootstrap: int, trials: int,
                       progress=None) -> tuple[tuple[tuple[str, Evaluation], ...], str]:
    from translate.evaluate.refalign import align
    from translate.evaluate.refalign_files import read_sentences

    refs, _, _ = read_sentences(path)
    if len(refs) == len(sources):
        groups = [((k,), (k,)) for k in range(len(sources))]
        how = "lines"
    else:
        groups = [(p.src, p.ref) for p in align(sources, refs, mt) if p.src and p.ref]
        how = "aligned"
    if not groups:
        raise EvaluationError(f"{path}: no sentence could be aligned with the document")

    def join(items: list[str], idx: tuple[int, ...]) -> str:
        return " ".join(items[i] for i in idx)

    src_g = [join(sources, s) for s, _ in groups]
    ref_g = [join(refs, r) for _, r in groups]
    mt_g = [join(mt, s) for s, _ in groups]
    text_g = [join(text, s) for s, _ in groups]
    ids_g = ["+".join(ids[i] for i in s) for s, _ in groups]
    inputs = [("reference", str(path))]
    mt_ev = evaluate_lines(mt_g, [ref_g], sources=src_g, ids=ids_g, signature=sig, inputs=inputs, progress=progress)
    pe_ev = evaluate_lines(text_g, [ref_g], sources=src_g, ids=ids_g, signature=sig, inputs=inputs,
                           baseline=mt_g, bootstrap=bootstrap, trials=trials, progress=progress)
    return (("mt", mt_ev), ("post_edit", pe_ev)), how
