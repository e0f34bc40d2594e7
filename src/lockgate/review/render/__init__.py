"""Renderers of the readiness review: Markdown, HTML, JSON and SARIF 2.1.0.

All four read one :class:`~lockgate.review.render.report.Report`; the Markdown and
HTML templates and the JSON output share :func:`~.report.to_document`, whose shape
is fixed by ``review-report.schema.json`` (documented in docs/review-json-schema.md).
"""

from __future__ import annotations

from .formats import FILE_NAMES, FORMATS, RENDERERS, write_outputs
from .report import SCHEMA_VERSION, Report, to_document

__all__ = [
    "FILE_NAMES",
    "FORMATS",
    "RENDERERS",
    "SCHEMA_VERSION",
    "Report",
    "schema_text",
    "to_document",
    "write_outputs",
]


def schema_text() -> str:
    """The JSON Schema of the JSON report, as shipped in the package."""
    from importlib import resources

    path = resources.files(__name__) / "review-report.schema.json"
    return path.read_text(encoding="utf-8")
