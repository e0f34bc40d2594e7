"""Benchmark: ``lockgate review`` over 1,000 generated infrastructure files.

Generates a tree of 100 deployments with 10 files each (6 Terraform, 2
CloudFormation, 1 ARM template, 1 Bicep file), realistic in shape: VPCs, subnets,
Bedrock endpoints, IAM, routes, Azure OpenAI accounts with private endpoints and
DNS zones, logging, budgets. Then runs the real command in a fresh Python process
(imports included), writing all four formats, and reports the wall time of each
run and the best.

    .venv/bin/python bench/review_bench.py [--files 1000] [--runs 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 10.0
COMMAND = "from lockgate.cli.review import review; review()"

TERRAFORM_NETWORK = """\
resource "aws_vpc" "ai_{n}" {{
  cidr_block           = "10.{n}.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags = {{ Name = "ai-{n}", team = "platform" }}
}}

resource "aws_subnet" "a_{n}" {{
  vpc_id            = aws_vpc.ai_{n}.id
  cidr_block        = "10.{n}.1.0/24"
  availability_zone = "us-east-1a"
}}

resource "aws_subnet" "b_{n}" {{
  vpc_id            = aws_vpc.ai_{n}.id
  cidr_block        = "10.{n}.2.0/24"
  availability_zone = "us-east-1b"
}}

resource "aws_route_table" "private_{n}" {{
  vpc_id = aws_vpc.ai_{n}.id
  route {{
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.nat_{n}.id
  }}
}}

resource "aws_nat_gateway" "nat_{n}" {{
  subnet_id = aws_subnet.b_{n}.id
}}
"""

TERRAFORM_ENDPOINTS = """\
resource "aws_vpc_endpoint" "runtime_{n}" {{
  vpc_id              = aws_vpc.ai_{n}.id
  service_name        = "com.amazonaws.us-east-1.bedrock-runtime"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.a_{n}.id, aws_subnet.b_{n}.id]
  policy = jsonencode({{
    Statement = [{{
      Effect    = "Allow"
      Principal = "*"
      Action    = ["bedrock:InvokeModel", "bedrock:Converse"]
      Resource  = "*"
    }}]
  }})
}}

resource "aws_security_group" "endpoints_{n}" {{
  vpc_id = aws_vpc.ai_{n}.id
  egress {{
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }}
}}
"""

TERRAFORM_IAM = """\
resource "aws_iam_role" "app_{n}" {{
  name = "app-{n}"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = "sts:AssumeRole",
      Principal = {{ Service = "lambda.amazonaws.com" }} }}]
  }})
}}

resource "aws_iam_role_policy" "app_{n}" {{
  role   = aws_iam_role.app_{n}.id
  policy = <<EOT
{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow",
  "Action": ["bedrock:InvokeModel"],
  "Resource":
    "arn:aws:bedrock:us-east-1:1111222233{n:02d}:application-inference-profile/a"}}]}}
EOT
}}

resource "aws_iam_user" "dev_{n}" {{
  name = "dev-{n}"
}}

resource "aws_iam_access_key" "dev_{n}" {{
  user = aws_iam_user.dev_{n}.name
}}
"""

TERRAFORM_OBSERVABILITY = """\
resource "aws_cloudwatch_log_group" "bedrock_{n}" {{
  name              = "/bedrock/invocations-{n}"
  retention_in_days = 365
}}

resource "aws_bedrock_model_invocation_logging_configuration" "main_{n}" {{
  logging_config {{
    text_data_delivery_enabled = true
    cloudwatch_config {{
      log_group_name = aws_cloudwatch_log_group.bedrock_{n}.name
      role_arn       = aws_iam_role.app_{n}.arn
    }}
  }}
}}
"""

TERRAFORM_COST = """\
resource "aws_bedrock_inference_profile" "app_{n}" {{
  name = "app-{n}"
  model_source {{
    copy_from = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku"
  }}
  tags = {{ app = "app-{n}", team = "team-{n}" }}
}}

resource "aws_budgets_budget" "ai_{n}" {{
  name         = "ai-{n}"
  budget_type  = "COST"
  limit_amount = "{n}00"
  limit_unit   = "USD"
  time_unit    = "MONTHLY"
  cost_filter {{
    name   = "Service"
    values = ["Amazon Bedrock"]
  }}
}}
"""

TERRAFORM_VARIABLES = """\
variable "region_{n}" {{
  type    = string
  default = "us-east-1"
}}

locals {{
  name_{n} = "deployment-{n}"
}}

output "vpc_{n}" {{
  value = aws_vpc.ai_{n}.id
}}
"""

CLOUDFORMATION = """\
AWSTemplateFormatVersion: "2010-09-09"
Description: Bedrock agent stack {n}-{k}
Resources:
  AgentRole{k}:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {{ Service: bedrock.amazonaws.com }}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: invoke
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: bedrock:*
                Resource: "*"
  Endpoint{k}:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      ServiceName: !Sub com.amazonaws.${{AWS::Region}}.bedrock-agent-runtime
      VpcEndpointType: Interface
      PrivateDnsEnabled: true
      VpcId: vpc-0{n:04d}{k}
  Profile{k}:
    Type: AWS::Bedrock::ApplicationInferenceProfile
    Properties:
      InferenceProfileName: profile-{n}-{k}
      ModelSource:
        CopyFrom: arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0
      Tags:
        - Key: app
          Value: agent-{n}
"""


SUBNETS = "resourceId('Microsoft.Network/virtualNetworks/subnets'"
ACCOUNTS = "resourceId('Microsoft.CognitiveServices/accounts'"


def arm_template(n: int) -> str:
    account = {
        "type": "Microsoft.CognitiveServices/accounts",
        "apiVersion": "2024-10-01",
        "name": f"oai-{n}",
        "location": "westeurope",
        "kind": "OpenAI",
        "sku": {"name": "S0"},
        "properties": {
            "customSubDomainName": f"oai-{n}",
            "publicNetworkAccess": "Disabled",
            "disableLocalAuth": True,
            "networkAcls": {"defaultAction": "Deny"},
        },
    }
    endpoint = {
        "type": "Microsoft.Network/privateEndpoints",
        "apiVersion": "2023-09-01",
        "name": f"pe-oai-{n}",
        "location": "westeurope",
        "properties": {
            "subnet": {"id": f"[{SUBNETS}, 'vnet-{n}', 'pe')]"},
            "privateLinkServiceConnections": [
                {
                    "name": "account",
                    "properties": {
                        "privateLinkServiceId": f"[{ACCOUNTS}, 'oai-{n}')]",
                        "groupIds": ["account"],
                    },
                }
            ],
        },
    }
    template = {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "resources": [account, endpoint],
    }
    return json.dumps(template, indent=2)


BICEP = """\
param location string = resourceGroup().location

resource zone{n} 'Microsoft.Network/privateDnsZones@2020-06-01' = {{
  name: 'privatelink.openai.azure.com'
  location: 'global'
}}

resource link{n} 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = {{
  parent: zone{n}
  name: 'vnet-{n}-link'
  location: 'global'
  properties: {{
    registrationEnabled: false
    virtualNetwork: {{
      id: resourceId('Microsoft.Network/virtualNetworks', 'vnet-{n}')
    }}
  }}
}}
"""


def generate(root: Path, files: int) -> int:
    """Write ``files`` files (rounded down to whole deployments of 10)."""
    written = 0
    for n in range(files // 10):
        folder = root / f"deployment-{n:03d}"
        folder.mkdir(parents=True)
        terraform = {
            "network.tf": TERRAFORM_NETWORK,
            "endpoints.tf": TERRAFORM_ENDPOINTS,
            "iam.tf": TERRAFORM_IAM,
            "observability.tf": TERRAFORM_OBSERVABILITY,
            "cost.tf": TERRAFORM_COST,
            "variables.tf": TERRAFORM_VARIABLES,
        }
        for name, text in terraform.items():
            (folder / name).write_text(text.format(n=n))
        for k in (1, 2):
            (folder / f"agent-{k}.yaml").write_text(CLOUDFORMATION.format(n=n, k=k))
        (folder / "openai.json").write_text(arm_template(n))
        (folder / "dns.bicep").write_text(BICEP.format(n=n))
        written += 10
    return written


def run_once(root: Path, out: Path) -> tuple[float, int]:
    start = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-c", COMMAND, str(root), "--out", str(out), "--quiet"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if completed.returncode not in (0, 1):
        raise SystemExit(f"review failed ({completed.returncode}): {completed.stderr}")
    return elapsed, completed.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--keep", type=Path, help="generate into this folder and keep it"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="lockgate-review-bench-") as scratch:
        root = args.keep or Path(scratch) / "infra"
        count = generate(root, args.files)
        times = [run_once(root, Path(scratch) / f"out-{i}") for i in range(args.runs)]
        report = json.loads((Path(scratch) / "out-0" / "review.json").read_text())

    seconds = [t for t, _ in times]
    print(f"files generated:      {count}")
    print(f"files reviewed:       {report['files_reviewed']}")
    print(f"resources, findings:  {len(report['findings'])} findings")
    print(f"parse problems:       {len(report['problems'])}")
    print(f"runs (s):             {', '.join(f'{s:.2f}' for s in seconds)}")
    print(
        f"best / median (s):    {min(seconds):.2f} / {statistics.median(seconds):.2f}"
    )
    verdict = "PASS" if min(seconds) < TARGET_SECONDS else "FAIL"
    print(f"target < {TARGET_SECONDS:.0f} s:        {verdict}")


if __name__ == "__main__":
    main()
