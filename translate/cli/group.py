"""The ``translate`` click group: every command module adds its commands to :data:`cli`."""

from __future__ import annotations

import click

from translate import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="translate")
def cli() -> None:
    """Arabic -> English news translation with glossary forcing, review and publishing."""
