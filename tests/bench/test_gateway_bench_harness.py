"""The gateway benchmark's parts work: no timings are asserted here, only behaviour."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from bench.gateway import canned, nginx, passthrough, report, wrk
from bench.gateway.processes import ChildProcesses, free_port, wait_until_listening
from bench.gateway.procfs import cpu_seconds, resident_kib, wait_until_idle
from bench.gateway.results import (
    LITELLM,
    LOCKGATE,
    NGINX,
    PASSTHROUGH,
    BenchResults,
    Machine,
    MemoryFigures,
    checks,
)
from bench.gateway.ttfb import measure_first_chunks, rotated

WRK_AT_32_CONNECTIONS = """\
Running 4s test @ http://127.0.0.1:33809/v1/chat/completions
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     5.48ms    1.64ms  29.09ms   94.60%
    Req/Sec     2.98k   280.58     3.61k    67.50%
  Latency Distribution
     50%    5.18ms
     75%    5.51ms
     90%    6.28ms
     99%   16.35ms
  23710 requests in 4.00s, 9.70MB read
Requests/sec:   5920.43
Transfer/sec:      2.42MB
"""

WRK_WITH_FAILURES = """\
Running 10s test @ http://127.0.0.1:40000/v1/chat/completions
  1 threads and 1 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   306.00us  344.43us   1.20s    96.21%
    Req/Sec     3.33k     1.29k    5.77k    75.00%
  Latency Distribution
     50%  306.00us
     75%  396.00us
     90%  447.00us
     99%    1.20s
  13255 requests in 1.00m, 5.42MB read
  Socket errors: connect 1, read 2, write 3, timeout 4
  Non-2xx or 3xx responses: 17
Requests/sec:    220.92
Transfer/sec:      1.36MB
"""


def test_wrk_report_gives_requests_per_second_and_percentiles() -> None:
    result = wrk.parse_wrk_report(WRK_AT_32_CONNECTIONS)

    assert result.requests == 23710
    assert result.duration_s == 4.0
    assert result.requests_per_s == 5920.43
    assert result.p50_ms == pytest.approx(5.18)
    assert result.p99_ms == pytest.approx(16.35)
    assert (result.socket_errors, result.non_2xx) == (0, 0)
    assert result.clean


def test_wrk_report_counts_socket_errors_and_non_2xx_answers() -> None:
    result = wrk.parse_wrk_report(WRK_WITH_FAILURES)

    assert result.p50_ms == pytest.approx(0.306)
    assert result.p99_ms == pytest.approx(1200.0)
    assert result.duration_s == pytest.approx(60.0)
    assert result.socket_errors == 10
    assert result.non_2xx == 17
    assert not result.clean


def test_wrk_report_without_latency_distribution_is_refused() -> None:
    without = WRK_AT_32_CONNECTIONS.replace("     50%    5.18ms\n", "")

    with pytest.raises(ValueError, match="'50%'"):
        wrk.parse_wrk_report(without)


def test_counted_wrk_output_gives_the_count_it_reached() -> None:
    reached = "Running 2m test @ http://x\n  1 threads\ncounted 2xx answers: 90000\n"

    assert wrk.parse_counted_output(reached) == 90000
    assert wrk.parse_counted_output(WRK_WITH_FAILURES) == 13255 - 17


def test_wrk_scripts_post_the_request_body() -> None:
    body = canned.chat_request()

    assert wrk.post_script(body) == (
        'wrk.method = "POST"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
        f"wrk.body = [[{body.decode()}]]\n"
    )
    assert "local remaining = 250\n" in wrk.counted_post_script(body, 250)


@pytest.fixture
def static_upstream(tmp_path: Path) -> Iterator[str]:
    """The benchmark's real nginx upstream, on a free loopback port."""
    with ChildProcesses(tmp_path) as children:
        port = free_port()
        config = nginx.write_nginx_config(tmp_path, port)
        process = children.start("nginx", nginx.nginx_command(tmp_path, config))
        wait_until_listening(port, process, 10, "nginx")
        yield f"http://127.0.0.1:{port}"


async def test_nginx_serves_the_canned_completion_and_stream(
    static_upstream: str,
) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.post(
            static_upstream + canned.CHAT_PATH, data=canned.chat_request()
        ) as answer:
            assert answer.status == 200
            assert answer.content_type == "application/json"
            assert await answer.read() == canned.chat_completion()

        async with session.post(
            static_upstream + canned.STREAM_PATH, data=canned.chat_request()
        ) as stream:
            assert stream.content_type == "text/event-stream"
            assert await stream.read() == canned.chat_stream()

        async with session.get(static_upstream + "/v1/models") as models:
            assert await models.json() == {
                "object": "list",
                "data": [
                    {"id": "bench-model", "object": "model"},
                    {"id": "bench-model-stream", "object": "model"},
                ],
            }


def test_counted_wrk_run_stops_at_the_count(
    static_upstream: str, tmp_path: Path
) -> None:
    script = tmp_path / "counted.lua"
    script.write_text(wrk.counted_post_script(canned.chat_request(), 3000))
    command = wrk.wrk_command(static_upstream + canned.CHAT_PATH, script, 8, 1, 30)

    assert wrk.run_counted_wrk(command, 30) == 3000


def test_wrk_run_reads_a_real_report(static_upstream: str, tmp_path: Path) -> None:
    script = tmp_path / "post.lua"
    script.write_text(wrk.post_script(canned.chat_request()))
    command = wrk.wrk_command(static_upstream + canned.CHAT_PATH, script, 2, 1, 1)

    result = wrk.run_wrk(command, 1)

    assert result.clean
    assert result.requests > 0
    assert 0 < result.p50_ms <= result.p99_ms


@pytest.fixture
async def echo_upstream() -> AsyncIterator[tuple[str, list[str]]]:
    """An upstream that answers 201 with the body it got, or streams the canned SSE."""
    paths: list[str] = []

    async def answer(request: web.Request) -> web.StreamResponse:
        paths.append(request.path_qs)
        if request.path.startswith("/stream/"):
            return await _stream_canned(request)
        body = await request.read()
        return web.Response(status=201, body=body, content_type="application/json")

    app = web.Application()
    app.router.add_post("/{tail:.*}", answer)
    async with _serving(app) as base_url:
        yield base_url, paths


async def _stream_canned(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse()
    response.content_type = "text/event-stream"
    await response.prepare(request)
    for event in canned.chat_stream().split(b"\n\n")[:-1]:
        await response.write(event + b"\n\n")
    await response.write_eof()
    return response


@pytest.fixture
async def proxied(echo_upstream: tuple[str, list[str]]) -> AsyncIterator[str]:
    async with _serving(passthrough.create_app(echo_upstream[0])) as base_url:
        yield base_url


async def test_passthrough_forwards_path_body_and_status(
    proxied: str, echo_upstream: tuple[str, list[str]]
) -> None:
    body = canned.chat_request()

    url = proxied + "/v1/chat/completions?x=1"
    async with aiohttp.ClientSession() as session, session.post(url, data=body) as got:
        assert got.status == 201
        assert got.content_type == "application/json"
        assert await got.read() == body

    assert echo_upstream[1] == ["/v1/chat/completions?x=1"]


async def test_passthrough_streams_what_the_upstream_streams(proxied: str) -> None:
    request = canned.chat_request(canned.STREAM_MODEL, stream=True)

    url = proxied + canned.STREAM_PATH
    async with aiohttp.ClientSession() as s, s.post(url, data=request) as got:
        assert got.content_type == "text/event-stream"
        assert await got.read() == canned.chat_stream()


async def test_first_chunk_client_times_every_request_to_every_target(
    proxied: str, echo_upstream: tuple[str, list[str]]
) -> None:
    request = canned.chat_request(canned.STREAM_MODEL, stream=True)
    urls = {
        "direct": echo_upstream[0] + canned.STREAM_PATH,
        "proxied": proxied + canned.STREAM_PATH,
    }

    times = await measure_first_chunks(urls, request, 7, 2)

    assert sorted(times) == ["direct", "proxied"]
    assert [len(t.samples_ms) for t in times.values()] == [7, 7]
    assert all(sample > 0 for t in times.values() for sample in t.samples_ms)
    assert echo_upstream[1] == [canned.STREAM_PATH] * 18


def test_turns_rotate_the_order_of_targets() -> None:
    names = ["nginx", "passthrough", "lockgate"]

    assert [rotated(names, turn) for turn in range(4)] == [
        ["nginx", "passthrough", "lockgate"],
        ["passthrough", "lockgate", "nginx"],
        ["lockgate", "nginx", "passthrough"],
        ["nginx", "passthrough", "lockgate"],
    ]


def test_rounds_combine_into_one_result() -> None:
    rounds = [
        wrk.WrkResult(1000, 2.0, 500.0, 1.0, 9.0, 0, 0),
        wrk.WrkResult(3000, 2.0, 1500.0, 3.0, 5.0, 1, 0),
        wrk.WrkResult(2000, 1.0, 2000.0, 2.0, 7.0, 0, 4),
    ]

    assert wrk.combine_rounds(rounds) == wrk.WrkResult(
        requests=6000,
        duration_s=5.0,
        requests_per_s=1200.0,
        p50_ms=2.0,
        p99_ms=7.0,
        socket_errors=1,
        non_2xx=4,
    )


def test_resident_memory_counts_the_whole_process_tree() -> None:
    command = ["sh", "-c", "sleep 30 & echo $!; wait"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as shell:
        assert shell.stdout is not None
        sleeper = int(shell.stdout.readline())
        try:
            _wait_until_running(sleeper, "sleep")
            tree = resident_kib(shell.pid)
            parts = _vmrss_kib(shell.pid) + _vmrss_kib(sleeper)
        finally:
            os.kill(sleeper, signal.SIGTERM)
            shell.wait(timeout=10)

    assert tree == parts


def _wait_until_running(pid: int, program: str) -> None:
    deadline = time.monotonic() + 10
    while Path(f"/proc/{pid}/comm").read_text().strip() != program:
        assert time.monotonic() < deadline, f"{pid} never became {program}"
        time.sleep(0.01)
    time.sleep(0.1)


def test_cpu_time_grows_while_a_process_works() -> None:
    before = cpu_seconds(os.getpid())

    deadline = time.monotonic() + 10
    while cpu_seconds(os.getpid()) < before + 0.05:
        assert time.monotonic() < deadline, "CPU time did not grow in 10 s"
        sum(range(10_000))

    assert cpu_seconds(os.getpid()) >= before + 0.05


def test_an_idle_process_is_seen_idle() -> None:
    with subprocess.Popen(["sleep", "30"]) as sleeper:
        try:
            _wait_until_running(sleeper.pid, "sleep")
            idle = wait_until_idle(sleeper.pid, limit_s=5)
        finally:
            sleeper.kill()

    assert idle


def _vmrss_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    line = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
    return int(line.split()[1])


@contextlib.asynccontextmanager
async def _serving(app: web.Application) -> AsyncIterator[str]:
    """Serve an aiohttp app on a free loopback port inside ``async with``."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


def _run(rps: float, p50_ms: float, non_2xx: int = 0) -> wrk.WrkResult:
    return wrk.WrkResult(1000, 10.0, rps, p50_ms, p50_ms * 3, 0, non_2xx)


def _results() -> BenchResults:
    machine = Machine(2, "Test CPU", "6.1", "0.00 0.00 0.00", {"wrk": "4.1.0"})
    return BenchResults(
        date="2026-12-03 17:00 UTC",
        command=".venv/bin/python bench/run_gateway_bench.py",
        machine=machine,
        duration_s=200.0,
        load={
            NGINX: {1: _run(20000, 0.05), 32: _run(100000, 0.2)},
            PASSTHROUGH: {1: _run(2000, 0.70), 32: _run(2000, 10.0)},
            LOCKGATE: {1: _run(1500, 1.20), 32: _run(1400, 15.0)},
            LITELLM: {1: _run(47, 23.0), 32: _run(56, 500.0)},
        },
        cpu_us={LOCKGATE: {32: 412.4}, PASSTHROUGH: {32: 300.0}},
        memory=MemoryFigures(
            ((10_000, 100_000), (55_000, 104_000), (100_000, 105_000))
        ),
    )


def test_checks_hold_lockgate_to_each_target_at_its_boundary() -> None:
    verdicts = {check.name: check.passed for check in checks(_results())}

    assert verdicts == {
        "throughput at 32 connections vs the pass-through": True,
        "throughput at 32 connections vs LiteLLM": True,
        "added p50 latency at 1 connection vs the pass-through": True,
        "added p50 time to first streamed chunk vs nginx direct": None,
        "resident memory growth, first 10,000 to 100,000 requests": True,
    }


def test_checks_fail_when_a_target_is_missed_or_answers_with_errors() -> None:
    figures = _results()
    figures.load[LOCKGATE] = {1: _run(1500, 1.21), 32: _run(1399, 15.0, non_2xx=1)}
    figures.memory = MemoryFigures(((10_000, 100_000), (100_000, 105_001)))

    verdicts = [check.passed for check in checks(figures)]

    assert verdicts == [False, False, False, None, False]


def test_report_names_every_target_and_the_command() -> None:
    text = report.render(_results())

    assert "    .venv/bin/python bench/run_gateway_bench.py" in text
    assert "| lockgate | 32 | 1,400 | 15.000 | 45.000 | 412 | 1,000 | 0 |" in text
    assert "| lockgate | 1 | 1,500 | 1.200 | 3.600 | - | 1,000 | 0 |" in text
    assert (
        "| throughput at 32 connections vs LiteLLM | >= 25x "
        "| 25.0x (1,400 / 56 r/s) | PASS |"
    ) in text
    assert "| NOT RUN |" in text
    assert (
        "At 32 connections lockgate used 412 µs of CPU per request and the "
        "pass-through 300 µs. Were the gateway's own CPU the only limit, its "
        "throughput would be 73% of the pass-through's; here wrk and nginx share "
        "the cores too, so the measured ratio differs from that."
    ) in text
    assert (
        "lockgate's resident memory (requests answered so far): 100,000 KiB after "
        "10,000, 104,000 KiB after 55,000, 105,000 KiB after 100,000; +5.0% from "
        "the first sample to the last."
    ) in text


def test_document_update_replaces_only_the_gateway_section(tmp_path: Path) -> None:
    document = tmp_path / "performance.md"
    document.write_text(
        "# Performance\n\n"
        f"{report.START_MARKER}\nold figures\n{report.END_MARKER}\n\n"
        "## Readiness review\n\nTheir section.\n"
    )

    report.update_document(document, "new figures\n")

    assert document.read_text() == (
        "# Performance\n\n"
        f"{report.START_MARKER}\nnew figures\n{report.END_MARKER}\n\n"
        "## Readiness review\n\nTheir section.\n"
    )


def test_document_update_appends_the_section_when_it_is_missing(
    tmp_path: Path,
) -> None:
    document = tmp_path / "performance.md"
    document.write_text("# Performance\n\n## Readiness review\n\nTheirs.\n")

    report.update_document(document, "figures\n")

    assert document.read_text() == (
        "# Performance\n\n## Readiness review\n\nTheirs.\n\n"
        f"{report.START_MARKER}\nfigures\n{report.END_MARKER}\n"
    )
