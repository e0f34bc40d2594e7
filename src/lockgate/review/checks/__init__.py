"""The readiness review's checks.

One module per area (``connectivity``, ``identity``, ``data_perimeter``,
``observability``, ``cost``, ``gateway``) plus modules for concepts that cut across
areas: ``frontdoor`` (the API in front of the models), ``aws_egress`` (routes from
AI subnets), ``encryption``, ``guardrails``, ``apim``, ``app_secrets`` and
``azure_perimeter``. Shared views live in ``aws``, ``aws_dns``, ``azure``,
``azure_network`` and ``policies``; the catalog in ``catalog`` (rows in
``specs_*``, fix snippets in ``fixes_*``).

``ALL_CHECKS`` is every check function; the engine runs them all and sorts the
findings into gate order.
"""

from __future__ import annotations

from . import (
    apim,
    app_secrets,
    aws_buckets,
    aws_egress,
    aws_function_logs,
    aws_generic_iam,
    aws_guardrail_lifecycle,
    aws_images,
    aws_kb_logs,
    aws_monitoring,
    aws_network_hygiene,
    aws_network_patterns,
    aws_no_ai,
    aws_perimeter_evidence,
    aws_registry_modules,
    aws_resolver,
    aws_s3_grants,
    aws_tagging,
    azure_governance,
    azure_models,
    azure_operations,
    azure_perimeter,
    azure_topology,
    azure_workload,
    connectivity,
    cost,
    data_perimeter,
    encryption,
    frontdoor,
    gateway,
    guardrails,
    identity,
    observability,
)
from .support import Check, CheckContext

ALL_CHECKS: tuple[Check, ...] = (
    *connectivity.CHECKS,
    *identity.CHECKS,
    *data_perimeter.CHECKS,
    *aws_egress.CHECKS,
    *encryption.CHECKS,
    *frontdoor.CHECKS,
    *azure_perimeter.CHECKS,
    *azure_workload.CHECKS,
    *azure_governance.CHECKS,
    *azure_topology.CHECKS,
    *azure_operations.CHECKS,
    *azure_models.CHECKS,
    *guardrails.CHECKS,
    *apim.CHECKS,
    *app_secrets.CHECKS,
    *observability.CHECKS,
    *cost.CHECKS,
    *gateway.CHECKS,
    *aws_generic_iam.CHECKS,
    *aws_network_patterns.CHECKS,
    *aws_network_hygiene.CHECKS,
    *aws_registry_modules.CHECKS,
    *aws_buckets.CHECKS,
    *aws_images.CHECKS,
    *aws_monitoring.CHECKS,
    *aws_tagging.CHECKS,
    *aws_guardrail_lifecycle.CHECKS,
    *aws_s3_grants.CHECKS,
    *aws_resolver.CHECKS,
    *aws_function_logs.CHECKS,
    *aws_no_ai.CHECKS,
    *aws_kb_logs.CHECKS,
    *aws_perimeter_evidence.CHECKS,
)

__all__ = ["ALL_CHECKS", "Check", "CheckContext"]
