"""Child processes of the benchmark: free ports, start, wait until listening, stop.

Each child runs in its own session so that stopping it also stops whatever it spawned
(nginx's worker, uvicorn's reloader). Every child started through one
``ChildProcesses`` is stopped when its ``with`` block ends, whatever happened inside.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

logger = logging.getLogger(__name__)

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on at the moment of asking."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_listening(
    port: int, process: subprocess.Popen[bytes], timeout_s: float, name: str
) -> None:
    """Return once 127.0.0.1:port accepts a connection; raise if the child died."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"{name} exited with status {process.returncode} before listening on "
                f"port {port}; read its log for the cause"
            )
        with contextlib.suppress(OSError):
            socket.create_connection((LOOPBACK, port), timeout=0.5).close()
            return
        time.sleep(0.1)
    raise RuntimeError(
        f"{name} did not listen on port {port} within {timeout_s:.0f} s; read its "
        "log, or raise the start timeout"
    )


class ChildProcesses:
    """Starts children and stops every one of them on leaving the ``with`` block."""

    def __init__(self, log_dir: Path) -> None:
        self._log_dir = log_dir
        self._children: list[tuple[str, subprocess.Popen[bytes]]] = []

    def __enter__(self) -> ChildProcesses:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop_all()

    def start(
        self,
        name: str,
        command: Sequence[str],
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
    ) -> subprocess.Popen[bytes]:
        """Start one child with its output in LOG_DIR/NAME.log."""
        log_path = self._log_dir / f"{name}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                list(command),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=dict(env) if env is not None else None,
                cwd=cwd,
                start_new_session=True,
            )
        self._children.append((name, process))
        return process

    def stop(self, process: subprocess.Popen[bytes]) -> None:
        """Stop one child and everything in its session."""
        self._children = [(n, p) for n, p in self._children if p is not process]
        _stop_session(process)

    def stop_pid(self, pid: int) -> None:
        """Stop the child whose process id is ``pid``, if it is one of ours."""
        for _name, process in self._children:
            if process.pid == pid:
                self.stop(process)
                return

    def stop_all(self) -> None:
        """Stop every child still running, the last started first."""
        while self._children:
            _name, process = self._children.pop()
            _stop_session(process)

    def log_path(self, name: str) -> Path:
        return self._log_dir / f"{name}.log"


def _stop_session(process: subprocess.Popen[bytes]) -> None:
    _signal_session(process, signal.SIGTERM)
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        logger.warning("child %s ignored SIGTERM; sending SIGKILL", process.pid)
        _signal_session(process, signal.SIGKILL)
        process.wait(timeout=5)

    # The session leader may be gone while a grandchild (a worker) still runs.
    _signal_session(process, signal.SIGKILL)


def _signal_session(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)
