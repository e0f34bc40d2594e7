"""Knowledge-base application logs: ingestion and retrieval errors, delivered.

A Bedrock knowledge base writes its application logs only when a CloudWatch log
delivery source names it and a delivery links that source to a destination.
"""

from __future__ import annotations

from lockgate.review.model import Finding, Resource, Status

from .support import Check, CheckContext, Verdict, judged, mentions

KB_TYPES = (
    "aws_bedrockagent_knowledge_base",
    "awscc_bedrock_knowledge_base",
    "AWS::Bedrock::KnowledgeBase",
)
SOURCE_TYPES = ("aws_cloudwatch_log_delivery_source", "AWS::Logs::DeliverySource")
DELIVERY_TYPES = ("aws_cloudwatch_log_delivery", "AWS::Logs::Delivery")


def knowledge_base_logs(context: CheckContext) -> list[Finding]:
    """LG-OBS-106: each knowledge base's application logs are delivered."""
    sources = context.declared(*SOURCE_TYPES)
    deliveries = context.declared(*DELIVERY_TYPES)
    findings = []
    for kb in context.declared(*KB_TYPES):
        subject, verdict = _judge(kb, sources, deliveries)
        findings.append(judged("LG-OBS-106", subject, verdict))
    return findings


def _judge(
    kb: Resource, sources: list[Resource], deliveries: list[Resource]
) -> tuple[Resource, Verdict]:
    """The verdict, on the delivery source when there is one (where the control
    is written), else on the knowledge base."""
    source = next((s for s in sources if mentions(s.attributes, kb)), None)
    if source is None:
        return kb, Verdict(Status.FAIL, "no log delivery source: its logs go nowhere")
    delivery = next((d for d in deliveries if mentions(d.attributes, source)), None)
    if delivery is None:
        return source, Verdict(
            Status.FAIL, f"delivers {kb.address}'s logs nowhere (no log delivery)"
        )
    return source, Verdict(
        Status.PASS,
        f"{kb.address}'s application logs delivered by {delivery.address}",
        evidence=[
            f"{source.address} ({source.location})",
            f"{delivery.address} ({delivery.location})",
        ],
    )


CHECKS: tuple[Check, ...] = (knowledge_base_logs,)
