"""``translate serve``: the browser review page (loopback by default)."""

from __future__ import annotations

from pathlib import Path

import click

from translate.server.limits import DEFAULT_MAX_BODY
from translate.cli.group import cli
from translate.cli.common import handle_errors


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; a non-loopback one needs --reviewers.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--reviewers", "reviewers_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Reviewers file: 'name<TAB>sha256-of-token' per line; reviewers then log in with their token.")
@click.option("--add-reviewer", metavar="NAME", default=None,
              help="Add NAME to --reviewers FILE with a fresh token, print the token, and exit.")
@click.option("--max-body", metavar="BYTES", default=DEFAULT_MAX_BODY, show_default=True,
              type=click.IntRange(1024),
              help="Refuse requests with a larger body (413), before reading it.")
@handle_errors
def serve_cmd(host: str, port: int, reviewers_file: Path | None, add_reviewer: str | None, max_body: int) -> None:
    """Review documents in a browser: side-by-side text, inline post-editing, approval."""
    from translate.server.auth import add_reviewer as add
    from translate.server.auth import is_loopback, load_reviewers
    from translate.server.limits import check_listen

    if add_reviewer is not None:
        if reviewers_file is None:
            raise click.UsageError("--add-reviewer needs --reviewers FILE")
        token = add(reviewers_file, add_reviewer)
        click.echo(f"added {add_reviewer.strip()} to {reviewers_file}; their token (shown only now):")
        click.echo(token)
        return
    loopback = is_loopback(host)
    if not loopback and reviewers_file is None:
        raise click.UsageError(
            f"--host {host} is not a loopback address, so reviewers must log in: pass --reviewers FILE "
            "(make one with 'translate serve --add-reviewer NAME --reviewers FILE')"
        )
    reviewers = load_reviewers(reviewers_file) if reviewers_file is not None else None
    check_listen(host, port)  # a busy port is said before "Reviewing on ..."
    import uvicorn

    from translate.server.app import create_app

    shown = f"[{host.strip('[]')}]" if ":" in host else host
    allowed = sorted({"127.0.0.1", "localhost", "[::1]", shown.lower()}) if loopback else None
    app = create_app(reviewers=reviewers, allowed_hosts=allowed, max_body=max_body)
    mode = f"{len(reviewers)} reviewers from {reviewers_file}" if reviewers else "loopback, reviewers name themselves"
    click.echo(f"Reviewing on http://{shown}:{port}/ ({mode}); Ctrl+C to stop", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
