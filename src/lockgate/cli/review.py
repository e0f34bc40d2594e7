"""``lockgate review``: the readiness review as a CI gate.

Exit codes: 0 every gate passes, 1 a gate fails or is blocked (or a probe failed),
2 the command line or the settings file is wrong. Usage errors are one line on
stderr, never a traceback.
"""

from __future__ import annotations

import ssl
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from lockgate.errors import LockgateError
from lockgate.review.deliverables.baseline import LedgerHistory
from lockgate.review.probes import (
    DEFAULT_TIMEOUT_S,
    Connector,
    DnsResolver,
    Prober,
    Resolver,
    SocketConnector,
)
from lockgate.review.render import FORMATS
from lockgate.review.runner import Checker, Loader, ReviewRequest, ReviewRunner


@dataclass(slots=True)
class ReviewParts:
    """Stages a caller may replace (tests, embedding); None means the default."""

    load: Loader | None = None
    check: Checker | None = None
    resolver: Resolver | None = None
    connector: Connector | None = None
    tls_context: ssl.SSLContext | None = None


class OneLineUsageError(click.ClickException):
    """A usage error shown as a single ``Error: ...`` line, exit code 2."""

    exit_code = 2


class _ReviewCommand(click.Command):
    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as error:
            raise OneLineUsageError(error.format_message()) from None


class FileProgress:
    """Progress on stderr: each stage, and a file count every ``every`` files."""

    def __init__(self, every: int = 200) -> None:
        self._every = every
        self._files = 0

    def stage(self, message: str) -> None:
        click.echo(f"lockgate review: {message}", err=True)

    def file(self, name: str) -> None:
        self._files += 1
        if self._files % self._every == 0:
            click.echo(f"lockgate review: read {self._files} files", err=True)


def parse_formats(value: str) -> list[str]:
    chosen = [part.strip().lower() for part in value.split(",") if part.strip()]
    unknown = [part for part in chosen if part not in FORMATS]
    if unknown or not chosen:
        raise OneLineUsageError(
            f"unknown format {', '.join(repr(u) for u in unknown) or repr(value)}; "
            f"choose from {','.join(FORMATS)}"
        )
    return list(dict.fromkeys(chosen))


def parse_resolver(value: str | None) -> DnsResolver:
    if value is None:
        return DnsResolver()
    host, _, port = value.rpartition(":") if value.count(":") == 1 else (value, "", "")
    try:
        return DnsResolver([host or value], int(port) if port else 53)
    except ValueError:
        raise OneLineUsageError(
            f"--resolver {value!r} is not ADDRESS[:PORT]; e.g. --resolver 10.0.0.2:53"
        ) from None


@click.command(cls=_ReviewCommand, name="review")
@click.argument(
    "paths",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, path_type=Path),
)
@click.option(
    "-c",
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Gateway settings file (lockgate.yaml) to review with the code.",
)
@click.option("--probe", is_flag=True, help="Also probe DNS, TLS and reachability.")
@click.option(
    "--resolver",
    metavar="ADDRESS[:PORT]",
    help="Name server the probes ask (default: this machine's).",
)
@click.option(
    "--public-resolver",
    metavar="ADDRESS[:PORT]",
    help="Name server that knows the endpoints' public addresses; the probes "
    "then check that those addresses are blocked from here.",
)
@click.option(
    "--probe-timeout",
    type=click.FloatRange(0.1, 30.0),
    default=DEFAULT_TIMEOUT_S,
    show_default=True,
    help="Seconds allowed for each probe step.",
)
@click.option(
    "--store",
    "store_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Gateway ledger (SQLite) to measure baselines from.",
)
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder the reports are written to.",
)
@click.option(
    "--format",
    "formats",
    default=",".join(FORMATS),
    show_default=True,
    help="Comma-separated formats: md, html, json, sarif.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress or summary (for CI).")
@click.pass_context
def review(
    ctx: click.Context,
    paths: tuple[Path, ...],
    config_path: Path | None,
    probe: bool,
    resolver: str | None,
    public_resolver: str | None,
    probe_timeout: float,
    store_path: Path | None,
    out_dir: Path,
    formats: str,
    quiet: bool,
) -> None:
    """Review infrastructure code (and gateway settings) for production readiness.

    Writes the four deliverables to --out; exits 0 when every gate passes, 1 when a
    gate fails, 2 on a usage error.
    """
    chosen = parse_formats(formats)
    try:
        request = ReviewRequest(
            paths=list(paths),
            out_dir=out_dir,
            formats=chosen,
            settings=_settings(config_path),
            probe=probe,
        )
        parts = ctx.obj if isinstance(ctx.obj, ReviewParts) else ReviewParts()
        options = _RunnerOptions(
            resolver, public_resolver, probe_timeout, store_path, quiet, probe
        )
        runner = _runner(parts, options)
        outcome = runner.run(request)
    except LockgateError as error:
        click.echo(f"Error: {error.message}", err=True)
        sys.exit(error.exit_code)

    if not quiet:
        _summary(outcome.report.gates, outcome.written)
    sys.exit(outcome.exit_code)


def _settings(config_path: Path | None) -> Any | None:
    if config_path is None:
        return None
    from lockgate.config import load_settings

    return load_settings(config_path)


def _public_resolver(value: str | None) -> DnsResolver | None:
    return None if value is None else parse_resolver(value)


@dataclass(frozen=True, slots=True)
class _RunnerOptions:
    resolver: str | None
    public_resolver: str | None
    timeout: float
    store_path: Path | None
    quiet: bool
    probe: bool


def _runner(parts: ReviewParts, options: _RunnerOptions) -> ReviewRunner:
    from lockgate.review.engine import run_checks
    from lockgate.review.loaders import load_paths

    prober = None
    if options.probe:
        prober = Prober(
            parts.resolver or parse_resolver(options.resolver),
            connector=parts.connector or SocketConnector(),
            tls_context=parts.tls_context,
            timeout=options.timeout,
            public_resolver=_public_resolver(options.public_resolver),
        )
    store = options.store_path
    return ReviewRunner(
        load=parts.load or load_paths,
        check=parts.check or run_checks,
        prober=prober,
        history=LedgerHistory(store) if store else None,
        progress=None if options.quiet else FileProgress(),
    )


def _summary(gates: Sequence[Any], written: Sequence[Path]) -> None:
    states = ", ".join(f"{g.area.value} {g.status.value}" for g in gates)
    click.echo(f"gates: {states}")
    click.echo("wrote " + ", ".join(str(p) for p in written))


__all__ = ["ReviewParts", "review"]
