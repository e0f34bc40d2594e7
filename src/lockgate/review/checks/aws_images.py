"""Container images of AWS compute: pinned, not a mutable tag.

``:latest`` (or no tag at all) lets whoever can push to the repository change
the code that runs, with the workload's role, on the next cold start.
"""

from __future__ import annotations

import re
from typing import Any

from lockgate.review.model import Finding, Resource, Status, Unresolved

from .support import Check, CheckContext, Verdict, judge_each

_TAG = re.compile(r":([A-Za-z0-9_.-]+)$")


def pinned_images(context: CheckContext) -> list[Finding]:
    """LG-DATA-105: Lambda images name an immutable tag or a digest."""
    return judge_each(
        "LG-DATA-105", context.declared("aws_lambda_function"), _judge_lambda
    )


def _judge_lambda(function: Resource) -> Verdict | None:
    value = function.get("image_uri")
    if value is None:
        return None
    pinned = image_pinned(value)
    path = ("image_uri",)
    if pinned is None:
        return Verdict(Status.UNRESOLVED, "the image reference cannot be read", path)
    if pinned:
        return Verdict(Status.PASS, "the image is pinned", path)
    return Verdict(Status.FAIL, "the image uses a mutable tag (:latest or none)", path)


def image_pinned(value: Any) -> bool | None:
    """True: a digest or a fixed tag; False: ``:latest`` or no tag; None: unknown."""
    raw = value.expression if isinstance(value, Unresolved) else value
    if not isinstance(raw, str):
        return None
    if isinstance(value, Unresolved) and not raw.strip().startswith('"'):
        return None  # a bare reference or function call: no text to read
    cleaned = raw.strip().strip('"')
    if "@sha256:" in cleaned:
        return True
    tail = cleaned.rsplit("/", 1)[-1]
    if "${" in tail and not _TAG.search(tail):
        return None
    match = _TAG.search(tail)
    if match is None:
        return False
    return match.group(1) != "latest"


CHECKS: tuple[Check, ...] = (pinned_images,)
