"""The ``translate`` command: one verb per pipeline stage.

Each command is thin: parse options, call one library function, print. The command
modules import only click and this package at import time; the libraries they call
(torch, transformers, ctranslate2, matplotlib...) load inside the commands.
"""

from __future__ import annotations

import click

from .. import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="translate")
def cli() -> None:
    """Arabic -> English news translation with glossary forcing, review and publishing."""


from . import (  # noqa: E402,F401  (each module adds its commands to ``cli``)
    evaluate_cmds,
    glossary_cmds,
    glossary_learn_cmds,
    pipeline_cmds,
    publish_cmds,
    review_cmds,
    serve_cmds,
    tm_cmds,
)
