"""The normalised resource model every loader produces and every check reads.

A loader turns one infrastructure file (Terraform, plan JSON, CloudFormation, ARM,
Bicep) into :class:`Resource` objects. Attribute values stay in the source's own
shape and naming (Terraform ``snake_case`` blocks, CloudFormation ``Properties``,
ARM/Bicep resource bodies with their ``properties`` object), so nothing is lost in
translation; :meth:`Resource.get` finds a value whatever the source's casing.

Provenance is kept for every value: ``Resource.locations`` maps each attribute path
(a tuple of keys and list indexes) to the file, line and column it came from, and
:meth:`Resource.location_of` falls back to the nearest enclosing value. When a value
is written as a name (a Terraform variable, local or ``each.value``),
``Resource.origins`` also records where that name's value was set (the variable's
default, a tfvars line, the caller's module argument, the local), and
:meth:`Resource.origin_of` prefers it.

A declaration that makes no instance (Terraform ``count = 0``, an empty
``for_each``) is kept as a ``Multiplicity.NONE`` resource in
``Inventory.not_created``, Terraform outputs in ``Inventory.outputs`` and
CloudFormation parameters in ``Inventory.parameters``: apart from
``Inventory.resources``, so only the checks that ask for them see them.

A value lockgate cannot work out (a module output, a function it does not evaluate,
a variable with no default) is an :class:`Unresolved`, never a guess. A reference to
another resource is a :class:`Ref`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Location:
    """Where a value came from; ``file`` is relative to the reviewed root."""

    file: str
    line: int
    column: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True, slots=True)
class Unresolved:
    """A value that cannot be worked out statically."""

    expression: str
    reason: str

    def __str__(self) -> str:
        return f"UNRESOLVED({self.expression})"


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference to another resource (``target`` is its address)."""

    target: str
    attribute: str | None = None

    def __str__(self) -> str:
        return (
            self.target if self.attribute is None else f"{self.target}.{self.attribute}"
        )


class Multiplicity(StrEnum):
    """How many instances a declaration makes."""

    ONE = "one"
    ONE_OR_MORE = "one_or_more"  # count / for_each / copy loops
    CONDITIONAL = "conditional"  # a condition may leave it out
    NONE = "none"  # count = 0 or an empty for_each: declared, never created


class SourceFormat(StrEnum):
    TERRAFORM = "terraform"
    TERRAFORM_PLAN = "terraform_plan"
    CLOUDFORMATION = "cloudformation"
    ARM = "arm"
    BICEP = "bicep"
    GATEWAY = "gateway"


def _squash(key: str) -> str:
    return re.sub(r"[^a-z0-9]", "", key.lower())


@dataclass(slots=True)
class Resource:
    """One declared resource, whatever the language it was declared in.

    ``type`` is the source's own type name (``aws_vpc_endpoint``,
    ``AWS::EC2::VPCEndpoint``, ``Microsoft.Network/privateEndpoints``).
    ``address`` is unique within a review: ``aws_vpc_endpoint.bedrock``,
    ``module.net.aws_vpc.main``, the CloudFormation logical id, or the ARM/Bicep
    symbolic name.
    """

    type: str
    address: str
    source: SourceFormat
    location: Location
    attributes: dict[str, Any]
    locations: dict[Path, Location] = field(default_factory=dict)
    multiplicity: Multiplicity = Multiplicity.ONE
    module: str | None = None
    origins: dict[Path, Location] = field(default_factory=dict)

    @property
    def platform(self) -> str:
        lowered = self.type.lower()
        if lowered.startswith(("aws_", "aws::")):
            return "aws"
        if lowered.startswith(("azurerm_", "azapi_", "microsoft.")):
            return "azure"
        return "other"

    def get(self, *path: str | int, default: Any = None) -> Any:
        """The value at ``path``, matching keys without regard to case or ``_``.

        For ARM and Bicep bodies a first key not found at the top level is also
        looked up under ``properties``.
        """
        node: Any = self.attributes
        for index, key in enumerate(path):
            found = _step(node, key)
            if found is _MISSING and index == 0 and isinstance(node, dict):
                found = _step(node.get("properties", {}), key)
            if found is _MISSING:
                return default
            node = found
        return node

    def location_of(self, *path: str | int) -> Location:
        """The location of the value at ``path``, or of its nearest ancestor."""
        resolved = _resolve_path(self.attributes, path)
        for end in range(len(resolved), 0, -1):
            location = self.locations.get(resolved[:end])
            if location is not None:
                return location
        return self.location

    def origin_of(self, *path: str | int) -> Location:
        """Where the value at ``path`` was set, else where it is written.

        A path the attributes do not hold (``for_each``, a meta-argument) is
        looked up as given.
        """
        if path in self.origins:
            return self.origins[path]
        resolved = _resolve_path(self.attributes, path)
        for end in range(len(resolved), 0, -1):
            found = self.origins.get(resolved[:end]) or self.locations.get(
                resolved[:end]
            )
            if found is not None:
                return found
        return self.location


class _Missing:
    pass


_MISSING: Any = _Missing()


def _step(node: Any, key: str | int) -> Any:
    if isinstance(key, int):
        if isinstance(node, list) and -len(node) <= key < len(node):
            return node[key]
        return _MISSING
    if not isinstance(node, dict):
        return _MISSING
    if key in node:
        return node[key]
    wanted = _squash(key)
    for candidate, value in node.items():
        if isinstance(candidate, str) and _squash(candidate) == wanted:
            return value
    return _MISSING


def _resolve_path(attributes: dict[str, Any], path: Path) -> Path:
    """Turn a loosely-cased path into the exact keys used in ``attributes``."""
    node: Any = attributes
    exact: list[str | int] = []
    for index, key in enumerate(path):
        if isinstance(node, dict) and isinstance(key, str):
            match = next(
                (k for k in node if isinstance(k, str) and _squash(k) == _squash(key)),
                None,
            )
            if match is None and index == 0 and "properties" in node:
                exact.append("properties")
                node = node["properties"]
                match = next(
                    (
                        k
                        for k in node
                        if isinstance(k, str) and _squash(k) == _squash(key)
                    ),
                    None,
                )
            if match is None:
                break
            exact.append(match)
            node = node[match]
        elif isinstance(node, list) and isinstance(key, int) and key < len(node):
            exact.append(key)
            node = node[key]
        elif isinstance(node, str):
            # JSON text (a known ``jsonencode``): the rest of the path is kept as
            # written, so the lines of the object it was encoded from are found.
            exact.extend(path[index:])
            break
        else:
            break
    return tuple(exact)


@dataclass(slots=True)
class ParseProblem:
    """A file that could not be read; the review goes on without it."""

    file: str
    message: str
    line: int | None = None


@dataclass(slots=True)
class Inventory:
    """Everything the loaders found under the reviewed paths."""

    root: str
    resources: list[Resource] = field(default_factory=list)
    problems: list[ParseProblem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    # Declarations that make no instance (Multiplicity.NONE), kept apart from
    # ``resources`` so that only a check asking for them ever sees them.
    not_created: list[Resource] = field(default_factory=list)
    # Terraform ``output`` blocks, as resources of type "output" (attributes
    # ``value``, ``sensitive``), kept apart for the same reason.
    outputs: list[Resource] = field(default_factory=list)
    # CloudFormation ``Parameters``, as resources of type "parameter" addressed
    # ``Parameters.<Name>`` (attributes: the parameter's body), kept apart too.
    parameters: list[Resource] = field(default_factory=list)

    def of_type(self, *types: str) -> list[Resource]:
        wanted = {t.lower() for t in types}
        return [r for r in self.resources if r.type.lower() in wanted]

    def by_address(self, address: str) -> Resource | None:
        return next((r for r in self.resources if r.address == address), None)


class Area(StrEnum):
    """The five readiness areas, in the order their gates are evaluated."""

    CONNECTIVITY = "connectivity"
    IDENTITY = "identity"
    DATA_PERIMETER = "data_perimeter"
    OBSERVABILITY = "observability"
    COST = "cost"


class Platform(StrEnum):
    AWS = "aws"
    AZURE = "azure"
    SELF_HOSTED = "self_hosted"
    GATEWAY = "gateway"


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"


class Status(StrEnum):
    """A finding's outcome. UNRESOLVED is never counted as a pass."""

    PASS = "pass"
    FAIL = "fail"
    UNRESOLVED = "unresolved"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True, slots=True)
class CheckSpec:
    """A check in the catalog. ``id`` is stable across releases."""

    id: str
    title: str
    area: Area
    platform: Platform
    severity: Severity
    rationale: str
    fix: dict[str, str] = field(default_factory=dict)  # source language -> snippet


@dataclass(slots=True)
class Finding:
    check: CheckSpec
    status: Status
    message: str
    resource: str | None = None
    location: Location | None = None
    evidence: list[str] = field(default_factory=list)
    fix: str | None = None
    origin: Location | None = None  # where the deciding value was set, if elsewhere


class GateStatus(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    BLOCKED = "blocked"


@dataclass(slots=True)
class Gate:
    area: Area
    status: GateStatus
    blocked_by: list[Area] = field(default_factory=list)
    failed: int = 0
    unresolved: int = 0
