"""The benchmark's report as Markdown, and its section of docs/performance.md.

The same text is printed and written into the document, between the gateway
benchmark's own markers; everything outside the markers, such as other sections
written by other tools or by hand, is left exactly as it was.
"""

from __future__ import annotations

from pathlib import Path

from bench.gateway.results import (
    CONNECTIONS,
    LABELS,
    LOCKGATE,
    NGINX,
    PASSTHROUGH,
    BenchResults,
    Check,
    checks,
)

START_MARKER = "<!-- gateway-bench:start -->"
END_MARKER = "<!-- gateway-bench:end -->"

_HOW = """\
How it is measured. One command starts everything on 127.0.0.1, on free ports, and
stops it all at the end: nginx from Debian's packages (one worker) answers with a
canned chat completion or a canned event stream; the bare pass-through
(`bench/gateway/passthrough.py`, aiohttp on uvloop, one shared pooled client
session) forwards each request to it; lockgate runs `lockgate serve` with
`bench/gateway/lockgate.yaml`; LiteLLM's proxy runs from its own virtual
environment (`bench/.venv-litellm`) with one worker, no database, no master key and
its offline switches on. wrk posts the same small chat request to every target, at
1 connection (1 thread) and at 32 connections (2 threads), after a 2 s warm-up at 32
connections. All four run side by side and are measured in rounds of equal
length, the order turning each round, so that other work on the machine weighs on
each alike; after each wrk run the next waits until the last target is idle again,
so that work it is still finishing stays out of the next measurement. Requests/s is
all requests over all rounds' time; p50 and p99 are the medians of the rounds'
values from wrk's `--latency` distribution. CPU per request is the user and system
time of the target's processes over its runs, divided by its requests; it moves
little with other work on the machine. Time to first chunk is taken by a small
aiohttp client sending streaming requests in turns to each target, one connection
per target. Memory is the resident set of a fresh lockgate process (and any
children) at checkpoints of a run driven by wrk at 32 connections. wrk and the
targets share the machine's cores with anything else running on it: read the
ratios, which come from one run, rather than the absolute figures."""


def render(results: BenchResults) -> str:
    """The whole report, Markdown, without the markers."""
    parts = [
        "## Gateway: throughput, latency, streaming and memory",
        _provenance(results),
        _load_table(results),
        _cpu_comparison(results),
        _checks_table(checks(results)),
        _first_chunk_table(results),
        _memory_lines(results),
        *results.notes,
        _HOW,
    ]
    return "\n\n".join(part for part in parts if part) + "\n"


def update_document(path: Path, section: str) -> None:
    """Put ``section`` between the markers in ``path``, leaving the rest unchanged."""
    block = f"{START_MARKER}\n{section}{END_MARKER}"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"

    start = text.find(START_MARKER)
    end = text.find(END_MARKER)
    if start == -1 or end == -1 or end < start:
        updated = text.rstrip("\n") + "\n\n" + block + "\n"
    else:
        updated = text[:start] + block + text[end + len(END_MARKER) :]

    path.write_text(updated, encoding="utf-8")


def _provenance(results: BenchResults) -> str:
    machine = results.machine
    versions = ", ".join(f"{name} {v}" for name, v in machine.versions.items())
    return (
        f"Measured {results.date} in one run of {results.duration_s:.0f} s on "
        f"{machine.cpus} CPUs ({machine.cpu_model}), Linux {machine.kernel}; load "
        f"average {machine.load_average} at the start and "
        f"{machine.load_average_after or 'unknown'} at the end; {versions}. "
        f"Command, from the repository root:\n\n    {results.command}"
    )


def _load_table(results: BenchResults) -> str:
    rows = [
        "| Target | Connections | Requests/s | p50 (ms) | p99 (ms) | CPU per request "
        "(µs) | Requests | Errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, by_connections in results.load.items():
        for connections in CONNECTIONS:
            run = by_connections.get(connections)
            if run is None:
                continue
            cpu_us = results.cpu_us.get(name, {}).get(connections)
            cpu_text = f"{cpu_us:,.0f}" if cpu_us is not None else "-"
            errors = run.socket_errors + run.non_2xx
            rows.append(
                f"| {LABELS[name]} | {connections} | {run.requests_per_s:,.0f} | "
                f"{run.p50_ms:.3f} | {run.p99_ms:.3f} | {cpu_text} | "
                f"{run.requests:,} | {errors} |"
            )
    return "\n".join(rows)


def _cpu_comparison(results: BenchResults) -> str:
    ours = results.cpu_us.get(LOCKGATE, {}).get(32)
    theirs = results.cpu_us.get(PASSTHROUGH, {}).get(32)
    if not ours or not theirs:
        return ""
    return (
        f"At 32 connections lockgate used {ours:,.0f} µs of CPU per request and the "
        f"pass-through {theirs:,.0f} µs. Were the gateway's own CPU the only limit, "
        f"its throughput would be {theirs / ours:.0%} of the pass-through's; here wrk "
        "and nginx share the cores too, so the measured ratio differs from that."
    )


def _checks_table(all_checks: list[Check]) -> str:
    rows = [
        "| lockgate target | Required | Measured | Result |",
        "|---|---|---|---|",
    ]
    for check in all_checks:
        rows.append(
            f"| {check.name} | {check.required} | {check.measured} | "
            f"{_verdict(check.passed)} |"
        )
    return "\n".join(rows)


def _verdict(passed: bool | None) -> str:
    if passed is None:
        return "NOT RUN"
    return "PASS" if passed else "FAIL"


def _first_chunk_table(results: BenchResults) -> str:
    if not results.first_chunk:
        return ""
    count = len(next(iter(results.first_chunk.values())).samples_ms)
    rows = [
        f"Time to first streamed chunk, {count} sequential requests per path:",
        "",
        "| Path | p50 (ms) | p99 (ms) |",
        "|---|---:|---:|",
    ]
    for name in (NGINX, PASSTHROUGH, LOCKGATE):
        times = results.first_chunk.get(name)
        if times is not None:
            rows.append(f"| {LABELS[name]} | {times.p50_ms:.3f} | {times.p99_ms:.3f} |")
    return "\n".join(rows)


def _memory_lines(results: BenchResults) -> str:
    memory = results.memory
    if memory is None:
        return ""
    steps = ", ".join(
        f"{kib:,} KiB after {requests:,}" for requests, kib in memory.samples
    )
    return (
        f"lockgate's resident memory (requests answered so far): {steps}; "
        f"{memory.growth:+.1%} from the first sample to the last."
    )
