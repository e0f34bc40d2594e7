"""The readiness review's checks, one module per area.

``ALL_CHECKS`` is every check function in gate order; the engine runs them all.
"""

from __future__ import annotations

from . import (
    apim,
    app_secrets,
    aws_egress,
    azure_perimeter,
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
    *guardrails.CHECKS,
    *apim.CHECKS,
    *app_secrets.CHECKS,
    *observability.CHECKS,
    *cost.CHECKS,
    *gateway.CHECKS,
)

__all__ = ["ALL_CHECKS", "Check", "CheckContext"]
