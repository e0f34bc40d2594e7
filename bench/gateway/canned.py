"""The canned answers the static upstream serves and the request every client sends.

Every target is driven with the same small chat request; nginx answers it with a fixed
OpenAI ``chat.completion`` body, or with a fixed server-sent-event stream on the
streaming path. The texts avoid quotes, dollars and backslashes so they can be
written into an nginx ``return`` directive unchanged.
"""

from __future__ import annotations

import orjson

MODEL = "bench-model"
STREAM_MODEL = "bench-model-stream"
CHAT_PATH = "/v1/chat/completions"
STREAM_PATH = "/stream/v1/chat/completions"


def chat_request(model: str = MODEL, stream: bool = False) -> bytes:
    """The request body every client posts: one short user message."""
    body: dict[str, object] = {
        "model": model,
        "messages": [{"role": "user", "content": "Say hello in five words."}],
        "max_tokens": 16,
    }
    if stream:
        body["stream"] = True
    return orjson.dumps(body)


def model_list() -> bytes:
    """The answer to ``GET /v1/models``: the two models the upstream serves."""
    models = [{"id": name, "object": "model"} for name in (MODEL, STREAM_MODEL)]
    return orjson.dumps({"object": "list", "data": models})


def chat_completion() -> bytes:
    """A complete non-streamed answer, as an OpenAI-compatible server sends it."""
    return orjson.dumps(
        {
            "id": "chatcmpl-bench",
            "object": "chat.completion",
            "created": 1767225600,
            "model": MODEL,
            "choices": [
                {
                    "index": 0,
                    "message": {
                        "role": "assistant",
                        "content": "Hello from the static upstream.",
                    },
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 14, "completion_tokens": 7, "total_tokens": 21},
        }
    )


def chat_stream() -> bytes:
    """A streamed answer: role, five text pieces, the stop, the usage, then DONE."""
    pieces = ["Hello", " from", " the", " static", " upstream."]
    deltas: list[dict[str, object]] = [{"role": "assistant", "content": ""}]
    deltas += [{"content": piece} for piece in pieces]
    events = [_stream_chunk(delta, None) for delta in deltas]
    events.append(_stream_chunk({}, "stop"))
    events.append(_usage_chunk())
    lines = [b"data: " + orjson.dumps(event) + b"\n\n" for event in events]
    return b"".join(lines) + b"data: [DONE]\n\n"


def _stream_chunk(delta: dict[str, object], finish: str | None) -> dict[str, object]:
    return {
        "id": "chatcmpl-bench",
        "object": "chat.completion.chunk",
        "created": 1767225600,
        "model": STREAM_MODEL,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def _usage_chunk() -> dict[str, object]:
    return {
        "id": "chatcmpl-bench",
        "object": "chat.completion.chunk",
        "created": 1767225600,
        "model": STREAM_MODEL,
        "choices": [],
        "usage": {"prompt_tokens": 14, "completion_tokens": 5, "total_tokens": 19},
    }
