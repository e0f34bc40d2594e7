"""One benchmark run: start the targets, drive them in turns, keep the figures.

All four targets run side by side and are measured in rounds, the order turning each
round, so that anything else busy on the machine weighs on all of them alike. After
each wrk run the benchmark waits until the target is idle again, so that work it is
still finishing never lands in the next target's time; an idle target costs next to
nothing meanwhile. lockgate's memory is then measured on a fresh process. Every
child is stopped when the run ends, whether it ends well or not.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.gateway import canned, nginx, targets
from bench.gateway.machine import describe_machine, load_average
from bench.gateway.processes import ChildProcesses, free_port, wait_until_listening
from bench.gateway.procfs import cpu_seconds, resident_kib, wait_until_idle
from bench.gateway.results import (
    LITELLM,
    LOCKGATE,
    NGINX,
    PASSTHROUGH,
    BenchResults,
    MemoryFigures,
)
from bench.gateway.ttfb import first_chunk_times, rotated
from bench.gateway.wrk import (
    WrkResult,
    combine_rounds,
    counted_post_script,
    post_script,
    run_counted_wrk,
    run_wrk,
    wrk_command,
)

_LOAD_PLAN = ((1, 1), (32, 2))  # (connections, wrk threads)
_MEMORY_CONNECTIONS = 32


@dataclass(frozen=True)
class BenchOptions:
    """How long and how hard to drive each target."""

    duration_s: float = 10.0
    rounds: int = 5
    warmup_s: float = 2.0
    stream_requests: int = 300
    stream_warmup: int = 30
    memory_checkpoints: tuple[int, ...] = (10_000, 25_000, 50_000, 75_000, 100_000)
    memory_time_limit_s: float = 180.0
    start_timeout_s: float = 120.0
    litellm: bool = True


@dataclass(frozen=True)
class _Endpoint:
    pid: int
    chat_url: str
    stream_url: str | None


def run_benchmark(options: BenchOptions, command: str, work_dir: Path) -> BenchResults:
    """Measure every target that can run here and return the figures."""
    started = time.monotonic()
    lockgate_ready = targets.lockgate_can_serve()
    if options.litellm:
        targets.ensure_litellm_venv()
    litellm_version = targets.litellm_version() if options.litellm else None

    results = BenchResults(
        date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        command=command,
        machine=describe_machine(litellm_version),
        duration_s=0.0,
    )
    try:
        with ChildProcesses(work_dir) as children:
            run = _Run(options, work_dir, children, results)
            run.measure_all(lockgate_ready)
    finally:
        # lockgate's ledgers grow by tens of megabytes a run; the logs are kept.
        for ledger in work_dir.glob("*-ledger.sqlite3*"):
            ledger.unlink()

    results.duration_s = time.monotonic() - started
    results.machine = dataclasses.replace(
        results.machine, load_average_after=load_average()
    )
    return results


class _Run:
    def __init__(
        self,
        options: BenchOptions,
        work_dir: Path,
        children: ChildProcesses,
        results: BenchResults,
    ) -> None:
        self._options = options
        self._dir = work_dir
        self._children = children
        self._results = results
        self._script = work_dir / "post.lua"
        self._script.write_text(post_script(canned.chat_request()), encoding="utf-8")
        self._stream_body = canned.chat_request(canned.STREAM_MODEL, stream=True)
        self._upstream_port = 0

    def measure_all(self, lockgate_ready: bool) -> None:
        endpoints = {NGINX: self._start_nginx()}
        endpoints[PASSTHROUGH] = self._start_passthrough()
        if lockgate_ready:
            self._optional(LOCKGATE, lambda: self._add_lockgate(endpoints))
        else:
            self._note("lockgate was not measured: `lockgate serve --help` failed.")
        if self._options.litellm:
            self._optional(LITELLM, lambda: self._add_litellm(endpoints))
        else:
            self._note("LiteLLM was not measured: the run was started without it.")

        self._load(endpoints)
        self._first_chunks(endpoints)
        self._stop_all_but_nginx(endpoints)

        if LOCKGATE in endpoints:
            self._optional(LOCKGATE, self._measure_lockgate_memory)

    def _optional(self, name: str, measure: Callable[[], None]) -> None:
        # A target that fails to start or to answer is reported as not measured,
        # with the reason, and the run goes on with the others.
        try:
            measure()
        except RuntimeError as error:
            self._note(f"{name} was not measured: {error}.")

    def _first_chunks(self, endpoints: dict[str, _Endpoint]) -> None:
        urls = {
            name: endpoint.stream_url
            for name, endpoint in endpoints.items()
            if endpoint.stream_url is not None
        }
        times = first_chunk_times(
            urls,
            self._stream_body,
            self._options.stream_requests,
            self._options.stream_warmup,
        )
        self._results.first_chunk.update(times)
        for name, chunk in times.items():
            print(
                f"  {name:<12} first chunk p50 {chunk.p50_ms:.3f} ms  "
                f"p99 {chunk.p99_ms:.3f} ms"
            )

    def _start_nginx(self) -> _Endpoint:
        port = free_port()
        self._upstream_port = port
        config = nginx.write_nginx_config(self._dir, port)
        process = self._children.start("nginx", nginx.nginx_command(self._dir, config))
        wait_until_listening(port, process, 10, "nginx")
        base = f"http://127.0.0.1:{port}"
        return _Endpoint(
            process.pid, base + canned.CHAT_PATH, base + canned.STREAM_PATH
        )

    def _start_passthrough(self) -> _Endpoint:
        port = free_port()
        command = targets.passthrough_command(port, self._upstream_port)
        process = self._start(PASSTHROUGH, command, port, cwd=targets.REPO_ROOT)
        base = f"http://127.0.0.1:{port}"
        return _Endpoint(
            process.pid, base + canned.CHAT_PATH, base + canned.STREAM_PATH
        )

    def _add_lockgate(self, endpoints: dict[str, _Endpoint]) -> None:
        port, process = self._start_lockgate(LOCKGATE)
        url = f"http://127.0.0.1:{port}{canned.CHAT_PATH}"
        endpoints[LOCKGATE] = _Endpoint(process.pid, url, url)

    def _add_litellm(self, endpoints: dict[str, _Endpoint]) -> None:
        port = free_port()
        config = self._dir / "litellm.yaml"
        config.write_text(targets.litellm_config(self._upstream_port), "utf-8")
        command = targets.litellm_command(config, port)
        process = self._start(LITELLM, command, port, env=targets.litellm_env())
        url = f"http://127.0.0.1:{port}{canned.CHAT_PATH}"
        endpoints[LITELLM] = _Endpoint(process.pid, url, None)

    def _stop_all_but_nginx(self, endpoints: dict[str, _Endpoint]) -> None:
        for name, endpoint in endpoints.items():
            if name != NGINX:
                self._children.stop_pid(endpoint.pid)

    def _measure_lockgate_memory(self) -> None:
        port, process = self._start_lockgate("lockgate-memory")
        url = f"http://127.0.0.1:{port}{canned.CHAT_PATH}"
        deadline = time.monotonic() + self._options.memory_time_limit_s

        samples: list[tuple[int, int]] = []
        answered = 0
        for checkpoint in self._options.memory_checkpoints:
            limit = deadline - time.monotonic()
            if limit < 1:
                self._note(f"memory: stopped at {answered:,} requests, out of time.")
                break
            answered += self._counted_load(url, checkpoint - answered, limit)
            samples.append((answered, resident_kib(process.pid)))
            print(f"  memory: {samples[-1][1]:,} KiB after {answered:,} requests")
        self._children.stop(process)

        self._results.memory = MemoryFigures(tuple(samples))

    def _start_lockgate(self, name: str) -> tuple[int, subprocess.Popen[bytes]]:
        port = free_port()
        config = self._dir / f"{name}.yaml"
        ledger = self._dir / f"{name}-ledger.sqlite3"
        text = targets.lockgate_config(port, self._upstream_port, ledger)
        config.write_text(text, encoding="utf-8")
        command = targets.lockgate_command(config)
        return port, self._start(name, command, port)

    def _start(
        self,
        name: str,
        command: list[str],
        port: int,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
    ) -> subprocess.Popen[bytes]:
        print(f"starting {name} on 127.0.0.1:{port}")
        process = self._children.start(name, command, env=env, cwd=cwd or self._dir)
        wait_until_listening(port, process, self._options.start_timeout_s, name)
        return process

    def _load(self, endpoints: dict[str, _Endpoint]) -> None:
        for endpoint in endpoints.values():
            self._wrk(endpoint, 32, 2, self._options.warmup_s)

        for connections, threads in _LOAD_PLAN:
            for name, run in self._rounds(endpoints, connections, threads).items():
                self._results.load.setdefault(name, {})[connections] = run
                _print_load(name, connections, run, self._results.cpu_us[name])

    def _rounds(
        self, endpoints: dict[str, _Endpoint], connections: int, threads: int
    ) -> dict[str, WrkResult]:
        seconds = self._options.duration_s / self._options.rounds
        rounds: dict[str, list[WrkResult]] = {name: [] for name in endpoints}
        cpu: dict[str, float] = dict.fromkeys(endpoints, 0.0)
        for turn in range(self._options.rounds):
            for name in rotated(list(endpoints), turn):
                before = cpu_seconds(endpoints[name].pid)
                run = self._wrk(endpoints[name], connections, threads, seconds)
                cpu[name] += cpu_seconds(endpoints[name].pid) - before
                rounds[name].append(run)

        combined = {name: combine_rounds(runs) for name, runs in rounds.items()}
        for name, run in combined.items():
            per_request_us = cpu[name] / run.requests * 1e6 if run.requests else 0.0
            self._results.cpu_us.setdefault(name, {})[connections] = per_request_us
        return combined

    def _counted_load(self, url: str, requests: int, limit_s: float) -> int:
        script = self._dir / f"counted-{requests}.lua"
        text = counted_post_script(canned.chat_request(), requests)
        script.write_text(text, encoding="utf-8")
        command = wrk_command(url, script, _MEMORY_CONNECTIONS, 1, limit_s)
        return run_counted_wrk(command, limit_s)

    def _wrk(
        self, endpoint: _Endpoint, connections: int, threads: int, seconds: float
    ) -> WrkResult:
        command = wrk_command(
            endpoint.chat_url, self._script, connections, threads, seconds
        )
        result = run_wrk(command, seconds)
        if not wait_until_idle(endpoint.pid):
            self._note(f"target {endpoint.chat_url} stayed busy after a wrk run.")
        return result

    def _note(self, text: str) -> None:
        print(text, file=sys.stderr)
        self._results.notes.append(text)


def _print_load(
    name: str, connections: int, run: WrkResult, cpu_us: dict[int, float]
) -> None:
    errors = run.socket_errors + run.non_2xx
    print(
        f"  {name:<12} c={connections:<3} {run.requests_per_s:>10,.0f} r/s  "
        f"p50 {run.p50_ms:8.3f} ms  p99 {run.p99_ms:8.3f} ms  "
        f"cpu {cpu_us[connections]:7.0f} us/req  errors {errors}"
    )
