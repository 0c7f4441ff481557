"""``translate glossary add``: one entry appended to a project-format glossary, checked first.

The new row goes at the end of the file, its cells under the file's own header (``ar``, ``en``,
``category``, ``note``, then empty cells for any optional column; trailing empty cells are left
off), with the file's line ending. The whole resulting file is checked as ``translate glossary
check`` checks it (columns, cells, category, duplicates and conflicting English); any problem
raises :class:`~translate.errors.GlossaryError` and the file is not touched. Otherwise it is
replaced atomically, so the glossary is never half-written. A file that does not exist yet is
created with the header.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from translate.errors import GlossaryError, InputFileError

HEADER = ("ar", "en", "category", "note")


@dataclass(frozen=True)
class Added:
    path: Path
    line: int
    ar: str
    en: str
    category: str


def _header(path: Path, text: str) -> list[str]:
    for raw in text.removeprefix("\ufeff").splitlines():
        if raw.strip() and not raw.lstrip().startswith("#"):
            cells = [c.strip().lower() for c in raw.split("\t")]
            if cells[:3] == list(HEADER[:3]):
                return cells
            break
    raise InputFileError(path, "not a glossary in the project format (its first row is not the header "
                               "ar, en, category, note): 'glossary add' only appends to such a file", 1)


def add_entry(path: str | Path, *, ar: str, en: str, category: str = "term", note: str = "") -> Added:
    """Append one entry to the glossary ``path`` after checking the result (module docstring)."""
    from translate.glossary.entries import scan_glossaries
    from translate.textio import atomic_write_text, read_text

    p = Path(path)
    if p.suffix.lower() != ".tsv":
        raise InputFileError(p, "'glossary add' writes the project TSV format: name a .tsv file")
    values = {"ar": ar.strip(), "en": en.strip(), "category": category.strip(), "note": note.strip()}
    bad = [name for name, value in values.items() if any(ch in value for ch in "\t\r\n")]
    if bad:
        raise GlossaryError([f"{p}: --{bad[0]} cannot hold a tab or a line break"])
    text = read_text(p, allow_empty=True) if p.exists() else ""
    newline = "\r\n" if "\r\n" in text else "\n"
    if not text.removeprefix("\ufeff").strip():
        text = "\t".join(HEADER) + newline
    columns = _header(p, text)
    row = [values.get(name, "") for name in columns]
    while len(row) > 3 and not row[-1]:
        row.pop()
    if text and not text.endswith("\n"):
        text += newline
    new_text = text + "\t".join(row) + newline
    with tempfile.TemporaryDirectory() as tmp:
        trial = Path(tmp) / p.name
        trial.write_text(new_text, encoding="utf-8", newline="")
        _, problems = scan_glossaries([trial])
    if problems:
        raise GlossaryError([problem.replace(str(trial), str(p)) for problem in problems])
    atomic_write_text(p, new_text)
    line = new_text.count("\n")
    return Added(p, line, values["ar"], values["en"], values["category"])
