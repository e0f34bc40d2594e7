"""A description of the machine and the programs measured, for the report."""

from __future__ import annotations

import os
import platform
import re
import subprocess
from importlib import metadata
from pathlib import Path

from bench.gateway.nginx import NGINX_BINARY
from bench.gateway.results import Machine
from bench.gateway.wrk import WRK_BINARY


def describe_machine(litellm_version: str | None) -> Machine:
    """CPUs, kernel, current load and the versions of everything measured."""
    versions = {
        "Python": platform.python_version(),
        "lockgate": _package_version("lockgate"),
        "aiohttp": _package_version("aiohttp"),
        "uvloop": _package_version("uvloop"),
        "nginx": _tool_version([NGINX_BINARY, "-v"]),
        "wrk": _tool_version([WRK_BINARY, "-v"]),
    }
    if litellm_version is not None:
        versions["LiteLLM"] = litellm_version
    return Machine(
        cpus=os.cpu_count() or 0,
        cpu_model=_cpu_model(),
        kernel=platform.release(),
        load_average=load_average(),
        versions=versions,
    )


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, as ``uptime`` shows them."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown CPU"


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def _tool_version(command: list[str]) -> str:
    completed = subprocess.run(
        command, capture_output=True, text=True, timeout=10, check=False
    )
    match = re.search(r"\d+\.\d+(\.\d+)?", completed.stdout + completed.stderr)
    return match.group(0) if match else "unknown"
