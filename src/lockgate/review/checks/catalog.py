"""Every check of the readiness review, by its stable id.

Ids never change meaning once released: a retired check keeps its id unused. Each
spec carries a fix snippet per source language it applies to (``terraform``,
``cloudformation``, ``bicep``, ``arm``; ``gateway`` for the gateway's own YAML), so a
finding can show the fix in the language the resource was written in.
"""

from __future__ import annotations

from lockgate.review.model import CheckSpec

from . import (
    specs_azure_generic,
    specs_foundation,
    specs_generic_aws,
    specs_layers,
)
from .fixes import FIXES


def _build() -> dict[str, CheckSpec]:
    catalog: dict[str, CheckSpec] = {}
    rows = specs_foundation.ROWS + specs_layers.ROWS
    rows += specs_generic_aws.ROWS
    rows += specs_azure_generic.ROWS
    for check_id, area, platform, severity, title, rationale in rows:
        if check_id in catalog:
            raise ValueError(
                f"check id {check_id} is declared twice; give one a new id"
            )
        catalog[check_id] = CheckSpec(
            id=check_id,
            title=title,
            area=area,
            platform=platform,
            severity=severity,
            rationale=rationale,
            fix=dict(FIXES.get(check_id, {})),
        )
    return catalog


CATALOG: dict[str, CheckSpec] = _build()
