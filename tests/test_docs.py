"""Every command has help text and a README entry."""

from __future__ import annotations

import click
import pytest
from helpers import REPO

from translate.cli import cli


def all_commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    out = []
    for name, command in sorted(group.commands.items()):
        full = f"{prefix}{name}"
        out.append((full, command))
        if isinstance(command, click.Group):
            out += all_commands(command, full + " ")
    return out


COMMANDS = all_commands(cli)


def test_there_is_a_command_per_stage():
    names = {name for name, _ in COMMANDS}
    assert {"segment", "run", "models", "glossary match", "glossary check", "review status", "serve",
            "publish", "export", "import", "evaluate", "align-ref"} <= names


@pytest.mark.parametrize("name,command", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_command_has_help(name, command):
    assert command.help and command.help.strip(), f"translate {name} has no help text"


@pytest.mark.parametrize("name,command", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_command_is_in_the_readme(name, command):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"translate {name}" in readme, f"translate {name} is missing from README.md"


def test_readme_starts_with_install_run_and_test_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = readme.split("```bash\n")
    assert blocks[1].splitlines()[0].startswith("pip install -e '.[dev]'")
    assert blocks[1].splitlines()[1].startswith("translate run corpus/article.ar.txt")
    assert blocks[2].splitlines()[0] == "python -m pytest -q"
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pytest -q" in ci and "pip install -q -e '.[dev]'" in ci
