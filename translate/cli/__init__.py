"""The ``translate`` command: one verb per pipeline stage.

Each command is thin: parse options, call one library function, print. The command
modules import only click and this package at import time; the libraries they call
(torch, transformers, ctranslate2, matplotlib...) load inside the commands.

The group itself is :data:`translate.cli.group.cli` (the command modules import it from there,
so nothing imports this package back); importing this package registers every command, and
``from translate.cli import cli`` is the entry point (``translate = "translate.cli:cli"``).
May import any layer below (see ARCHITECTURE.md); nothing in ``translate`` imports ``cli``.
"""

from __future__ import annotations

from translate.cli import (  # noqa: F401  (importing a command module adds its commands to ``cli``)
    batch_cmds,
    evaluate_cmds,
    glossary_cmds,
    glossary_learn_cmds,
    pipeline_cmds,
    publish_cmds,
    review_cmds,
    serve_cmds,
    tm_cmds,
)
from translate.cli.group import cli

__all__ = ["cli"]
