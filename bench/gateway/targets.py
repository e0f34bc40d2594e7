"""How each measured program is configured and started.

The configuration files beside this module are templates with ``$NAME``
placeholders; the functions here fill them in and return the command lines. LiteLLM
lives in its own virtual environment, made on first use, so that its many
dependencies never meet lockgate's.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from string import Template

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent.parent
LITELLM_VENV = REPO_ROOT / "bench" / ".venv-litellm"
LITELLM_REQUIREMENT = "litellm[proxy]==1.108.7"

# Nothing listens on the discard port: anything LiteLLM tries to send beyond
# loopback through an HTTP proxy fails at once instead of leaving the machine.
_DEAD_PROXY = "http://127.0.0.1:9"

_LITELLM_OFFLINE_ENV = {
    "LITELLM_LOCAL_MODEL_COST_MAP": "True",
    "LITELLM_LOCAL_ANTHROPIC_BETA_HEADERS": "True",
    "LITELLM_LOCAL_BLOG_POSTS": "True",
    "LITELLM_LOCAL_POLICY_TEMPLATES": "True",
    "LITELLM_LOCAL_AUTOROUTER_PRESETS": "True",
    "LITELLM_TELEMETRY": "False",
    "DISABLE_SCHEMA_UPDATE": "True",
    "NO_DOCS": "True",
    "LITELLM_LOG": "ERROR",
    "HTTP_PROXY": _DEAD_PROXY,
    "HTTPS_PROXY": _DEAD_PROXY,
    "http_proxy": _DEAD_PROXY,
    "https_proxy": _DEAD_PROXY,
    "NO_PROXY": "127.0.0.1,localhost",
    "no_proxy": "127.0.0.1,localhost",
}


def render_template(name: str, **values: object) -> str:
    """The template ``name`` beside this module with its placeholders filled in."""
    text = (HERE / name).read_text(encoding="utf-8")
    return Template(text).substitute({key: str(v) for key, v in values.items()})


def lockgate_config(port: int, upstream_port: int, ledger_path: Path) -> str:
    return render_template(
        "lockgate.yaml",
        PORT=port,
        UPSTREAM_PORT=upstream_port,
        LEDGER_PATH=ledger_path,
    )


def lockgate_executable() -> Path:
    """The ``lockgate`` script installed beside the running interpreter."""
    return Path(sys.executable).parent / "lockgate"


def lockgate_command(config: Path) -> list[str]:
    return [str(lockgate_executable()), "serve", "-c", str(config)]


def lockgate_can_serve() -> bool:
    """True when this checkout has a working ``lockgate serve`` command."""
    executable = lockgate_executable()
    if not executable.exists():
        return False
    completed = subprocess.run(
        [str(executable), "serve", "--help"],
        capture_output=True,
        timeout=60,
        check=False,
    )
    return completed.returncode == 0


def passthrough_command(port: int, upstream_port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "bench.gateway.passthrough",
        "--port",
        str(port),
        "--upstream",
        f"http://127.0.0.1:{upstream_port}",
    ]


def litellm_config(upstream_port: int) -> str:
    return render_template("litellm.yaml", UPSTREAM_PORT=upstream_port)


def litellm_command(config: Path, port: int) -> list[str]:
    """LiteLLM's proxy with one worker, started from its own virtual environment."""
    return [
        str(LITELLM_VENV / "bin" / "litellm"),
        "--config",
        str(config),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--num_workers",
        "1",
    ]


def litellm_env() -> dict[str, str]:
    """The environment for LiteLLM: offline, no database, no telemetry."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "PYTHONPATH", "VIRTUAL_ENV")
    }
    env.update(_LITELLM_OFFLINE_ENV)
    return env


def ensure_litellm_venv() -> None:
    """Make bench/.venv-litellm with LiteLLM's proxy in it, unless it is there."""
    if (LITELLM_VENV / "bin" / "litellm").exists():
        return
    print(f"making {LITELLM_VENV} with {LITELLM_REQUIREMENT} (a few minutes, once)")
    subprocess.run(["python3", "-m", "venv", str(LITELLM_VENV)], check=True)
    pip = str(LITELLM_VENV / "bin" / "pip")
    subprocess.run([pip, "install", "-q", LITELLM_REQUIREMENT], check=True)


def litellm_version() -> str:
    completed = subprocess.run(
        [str(LITELLM_VENV / "bin" / "python"), "-m", "pip", "show", "litellm"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    for line in completed.stdout.splitlines():
        if line.startswith("Version:"):
            return line.split(":", 1)[1].strip()
    return "unknown"
