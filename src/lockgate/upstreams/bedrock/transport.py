"""aiohttp's errors mapped into lockgate's tree, at the one place they can arise."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import aiohttp

from lockgate.errors import UpstreamStreamError, UpstreamTimeout, UpstreamUnavailable


def truncated(upstream: str, why: str) -> UpstreamStreamError:
    return UpstreamStreamError(
        f"the Bedrock stream from upstream {upstream!r} ended before messageStop and "
        f"metadata ({why}); the answer is incomplete, retry the request",
        code="upstream_stream_truncated",
    )


@contextmanager
def mapped_errors(upstream: str, address: str, *, streaming: bool) -> Iterator[None]:
    """Re-raise aiohttp and timeout errors as lockgate upstream errors.

    ``streaming`` marks reads after a 200 stream has started, where a broken
    connection means a truncated answer rather than an unreachable upstream.
    """
    try:
        yield
    except TimeoutError as exc:
        raise UpstreamTimeout(
            f"upstream {upstream!r} at {address} did not answer in time; raise its "
            "timeouts or check the model's load",
        ) from exc
    except (aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError) as exc:
        if streaming:
            raise truncated(upstream, type(exc).__name__) from exc
        raise _unavailable(upstream, address, exc) from exc
    except aiohttp.ClientError as exc:
        raise _unavailable(upstream, address, exc) from exc


def _unavailable(upstream: str, address: str, exc: Exception) -> UpstreamUnavailable:
    return UpstreamUnavailable(
        f"upstream {upstream!r} at {address} could not be reached "
        f"({type(exc).__name__}); check its endpoint_url, DNS and network path",
    )
