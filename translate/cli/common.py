"""Helpers shared by the click commands: error translation and output options."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import click

from translate.errors import TranslateError


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a :class:`TranslateError` into a ``click.ClickException`` (``Error: ...``, exit 1)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except TranslateError as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper


def show_progress(quiet: bool) -> bool:
    """A progress bar only on a terminal and without ``--quiet``."""
    return not quiet and sys.stderr.isatty()


def make_progress(quiet: bool):
    """A bar on a terminal; elsewhere only status lines (a first-run conversion); none with ``--quiet``."""
    from translate.progress import progress_for

    return progress_for(quiet, sys.stderr.isatty())


quiet_option = click.option("--quiet", "-q", is_flag=True, help="No progress bar, no status lines on stderr.")
