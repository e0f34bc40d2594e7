"""The ``lockgate`` command."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any

import click
from ruamel.yaml import YAML

from lockgate import __version__
from lockgate.cli.review import review
from lockgate.config import environment, load_settings
from lockgate.config.settings import Settings
from lockgate.errors import ConfigError, LockgateError

CONFIG_OPTION = click.option(
    "-c",
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar=environment.CONFIG,
    required=True,
    help=f"Settings file (or ${environment.CONFIG}).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lockgate")
def cli() -> None:
    """lockgate: a production gateway and readiness review for GenAI workloads."""
    level = os.environ.get(environment.LOG_LEVEL, "WARNING").upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        click.echo(
            f"warning: {environment.LOG_LEVEL}={level[:20]!r} is not a log level; "
            "using WARNING (choose DEBUG, INFO, WARNING or ERROR)",
            err=True,
        )
        level = "WARNING"
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


@cli.command()
@CONFIG_OPTION
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    envvar=environment.PORT,
    help=f"Listen port, overriding server.port (or ${environment.PORT}).",
)
def serve(config_path: Path, port: int | None) -> None:
    """Run the gateway."""
    from lockgate.gateway.server import run

    settings = _load(config_path)
    if port is not None:
        server = settings.server.model_copy(update={"port": port})
        settings = settings.model_copy(update={"server": server})
    run(settings)


@cli.group()
def config() -> None:
    """Check or show a settings file."""


@config.command("check")
@CONFIG_OPTION
def config_check(config_path: Path) -> None:
    """Validate a settings file without starting anything."""
    settings = _load(config_path)
    click.echo(
        f"{config_path}: ok ({len(settings.upstreams)} upstreams, "
        f"{len(settings.models)} models)"
    )


@config.command("show")
@CONFIG_OPTION
def config_show(config_path: Path) -> None:
    """Print the settings as lockgate understood them, secrets masked."""
    settings = _load(config_path)
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.dump(_masked(settings), sys.stdout)


@config.command("reference")
def config_reference() -> None:
    """Print the table of every setting (docs/configuration.md embeds it)."""
    from lockgate.config.reference import settings_table

    click.echo(settings_table())


@cli.command()
@CONFIG_OPTION
@click.option(
    "--last",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="How many records.",
)
def spend(config_path: Path, last: int) -> None:
    """Show the most recent usage records of the ledger."""
    from lockgate.store.ledger import read_records

    settings = _load(config_path)
    path = settings.server.ledger_path
    if not path.exists():
        raise click.ClickException(f"no ledger at {path} yet; serve a request first")
    for row in read_records(path, last=last):
        estimated = " (estimated)" if row["usage_estimated"] else ""
        click.echo(
            f"{row['request_id']}  {row['model_alias']:<20} {row['outcome']:<18} "
            f"in={row['input_tokens']} out={row['output_tokens']}{estimated}"
        )


def _load(path: Path) -> Settings:
    try:
        return load_settings(path)
    except ConfigError as error:
        click.echo(f"error: {error.message}", err=True)
        sys.exit(error.exit_code)


def _masked(settings: Settings) -> Any:
    return settings.model_dump(mode="json", exclude_none=True)


cli.add_command(review)


def main() -> None:
    try:
        cli(standalone_mode=True)
    except LockgateError as error:
        click.echo(f"error: {error.message}", err=True)
        sys.exit(error.exit_code)
