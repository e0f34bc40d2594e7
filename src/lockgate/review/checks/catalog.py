"""Every check of the readiness review, by its stable id.

Ids never change meaning once released: a retired check keeps its id unused. Each
spec carries a fix snippet per source language it applies to (``terraform``,
``cloudformation``, ``bicep``, ``arm``; ``gateway`` for the gateway's own YAML), so a
finding can show the fix in the language the resource was written in.
"""

from __future__ import annotations

from lockgate.review.model import Area, CheckSpec, Platform, Severity

from .fixes import FIXES

_C, _I, _D, _O, _K = (
    Area.CONNECTIVITY,
    Area.IDENTITY,
    Area.DATA_PERIMETER,
    Area.OBSERVABILITY,
    Area.COST,
)
_AWS, _AZ, _GW = Platform.AWS, Platform.AZURE, Platform.GATEWAY
_CRIT, _HIGH, _MED, _LOW = (
    Severity.CRITICAL,
    Severity.HIGH,
    Severity.MEDIUM,
    Severity.LOW,
)

_ROWS: tuple[tuple[str, Area, Platform, Severity, str, str], ...] = (
    # Private connectivity
    (
        "LG-CONN-001",
        _C,
        _AWS,
        _HIGH,
        "Bedrock runtime reached through an interface VPC endpoint",
        "Without a bedrock-runtime interface endpoint, inference calls leave the VPC "
        "for the public regional endpoint through an internet or NAT gateway.",
    ),
    (
        "LG-CONN-002",
        _C,
        _AWS,
        _LOW,
        "Every Bedrock endpoint the workload needs exists",
        "Bedrock has five interface endpoints (bedrock, bedrock-runtime, "
        "bedrock-agent, bedrock-agent-runtime, bedrock-mantle). A missing one sends "
        "that API surface over the public endpoint.",
    ),
    (
        "LG-CONN-003",
        _C,
        _AWS,
        _MED,
        "Bedrock endpoints resolve privately",
        "With private DNS off and no private hosted zone named after the service "
        "hostname, SDKs keep resolving the public address and bypass the endpoint.",
    ),
    (
        "LG-CONN-004",
        _C,
        _AWS,
        _MED,
        "VPC DNS support and hostnames on for endpoint private DNS",
        "Interface endpoint private DNS needs enableDnsSupport and "
        "enableDnsHostnames true on the VPC.",
    ),
    (
        "LG-CONN-005",
        _C,
        _AWS,
        _LOW,
        "Bedrock endpoints span at least two subnets",
        "An endpoint in one subnet (one Availability Zone) fails with that zone.",
    ),
    (
        "LG-CONN-006",
        _C,
        _AWS,
        _MED,
        "Centralised Bedrock endpoint has a hub-and-spoke hosted zone",
        "A hub endpoint with private DNS off needs a private hosted zone named after "
        "the full service hostname, associated with every spoke VPC, with an alias "
        "record to the endpoint.",
    ),
    (
        "LG-CONN-007",
        _C,
        _AZ,
        _HIGH,
        "AI account public network access disabled",
        "publicNetworkAccess defaults to Enabled: the account answers from the "
        "internet (checkov CKV_AZURE_134, Azure Policy 037eea7a).",
    ),
    (
        "LG-CONN-008",
        _C,
        _AZ,
        _MED,
        "AI account network ACLs default to Deny while public access is on",
        "With public access on and no networkAcls defaultAction Deny, every network "
        "may call the account (Azure Policy 037eea7a).",
    ),
    (
        "LG-CONN-009",
        _C,
        _AZ,
        _HIGH,
        "AI account has a private endpoint (group id 'account')",
        "Private connectivity to Azure OpenAI and AI Services goes through a private "
        "endpoint whose group id is 'account' (Azure Policy d6759c02).",
    ),
    (
        "LG-CONN-010",
        _C,
        _AZ,
        _MED,
        "Private endpoint DNS zone group holds every zone the account kind needs",
        "kind OpenAI needs privatelink.openai.azure.com (cognitiveservices "
        "recommended); kind AIServices needs privatelink.openai.azure.com, "
        "privatelink.cognitiveservices.azure.com and "
        "privatelink.services.ai.azure.com.",
    ),
    (
        "LG-CONN-011",
        _C,
        _AZ,
        _MED,
        "AI account has a custom subdomain",
        "A private endpoint cannot be attached to an account without "
        "customSubDomainName.",
    ),
    (
        "LG-CONN-012",
        _C,
        _AZ,
        _MED,
        "Private DNS zones for AI accounts are linked to virtual networks",
        "A privatelink zone resolves only in the VNets linked to it; one zone per name "
        "linked to the hub and every spoke.",
    ),
    (
        "LG-CONN-013",
        _C,
        _AWS,
        _HIGH,
        "AI compute runs inside a VPC",
        "A Lambda function or AgentCore runtime outside a VPC reaches Bedrock over the "
        "public endpoint and cannot be held to an endpoint policy.",
    ),
    # Identity
    (
        "LG-IAM-001",
        _I,
        _AWS,
        _HIGH,
        "No wildcard Bedrock actions",
        "bedrock:* (or *) grants model management, logging changes and guardrail "
        "deletion along with inference.",
    ),
    (
        "LG-IAM-002",
        _I,
        _AWS,
        _MED,
        "Bedrock actions scoped to model or profile ARNs",
        "Bedrock actions on Resource '*' allow every model, inference profile and "
        "guardrail in every region.",
    ),
    (
        "LG-IAM-003",
        _I,
        _AWS,
        _HIGH,
        "AmazonBedrockFullAccess not attached",
        "The managed full-access policy grants every Bedrock action on every resource.",
    ),
    (
        "LG-IAM-004",
        _I,
        _AWS,
        _HIGH,
        "No long-lived IAM access keys",
        "Static access keys (aws_iam_access_key, or access_key/secret_key in a "
        "provider block) do not expire and are the usual way credentials leak.",
    ),
    (
        "LG-IAM-005",
        _I,
        _AWS,
        _CRIT,
        "No long-term Bedrock API keys",
        "A long-term Bedrock API key is an IAM service-specific credential that AWS "
        "recommends only for exploration.",
    ),
    (
        "LG-IAM-006",
        _I,
        _AWS,
        _HIGH,
        "No bearer-token grants for Bedrock",
        "bedrock:CallWithBearerToken (or bedrock-mantle:CallWithBearerToken) lets API "
        "keys, not SigV4 identities, call Bedrock.",
    ),
    (
        "LG-IAM-007",
        _I,
        _AWS,
        _MED,
        "Bedrock service roles guard against the confused deputy",
        "A role trusting bedrock.amazonaws.com without aws:SourceAccount or "
        "aws:SourceArn can be used by another account's Bedrock resources.",
    ),
    (
        "LG-IAM-008",
        _I,
        _AZ,
        _HIGH,
        "AI account key (local) authentication disabled",
        "Keys are enabled by default; with them any holder of a key calls the account "
        "without Entra ID (checkov CKV_AZURE_236, Azure Policy 71ef260a).",
    ),
    (
        "LG-IAM-009",
        _I,
        _AZ,
        _LOW,
        "AI account has a managed identity",
        "Without a managed identity the account cannot reach customer-managed keys or "
        "storage with Entra ID (checkov CKV_AZURE_238).",
    ),
    (
        "LG-IAM-010",
        _I,
        _AZ,
        _MED,
        "No Owner or Contributor role on an AI account",
        "Owner and Contributor include listKeys; least-privilege inference uses "
        "Cognitive Services OpenAI User.",
    ),
    (
        "LG-IAM-011",
        _I,
        _AZ,
        _MED,
        "AI account keys not read into infrastructure code",
        "listKeys() or primary_access_key copies a static key into outputs, app "
        "settings or state.",
    ),
    # Data perimeter and egress
    (
        "LG-DATA-001",
        _D,
        _AWS,
        _HIGH,
        "Bedrock endpoints carry an endpoint policy",
        "An endpoint without a policy allows full access to the service: it isolates "
        "the network but sets no authorisation boundary.",
    ),
    (
        "LG-DATA-002",
        _D,
        _AWS,
        _MED,
        "Bedrock endpoint policies are scoped",
        "Principal '*' without an aws:PrincipalOrgID or account condition, "
        "bedrock:* or Resource '*' in an endpoint policy lets anyone in the VPC use "
        "any model with any credentials.",
    ),
    (
        "LG-DATA-003",
        _D,
        _AWS,
        _MED,
        "Mantle endpoint policy covers the bedrock-mantle: actions",
        "bedrock-mantle has its own IAM prefix; a policy written only for bedrock: "
        "does not govern it.",
    ),
    (
        "LG-DATA-004",
        _D,
        _AWS,
        _HIGH,
        "No direct internet route from AI subnets",
        "A 0.0.0.0/0 route to an internet or NAT gateway lets AI workloads send data "
        "anywhere.",
    ),
    (
        "LG-DATA-005",
        _D,
        _AWS,
        _MED,
        "AI security groups do not allow all egress",
        "Security group egress to 0.0.0.0/0 removes the network's egress control for "
        "the workload.",
    ),
    (
        "LG-DATA-006",
        _D,
        _AZ,
        _HIGH,
        "AI account outbound access restricted to an FQDN allow list",
        "restrictOutboundNetworkAccess with allowedFqdnList is the account's data "
        "loss prevention control; no Azure Policy built-in checks it.",
    ),
    (
        "LG-DATA-007",
        _D,
        _AZ,
        _LOW,
        "AI account encrypted with a customer-managed key",
        "Without an encryption block the platform key is used (Azure Policy "
        "67121cc7); policy-dependent.",
    ),
    (
        "LG-DATA-008",
        _D,
        _AWS,
        _MED,
        "Bedrock agents encrypted with a customer-managed key",
        "Agent data is encrypted with an AWS-owned key unless a CMK is set (checkov "
        "CKV_AWS_373).",
    ),
    (
        "LG-DATA-009",
        _D,
        _AWS,
        _MED,
        "Invocation log destinations are KMS-encrypted",
        "Invocation logs hold prompts and completions; their log group or bucket "
        "needs a customer-managed key.",
    ),
    (
        "LG-DATA-010",
        _D,
        _AWS,
        _LOW,
        "Guardrails encrypted with a customer-managed key",
        "A guardrail without kms_key_arn uses an AWS-owned key; policy-dependent.",
    ),
    (
        "LG-DATA-011",
        _D,
        _AWS,
        _MED,
        "Bedrock grants carry a network perimeter condition",
        "With endpoints in place, identity policies granting bedrock:Invoke* should "
        "require aws:SourceVpce or aws:SourceVpc so stolen credentials fail outside.",
    ),
    (
        "LG-DATA-012",
        _D,
        _AZ,
        _MED,
        "Subnets of an AI deployment have no default outbound access",
        "A subnet without defaultOutboundAccess false and no route table to a "
        "firewall reaches the internet directly.",
    ),
    (
        "LG-DATA-013",
        _D,
        _AWS,
        _MED,
        "AI compute gets no public IP",
        "A public IP on AI compute (MapPublicIpOnLaunch, AssignPublicIp) exposes it "
        "and gives it direct internet egress.",
    ),
    (
        "LG-DATA-014",
        _D,
        _AWS,
        _HIGH,
        "AI compute egress passes a network control",
        "A Lambda function outside a VPC has unrestricted internet egress: no "
        "security group, route, firewall or endpoint policy applies to it.",
    ),
    # Observability
    (
        "LG-OBS-001",
        _O,
        _AWS,
        _HIGH,
        "Bedrock model invocation logging evidenced",
        "Invocation logging is per region and off by default; without it there is no "
        "record of prompts, completions or callers.",
    ),
    (
        "LG-OBS-002",
        _O,
        _AWS,
        _MED,
        "Invocation logging delivers text to a destination",
        "Text delivery must be on and an S3 or CloudWatch destination set.",
    ),
    (
        "LG-OBS-003",
        _O,
        _AWS,
        _LOW,
        "Invocation log group has a retention period suited to audit",
        "No retention keeps prompts forever; a few days is too short for audit or "
        "incident response.",
    ),
    (
        "LG-OBS-004",
        _O,
        _AWS,
        _LOW,
        "Large invocation payloads delivered to S3",
        "Without large_data_delivery_s3_config, payloads too large for CloudWatch are "
        "not logged.",
    ),
    (
        "LG-OBS-005",
        _O,
        _AWS,
        _MED,
        "Mantle traffic is a logging blind spot",
        "Invocation logging only captures calls through bedrock-runtime; traffic "
        "through bedrock-mantle is not logged by it.",
    ),
    (
        "LG-OBS-006",
        _O,
        _AZ,
        _HIGH,
        "AI account has diagnostic settings",
        "Without a diagnostic setting no request or audit log of the account is kept "
        "(Azure Policy 1b4d1c4e).",
    ),
    (
        "LG-OBS-007",
        _O,
        _AZ,
        _MED,
        "Diagnostic settings export request and usage logs",
        "RequestResponse and AzureOpenAIRequestUsage (or the allLogs group) are the "
        "categories a GenAI review needs; Azure Policy checks only 'any logs'.",
    ),
    # Cost
    (
        "LG-COST-001",
        _K,
        _AWS,
        _MED,
        "Bedrock calls go through application inference profiles",
        "Raw model ids give no per-application cost attribution; an application "
        "inference profile with tags does.",
    ),
    (
        "LG-COST-002",
        _K,
        _AWS,
        _MED,
        "Application inference profiles carry cost tags",
        "An untagged inference profile cannot serve cost allocation.",
    ),
    (
        "LG-COST-003",
        _K,
        _AWS,
        _LOW,
        "A budget covers the AI spend",
        "A budget filtered to Bedrock or Azure OpenAI warns before spend runs away.",
    ),
    (
        "LG-COST-004",
        _K,
        _AWS,
        _LOW,
        "A cost anomaly monitor covers the AI spend",
        "An anomaly monitor with a subscription catches runaway token spend.",
    ),
    (
        "LG-COST-005",
        _K,
        _AWS,
        _LOW,
        "Cost allocation tags activated",
        "Tags appear in billing only once activated as cost allocation tags.",
    ),
    (
        "LG-COST-006",
        _K,
        _AZ,
        _MED,
        "AI accounts and deployments carry tags",
        "Untagged accounts and deployments cannot be attributed to a team or app.",
    ),
    (
        "LG-COST-007",
        _K,
        _AWS,
        _LOW,
        "Bedrock resources carry tags",
        "Agents, guardrails and knowledge bases without tags (or provider "
        "default_tags) cannot be attributed.",
    ),
    # The gateway's own configuration
    (
        "LG-GW-001",
        _C,
        _GW,
        _HIGH,
        "Upstreams use HTTPS off loopback",
        "Plain http to a non-loopback upstream sends prompts and credentials in clear "
        "text.",
    ),
    (
        "LG-GW-002",
        _C,
        _GW,
        _HIGH,
        "Bedrock upstreams go through a private endpoint",
        "Without endpoint_url the Bedrock adapter calls the public regional endpoint.",
    ),
    (
        "LG-GW-003",
        _C,
        _GW,
        _MED,
        "Azure OpenAI upstreams resolve to a private endpoint",
        "A public account hostname is private only if DNS resolves it through "
        "privatelink; that must be shown (lockgate doctor).",
    ),
    (
        "LG-GW-004",
        _I,
        _GW,
        _HIGH,
        "Azure OpenAI upstreams authenticate with Entra ID",
        "Key authentication is a static shared secret; Entra tokens expire and name "
        "the caller.",
    ),
    (
        "LG-GW-005",
        _I,
        _GW,
        _HIGH,
        "Gateway callers authenticate",
        "auth 'none' lets any local process use every model with the gateway's "
        "credentials.",
    ),
    (
        "LG-GW-006",
        _C,
        _GW,
        _HIGH,
        "Gateway serves TLS off loopback",
        "A listener on a non-loopback address without TLS exposes prompts and "
        "completions on the network.",
    ),
)


def _build() -> dict[str, CheckSpec]:
    catalog: dict[str, CheckSpec] = {}
    for check_id, area, platform, severity, title, rationale in _ROWS:
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
