"""One readiness review from start to finish.

load the files → run the checks → build the deliverables → probe (if asked) →
render every format → the exit code (0 every gate passes, 1 a gate fails or is
blocked, or a probe failed). Each stage is passed in, so tests can swap any of them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from lockgate import __version__
from lockgate.review.deliverables import UsageHistory, build_deliverables
from lockgate.review.model import CheckSpec, Finding, Gate, Inventory
from lockgate.review.probes import ProbeResult, ProbeTarget, plan_targets
from lockgate.review.render import Report, write_outputs

logger = logging.getLogger(__name__)

Progress = Callable[[str], None]


class ProgressSink(Protocol):
    """Where progress goes: each stage, and each file the loaders read."""

    def stage(self, message: str) -> None: ...

    def file(self, name: str) -> None: ...


class CheckOutcome(Protocol):
    """What the check engine returns (``lockgate.review.engine.ReviewResult``)."""

    findings: list[Finding]
    gates: list[Gate]
    catalog: list[CheckSpec]
    inventory: Inventory


class Loader(Protocol):
    def __call__(
        self, paths: Sequence[Path], *, progress: Progress | None = None
    ) -> Inventory: ...


Checker = Callable[[Inventory, Any], CheckOutcome]


class Probe(Protocol):
    def run(self, targets: Sequence[ProbeTarget]) -> list[ProbeResult]: ...


@dataclass(slots=True)
class ReviewRequest:
    paths: list[Path]
    out_dir: Path
    formats: list[str]
    settings: Any | None = None
    probe: bool = False
    probe_targets: list[ProbeTarget] | None = None


@dataclass(slots=True)
class ReviewOutcome:
    report: Report
    written: list[Path] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return self.report.exit_code


@dataclass(slots=True)
class ReviewRunner:
    load: Loader
    check: Checker
    prober: Probe | None = None
    history: UsageHistory | None = None
    progress: ProgressSink | None = None
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)

    def run(self, request: ReviewRequest) -> ReviewOutcome:
        self._say("loading infrastructure files")
        on_file = self.progress.file if self.progress is not None else None
        inventory = self.load(request.paths, progress=on_file)

        self._say(f"checking {len(inventory.resources)} resources")
        result = self.check(inventory, request.settings)
        deliverables = build_deliverables(
            inventory, result.findings, request.settings, self.history
        )
        notes = list(getattr(result, "notes", []))
        probes = self._probe(request, inventory) if request.probe else None
        if probes == []:
            notes.append("--probe found no host to probe in the settings or the code")

        report = Report(
            tool_version=__version__,
            generated_at=self.clock().strftime("%Y-%m-%dT%H:%M:%SZ"),
            root=inventory.root,
            files=list(inventory.files),
            findings=list(result.findings),
            gates=list(result.gates),
            catalog=list(result.catalog),
            problems=list(inventory.problems),
            deliverables=deliverables,
            probes=probes,
            notes=notes,
            resource_locations={r.address: r.location for r in inventory.resources},
        )
        self._say("writing " + ", ".join(request.formats))
        written = write_outputs(report, request.out_dir, request.formats)
        logger.info(
            "review of %d files: %d findings, %d unreadable, exit code %d",
            len(report.files),
            len(report.findings),
            len(report.problems),
            report.exit_code,
        )
        return ReviewOutcome(report, written)

    def _probe(self, request: ReviewRequest, inventory: Inventory) -> list[ProbeResult]:
        if self.prober is None:
            return []
        targets = request.probe_targets
        if targets is None:
            targets = plan_targets(request.settings, inventory)
        self._say(f"probing {len(targets)} host(s)")
        return self.prober.run(targets)

    def _say(self, message: str) -> None:
        if self.progress is not None:
            self.progress.stage(message)
