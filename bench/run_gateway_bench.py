"""Run the gateway benchmark: nginx, a bare pass-through, lockgate and LiteLLM.

From the repository root:

    .venv/bin/python bench/run_gateway_bench.py

It prints requests/s, p50 and p99 for each target at 1 and 32 connections, the
ratios against lockgate's targets, time to first streamed chunk and lockgate's
memory growth, then writes the same report into docs/performance.md between the
gateway benchmark's markers. Logs and generated configurations of the run are kept
in bench/results/. Everything listens on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from datetime import UTC, datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from bench.gateway.report import render, update_document  # noqa: E402
from bench.gateway.results import checks  # noqa: E402
from bench.gateway.runner import BenchOptions, run_benchmark  # noqa: E402

DOCUMENT = REPO_ROOT / "docs" / "performance.md"


def main() -> int:
    args = _parse_arguments()
    options = _options(args)
    work_dir = _work_dir()
    print(f"logs and configurations: {work_dir}")

    results = run_benchmark(options, _command_line(), work_dir)
    report = render(results)
    print()
    print(report)

    if args.no_docs or args.quick:
        print(f"{DOCUMENT} left unchanged (--no-docs or --quick).")
    elif any(check.passed is None for check in checks(results)):
        print(f"{DOCUMENT} left unchanged: not every target was measured.")
    else:
        update_document(DOCUMENT, report)
        print(f"wrote the gateway section of {DOCUMENT}")
    return 0


def _parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--duration", type=float, default=10.0, help="seconds per wrk run (10)"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="short runs and 20,000 requests for memory, to try the harness; "
        "never written to the docs",
    )
    parser.add_argument(
        "--no-litellm", action="store_true", help="leave LiteLLM out of the run"
    )
    parser.add_argument(
        "--no-docs", action="store_true", help="print only; leave the docs alone"
    )
    return parser.parse_args()


def _options(args: argparse.Namespace) -> BenchOptions:
    if args.quick:
        return BenchOptions(
            duration_s=3.0,
            rounds=3,
            warmup_s=1.0,
            stream_requests=100,
            memory_checkpoints=(2_000, 10_000, 20_000),
            litellm=not args.no_litellm,
        )
    return BenchOptions(duration_s=args.duration, litellm=not args.no_litellm)


def _work_dir() -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = REPO_ROOT / "bench" / "results" / f"gateway-{stamp}"
    path.mkdir(parents=True)
    return path


def _command_line() -> str:
    python = Path(sys.executable)
    shown = (
        python.relative_to(REPO_ROOT) if python.is_relative_to(REPO_ROOT) else python
    )
    arguments = [str(shown), "bench/run_gateway_bench.py", *sys.argv[1:]]
    return shlex.join(arguments)


if __name__ == "__main__":
    sys.exit(main())
