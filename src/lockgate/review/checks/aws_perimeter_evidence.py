"""A Bedrock deployment with no interface endpoint has no network perimeter to
judge.

LG-DATA-011 judges invoke grants against the endpoint they should require; with
no Bedrock endpoint at all there is nothing for an ``aws:SourceVpce`` condition or
an endpoint policy to name, so the perimeter is not evidenced rather than passed.
"""

from __future__ import annotations

from lockgate.review.model import Finding, Status

from . import aws
from .support import Check, CheckContext, finding


def perimeter_not_evidenced(context: CheckContext) -> list[Finding]:
    """LG-DATA-011 when Bedrock is used but no Bedrock endpoint exists."""
    if not aws.has_ai_workload(context) or aws.bedrock_endpoints(context):
        return []
    subjects = aws.bedrock_resources(context) or aws.ai_compute(context)
    subject = subjects[0] if subjects else None
    return [
        finding(
            "LG-DATA-011",
            Status.UNRESOLVED,
            "no Bedrock interface endpoint, so no endpoint policy or aws:SourceVpce "
            "condition can bound the data perimeter: not evidenced",
            subject,
            evidence=["no Bedrock interface endpoint in the reviewed code"],
            language=context.language("LG-DATA-011"),
        )
    ]


CHECKS: tuple[Check, ...] = (perimeter_not_evidenced,)
