"""The quickstart: one real answer from the bundled model, through lockgate.

Starts the bundled Gemma 3 270M model on 127.0.0.1:8081, starts
``lockgate serve -c examples/quickstart/lockgate.yaml`` on 127.0.0.1:8080, asks one
question with the ``openai`` SDK, and prints the answer and the usage lockgate
recorded in its ledger. ``--keep-running`` leaves both running until Ctrl-C.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import openai

from lockgate.bundled_model import ALIAS, serving
from lockgate.config import load_settings
from lockgate.store.ledger import read_records

CONFIG = Path(__file__).with_name("lockgate.yaml")
MODEL_PORT = 8081


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--question", default="What is the capital of France?")
    parser.add_argument("--keep-running", action="store_true")
    args = parser.parse_args()

    settings = load_settings(CONFIG)
    gateway_url = f"http://{settings.server.host}:{settings.server.port}"
    print(f"starting the bundled model on 127.0.0.1:{MODEL_PORT} ...")
    with serving(MODEL_PORT):
        gateway = start_gateway(gateway_url)
        try:
            ask(gateway_url, args.question, settings.server.ledger_path)
            if args.keep_running:
                print(f"\nlockgate is serving on {gateway_url}; Ctrl-C stops it.")
                gateway.wait()
        except KeyboardInterrupt:
            pass
        finally:
            gateway.terminate()
            gateway.wait(timeout=15)
    return 0


def start_gateway(url: str) -> subprocess.Popen[bytes]:
    print(f"starting lockgate serve -c {CONFIG} ...")
    command = [sys.executable, "-m", "lockgate", "serve", "-c", str(CONFIG)]
    process = subprocess.Popen(command)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"lockgate serve exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/readyz", timeout=1):
                return process
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("lockgate did not become ready within 30 s")


def ask(gateway_url: str, question: str, ledger: Path) -> None:
    client = openai.OpenAI(base_url=f"{gateway_url}/v1", api_key="unused")
    raw = client.chat.completions.with_raw_response.create(
        model=ALIAS, messages=[{"role": "user", "content": question}], temperature=0
    )
    completion = raw.parse()
    request_id = raw.headers["x-lockgate-request-id"]

    print(f"\nQ: {question}")
    print(f"A: {completion.choices[0].message.content!r}")
    print("   (a 270M-parameter model: the answer is real, not necessarily right)")
    record = wait_for_record(ledger, request_id)
    estimated = " (estimated)" if record["usage_estimated"] else ""
    print(
        f"\nlockgate ledger, request {request_id}: model {record['model_alias']} via "
        f"upstream {record['upstream']}, outcome {record['outcome']}, "
        f"{record['input_tokens']} input + {record['output_tokens']} output tokens"
        f"{estimated}, {record['duration_ms']:.0f} ms"
    )


def wait_for_record(ledger: Path, request_id: str) -> dict[str, object]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if ledger.exists():
            for record in read_records(ledger, last=50):
                if record["request_id"] == request_id:
                    return record
        time.sleep(0.1)
    raise SystemExit(f"request {request_id} did not reach the ledger at {ledger}")


if __name__ == "__main__":
    sys.exit(main())
