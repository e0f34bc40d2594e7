"""Catalog rows of the AWS checks that hold for any deployment, AI or not.

Network patterns (hub-and-spoke endpoints, security groups, flow logs), identity
hygiene (log grants, data access rules, managed policy attachments, permissions
boundaries) and tagging. Their ids start at 101 in each area so they never collide
with the AI-specific rows. Each row is (id, area, platform, severity, title,
rationale).
"""

from __future__ import annotations

from .specs_terms import _AWS, _C, _D, _I, _K, _LOW, _MED, _O, Row

ROWS: tuple[Row, ...] = (
    (
        "LG-CONN-101",
        _C,
        _AWS,
        _MED,
        "Centralised interface endpoints resolve through a hosted zone",
        "An endpoint shared from a hub VPC keeps private DNS off and is reached "
        "through a private hosted zone named after the full service hostname; "
        "private DNS off without such a zone leaves callers on the public address.",
    ),
    (
        "LG-CONN-102",
        _C,
        _AWS,
        _MED,
        "Hub endpoint hosted zones are associated with the spoke VPCs",
        "A hosted zone resolves only inside the VPCs it is associated with; a spoke "
        "left out reaches the service's public address.",
    ),
    (
        "LG-CONN-103",
        _C,
        _AWS,
        _MED,
        "Hub endpoint hosted zones carry an alias record to the endpoint",
        "Without an alias record the zone answers nothing, and callers fail or fall "
        "back to public resolution.",
    ),
    (
        "LG-CONN-104",
        _C,
        _AWS,
        _LOW,
        "Transit routing is declared in the reviewed code",
        "Route tables, attachments and associations built inside a registry module "
        "cannot be read offline, so the path between spokes and hub is not "
        "evidenced.",
    ),
    (
        "LG-CONN-105",
        _C,
        _AWS,
        _LOW,
        "Resolver forwarding rules are associated with VPCs",
        "A forwarding rule answers only in the VPCs it is associated with; without "
        "an association, on-premises names do not resolve from the spokes.",
    ),
    (
        "LG-CONN-106",
        _C,
        _AWS,
        _LOW,
        "Interface endpoints span at least two availability zones",
        "An endpoint in one subnet fails with its zone, and callers in the other "
        "zones pay cross-zone traffic to reach it.",
    ),
    (
        "LG-IAM-101",
        _I,
        _AWS,
        _LOW,
        "Log-writing permissions are scoped to this account and region",
        "logs:PutLogEvents on arn:aws:logs:*:*:* or '*' lets a role write into any "
        "log group of any account it can reach, including another workload's audit "
        "trail.",
    ),
    (
        "LG-IAM-102",
        _I,
        _AWS,
        _LOW,
        "OpenSearch Serverless data access names its permissions",
        "aoss:* on a collection and its indexes lets the principals delete or "
        "rewrite the vector store, not only read and index it.",
    ),
    (
        "LG-IAM-103",
        _I,
        _AWS,
        _LOW,
        "No account-wide managed policy or exclusive policy attachment",
        "AmazonS3ReadOnlyAccess reads every bucket in the account, and "
        "aws_iam_policy_attachment takes the policy away from every other role, "
        "user and group that had it.",
    ),
    (
        "LG-IAM-104",
        _I,
        _AWS,
        _LOW,
        "Roles get the permissions boundary they are wired for",
        "A boundary taken from an input left unset means the role has none; "
        "whether one is required is the organisation's rule.",
    ),
    (
        "LG-IAM-105",
        _I,
        _AWS,
        _LOW,
        "Bucket policies name roles, not one person's SSO role",
        "An IAM Identity Center role ARN carries a generated suffix that changes "
        "when the permission set is re-provisioned, and grants one person's "
        "session rather than a managed role or group.",
    ),
    (
        "LG-IAM-106",
        _I,
        _AWS,
        _MED,
        "S3 permissions name their buckets",
        "s3: actions on '*' or arn:aws:s3:::* reach every bucket the account can "
        "see, not only the workload's own data.",
    ),
    (
        "LG-DATA-101",
        _D,
        _AWS,
        _MED,
        "Security groups admit callers from known networks only",
        "Ingress from 0.0.0.0/0 opens the service to every address that can route "
        "to it, instead of the spokes' prefix list or CIDRs.",
    ),
    (
        "LG-DATA-102",
        _D,
        _AWS,
        _MED,
        "EC2 instances: no public IP, IMDSv2 required, encrypted root volume",
        "A public IP bypasses the network's egress control, IMDSv1 lets a request "
        "forgery read the instance role's credentials, and an unencrypted volume "
        "keeps data at rest in the clear.",
    ),
    (
        "LG-DATA-103",
        _D,
        _AWS,
        _MED,
        "Spoke internet egress is declared in the reviewed code",
        "When subnets and route tables are built inside registry modules, whether "
        "a spoke can reach the internet cannot be read offline.",
    ),
    (
        "LG-DATA-104",
        _D,
        _AWS,
        _MED,
        "S3 buckets block public access explicitly",
        "A bucket's public access block is on by default only while the account "
        "setting is unchanged; a data source or state bucket should say so itself.",
    ),
    (
        "LG-DATA-105",
        _D,
        _AWS,
        _LOW,
        "Compute images are pinned to an immutable tag or digest",
        "A mutable tag such as :latest lets whoever can push to the repository "
        "change the code that runs with the workload's role.",
    ),
    (
        "LG-DATA-106",
        _D,
        _AWS,
        _MED,
        "Compute calling Bedrock has a guardrail defined",
        "Without a guardrail nothing filters prompt attacks, harmful content or "
        "personal data between the callers and the model.",
    ),
    (
        "LG-DATA-107",
        _D,
        _AWS,
        _LOW,
        "Guardrails are published as a version",
        "Callers of an unversioned guardrail use its DRAFT, which changes the "
        "moment someone edits it.",
    ),
    (
        "LG-OBS-101",
        _O,
        _AWS,
        _LOW,
        "Every VPC has flow logs",
        "Without flow logs there is no record of which addresses a VPC's workloads "
        "talked to, for incident response or for proving the egress controls.",
    ),
    (
        "LG-OBS-102",
        _O,
        _AWS,
        _LOW,
        "Load balancers write access logs",
        "Without access logs there is no record of who called the service behind "
        "the load balancer, or when.",
    ),
    (
        "LG-OBS-103",
        _O,
        _AWS,
        _LOW,
        "Metrics and dashboards are built from the deployment's logs",
        "Metric filters turn log lines such as guardrail interventions into "
        "numbers someone can watch; a dashboard shows them.",
    ),
    (
        "LG-OBS-104",
        _O,
        _AWS,
        _LOW,
        "Alarms watch the metrics the deployment extracts",
        "A metric nobody alarms on is noticed only when someone opens the dashboard.",
    ),
    (
        "LG-OBS-105",
        _O,
        _AWS,
        _LOW,
        "Lambda log groups are declared with a retention",
        "A log group Lambda creates for itself never expires: logs that may hold "
        "prompts and completions are kept forever, outside the code's control.",
    ),
    (
        "LG-OBS-106",
        _O,
        _AWS,
        _LOW,
        "Knowledge-base application logs are delivered",
        "Without a log delivery a knowledge base's ingestion and retrieval errors "
        "are recorded nowhere.",
    ),
    (
        "LG-COST-101",
        _K,
        _AWS,
        _LOW,
        "The AWS provider applies default tags",
        "Without provider default_tags, resources carry only the tags written on "
        "each one (often just Name), which allocates no cost.",
    ),
    (
        "LG-COST-102",
        _K,
        _AWS,
        _LOW,
        "Resource tags name who pays",
        "Name, Environment and tool tags such as aws-cdk:* allocate no cost; a "
        "cost centre, project, application or owner key does.",
    ),
)
