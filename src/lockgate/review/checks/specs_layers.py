"""Catalog rows of the layered gates: data perimeter, observability, cost, and
the gateway's own configuration.

Each row is (id, area, platform, severity, title, rationale).
"""

from __future__ import annotations

from .specs_terms import (
    _AWS,
    _AZ,
    _C,
    _D,
    _GW,
    _HIGH,
    _I,
    _K,
    _LOW,
    _MED,
    _O,
    Row,
)

ROWS: tuple[Row, ...] = (
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
    (
        "LG-DATA-015",
        _D,
        _AWS,
        _LOW,
        "Cross-region inference is a deliberate choice",
        "Cross-region inference profiles may process prompts in other regions; "
        "policy-dependent for data residency.",
    ),
    (
        "LG-DATA-016",
        _D,
        _AZ,
        _MED,
        "Egress firewall rules name their destinations",
        "An allow rule for '*' FQDNs, or any address on any port, forces traffic "
        "through the firewall without restricting where it goes.",
    ),
    (
        "LG-DATA-017",
        _D,
        _AZ,
        _LOW,
        "Telemetry sinks of an AI deployment are private",
        "Workspaces and Application Insights that accept public ingestion or query "
        "expose traces that may hold prompts; use an Azure Monitor Private Link "
        "Scope.",
    ),
    (
        "LG-DATA-018",
        _D,
        _AWS,
        _MED,
        "Bedrock agents have a guardrail",
        "An agent without a guardrail passes prompts and answers unfiltered "
        "(checkov CKV_AWS_383).",
    ),
    (
        "LG-DATA-019",
        _D,
        _AWS,
        _MED,
        "Guardrails filter prompt attacks",
        "A guardrail without a PROMPT_ATTACK content filter lets jailbreaks and "
        "prompt injection through.",
    ),
    (
        "LG-DATA-020",
        _D,
        _AWS,
        _LOW,
        "The knowledge base's vector store uses a customer-managed key",
        "An OpenSearch Serverless encryption policy with AWSOwnedKey keeps the "
        "embedded documents under a key you do not control; policy-dependent.",
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
    (
        "LG-OBS-008",
        _O,
        _AWS,
        _MED,
        "The AI API writes access logs",
        "An API Gateway stage without access logging leaves no record of who "
        "called the models.",
    ),
    (
        "LG-OBS-009",
        _O,
        _AWS,
        _MED,
        "Containers calling Bedrock ship their logs",
        "A container definition without LogConfiguration keeps the application's "
        "logs on the task, where they are lost.",
    ),
    (
        "LG-OBS-010",
        _O,
        _AZ,
        _MED,
        "API Management emits token metrics",
        "llm-emit-token-metric sends token counts per caller to Application "
        "Insights; without it usage is invisible at the gateway.",
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
        "Bedrock resources and AI compute carry cost tags",
        "Agents, guardrails, knowledge bases and the compute calling Bedrock "
        "without tags (or provider default_tags) cannot be attributed.",
    ),
    (
        "LG-COST-008",
        _K,
        _AWS,
        _MED,
        "The AI API limits request rate or concurrency",
        "Without a usage plan, throttling, a WAF rate rule or reserved concurrency, "
        "anyone who can call the API can drive unbounded model spend.",
    ),
    (
        "LG-COST-009",
        _K,
        _AZ,
        _MED,
        "API Management limits tokens per caller",
        "llm-token-limit caps tokens per minute per key or caller; without it one "
        "caller can exhaust the deployment's quota and budget.",
    ),
    (
        "LG-COST-010",
        _K,
        _AZ,
        _LOW,
        "Model deployments set an explicit capacity",
        "The deployment's capacity (thousands of tokens per minute) is its spend "
        "ceiling; an unset capacity leaves it to the platform.",
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
    (
        "LG-IAM-016",
        _I,
        _AZ,
        _HIGH,
        "AI account keys not exported as Terraform outputs",
        "An output holding primary_access_key or secondary_access_key hands a "
        "static key to every caller of the module and writes it in plain text to "
        "the state; sensitive = true only hides it from the CLI.",
    ),
)
