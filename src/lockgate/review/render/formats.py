"""The four output formats, and writing them to the output folder."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

import orjson

from lockgate.errors import UsageError

from .jinja import environment, stylesheet
from .report import Report, to_document
from .sarif import render_sarif
from .svg import render_svg

logger = logging.getLogger(__name__)

FORMATS = ("md", "html", "json", "sarif")
FILE_NAMES = {
    "md": "review.md",
    "html": "review.html",
    "json": "review.json",
    "sarif": "review.sarif",
}


def render_markdown(report: Report) -> str:
    template = environment().get_template("review.md.j2")
    return _squeeze(template.render(doc=to_document(report)))


def render_html(report: Report) -> str:
    template = environment().get_template("review.html.j2")
    return template.render(
        doc=to_document(report),
        svg=render_svg(report.deliverables.network.topology),
        css=stylesheet(),
    )


def render_json(report: Report) -> str:
    return orjson.dumps(to_document(report), option=orjson.OPT_INDENT_2).decode() + "\n"


RENDERERS: dict[str, Callable[[Report], str]] = {
    "md": render_markdown,
    "html": render_html,
    "json": render_json,
    "sarif": render_sarif,
}


def write_outputs(report: Report, out_dir: Path, formats: list[str]) -> list[Path]:
    """Write one file per format; each appears whole or not at all."""
    written = []
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name in formats:
            path = out_dir / FILE_NAMES[name]
            _write_atomically(path, RENDERERS[name](report))
            logger.debug("wrote %s", path)
            written.append(path)
    except OSError as error:
        raise UsageError(
            f"cannot write the report to '{out_dir}': {error.strerror or error}; "
            "choose a folder you can write to with --out"
        ) from error
    return written


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def _squeeze(text: str) -> str:
    """At most one blank line in a row, so the Markdown reads cleanly."""
    lines: list[str] = []
    for line in text.splitlines():
        if line.strip() or (lines and lines[-1].strip()):
            lines.append(line.rstrip())
    return "\n".join(lines).strip() + "\n"
