"""Time to first chunk of a streamed answer, measured by a small aiohttp client.

Requests are sent one after another over one kept-alive connection; for each, the
clock runs from sending the request to receiving the first piece of the body that
holds a ``data:`` event. The rest of the stream is then read to its end so that the
connection is ready for the next request.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass

import aiohttp


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


async def measure_first_chunk(
    url: str, body: bytes, requests: int, warmup: int, timeout_s: float = 10.0
) -> FirstChunkTimes:
    """Send ``warmup`` then ``requests`` streaming requests; time the measured ones."""
    timeout = aiohttp.ClientTimeout(total=timeout_s)
    connector = aiohttp.TCPConnector(limit=1)
    headers = {"Content-Type": "application/json", "Accept": "text/event-stream"}
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        for _ in range(warmup):
            await _time_one(session, url, body, headers)
        samples = [
            await _time_one(session, url, body, headers) for _ in range(requests)
        ]
    return FirstChunkTimes(tuple(samples))


def first_chunk_times(
    url: str, body: bytes, requests: int, warmup: int
) -> FirstChunkTimes:
    """``measure_first_chunk`` run on its own event loop."""
    return asyncio.run(measure_first_chunk(url, body, requests, warmup))


async def _time_one(
    session: aiohttp.ClientSession, url: str, body: bytes, headers: dict[str, str]
) -> float:
    started = time.perf_counter()
    async with session.post(url, data=body, headers=headers) as response:
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
