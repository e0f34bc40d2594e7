"""Catalog rows of the Azure checks on what surrounds an AI account: the app that
calls it, the client VM, the egress route, the log workspace and Azure Policy.

Each row is (id, area, platform, severity, title, rationale). These checks take
the ``040`` block of each area so their ids never meet those of the other
catalog modules.
"""

from __future__ import annotations

from .specs_terms import _AZ, _C, _D, _I, _LOW, _MED, _O, Row

ROWS: tuple[Row, ...] = (
    (
        "LG-CONN-040",
        _C,
        _AZ,
        _MED,
        "Apps that call the AI account are reached privately",
        "An App Service app that accepts public traffic, or that sends only part of "
        "its traffic through its virtual network, opens a path around the AI "
        "account's private endpoint.",
    ),
    (
        "LG-CONN-041",
        _C,
        _AZ,
        _MED,
        "AI private DNS zones are linked to every spoke network",
        "In a hub-and-spoke network a spoke whose VNet is not linked to the "
        "privatelink zones resolves the AI account to its public address; with no "
        "peering at all the question does not arise.",
    ),
    (
        "LG-CONN-042",
        _C,
        _AZ,
        _MED,
        "Stores an AI workload depends on accept no public traffic",
        "Storage, AI Search, Cosmos DB and Key Vault hold the prompts, files, "
        "threads and secrets of agents; public access to them bypasses the AI "
        "account's private endpoint.",
    ),
    (
        "LG-IAM-040",
        _I,
        _AZ,
        _MED,
        "Callers of the AI account are granted an Entra role",
        "Without a role assignment on the account, callers can only use its keys; "
        "when the grant is made outside the reviewed code it cannot be seen here.",
    ),
    (
        "LG-DATA-040",
        _D,
        _AZ,
        _MED,
        "Default routes of an AI deployment lead to a firewall",
        "A 0.0.0.0/0 route with next hop Internet sends traffic out unfiltered; a "
        "virtual appliance (Azure Firewall) is where egress is controlled.",
    ),
    (
        "LG-DATA-041",
        _D,
        _AZ,
        _MED,
        "Model deployments keep a content filter",
        "A deployment with Microsoft.Nil, or a custom policy whose filters are off or "
        "only annotate, passes harmful prompts and completions through unfiltered.",
    ),
    (
        "LG-OBS-040",
        _O,
        _AZ,
        _LOW,
        "Log Analytics workspaces keep logs at least 30 days",
        "Audit and request logs of the AI account land in the workspace; fewer than "
        "the 30 days included in its price leaves too little for incident response.",
    ),
    (
        "LG-OBS-041",
        _O,
        _AZ,
        _LOW,
        "Azure Policy governs the AI accounts",
        "Built-in assignments for AI Services key access (71ef260a) and network "
        "access (037eea7a) report or stop drift; they are often assigned above the "
        "workload, at a management group.",
    ),
    (
        "LG-OBS-043",
        _O,
        _AZ,
        _LOW,
        "The egress firewall of an AI deployment logs its rule hits",
        "Without firewall logs there is no record of where AI workloads tried to "
        "send data, allowed or denied.",
    ),
    (
        "LG-OBS-044",
        _O,
        _AZ,
        _LOW,
        "Foundry projects trace to Application Insights",
        "An AppInsights connection lets the project record agent runs and token "
        "usage; without it model calls are not traced.",
    ),
    (
        "LG-OBS-042",
        _O,
        _AZ,
        _LOW,
        "Virtual machines of an AI deployment keep boot diagnostics",
        "Without boot diagnostics a client VM that fails to start leaves no serial "
        "log or screenshot to investigate.",
    ),
)
