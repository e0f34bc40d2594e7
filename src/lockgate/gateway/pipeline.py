"""The request pipeline: forward a call to its upstream, then settle and record it.

    receive → guard (destination fields) → forward (upstream adapter, streaming)
            → settle (usage, estimated when the upstream gave none) → record (ledger)

Identity, policy, DLP, budgets and telemetry stages are not part of lockgate yet; the
only accepted authentication mode is ``auth: none`` on a loopback listener.

Every call that reaches a configured model ends in exactly one ledger record,
whatever happens: success, a refusal, an upstream error, a truncated stream, or a
client that went away. (A call for an unknown model reaches no upstream and leaves
no record.)
"""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator, Callable
from typing import Any

from lockgate.errors import INTERNAL_ERROR, LockgateError
from lockgate.gateway.call import Call
from lockgate.gateway.destination_guard import refuse_destination_fields
from lockgate.gateway.registry import Registry, Route
from lockgate.store.ledger import Ledger, LedgerRecord
from lockgate.tokens import count_prompt, count_text
from lockgate.upstreams.base import Completion, Operation, StreamTally, UpstreamRequest
from lockgate.usage import Usage


class Pipeline:
    def __init__(self, registry: Registry, ledger: Ledger) -> None:
        self.registry = registry
        self._ledger = ledger

    def prepare(self, call: Call, route: Route) -> UpstreamRequest:
        """Check the call and turn it into the adapter's request.

        A refused call is recorded as ``refused`` before the error goes back.
        """
        try:
            refuse_destination_fields(call.body)
        except LockgateError as error:
            self.settle(call, route, "refused", error.status, None, error)
            raise
        max_tokens = route.model.max_output_tokens
        body = call.body
        if (
            max_tokens is not None
            and call.operation is Operation.CHAT
            and "max_tokens" not in body
            and "max_completion_tokens" not in body
        ):
            body = {**body, "max_tokens": max_tokens}
        return UpstreamRequest(
            operation=call.operation,
            alias=call.alias,
            upstream_model=route.model.upstream_model,
            body=body,
            stream=call.stream,
            request_id=call.request_id,
        )

    async def complete(
        self, call: Call, route: Route, render: Callable[[Completion], bytes]
    ) -> bytes:
        """Forward a non-streamed call, render the answer for the caller, settle.

        Rendering happens before settlement, so an answer that cannot be put into
        the caller's wire format is recorded as the failure the caller sees.
        """
        request = self.prepare(call, route)
        upstream = route.upstream
        try:
            if call.operation is Operation.EMBEDDINGS:
                completion = await upstream.embeddings(request)
            else:
                completion = await upstream.chat(request)
            completion.usage = completion.usage or _estimate(call, completion)
            body = render(completion)
        except LockgateError as error:
            self.settle(call, route, "upstream_error", error.status, None, error)
            raise
        except Exception:
            self.settle(call, route, "internal_error", 500, None, INTERNAL_ERROR)
            raise

        self.settle(
            call,
            route,
            "ok",
            200,
            completion.usage,
            None,
            completion.upstream_request_id,
        )
        return body

    def open_stream(self, call: Call, route: Route) -> CallStream:
        """Start a streamed call; iterate ``chunks()`` and then call ``finish``."""
        return CallStream(self, call, route, self.prepare(call, route))

    def settle(
        self,
        call: Call,
        route: Route,
        outcome: str,
        status: int,
        usage: Usage | None,
        error: LockgateError | None,
        upstream_request_id: str | None = None,
    ) -> None:
        usage = usage or Usage(0, 0)
        self._ledger.record(
            LedgerRecord(
                request_id=call.request_id,
                recorded_at=time.time(),
                wire=call.wire.value,
                operation=call.operation.value,
                model_alias=call.alias,
                upstream=route.upstream.name,
                upstream_model=route.model.upstream_model,
                stream=call.stream,
                outcome=outcome,
                status=status,
                error_code=error.code if error else None,
                input_tokens=usage.input_tokens,
                output_tokens=usage.output_tokens,
                cached_input_tokens=usage.cached_input_tokens,
                cache_write_tokens=usage.cache_write_tokens,
                reasoning_tokens=usage.reasoning_tokens,
                usage_estimated=usage.estimated,
                duration_ms=(time.perf_counter() - call.started) * 1000,
                upstream_request_id=upstream_request_id,
            )
        )


class CallStream:
    """One streamed call: its chunks, what they added up to, and its settlement."""

    def __init__(
        self, pipeline: Pipeline, call: Call, route: Route, request: UpstreamRequest
    ) -> None:
        self._pipeline = pipeline
        self.call = call
        self.route = route
        self.tally = StreamTally()
        self._request = request
        self._output: list[str] = []
        self._chunks = 0
        self._settled = False

    async def chunks(self) -> AsyncGenerator[dict[str, Any], None]:
        """The upstream's chunks as they arrive, keeping what usage counting needs."""
        async for chunk in self.route.upstream.chat_stream(self._request, self.tally):
            self._chunks += 1
            self._collect(chunk)
            yield chunk

    def usage(self) -> Usage:
        """The upstream's usage, or an estimate from what was streamed so far."""
        if self.tally.usage is not None:
            return self.tally.usage
        return Usage(
            input_tokens=count_prompt(self.call.body),
            output_tokens=count_text("".join(self._output)),
            estimated=True,
        )

    def finish(self, outcome: str, error: LockgateError | None = None) -> None:
        """Settle the call once: ``ok``, ``client_cancelled`` or an upstream failure."""
        if self._settled:
            return
        self._settled = True
        status = 200 if error is None else error.status
        if outcome == "client_cancelled":
            status = 499
        self._pipeline.settle(
            self.call,
            self.route,
            outcome,
            status,
            self.usage(),
            error,
            self.tally.upstream_request_id,
        )

    def fail(self, error: LockgateError) -> None:
        """Settle a failed stream.

        A failure before any chunk arrived bills nothing, so it records no usage; a
        stream that broke after content had arrived records what was used.
        """
        if self._chunks == 0 and self.tally.usage is None:
            self.tally.usage = Usage(0, 0)
        outcome = (
            "upstream_truncated"
            if error.code == "upstream_stream_truncated"
            else "upstream_error"
        )
        self.finish(outcome, error)

    def cancel(self) -> None:
        self.finish("client_cancelled")

    def _collect(self, chunk: dict[str, Any]) -> None:
        """Keep the text of a chunk's deltas; whatever is not text is skipped."""
        choices = chunk.get("choices")
        for choice in choices if isinstance(choices, list) else ():
            delta = choice.get("delta") if isinstance(choice, dict) else None
            if isinstance(delta, dict):
                self._output.extend(
                    _texts(delta.get("content"), delta.get("tool_calls"))
                )


def _estimate(call: Call, completion: Completion) -> Usage:
    """Usage counted locally, for an answer that carried none."""
    output = 0
    choices = completion.body.get("choices")
    for choice in choices if isinstance(choices, list) else ():
        message = choice.get("message") if isinstance(choice, dict) else None
        if isinstance(message, dict):
            texts = _texts(message.get("content"), message.get("tool_calls"))
            output += count_text("".join(texts))
    return Usage(count_prompt(call.body), output, estimated=True)


def _texts(content: Any, tool_calls: Any) -> list[str]:
    """The text in a message or delta: its content and its tool calls' arguments."""
    texts = [content] if isinstance(content, str) else []
    for call in tool_calls if isinstance(tool_calls, list) else ():
        function = call.get("function") if isinstance(call, dict) else None
        if isinstance(function, dict):
            texts += [
                v
                for v in (function.get("name"), function.get("arguments"))
                if isinstance(v, str)
            ]
    return texts
