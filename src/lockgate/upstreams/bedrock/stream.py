"""ConverseStream events → OpenAI ``chat.completion.chunk`` dicts, one at a time.

The translator is fed decoded event-stream messages as they arrive and returns the
chunks each one produces, so nothing is buffered. It keeps the OpenAI streaming
rules: the first chunk carries ``role: assistant`` (together with the first content),
every chunk has the same id, each tool-use block gets its own ``tool_calls`` index
with id, type and name only in its first delta, and exactly one chunk carries the
finish_reason.
"""

from __future__ import annotations

from typing import Any

import orjson

from lockgate.errors import UpstreamMalformed
from lockgate.eventstream import EventStreamMessage
from lockgate.upstreams.base import StreamTally
from lockgate.upstreams.bedrock.faults import exception_error
from lockgate.upstreams.bedrock.response import finish_reason, unreadable
from lockgate.upstreams.bedrock.tool_ids import to_openai_id
from lockgate.usage import Usage

Chunk = dict[str, Any]


class ConverseStreamTranslator:
    def __init__(
        self,
        *,
        tally: StreamTally,
        response_id: str,
        alias: str,
        created: int,
        include_usage: bool,
    ) -> None:
        self._tally = tally
        self._id = response_id
        self._alias = alias
        self._created = created
        self._include_usage = include_usage
        self._role_sent = False
        self._tool_indexes: dict[int, int] = {}
        self._stopped = False

    @property
    def finished(self) -> bool:
        """True once both messageStop and metadata have arrived."""
        return self._tally.completed

    def translate(self, message: EventStreamMessage) -> list[Chunk]:
        """The chunks one event-stream message produces (often one, maybe none)."""
        # Event payloads are untrusted JSON; a mistyped field makes the stream
        # unreadable, which is reported as such rather than as a crash.
        try:
            return self._translate(message)
        except (TypeError, AttributeError, ValueError, KeyError) as exc:
            raise unreadable("stream event", type(exc).__name__) from exc

    def _translate(self, message: EventStreamMessage) -> list[Chunk]:
        if message.header(":message-type") != "event":
            raise self._exception(message)

        event = message.header(":event-type") or ""
        payload = _payload(message.payload, event)
        if event == "messageStart":
            # The role goes out with the first real content, so that an exception
            # frame right after messageStart still finds nothing sent to the
            # client and can become an ordinary HTTP error.
            return []
        if event == "contentBlockStart":
            return self._block_start(payload)
        if event == "contentBlockDelta":
            return self._block_delta(payload)
        if event == "messageStop":
            return self._message_stop(payload)
        if event == "metadata":
            return self._metadata(payload)
        return []

    def _exception(self, message: EventStreamMessage) -> Exception:
        kind = (
            message.header(":exception-type")
            or message.header(":error-code")
            or "unknown exception"
        )
        return exception_error(kind, message.payload, self._tally.upstream_request_id)

    def _chunk(self, delta: dict[str, Any], finish: str | None = None) -> Chunk:
        if not self._role_sent:
            delta = {"role": "assistant", "content": "", **delta}
            self._role_sent = True
        return {
            "id": self._id,
            "object": "chat.completion.chunk",
            "created": self._created,
            "model": self._alias,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }

    def _block_start(self, payload: dict[str, Any]) -> list[Chunk]:
        tool_use = (payload.get("start") or {}).get("toolUse")
        if not isinstance(tool_use, dict):
            return []
        index = len(self._tool_indexes)
        self._tool_indexes[_block_index(payload)] = index
        call = {
            "index": index,
            "id": to_openai_id(str(tool_use.get("toolUseId", ""))),
            "type": "function",
            "function": {"name": tool_use.get("name", ""), "arguments": ""},
        }
        return [self._chunk({"tool_calls": [call]})]

    def _block_delta(self, payload: dict[str, Any]) -> list[Chunk]:
        delta = payload.get("delta") or {}
        if isinstance(delta.get("text"), str):
            return [self._chunk({"content": delta["text"]})]
        reasoning = (delta.get("reasoningContent") or {}).get("text")
        if isinstance(reasoning, str):
            return [self._chunk({"reasoning_content": reasoning})]
        tool_use = delta.get("toolUse")
        if not isinstance(tool_use, dict):
            return []

        index = self._tool_indexes.get(_block_index(payload))
        if index is None:
            raise UpstreamMalformed(
                "the Bedrock stream sent tool input for content block "
                f"{payload.get('contentBlockIndex')!r} that never started; the "
                "stream cannot be read, retry the request",
                code="upstream_malformed_response",
            )
        fragment = {
            "index": index,
            "function": {"arguments": tool_use.get("input", "")},
        }
        return [self._chunk({"tool_calls": [fragment]})]

    def _message_stop(self, payload: dict[str, Any]) -> list[Chunk]:
        raw = payload.get("stopReason")
        self._tally.raw_stop_reason = str(raw)
        finish = finish_reason(raw, self._tally.upstream_request_id)
        self._tally.finish_reasons = [finish]
        self._stopped = True
        return [self._chunk({}, finish)]

    def _metadata(self, payload: dict[str, Any]) -> list[Chunk]:
        usage = payload.get("usage")
        chunks: list[Chunk] = []
        if isinstance(usage, dict):
            self._tally.usage = Usage.from_bedrock(usage)
            if self._include_usage:
                chunks.append(self._usage_chunk(self._tally.usage))
        self._tally.completed = self._stopped
        return chunks

    def _usage_chunk(self, usage: Usage) -> Chunk:
        return {
            "id": self._id,
            "object": "chat.completion.chunk",
            "created": self._created,
            "model": self._alias,
            "choices": [],
            "usage": usage.to_openai(),
        }


def _block_index(payload: dict[str, Any]) -> int:
    index = payload.get("contentBlockIndex")
    return index if isinstance(index, int) else -1


def _payload(raw: bytes, event: str) -> dict[str, Any]:
    try:
        payload = orjson.loads(raw) if raw else {}
    except orjson.JSONDecodeError:
        payload = None
    if not isinstance(payload, dict):
        raise UpstreamMalformed(
            f"the Bedrock stream's {event!r} event is not a JSON object; the stream "
            "cannot be read, retry the request",
            code="upstream_malformed_response",
        )
    return payload
