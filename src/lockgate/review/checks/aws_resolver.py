"""Route 53 Resolver forwarding rules: do they reach the VPCs that need them?

A rule resolves names only inside the VPCs it is associated with. The
association may be made in another account after the rule is shared, so a rule
without one in the reviewed code is not evidenced rather than failed.
"""

from __future__ import annotations

from lockgate.review.model import Finding, Resource, Status

from .aws_dns import base_address
from .support import Check, CheckContext, Verdict, judge_each, reference_targets

RULE_TYPES = ("aws_route53_resolver_rule", "AWS::Route53Resolver::ResolverRule")
ASSOCIATION_TYPES = (
    "aws_route53_resolver_rule_association",
    "AWS::Route53Resolver::ResolverRuleAssociation",
)


def rule_associations(context: CheckContext) -> list[Finding]:
    """LG-CONN-105: each forwarding rule is associated with a VPC."""
    targets = {
        base_address(t)
        for association in context.declared(*ASSOCIATION_TYPES)
        for t in reference_targets(association.attributes)
    }
    return judge_each(
        "LG-CONN-105",
        context.declared(*RULE_TYPES),
        lambda rule: _judge(rule, targets),
    )


def _judge(rule: Resource, targets: set[str]) -> Verdict:
    if base_address(rule.address) in targets or rule.address in targets:
        return Verdict(Status.PASS, "associated with a VPC")
    return Verdict(
        Status.UNRESOLVED,
        "no resolver rule association in the reviewed code: the rule resolves "
        "nothing unless another account associates it",
    )


CHECKS: tuple[Check, ...] = (rule_associations,)
