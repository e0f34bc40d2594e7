"""Loader for bicep sources (skeleton: records the files read)."""

from __future__ import annotations

from lockgate.review.loaders.context import LoadContext
from lockgate.review.loaders.discover import SourceFile


def load(sources: list[SourceFile], context: LoadContext) -> None:
    for source in sources:
        context.read(source.path)
