"""The static upstream: nginx from Debian's packages with a generated configuration.

nginx runs in the foreground as a child of the benchmark, in its own temporary
prefix, on one loopback port, with one worker. It answers ``POST
/v1/chat/completions`` with a canned completion, ``POST
/stream/v1/chat/completions`` with a canned event stream and ``GET /v1/models``
(which LiteLLM asks for at start) with the two models, all with ``return``, so that
no file, disk read or request-body parsing is involved.
"""

from __future__ import annotations

import os
from pathlib import Path

from bench.gateway import canned

NGINX_BINARY = "/usr/sbin/nginx"

_TEMPLATE = """\
worker_processes 1;
daemon off;
master_process on;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
{user_line}
events {{
    worker_connections 4096;
}}

http {{
    access_log off;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    keepalive_requests 10000000;
    keepalive_timeout 120s;

    server {{
        listen 127.0.0.1:{port};

        location = {chat_path} {{
            default_type application/json;
            return 200 '{completion}';
        }}

        location = /v1/models {{
            default_type application/json;
            return 200 '{models}';
        }}

        location = {stream_path} {{
            default_type text/event-stream;
            return 200 '{stream}';
        }}
    }}
}}
"""


def nginx_config(prefix: Path, port: int) -> str:
    """The text of nginx.conf for a static upstream on 127.0.0.1:port."""
    user_line = "user root;" if os.geteuid() == 0 else ""
    return _TEMPLATE.format(
        prefix=prefix,
        port=port,
        user_line=user_line,
        chat_path=canned.CHAT_PATH,
        stream_path=canned.STREAM_PATH,
        completion=_nginx_string(canned.chat_completion()),
        stream=_nginx_string(canned.chat_stream()),
        models=_nginx_string(canned.model_list()),
    )


def write_nginx_config(prefix: Path, port: int) -> Path:
    """Write nginx.conf into prefix and return its path."""
    path = prefix / "nginx.conf"
    path.write_text(nginx_config(prefix, port), encoding="utf-8")
    return path


def nginx_command(prefix: Path, config: Path) -> list[str]:
    """The command line that runs nginx in the foreground with that configuration."""
    return [NGINX_BINARY, "-p", str(prefix), "-c", str(config), "-e", "stderr"]


def _nginx_string(body: bytes) -> str:
    text = body.decode("utf-8")
    for forbidden in ("'", "$", "\\"):
        if forbidden in text:
            raise ValueError(
                f"canned body contains {forbidden!r}, which an nginx string cannot "
                "hold unchanged; remove it from bench/gateway/canned.py"
            )
    return text.replace("\n", "\\n")
