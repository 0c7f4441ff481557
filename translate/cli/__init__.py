"""The ``translate`` command: one verb per pipeline stage.

Each command is thin: parse options, call one library function, print.
"""

from __future__ import annotations

import click

from .. import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="translate")
def cli() -> None:
    """Arabic -> English news translation with glossary forcing, review and publishing."""


def _register() -> None:
    from . import pipeline_cmds  # noqa: F401

    for name in ("glossary_cmds", "review_cmds", "publish_cmds", "serve_cmds", "evaluate_cmds"):
        try:
            __import__(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:  # a module not written yet
            if exc.name != f"{__name__}.{name}":
                raise


_register()
