"""Which upstream serves each model alias, built once from the settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lockgate.config.settings import ModelSettings, Settings, UpstreamSettings
from lockgate.errors import UnknownDeployment, UnknownModel, UnsupportedOperation
from lockgate.upstreams.base import Operation, Upstream

UpstreamFactory = Callable[[UpstreamSettings], Upstream]


@dataclass(slots=True, frozen=True)
class Route:
    model: ModelSettings
    upstream: Upstream


class Registry:
    def __init__(self, settings: Settings, build: UpstreamFactory) -> None:
        self.upstreams = {u.name: build(u) for u in settings.upstreams}
        self._routes = {
            m.alias: Route(m, self.upstreams[m.upstream]) for m in settings.models
        }

    def aliases(self) -> list[str]:
        return list(self._routes)

    def route(self, alias: str, operation: Operation) -> Route:
        """The route for ``alias``; the error names only what the caller asked for."""
        route = self._routes.get(alias)
        if route is None:
            raise UnknownModel(
                f"model '{alias[:100]}' is not available through this gateway; "
                "GET /v1/models lists the models you can use",
                param="model",
            )
        self._check_operation(route, operation)
        return route

    def deployment(self, name: str, operation: Operation) -> Route:
        """The route for an Azure deployment name (the alias, by another name)."""
        route = self._routes.get(name)
        if route is None:
            raise UnknownDeployment(
                f"deployment '{name[:100]}' does not exist on this gateway; check the "
                "deployment name in your client's configuration"
            )
        self._check_operation(route, operation)
        return route

    @staticmethod
    def _check_operation(route: Route, operation: Operation) -> None:
        if operation.value not in route.model.operations:
            allowed = ", ".join(route.model.operations)
            raise UnsupportedOperation(
                f"model '{route.model.alias}' cannot be used for {operation.value}; it "
                f"is configured for: {allowed}",
                param="model",
            )
