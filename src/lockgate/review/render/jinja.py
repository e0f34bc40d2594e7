"""The Jinja2 environment of the Markdown and HTML reports (package data)."""

from __future__ import annotations

from importlib import resources

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("lockgate.review.render", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["cell"] = markdown_cell
    return env


def markdown_cell(value: object) -> str:
    """Text safe inside a Markdown table cell: one line, pipes escaped."""
    text = "" if value is None else str(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def stylesheet() -> str:
    files = resources.files("lockgate.review.render") / "templates" / "review.css"
    return files.read_text(encoding="utf-8")
