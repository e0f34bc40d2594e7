"""Where a "not evidenced" finding points when the code has nothing to judge.

A finding about something missing still belongs somewhere a reader can open: the
root module's call of a child module (the argument that switches its resources
on), or else the AWS provider block, which sets the account and region the
review is about.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from lockgate.review.model import Location, Resource

from .support import CheckContext


def anchor(context: CheckContext) -> tuple[Resource, Location] | None:
    """A resource and location for a finding with no subject of its own."""
    called = _called_from_root(context)
    if called is not None:
        return called
    providers = context.declared("provider.aws")
    if providers:
        return providers[0], providers[0].location
    return None


def _called_from_root(context: CheckContext) -> tuple[Resource, Location] | None:
    """A child module's resource, located at the caller's argument that makes it.

    The call block itself is not kept in the inventory; its ``count`` or
    ``for_each`` argument, written in the calling folder, is.
    """
    for resource in context.inventory.resources:
        if resource.module is None or resource.address.startswith("data."):
            continue
        for key in ("count", "for_each"):
            origin = resource.origins.get((key,))
            if origin is not None and _folder(origin) != _folder(resource.location):
                return resource, origin
    return None


def _folder(location: Location) -> PurePosixPath:
    return PurePosixPath(location.file).parent
