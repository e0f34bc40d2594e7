"""What one benchmark run measured, and the targets those figures are held to."""

from __future__ import annotations

from dataclasses import dataclass, field

from bench.gateway.ttfb import FirstChunkTimes
from bench.gateway.wrk import WrkResult

NGINX = "nginx"
PASSTHROUGH = "passthrough"
LOCKGATE = "lockgate"
LITELLM = "litellm"

LABELS = {
    NGINX: "nginx, the static upstream (direct)",
    PASSTHROUGH: "bare aiohttp pass-through",
    LOCKGATE: "lockgate",
    LITELLM: "LiteLLM proxy, one worker",
}

CONNECTIONS = (1, 32)

MIN_SHARE_OF_PASSTHROUGH = 0.70
MIN_MULTIPLE_OF_LITELLM = 25.0
MAX_ADDED_P50_MS = 0.5
MAX_ADDED_FIRST_CHUNK_MS = 1.0
MAX_MEMORY_GROWTH = 0.05


@dataclass(frozen=True)
class MemoryFigures:
    """lockgate's resident memory after each checkpoint of one long run.

    ``samples`` holds (requests answered so far, resident KiB) pairs in order.
    """

    samples: tuple[tuple[int, int], ...]

    @property
    def first_requests(self) -> int:
        return self.samples[0][0]

    @property
    def first_kib(self) -> int:
        return self.samples[0][1]

    @property
    def total_requests(self) -> int:
        return self.samples[-1][0]

    @property
    def last_kib(self) -> int:
        return self.samples[-1][1]

    @property
    def growth(self) -> float:
        return (self.last_kib - self.first_kib) / self.first_kib


@dataclass(frozen=True)
class Machine:
    cpus: int
    cpu_model: str
    kernel: str
    load_average: str
    versions: dict[str, str]
    load_average_after: str = ""


@dataclass
class BenchResults:
    """Everything one run measured; a target that was not run is simply absent.

    ``cpu_us`` is the CPU time the target's processes used per request, in
    microseconds, by target and connection count: unlike requests/s it hardly moves
    when other work shares the machine.
    """

    date: str
    command: str
    machine: Machine
    duration_s: float
    load: dict[str, dict[int, WrkResult]] = field(default_factory=dict)
    cpu_us: dict[str, dict[int, float]] = field(default_factory=dict)
    first_chunk: dict[str, FirstChunkTimes] = field(default_factory=dict)
    memory: MemoryFigures | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Check:
    """One target: what is required, what was measured, and whether it held.

    ``passed`` is None when the figures it needs were not measured in this run.
    """

    name: str
    required: str
    measured: str
    passed: bool | None


def checks(results: BenchResults) -> list[Check]:
    """Every target of the requirement, judged on this run's figures."""
    return [
        _throughput_against_passthrough(results),
        _throughput_against_litellm(results),
        _added_latency(results),
        _added_first_chunk(results),
        _memory_growth(results),
    ]


def _throughput_against_passthrough(results: BenchResults) -> Check:
    name = "throughput at 32 connections vs the pass-through"
    required = f">= {MIN_SHARE_OF_PASSTHROUGH:.0%}"
    ours, theirs = _pair(results, LOCKGATE, PASSTHROUGH, 32)
    if ours is None or theirs is None:
        return Check(name, required, "not measured", None)

    share = ours.requests_per_s / theirs.requests_per_s
    measured = (
        f"{share:.1%} ({ours.requests_per_s:,.0f} / {theirs.requests_per_s:,.0f} r/s)"
    )
    passed = share >= MIN_SHARE_OF_PASSTHROUGH and ours.clean and theirs.clean
    return Check(name, required, measured, passed)


def _throughput_against_litellm(results: BenchResults) -> Check:
    name = "throughput at 32 connections vs LiteLLM"
    required = f">= {MIN_MULTIPLE_OF_LITELLM:.0f}x"
    ours, theirs = _pair(results, LOCKGATE, LITELLM, 32)
    if ours is None or theirs is None:
        return Check(name, required, "not measured", None)

    multiple = ours.requests_per_s / theirs.requests_per_s
    measured = (
        f"{multiple:.1f}x ({ours.requests_per_s:,.0f} / "
        f"{theirs.requests_per_s:,.0f} r/s)"
    )
    passed = multiple >= MIN_MULTIPLE_OF_LITELLM and ours.clean and theirs.clean
    return Check(name, required, measured, passed)


def _added_latency(results: BenchResults) -> Check:
    name = "added p50 latency at 1 connection vs the pass-through"
    required = f"<= {MAX_ADDED_P50_MS} ms"
    ours, theirs = _pair(results, LOCKGATE, PASSTHROUGH, 1)
    if ours is None or theirs is None:
        return Check(name, required, "not measured", None)

    added = ours.p50_ms - theirs.p50_ms
    measured = f"{added:+.3f} ms ({ours.p50_ms:.3f} - {theirs.p50_ms:.3f})"
    passed = added <= MAX_ADDED_P50_MS and ours.clean and theirs.clean
    return Check(name, required, measured, passed)


def _added_first_chunk(results: BenchResults) -> Check:
    name = "added p50 time to first streamed chunk vs nginx direct"
    required = f"<= {MAX_ADDED_FIRST_CHUNK_MS} ms"
    ours = results.first_chunk.get(LOCKGATE)
    direct = results.first_chunk.get(NGINX)
    if ours is None or direct is None:
        return Check(name, required, "not measured", None)

    added = ours.p50_ms - direct.p50_ms
    measured = f"{added:+.3f} ms ({ours.p50_ms:.3f} - {direct.p50_ms:.3f})"
    return Check(name, required, measured, added <= MAX_ADDED_FIRST_CHUNK_MS)


def _memory_growth(results: BenchResults) -> Check:
    name = "resident memory growth, first 10,000 to 100,000 requests"
    required = f"within {MAX_MEMORY_GROWTH:.0%}"
    memory = results.memory
    if memory is None:
        return Check(name, required, "not measured", None)

    measured = (
        f"{memory.growth:+.1%} ({memory.first_kib / 1024:.1f} MiB after "
        f"{memory.first_requests:,}, {memory.last_kib / 1024:.1f} MiB after "
        f"{memory.total_requests:,})"
    )
    complete = memory.total_requests >= 100_000 and memory.first_requests >= 10_000
    passed = abs(memory.growth) <= MAX_MEMORY_GROWTH and complete
    return Check(name, required, measured, passed)


def _pair(
    results: BenchResults, ours: str, theirs: str, connections: int
) -> tuple[WrkResult | None, WrkResult | None]:
    return (
        results.load.get(ours, {}).get(connections),
        results.load.get(theirs, {}).get(connections),
    )
