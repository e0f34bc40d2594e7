"""Point ``resourceId(...)`` references in Bicep at the symbol that declares them.

``resourceId('Microsoft.Network/virtualNetworks/subnets', vnetName, 'snet')``
evaluates to a Ref to ``<type>/<names>``, the ARM way of naming a resource. When
a resource of that type and full name is declared in the same deployment, the
Ref is pointed at its symbolic address instead, so checks can follow it.
"""

from __future__ import annotations

from typing import Any

from lockgate.review.model import Ref, Resource


def link_resource_ids(resources: list[Resource]) -> None:
    """Rewrite, in place, Refs that name a declared resource by type and name."""
    by_id = _declared_ids(resources)
    if not by_id:
        return
    for resource in resources:
        resource.attributes = _relinked(resource.attributes, by_id)


def _declared_ids(resources: list[Resource]) -> dict[str, str]:
    full_names: dict[str, str] = {}
    by_id: dict[str, str] = {}
    for resource in resources:  # parents come before their children
        name = resource.attributes.get("name")
        if not isinstance(name, str):
            continue
        parent = (
            resource.address.rsplit("::", 1)[0] if "::" in resource.address else None
        )
        if parent is not None and parent not in full_names:
            continue
        full = name if parent is None else f"{full_names[parent]}/{name}"
        full_names[resource.address] = full
        by_id[f"{resource.type}/{full}".lower()] = resource.address
    return by_id


def _relinked(value: Any, by_id: dict[str, str]) -> Any:
    if isinstance(value, Ref):
        address = by_id.get(value.target.lower())
        return value if address is None else Ref(address, value.attribute)
    if isinstance(value, dict):
        return {k: _relinked(v, by_id) for k, v in value.items()}
    if isinstance(value, list):
        return [_relinked(v, by_id) for v in value]
    return value
