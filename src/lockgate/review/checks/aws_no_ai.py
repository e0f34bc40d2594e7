"""An AWS deployment with no Bedrock use at all.

The AI checks have nothing to judge in, say, a shared-services network; saying
nothing would read as if the controls were in place. Each foundation says once,
without a location, that the code gives it nothing to assess.
"""

from __future__ import annotations

from lockgate.review.model import Finding, Status

from . import aws
from .support import Check, CheckContext, finding

_NOTHING = (
    (
        "LG-IAM-001",
        "no Bedrock principal or policy in the reviewed code: nothing to assess",
    ),
    (
        "LG-OBS-001",
        "not an AI deployment: Bedrock model invocation logging does not apply to "
        "the reviewed code and is not evidenced",
    ),
    (
        "LG-COST-003",
        "no budget in the reviewed code: not evidenced (often owned by a finance "
        "or platform account)",
    ),
)


def not_an_ai_deployment(context: CheckContext) -> list[Finding]:
    """LG-IAM-001, LG-OBS-001 and LG-COST-003 for AWS code that never uses Bedrock."""
    declares_aws = any(
        r.platform == "aws" and not r.type.startswith(("provider.", "data."))
        for r in context.inventory.resources
    )
    if not declares_aws or aws.has_ai_workload(context):
        return []
    return [
        finding(
            check_id,
            Status.UNRESOLVED,
            message,
            evidence=["no Bedrock resource, endpoint, grant or model call"],
            language=context.language(check_id),
        )
        for check_id, message in _NOTHING
    ]


CHECKS: tuple[Check, ...] = (not_an_ai_deployment,)
