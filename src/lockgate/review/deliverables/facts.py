"""The facts of the four deliverables, as plain data every renderer reads.

Builders in this package compute these from an :class:`~lockgate.review.model.Inventory`
and the checks' findings; renderers (Markdown, HTML, JSON, SARIF) only format them.
Every list is sorted by the builder, so two runs over the same files give the same
report byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One private connection to a model service found in the code."""

    address: str
    service: str  # bedrock-runtime, openai account, ...
    platform: str  # aws | azure
    network: str  # VPC or VNet address, or "unknown"
    zones: tuple[str, ...]
    private_dns: str  # "on", "off", "zone group", "unresolved"
    policy: str  # "custom", "none (full access)", "n/a", "unresolved"
    location: str


@dataclass(frozen=True, slots=True)
class MissingEndpoint:
    network: str
    service: str
    reason: str


@dataclass(frozen=True, slots=True)
class NetworkInventory:
    """The endpoints of one VPC or VNet."""

    network: str
    platform: str
    zones: tuple[str, ...]
    endpoints: tuple[Endpoint, ...]
    missing: tuple[MissingEndpoint, ...]


@dataclass(frozen=True, slots=True)
class DnsZone:
    name: str
    address: str
    kind: str  # private hosted zone, private DNS zone, managed by endpoint
    linked_networks: tuple[str, ...]
    location: str


@dataclass(frozen=True, slots=True)
class DnsPlan:
    zones: tuple[DnsZone, ...]
    resolvers: tuple[str, ...]
    forwarding_rules: tuple[str, ...]
    required_zones: tuple[str, ...]
    missing_zones: tuple[str, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class HubSpokeDecision:
    ai_networks: int
    accounts: int
    pattern_found: str  # "hub-and-spoke", "per-network", "none"
    decision: str  # "centralise in a hub" | "endpoints per network"
    reason: str


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    label: str
    kind: str  # network, endpoint, missing, service, zone, gateway, internet, transit


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    label: str = ""


@dataclass(frozen=True, slots=True)
class Topology:
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]


@dataclass(frozen=True, slots=True)
class NetworkDesign:
    networks: tuple[NetworkInventory, ...]
    dns: DnsPlan
    hub_spoke: HubSpokeDecision
    topology: Topology


@dataclass(frozen=True, slots=True)
class Principal:
    """Anything that can reach a model: role, user, identity, app or agent."""

    name: str
    kind: str  # iam role, iam user, managed identity, gateway app, gateway agent
    platform: str
    permissions: tuple[str, ...]
    scope: tuple[str, ...]
    static_keys: bool
    location: str


@dataclass(frozen=True, slots=True)
class FindingRef:
    """A pointer from a deliverable to a finding: enough to read it in place."""

    check_id: str
    status: str
    severity: str
    message: str
    resource: str
    location: str


@dataclass(frozen=True, slots=True)
class AccessModel:
    principals: tuple[Principal, ...]
    local_auth: tuple[str, ...]  # accounts with key auth still on
    wildcard_findings: tuple[FindingRef, ...]
    static_key_findings: tuple[FindingRef, ...]
    just_in_time: tuple[str, ...]
    human_approval: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EgressPath:
    subnet: str
    network: str
    via: str  # NAT gateway, internet gateway, transit gateway, firewall, ...
    destination: str
    evidence: str
    ai_network: bool = False  # the network hosts or needs a model endpoint


@dataclass(frozen=True, slots=True)
class DataPerimeter:
    endpoint_policies: tuple[str, ...]
    encryption_keys: tuple[str, ...]
    approved_destinations: tuple[str, ...]
    egress_paths: tuple[EgressPath, ...]
    dlp_rules: tuple[str, ...]
    gaps: tuple[FindingRef, ...]


@dataclass(frozen=True, slots=True)
class Baseline:
    """Measured from the gateway's store; absent when no store was given."""

    spend_per_day: tuple[tuple[str, str, float], ...]  # (day, app, USD)
    tokens_per_request: tuple[tuple[str, float], ...]  # (app, mean tokens)


@dataclass(frozen=True, slots=True)
class ObservabilityCost:
    invocation_logging: tuple[str, ...]
    diagnostic_settings: tuple[str, ...]
    otel: tuple[str, ...]
    cost_tags: tuple[str, ...]
    inference_profiles: tuple[str, ...]
    budgets: tuple[str, ...]
    anomaly_monitors: tuple[str, ...]
    gaps: tuple[FindingRef, ...]
    baseline: Baseline | None = None


@dataclass(frozen=True, slots=True)
class Deliverables:
    network: NetworkDesign
    access: AccessModel
    perimeter: DataPerimeter
    observability: ObservabilityCost
    notes: tuple[str, ...] = field(default_factory=tuple)
