"""Load from wrk (Debian's package): the Lua scripts, the run, and reading its report.

wrk is run with ``--latency`` so that its report carries the latency distribution;
``parse_wrk_report`` reads requests per second, p50, p99, the request count and any
errors from that text. A run with errors or non-2xx answers is kept but marked, so a
fast stream of failures is never mistaken for throughput.
"""

from __future__ import annotations

import re
import statistics
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

WRK_BINARY = "/usr/bin/wrk"

_POST_SCRIPT = """\
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{body}]]
"""

# wrk has no request count, and a thread that stops itself still waits out the
# duration; so, with one thread, the script counts 2xx answers and ends wrk at once
# when it has them, saying how many on the way out.
_COUNTED_POST_SCRIPT = (
    _POST_SCRIPT
    + """\
local remaining = {requests}
function response(status, headers, body)
    if status >= 200 and status < 300 then
        remaining = remaining - 1
        if remaining == 0 then
            io.write("counted 2xx answers: {requests}\\n")
            os.exit(0)
        end
    end
end
"""
)
_COUNTED_LINE = re.compile(r"^counted 2xx answers: (\d+)$", re.MULTILINE)

_UNIT_SECONDS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_TIME = r"([\d.]+)(us|ms|s|m|h)"


@dataclass(frozen=True)
class WrkResult:
    """What one wrk run measured."""

    requests: int
    duration_s: float
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    socket_errors: int
    non_2xx: int

    @property
    def clean(self) -> bool:
        """True when every request got a 2xx answer without a socket error."""
        return self.socket_errors == 0 and self.non_2xx == 0


def combine_rounds(rounds: Sequence[WrkResult]) -> WrkResult:
    """One result from several rounds against the same target.

    Requests per second is all requests over all the time; p50 and p99 are the
    medians of the rounds' own p50 and p99 (wrk does not give the raw latencies that
    would let the distributions be merged exactly).
    """
    requests = sum(run.requests for run in rounds)
    duration_s = sum(run.duration_s for run in rounds)
    return WrkResult(
        requests=requests,
        duration_s=duration_s,
        requests_per_s=requests / duration_s,
        p50_ms=statistics.median(run.p50_ms for run in rounds),
        p99_ms=statistics.median(run.p99_ms for run in rounds),
        socket_errors=sum(run.socket_errors for run in rounds),
        non_2xx=sum(run.non_2xx for run in rounds),
    )


def post_script(body: bytes) -> str:
    """A wrk Lua script that POSTs ``body`` as JSON on every request."""
    return _POST_SCRIPT.format(body=_lua_long_string(body))


def counted_post_script(body: bytes, requests: int) -> str:
    """Like ``post_script``, but ends wrk once ``requests`` 2xx answers arrived.

    Run it with one wrk thread: each thread counts on its own.
    """
    return _COUNTED_POST_SCRIPT.format(body=_lua_long_string(body), requests=requests)


def wrk_command(
    url: str,
    script: Path,
    connections: int,
    threads: int,
    duration_s: float,
    timeout_s: float = 10.0,
) -> list[str]:
    """The wrk command line for one run."""
    return [
        WRK_BINARY,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(duration_s))}s",
        f"--timeout={timeout_s:.0f}s",
        "--latency",
        "-s",
        str(script),
        url,
    ]


def run_wrk(command: list[str], duration_s: float) -> WrkResult:
    """Run wrk to completion and return what it measured."""
    completed = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=duration_s + 30,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"wrk exited with status {completed.returncode}: {completed.stderr.strip()}"
        )
    return parse_wrk_report(completed.stdout)


def run_counted_wrk(command: list[str], limit_s: float) -> int:
    """Run wrk with a counted script; return how many 2xx answers it saw.

    The count is the one asked for when wrk got there within ``limit_s``; otherwise
    it is what wrk's report says it got in that time.
    """
    completed = subprocess.run(
        command, capture_output=True, text=True, timeout=limit_s + 30, check=False
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"wrk exited with status {completed.returncode}: {completed.stderr.strip()}"
        )
    return parse_counted_output(completed.stdout)


def parse_counted_output(output: str) -> int:
    """The 2xx answers a counted wrk run saw, from what it printed."""
    counted = _COUNTED_LINE.search(output)
    if counted is not None:
        return int(counted.group(1))
    report = parse_wrk_report(output)
    return report.requests - report.non_2xx


def parse_wrk_report(report: str) -> WrkResult:
    """Read the figures out of the text wrk prints with ``--latency``."""
    total = _search(r"^\s*(\d+) requests in " + _TIME, report, "request count")
    return WrkResult(
        requests=int(total.group(1)),
        duration_s=float(total.group(2)) * _UNIT_SECONDS[total.group(3)],
        requests_per_s=float(
            _search(r"^Requests/sec:\s+([\d.]+)", report, "").group(1)
        ),
        p50_ms=_percentile_ms(report, "50%"),
        p99_ms=_percentile_ms(report, "99%"),
        socket_errors=_socket_errors(report),
        non_2xx=_non_2xx(report),
    )


def _percentile_ms(report: str, label: str) -> float:
    match = _search(r"^\s*" + re.escape(label) + r"\s+" + _TIME, report, label)
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2)] * 1000.0


def _socket_errors(report: str) -> int:
    match = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", report
    )
    if match is None:
        return 0
    return sum(int(group) for group in match.groups())


def _non_2xx(report: str) -> int:
    match = re.search(r"Non-2xx or 3xx responses: (\d+)", report)
    return int(match.group(1)) if match else 0


def _search(pattern: str, report: str, what: str) -> re.Match[str]:
    match = re.search(pattern, report, re.MULTILINE)
    if match is None:
        raise ValueError(
            f"wrk report has no {what or pattern!r} line; was wrk run with --latency? "
            f"Report begins: {report[:200]!r}"
        )
    return match


def _lua_long_string(body: bytes) -> str:
    text = body.decode("utf-8")
    if "]]" in text:
        raise ValueError(
            "request body contains ']]', which ends a Lua long string; "
            "change the body in bench/gateway/canned.py"
        )
    return text
