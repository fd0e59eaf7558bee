"""The `argraph selftest --hostile [--url URL]` command; `register(app)` adds it to the CLI group.

Sends every hostile input of SECURITY.md (`argraph.selftest`) to a running server and prints
PASS or FAIL per input. Without --url it serves the built graph itself on a free loopback port
(with a short query timeout) for the run. Exit 0 when everything passes, 1 otherwise.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    from argraph.cli import handle_errors, settings_from

    @app.command()
    @handle_errors
    def selftest(
        hostile: Annotated[
            bool, typer.Option("--hostile", help="send the hostile inputs (the only suite)")
        ] = True,
        url: Annotated[
            str | None,
            typer.Option("--url", help="a running server, e.g. http://127.0.0.1:8000"),
        ] = None,
        timeout: Annotated[
            float,
            typer.Option("--timeout", help="the server's query timeout, s (served: its own)"),
        ] = 2.0,
        group: Annotated[
            list[str] | None,
            typer.Option(
                "--group", help="only these groups: outbound, write, expensive, protocol, web"
            ),
        ] = None,
        dist: Annotated[
            Path | None, typer.Option("--dist", help="build output folder (default dist)")
        ] = None,
    ) -> None:
        """Send hostile requests to a server; PASS/FAIL per input; exit 1 on any failure."""
        from argraph import selftest as suite
        from argraph.serve import ensure_built

        if not hostile:
            raise typer.BadParameter("only the --hostile suite exists")
        groups = set(group or [])

        def only(h: suite.Hostile) -> bool:
            return not groups or h.group in groups

        def show(o: suite.Outcome) -> None:
            detail = f"  ({'; '.join(o.problems)})" if o.problems else ""
            mark = "PASS" if o.ok else "FAIL"
            typer.echo(f"{mark}  [{o.group}] {o.name}: {o.status} in {o.seconds:.2f} s{detail}")

        if url is not None:
            report = suite.run(url, query_timeout_s=timeout, only=only, progress=show)
        else:
            settings = settings_from(no_source=True, dist=dist)
            ensure_built(settings)
            served = {"query_timeout_s": str(timeout)}
            with suite.serve_subprocess(str(Path(settings.dist)), settings=served) as server:
                typer.echo(f"serving {settings.dist} at {server.url} (pid {server.pid})")
                report = suite.run(server.url, query_timeout_s=timeout, only=only, progress=show)
        for line in report.lines()[len(report.outcomes) :]:
            typer.echo(line)
        if not report.ok:
            raise typer.Exit(1)
