"""Bedrock endpoints, mantle and API keys, read by the real Terraform loader.

No realworld case declares a Bedrock endpoint, so this small deployment does: a
runtime endpoint with a full-access policy, a mantle endpoint whose policy names
only bedrock: actions, a long-term Bedrock API key, a bearer-token grant and the
full-access managed policy.
"""

from __future__ import annotations

from pathlib import Path

from lockgate.review.engine import run_checks
from lockgate.review.loaders import load_paths

MAIN_TF = """provider "aws" {
  region = "us-east-1"
}

resource "aws_vpc" "ai" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = false
}

resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.ai.id
  cidr_block = "10.0.1.0/24"
}

resource "aws_vpc_endpoint" "runtime" {
  vpc_id              = aws_vpc.ai.id
  service_name        = "com.amazonaws.us-east-1.bedrock-runtime"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.a.id]
  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "bedrock:*"
      Resource  = "*"
    }]
  })
}

resource "aws_vpc_endpoint" "mantle" {
  vpc_id              = aws_vpc.ai.id
  service_name        = "com.amazonaws.us-east-1.bedrock-mantle"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = false
  subnet_ids          = [aws_subnet.a.id]
  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = ["bedrock:InvokeModel"]
      Resource  = "*"
      Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-123" } }
    }]
  })
}

resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_service_specific_credential" "bedrock" {
  service_name = "bedrock.amazonaws.com"
  user_name    = aws_iam_user.dev.name
}

resource "aws_iam_policy" "bearer" {
  policy = jsonencode({
    Statement = [{
      Effect   = "Allow"
      Action   = ["bedrock:CallWithBearerToken", "bedrock:InvokeModel"]
      Resource = "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "full" {
  role       = "app"
  policy_arn = "arn:aws:iam::aws:policy/AmazonBedrockFullAccess"
}
"""

EXPECTED = {
    ("LG-CONN-001", "pass", 18),
    ("LG-CONN-002", "fail", 16),
    ("LG-CONN-003", "pass", 20),
    ("LG-CONN-003", "fail", 36),
    ("LG-CONN-004", "fail", 8),
    ("LG-CONN-005", "fail", 21),
    ("LG-CONN-005", "fail", 37),
    ("LG-IAM-001", "pass", 59),
    ("LG-IAM-002", "pass", 59),
    ("LG-IAM-003", "fail", 70),
    ("LG-IAM-005", "fail", 54),
    ("LG-IAM-006", "fail", 59),
    ("LG-DATA-001", "pass", 22),
    ("LG-DATA-001", "pass", 38),
    ("LG-DATA-002", "fail", 22),
    ("LG-DATA-002", "fail", 38),
    ("LG-DATA-003", "fail", 38),
    ("LG-DATA-011", "fail", 59),
    ("LG-OBS-001", "unresolved", None),
    ("LG-OBS-005", "fail", 34),
    ("LG-COST-001", "unresolved", None),
    ("LG-COST-003", "unresolved", None),
    ("LG-COST-004", "unresolved", None),
    ("LG-COST-005", "unresolved", None),
    ("LG-OBS-101", "fail", 5),
    ("LG-COST-101", "fail", 1),
}


def test_bedrock_endpoint_deployment_gives_exactly_these_findings(
    tmp_path: Path,
) -> None:
    (tmp_path / "main.tf").write_text(MAIN_TF)

    result = run_checks(load_paths([tmp_path]))

    seen = {
        (f.check.id, f.status.value, f.location.line if f.location else None)
        for f in result.findings
    }
    assert seen == EXPECTED
    assert result.inventory.problems == []


def test_bedrock_endpoint_deployment_fails_the_connectivity_gate(
    tmp_path: Path,
) -> None:
    (tmp_path / "main.tf").write_text(MAIN_TF)

    result = run_checks(load_paths([tmp_path]))

    statuses = [(g.area.value, g.status.value) for g in result.gates]
    assert statuses == [
        ("connectivity", "fail"),
        ("identity", "fail"),
        ("data_perimeter", "blocked"),
        ("observability", "blocked"),
        ("cost", "blocked"),
    ]
    assert result.gates[0].failed == 5
