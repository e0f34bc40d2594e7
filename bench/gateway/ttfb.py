"""Time to first chunk of a streamed answer, measured by a small aiohttp client.

The targets are measured together, in turns: request one goes to each target in
order, then request two in the next order, and so on, so that anything else busy on
the machine weighs on every target alike. Each target has its own kept-alive
connection. For each request the clock runs from sending it to receiving the first
piece of the body that holds a ``data:`` event; the rest of the stream is then read
to its end so that the connection is ready for the next request.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Mapping
from dataclasses import dataclass

import aiohttp

_HEADERS = {"Content-Type": "application/json", "Accept": "text/event-stream"}


@dataclass(frozen=True)
class FirstChunkTimes:
    """Times to the first streamed chunk, in milliseconds, of the measured requests."""

    samples_ms: tuple[float, ...]

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p99_ms(self) -> float:
        return statistics.quantiles(self.samples_ms, n=100, method="inclusive")[98]


async def measure_first_chunks(
    urls: Mapping[str, str],
    body: bytes,
    requests: int,
    warmup: int,
    timeout_s: float = 10.0,
) -> dict[str, FirstChunkTimes]:
    """Send ``warmup`` then ``requests`` streaming requests to each named URL."""
    timeout = aiohttp.ClientTimeout(total=timeout_s)
    sessions = {
        name: aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=1), timeout=timeout
        )
        for name in urls
    }
    try:
        return await _measure_in_turns(urls, sessions, body, requests, warmup)
    finally:
        for session in sessions.values():
            await session.close()


def first_chunk_times(
    urls: Mapping[str, str], body: bytes, requests: int, warmup: int
) -> dict[str, FirstChunkTimes]:
    """``measure_first_chunks`` run on its own event loop."""
    return asyncio.run(measure_first_chunks(urls, body, requests, warmup))


def rotated(names: list[str], turn: int) -> list[str]:
    """``names`` starting at position ``turn``, wrapping round."""
    if not names:
        return []
    start = turn % len(names)
    return names[start:] + names[:start]


async def _measure_in_turns(
    urls: Mapping[str, str],
    sessions: Mapping[str, aiohttp.ClientSession],
    body: bytes,
    requests: int,
    warmup: int,
) -> dict[str, FirstChunkTimes]:
    names = list(urls)
    for _ in range(warmup):
        for name in names:
            await _time_one(sessions[name], urls[name], body)

    samples: dict[str, list[float]] = {name: [] for name in names}
    for turn in range(requests):
        for name in rotated(names, turn):
            samples[name].append(await _time_one(sessions[name], urls[name], body))
    return {name: FirstChunkTimes(tuple(times)) for name, times in samples.items()}


async def _time_one(session: aiohttp.ClientSession, url: str, body: bytes) -> float:
    started = time.perf_counter()
    async with session.post(url, data=body, headers=_HEADERS) as response:
        if response.status != 200:
            raise RuntimeError(
                f"streaming request to {url} answered {response.status}; the target "
                "must stream the canned answer, check its log"
            )
        first_ms = await _first_event_ms(response, started)
        await response.read()
    return first_ms


async def _first_event_ms(response: aiohttp.ClientResponse, started: float) -> float:
    seen = b""
    async for piece in response.content.iter_any():
        seen += piece
        if b"data:" in seen:
            return (time.perf_counter() - started) * 1000.0
    raise RuntimeError(
        f"stream from {response.url} ended without a 'data:' event; the target "
        "did not stream, check its log"
    )
