"""What every loader shares while it reads: the file namer and the output lists."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from lockgate.review.model import Location, Multiplicity, ParseProblem, Resource

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class LoadContext:
    """Collects resources and problems; files are named by their absolute path.

    ``load_paths`` renames every file relative to the common root once all loaders
    have run, because a local module may live outside the reviewed folder.
    """

    progress: Callable[[str], None] | None = None
    resources: list[Resource] = field(default_factory=list)
    problems: list[ParseProblem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    not_created: list[Resource] = field(default_factory=list)  # Multiplicity.NONE
    outputs: list[Resource] = field(default_factory=list)  # Terraform outputs
    parameters: list[Resource] = field(default_factory=list)  # CloudFormation
    _names: dict[Path, str] = field(default_factory=dict)

    def name(self, path: Path) -> str:
        found = self._names.get(path)
        if found is None:
            found = self._names[path] = path.resolve().as_posix()
        return found

    def location(self, path: Path, line: int, column: int = 0) -> Location:
        return Location(self.name(path), line, column)

    def read(self, path: Path) -> None:
        """Record that ``path`` was read (once per file)."""
        self.files.append(self.name(path))
        if self.progress is not None:
            self.progress(self.name(path))

    @contextmanager
    def guard(self, paths: list[Path], what: str) -> Iterator[None]:
        """A bug while reading ``what`` turns its files into problems, not a crash."""
        try:
            yield
        except Exception as error:  # the review goes on without these files
            logger.warning("reading %s failed with %s", what, type(error).__name__)
            logger.debug("reading %s failed", what, exc_info=True)
            message = (
                f"lockgate could not read this file ({type(error).__name__}: {error});"
                " the review goes on without it, please report this"
            )
            for path in paths:
                self.problem(path, message)

    def problem(self, path: Path, message: str, line: int | None = None) -> None:
        logger.warning("problem in %s: %s", path, message)
        self.problems.append(ParseProblem(self.name(path), message, line))


_ORDER = {
    Multiplicity.ONE: 0,
    Multiplicity.ONE_OR_MORE: 1,
    Multiplicity.CONDITIONAL: 2,
    Multiplicity.NONE: 3,
}


def combine(outer: Multiplicity, inner: Multiplicity) -> Multiplicity:
    """A resource inside a module or parent: CONDITIONAL wins over ONE_OR_MORE,
    and NONE (never created) over everything."""
    return outer if _ORDER[outer] >= _ORDER[inner] else inner


def entry_points(nodes: list[Path], calls: dict[Path, set[Path]]) -> list[Path]:
    """The folders or files to review on their own, in the order given.

    One that another calls as a local module is read through its caller, except
    when every caller is itself only reachable through it (a cycle): then the
    first of the cycle is taken as an entry point so nothing is left unread.
    """
    called = {t for node in nodes for t in calls.get(node, set()) if t != node}
    chosen = [node for node in nodes if node not in called]
    reached = _reachable(chosen, calls)
    for node in nodes:
        if node not in reached:
            chosen.append(node)
            reached |= _reachable([node], calls)
    return [node for node in nodes if node in chosen]


def _reachable(starts: list[Path], calls: dict[Path, set[Path]]) -> set[Path]:
    reached: set[Path] = set()
    pending = list(starts)
    while pending:
        current = pending.pop()
        if current not in reached:
            reached.add(current)
            pending.extend(calls.get(current, set()))
    return reached
