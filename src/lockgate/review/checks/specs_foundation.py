"""Catalog rows of the foundation gates: connectivity and identity.

Each row is (id, area, platform, severity, title, rationale).
"""

from __future__ import annotations

from .specs_terms import (
    _AWS,
    _AZ,
    _C,
    _CRIT,
    _HIGH,
    _I,
    _LOW,
    _MED,
    Row,
)

ROWS: tuple[Row, ...] = (
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
    (
        "LG-CONN-014",
        _C,
        _AWS,
        _HIGH,
        "The AI API's front door is private",
        "A REGIONAL or EDGE API Gateway, or an internet-facing load balancer, in "
        "front of the models lets anyone on the internet reach them.",
    ),
    (
        "LG-CONN-015",
        _C,
        _AWS,
        _HIGH,
        "Load balancer listeners in front of AI use HTTPS",
        "A plain HTTP listener carries prompts, completions and API keys in clear "
        "text.",
    ),
    (
        "LG-CONN-016",
        _C,
        _AWS,
        _HIGH,
        "The knowledge base's vector store is not public",
        "An OpenSearch Serverless network policy with AllowFromPublic exposes the "
        "embedded documents to the internet.",
    ),
    (
        "LG-CONN-017",
        _C,
        _AZ,
        _MED,
        "The Foundry Agent Service runs in your virtual network",
        "networkInjections with useMicrosoftManagedNetwork false puts agent egress "
        "in a delegated subnet the firewall and route tables control.",
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
    (
        "LG-IAM-012",
        _I,
        _AWS,
        _HIGH,
        "The AI API authorizes its callers",
        "API methods with authorization NONE, an OpenAPI body without security "
        "schemes, or a listener without an authenticate action leave caller "
        "identity to application code (often one shared key).",
    ),
    (
        "LG-IAM-013",
        _I,
        _AZ,
        _HIGH,
        "API Management calls the model with its managed identity",
        "An APIM policy or backend sending an api-key header keeps a static key "
        "where authentication-managed-identity would use Entra ID.",
    ),
    (
        "LG-IAM-014",
        _I,
        _AWS,
        _HIGH,
        "No model API keys as literal compute settings",
        "A key, secret or token written as an environment variable or app setting "
        "sits in code, state and the console; reference a secret store instead.",
    ),
    (
        "LG-IAM-015",
        _I,
        _AWS,
        _HIGH,
        "Callers are not authenticated with one shared static key",
        "A model proxy that checks every caller against the same API key gives no "
        "per-client identity, no expiry and no attribution; use IAM, Cognito or "
        "OIDC tokens (or the lockgate gateway's own tokens).",
    ),
)
