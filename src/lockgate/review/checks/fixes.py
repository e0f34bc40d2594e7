"""Fix snippets per check and source language, shown with each finding.

Keys are :class:`~lockgate.review.model.SourceFormat` values; a Terraform plan
finding shows the ``terraform`` snippet.
"""

from __future__ import annotations

from . import (
    fixes_azure_generic,
    fixes_foundation,
    fixes_generic_aws,
    fixes_layers,
)

FIXES: dict[str, dict[str, str]] = {**fixes_foundation.FIXES, **fixes_layers.FIXES}
FIXES.update(fixes_generic_aws.FIXES)
FIXES.update(fixes_azure_generic.FIXES)
