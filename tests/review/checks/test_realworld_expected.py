"""Every realworld case, reviewed end to end, against its EXPECTED.md.

Each row below is transcribed from ``shared/realworld/<case>/EXPECTED.md``: the
check that reports the finding, the verdict word, and the evidence location as the
file names it. A range ``a-b`` in EXPECTED.md is kept as a range and the finding
must point inside it; a single line must be hit exactly; "none" means the finding
has no location; "whole template" / "whole files" names a file without a line, so
the finding is in that file or has no location. Findings of EXPECTED.md that no
check reports yet are listed in the report of the checks author, not here.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import NamedTuple

import pytest

from lockgate.review.engine import ReviewResult, run_checks
from lockgate.review.loaders import load_paths
from lockgate.review.model import Area, Status
from shared_data import shared_dir

PASS, FAIL, UNRESOLVED = Status.PASS, Status.FAIL, Status.UNRESOLVED

KB = "aws-bedrock-knowledge-base"
HUB = "aws-hub-and-spoke"
E2E = "azure-openai-e2e-baseline"
QS = "azure-openai-private-endpoint-quickstart"
BAG = "bedrock-access-gateway"
CKV = "checkov-known-answers"
STR = "stratus-bedrock-logging"
TAB = "terraform-aws-bedrock"
TAO = "terraform-azurerm-openai"

Q = (
    "quickstarts/microsoft.cognitiveservices/"
    "cognitive-services-OpenaAI-private-endpoint"
)
E2E_DIR = "infra-as-code/bicep"
BAG_A = "deployment/BedrockProxy.template"
BAG_B = "deployment/BedrockProxyFargate.template"
BAG_C = "deployment/terraform"
CKV_PNA = "tests/arm/checks/resource/example_CognitiveServicesDisablesPublicNetwork"
CKV_AUTH = "tests/arm/checks/resource/example_CognitiveServicesEnableLocalAuth"
CKV_TF = (
    "tests/terraform/checks/resource/azure/example_CognitiveServicesEnableLocalAuth"
    "/main.tf"
)
CKV_AGENT_TF = (
    "tests/terraform/checks/resource/aws/example_BedrockAgentEncrypted/main.tf"
)
CKV_AGENT_CFN = "tests/cloudformation/checks/resource/aws/example_BedrockAgentEncrypted"
STRATUS = "v2/internal/attacktechniques/aws/defense-evasion"
STR_A = f"{STRATUS}/bedrock-model-invocation-logging-delete"
STR_B = f"{STRATUS}/bedrock-guardrail-delete"
TAB_A = "examples/application-inference-profile"
TAB_B = "examples/agent-with-guardrails"
TAO_A = "examples/azureopenai-public-endpoint"
TAO_B = "examples/azureopenai-private-endpoints"


class Expected(NamedTuple):
    case: str
    entry: str  # the folder or file reviewed, relative to the case folder
    check: str
    status: Status
    file: str | None  # relative to the case folder; None: no location
    first: int = 0
    last: int = 0
    whole_file: bool = False  # EXPECTED.md names the file but no line


def _whole(case: str, entry: str, check: str, status: Status, file: str) -> Expected:
    return Expected(case, entry, check, status, file, whole_file=True)


def _e(
    case: str,
    entry: str,
    check: str,
    status: Status,
    file: str | None = None,
    first: int = 0,
    last: int | None = None,
) -> Expected:
    return Expected(
        case, entry, check, status, file, first, first if last is None else last
    )


EXPECTED: tuple[Expected, ...] = (
    # aws-bedrock-knowledge-base
    _e(KB, ".", "LG-CONN-001", FAIL, "kbase_invoke_lambda.tf", 1, 20),
    _e(KB, ".", "LG-CONN-013", FAIL, "kbase_invoke_lambda.tf", 1, 20),
    _e(KB, ".", "LG-CONN-013", FAIL, "kbase_sync_lambda.tf", 1, 18),
    _e(KB, ".", "LG-CONN-016", FAIL, "opensearch.tf", 19, 40),
    _e(KB, ".", "LG-IAM-004", FAIL, "providers.tf", 3, 4),
    _e(KB, ".", "LG-IAM-004", FAIL, "providers.tf", 17, 18),
    _e(KB, ".", "LG-IAM-002", FAIL, "data.tf", 34, 50),
    _e(KB, ".", "LG-IAM-007", PASS, "data.tf", 4, 23),
    _e(KB, ".", "LG-IAM-007", PASS, "data.tf", 181, 199),
    _e(KB, ".", "LG-DATA-014", FAIL, "kbase_invoke_lambda.tf", 1, 20),
    _e(KB, ".", "LG-DATA-014", FAIL, "kbase_sync_lambda.tf", 1, 18),
    _e(KB, ".", "LG-DATA-009", FAIL, "cloudwatch_logs.tf", 11, 14),
    _e(KB, ".", "LG-DATA-020", FAIL, "opensearch.tf", 1, 17),
    _e(KB, ".", "LG-DATA-019", PASS, "bedrock_guardrails.tf", 13, 109),
    _e(KB, ".", "LG-OBS-001", PASS, "bedrock_guardrails.tf", 1, 11),
    _e(KB, ".", "LG-OBS-002", PASS, "bedrock_guardrails.tf", 1, 11),
    _e(KB, ".", "LG-OBS-003", FAIL, "cloudwatch_logs.tf", 11, 14),
    _e(KB, ".", "LG-OBS-004", FAIL, "bedrock_guardrails.tf", 6, 9),
    _e(KB, ".", "LG-COST-007", PASS, "providers.tf", 7, 12),
    _e(KB, ".", "LG-COST-001", FAIL, "kbase_invoke_lambda.tf", 15),
    _e(KB, ".", "LG-COST-003", UNRESOLVED),
    _e(KB, ".", "LG-COST-004", UNRESOLVED),
    _e(KB, ".", "LG-COST-005", UNRESOLVED),
    # aws-hub-and-spoke
    _e(HUB, ".", "LG-DATA-001", FAIL, "main.tf", 167, 176),
    _e(HUB, ".", "LG-DATA-005", FAIL, "main.tf", 62, 94),
    # azure-openai-e2e-baseline
    _e(E2E, ".", "LG-CONN-007", PASS, f"{E2E_DIR}/ai-foundry.bicep", 82),
    _e(E2E, ".", "LG-CONN-008", PASS, f"{E2E_DIR}/ai-foundry.bicep", 76, 81),
    _e(E2E, ".", "LG-CONN-011", PASS, f"{E2E_DIR}/ai-foundry.bicep", 73),
    _e(E2E, ".", "LG-CONN-009", PASS, f"{E2E_DIR}/ai-foundry.bicep", 128, 147),
    _e(E2E, ".", "LG-CONN-010", PASS, f"{E2E_DIR}/ai-foundry.bicep", 149, 173),
    _e(E2E, ".", "LG-CONN-012", PASS, f"{E2E_DIR}/network.bicep", 720, 771),
    _e(E2E, ".", "LG-CONN-017", PASS, f"{E2E_DIR}/ai-foundry.bicep", 84, 90),
    _e(E2E, ".", "LG-IAM-008", PASS, f"{E2E_DIR}/ai-foundry.bicep", 75),
    _e(E2E, ".", "LG-IAM-009", PASS, f"{E2E_DIR}/ai-foundry.bicep", 69, 71),
    _e(E2E, ".", "LG-IAM-011", FAIL, f"{E2E_DIR}/ai-foundry-project.bicep", 250, 270),
    _e(E2E, ".", "LG-IAM-011", FAIL, f"{E2E_DIR}/ai-foundry-project.bicep", 213, 232),
    _e(E2E, ".", "LG-IAM-010", PASS, f"{E2E_DIR}/ai-foundry.bicep", 115, 123),
    _e(E2E, ".", "LG-IAM-010", PASS, f"{E2E_DIR}/web-app.bicep", 116, 142),
    _e(E2E, ".", "LG-IAM-011", PASS, f"{E2E_DIR}/ai-foundry-project.bicep", 155, 210),
    _e(E2E, ".", "LG-DATA-012", PASS, f"{E2E_DIR}/network.bicep", 97, 100),
    _e(E2E, ".", "LG-DATA-012", PASS, f"{E2E_DIR}/network.bicep", 114, 117),
    _e(E2E, ".", "LG-DATA-012", PASS, f"{E2E_DIR}/network.bicep", 145, 148),
    _e(E2E, ".", "LG-DATA-012", PASS, f"{E2E_DIR}/network.bicep", 169, 172),
    _e(E2E, ".", "LG-DATA-012", FAIL, f"{E2E_DIR}/network.bicep", 55, 72),
    _e(E2E, ".", "LG-DATA-006", FAIL, f"{E2E_DIR}/ai-foundry.bicep", 72, 91),
    _e(E2E, ".", "LG-DATA-007", FAIL, f"{E2E_DIR}/ai-foundry.bicep", 72, 91),
    _e(E2E, ".", "LG-DATA-016", FAIL, f"{E2E_DIR}/azure-firewall.bicep", 149),
    _e(E2E, ".", "LG-DATA-016", FAIL, f"{E2E_DIR}/azure-firewall.bicep", 108, 116),
    _e(E2E, ".", "LG-DATA-017", FAIL, f"{E2E_DIR}/main.bicep", 66, 67),
    _e(E2E, ".", "LG-DATA-017", FAIL, f"{E2E_DIR}/application-insights.bicep", 33, 34),
    _e(E2E, ".", "LG-OBS-006", PASS, f"{E2E_DIR}/ai-foundry.bicep", 179, 219),
    _e(E2E, ".", "LG-OBS-007", PASS, f"{E2E_DIR}/ai-foundry.bicep", 179, 219),
    _e(E2E, ".", "LG-COST-006", FAIL, f"{E2E_DIR}/ai-foundry.bicep", 62, 110),
    _e(E2E, ".", "LG-COST-010", PASS, f"{E2E_DIR}/ai-foundry.bicep", 94, 109),
    _e(E2E, ".", "LG-COST-003", UNRESOLVED),
    _e(E2E, ".", "LG-COST-004", UNRESOLVED),
    # azure-openai-private-endpoint-quickstart (Bicep and its compiled ARM)
    _e(QS, ".", "LG-CONN-007", PASS, f"{Q}/main.bicep", 160),
    _e(QS, ".", "LG-CONN-007", PASS, f"{Q}/azuredeploy.json", 244),
    _e(QS, ".", "LG-CONN-008", PASS, f"{Q}/main.bicep", 158, 161),
    _e(QS, ".", "LG-CONN-008", PASS, f"{Q}/azuredeploy.json", 242, 245),
    _e(QS, ".", "LG-CONN-011", PASS, f"{Q}/main.bicep", 159),
    _e(QS, ".", "LG-CONN-011", PASS, f"{Q}/azuredeploy.json", 243),
    _e(QS, ".", "LG-CONN-009", PASS, f"{Q}/main.bicep", 205, 230),
    _e(QS, ".", "LG-CONN-009", PASS, f"{Q}/azuredeploy.json", 298, 328),
    _e(QS, ".", "LG-CONN-012", PASS, f"{Q}/main.bicep", 184, 203),
    _e(QS, ".", "LG-CONN-012", PASS, f"{Q}/azuredeploy.json", 272, 346),
    _e(QS, ".", "LG-CONN-010", FAIL, f"{Q}/main.bicep", 232, 245),
    _e(QS, ".", "LG-IAM-008", FAIL, f"{Q}/main.bicep", 154, 168),
    _e(QS, ".", "LG-IAM-008", FAIL, f"{Q}/azuredeploy.json", 236, 252),
    _e(QS, ".", "LG-IAM-009", FAIL, f"{Q}/main.bicep", 154, 168),
    _e(QS, ".", "LG-IAM-009", FAIL, f"{Q}/azuredeploy.json", 236, 252),
    _e(QS, ".", "LG-DATA-006", FAIL, f"{Q}/main.bicep", 158, 161),
    _e(QS, ".", "LG-DATA-006", FAIL, f"{Q}/azuredeploy.json", 242, 245),
    _e(QS, ".", "LG-DATA-012", FAIL, f"{Q}/main.bicep", 125, 136),
    _e(QS, ".", "LG-DATA-012", FAIL, f"{Q}/azuredeploy.json", 203, 214),
    _e(QS, ".", "LG-DATA-007", FAIL, f"{Q}/main.bicep", 158, 161),
    _whole(QS, ".", "LG-OBS-006", FAIL, f"{Q}/main.bicep"),
    _whole(QS, ".", "LG-OBS-006", FAIL, f"{Q}/azuredeploy.json"),
    _e(QS, ".", "LG-COST-006", FAIL, f"{Q}/main.bicep", 154, 182),
    _e(QS, ".", "LG-COST-003", UNRESOLVED),
    # bedrock-access-gateway A: API Gateway + Lambda (CloudFormation)
    _e(BAG, BAG_A, "LG-CONN-001", FAIL, BAG_A, 65, 95),
    _e(BAG, BAG_A, "LG-CONN-013", FAIL, BAG_A, 65, 95),
    _e(BAG, BAG_A, "LG-CONN-014", FAIL, BAG_A, 98, 105),
    _e(BAG, BAG_A, "LG-IAM-012", FAIL, BAG_A, 106, 141),
    _e(BAG, BAG_A, "LG-IAM-015", FAIL, BAG_A, 82),
    _e(BAG, BAG_A, "LG-DATA-015", FAIL, BAG_A, 85),
    _e(BAG, BAG_A, "LG-OBS-008", FAIL, BAG_A, 161, 167),
    _e(BAG, BAG_A, "LG-COST-007", FAIL, BAG_A, 21, 167),
    _e(BAG, BAG_A, "LG-COST-008", FAIL, BAG_A, 65, 95),
    _e(BAG, BAG_A, "LG-IAM-002", FAIL, BAG_A, 46, 53),
    _e(BAG, BAG_A, "LG-IAM-001", PASS, BAG_A, 23, 62),
    _e(BAG, BAG_A, "LG-DATA-014", FAIL, BAG_A, 65, 95),
    _whole(BAG, BAG_A, "LG-OBS-001", UNRESOLVED, BAG_A),
    _e(BAG, BAG_A, "LG-COST-001", UNRESOLVED, BAG_A, 86),
    _whole(BAG, BAG_A, "LG-COST-003", UNRESOLVED, BAG_A),
    _whole(BAG, BAG_A, "LG-COST-004", UNRESOLVED, BAG_A),
    # bedrock-access-gateway B: VPC + ALB + Fargate (CDK-synthesised)
    _e(BAG, BAG_B, "LG-CONN-004", PASS, BAG_B, 22, 31),
    _whole(BAG, BAG_B, "LG-CONN-001", FAIL, BAG_B),
    _e(BAG, BAG_B, "LG-CONN-014", FAIL, BAG_B, 367, 388),
    _e(BAG, BAG_B, "LG-CONN-015", FAIL, BAG_B, 416, 426),
    _e(BAG, BAG_B, "LG-IAM-012", FAIL, BAG_B, 419, 422),
    _e(BAG, BAG_B, "LG-IAM-015", FAIL, BAG_B, 272, 278),
    _e(BAG, BAG_B, "LG-DATA-015", FAIL, BAG_B, 257, 258),
    _e(BAG, BAG_B, "LG-OBS-009", FAIL, BAG_B, 248, 278),
    _e(BAG, BAG_B, "LG-COST-008", FAIL, BAG_B, 416, 426),
    _e(BAG, BAG_B, "LG-IAM-002", FAIL, BAG_B, 212, 233),
    _e(BAG, BAG_B, "LG-DATA-013", FAIL, BAG_B, 32, 49),
    _e(BAG, BAG_B, "LG-DATA-004", FAIL, BAG_B, 65, 74),
    _e(BAG, BAG_B, "LG-DATA-013", FAIL, BAG_B, 75, 117),
    _e(BAG, BAG_B, "LG-DATA-004", FAIL, BAG_B, 75, 117),
    _e(BAG, BAG_B, "LG-DATA-013", FAIL, BAG_B, 319, 328),
    _e(BAG, BAG_B, "LG-DATA-005", FAIL, BAG_B, 336, 348),
    _whole(BAG, BAG_B, "LG-OBS-001", UNRESOLVED, BAG_B),
    _e(BAG, BAG_B, "LG-COST-001", UNRESOLVED, BAG_B, 259, 260),
    _whole(BAG, BAG_B, "LG-COST-003", UNRESOLVED, BAG_B),
    # bedrock-access-gateway C: Terraform (unmerged PR)
    _e(BAG, BAG_C, "LG-CONN-001", FAIL, f"{BAG_C}/main.tf", 89, 116),
    _e(BAG, BAG_C, "LG-CONN-013", FAIL, f"{BAG_C}/main.tf", 89, 116),
    _e(BAG, BAG_C, "LG-CONN-014", FAIL, f"{BAG_C}/main.tf", 119, 126),
    _e(BAG, BAG_C, "LG-IAM-012", FAIL, f"{BAG_C}/main.tf", 149, 158),
    _e(BAG, BAG_C, "LG-IAM-012", FAIL, f"{BAG_C}/main.tf", 173, 178),
    _e(BAG, BAG_C, "LG-IAM-015", FAIL, f"{BAG_C}/main.tf", 105),
    _e(BAG, BAG_C, "LG-DATA-015", FAIL, f"{BAG_C}/main.tf", 108),
    _e(BAG, BAG_C, "LG-OBS-008", FAIL, f"{BAG_C}/main.tf", 207, 211),
    _e(BAG, BAG_C, "LG-COST-008", FAIL, f"{BAG_C}/main.tf", 89, 222),
    _e(BAG, BAG_C, "LG-IAM-001", FAIL, f"{BAG_C}/main.tf", 23, 43),
    _e(BAG, BAG_C, "LG-IAM-002", FAIL, f"{BAG_C}/main.tf", 23, 43),
    _e(BAG, BAG_C, "LG-DATA-014", FAIL, f"{BAG_C}/main.tf", 89, 116),
    _e(BAG, BAG_C, "LG-OBS-001", UNRESOLVED),
    _e(BAG, BAG_C, "LG-COST-003", UNRESOLVED),
    _e(BAG, BAG_C, "LG-COST-001", UNRESOLVED),
    # checkov-known-answers
    _e(CKV, ".", "LG-CONN-007", PASS, f"{CKV_PNA}/pass.json", 28),
    _e(CKV, ".", "LG-CONN-007", FAIL, f"{CKV_PNA}/fail.json", 28),
    _e(CKV, ".", "LG-CONN-007", FAIL, f"{CKV_PNA}/fail2.json", 27, 33),
    _e(CKV, ".", "LG-IAM-008", FAIL, f"{CKV_PNA}/pass.json", 31),
    _e(CKV, ".", "LG-IAM-008", FAIL, f"{CKV_PNA}/fail.json", 31),
    _e(CKV, ".", "LG-IAM-008", FAIL, f"{CKV_PNA}/fail2.json", 30),
    _e(CKV, ".", "LG-DATA-006", FAIL, f"{CKV_PNA}/pass.json", 29, 30),
    _e(CKV, ".", "LG-DATA-006", FAIL, f"{CKV_PNA}/fail.json", 29, 30),
    _e(CKV, ".", "LG-DATA-006", FAIL, f"{CKV_PNA}/fail2.json", 28, 29),
    _e(CKV, ".", "LG-IAM-009", PASS, f"{CKV_PNA}/pass.json", 17, 26),
    _e(CKV, ".", "LG-IAM-009", PASS, f"{CKV_PNA}/fail.json", 17, 26),
    _e(CKV, ".", "LG-IAM-009", PASS, f"{CKV_PNA}/fail2.json", 17, 26),
    _e(CKV, ".", "LG-COST-006", PASS, f"{CKV_PNA}/pass.json", 17, 26),
    _e(CKV, ".", "LG-COST-006", PASS, f"{CKV_PNA}/fail.json", 17, 26),
    _e(CKV, ".", "LG-COST-006", PASS, f"{CKV_PNA}/fail2.json", 17, 26),
    _whole(CKV, ".", "LG-OBS-006", FAIL, f"{CKV_PNA}/pass.json"),
    _whole(CKV, ".", "LG-OBS-006", FAIL, f"{CKV_PNA}/fail.json"),
    _whole(CKV, ".", "LG-OBS-006", FAIL, f"{CKV_PNA}/fail2.json"),
    _whole(CKV, ".", "LG-CONN-009", FAIL, f"{CKV_PNA}/pass.json"),
    _whole(CKV, ".", "LG-CONN-009", FAIL, f"{CKV_PNA}/fail.json"),
    _whole(CKV, ".", "LG-CONN-009", FAIL, f"{CKV_PNA}/fail2.json"),
    _e(CKV, ".", "LG-IAM-008", PASS, f"{CKV_AUTH}/pass.json", 22),
    _e(CKV, ".", "LG-IAM-008", FAIL, f"{CKV_AUTH}/fail.json", 22),
    _e(CKV, ".", "LG-IAM-008", FAIL, f"{CKV_AUTH}/fail2.json", 20, 22),
    _e(CKV, ".", "LG-CONN-007", FAIL, f"{CKV_AUTH}/pass.json", 21),
    _e(CKV, ".", "LG-CONN-007", FAIL, f"{CKV_AUTH}/fail.json", 21),
    _e(CKV, ".", "LG-CONN-007", FAIL, f"{CKV_AUTH}/fail2.json", 21),
    _e(CKV, ".", "LG-IAM-009", FAIL, f"{CKV_AUTH}/pass.json", 12, 24),
    _e(CKV, ".", "LG-COST-006", FAIL, f"{CKV_AUTH}/pass.json", 12, 24),
    _e(CKV, ".", "LG-IAM-008", FAIL, CKV_TF, 1, 12),
    _e(CKV, ".", "LG-IAM-008", FAIL, CKV_TF, 19),
    _e(CKV, ".", "LG-IAM-008", PASS, CKV_TF, 33),
    _e(CKV, ".", "LG-CONN-007", FAIL, CKV_TF, 1, 12),
    _e(CKV, ".", "LG-CONN-007", FAIL, CKV_TF, 14, 26),
    _e(CKV, ".", "LG-CONN-007", FAIL, CKV_TF, 28, 40),
    _e(CKV, ".", "LG-DATA-008", FAIL, CKV_AGENT_TF, 2, 4),
    _e(CKV, ".", "LG-DATA-008", PASS, CKV_AGENT_TF, 7, 10),
    _e(CKV, ".", "LG-DATA-018", UNRESOLVED, CKV_AGENT_TF, 1, 10),
    _e(CKV, ".", "LG-DATA-008", FAIL, f"{CKV_AGENT_CFN}/FAIL.yaml", 3, 6),
    _e(CKV, ".", "LG-DATA-008", PASS, f"{CKV_AGENT_CFN}/PASS.yaml", 3, 7),
    # stratus-bedrock-logging A: invocation logging to CloudWatch
    _e(STR, STR_A, "LG-IAM-007", FAIL, f"{STR_A}/main.tf", 37, 52),
    _e(STR, STR_A, "LG-DATA-009", FAIL, f"{STR_A}/main.tf", 32, 34),
    _e(STR, STR_A, "LG-OBS-001", PASS, f"{STR_A}/main.tf", 74, 86),
    _e(STR, STR_A, "LG-OBS-002", PASS, f"{STR_A}/main.tf", 74, 86),
    _e(STR, STR_A, "LG-OBS-003", FAIL, f"{STR_A}/main.tf", 32, 34),
    _e(STR, STR_A, "LG-OBS-004", FAIL, f"{STR_A}/main.tf", 76, 79),
    _e(STR, STR_A, "LG-COST-007", PASS, f"{STR_A}/main.tf", 14, 18),
    _e(STR, STR_A, "LG-COST-003", UNRESOLVED),
    _e(STR, STR_A, "LG-COST-001", UNRESOLVED),
    # stratus-bedrock-logging B: one guardrail
    _e(STR, STR_B, "LG-DATA-010", FAIL, f"{STR_B}/main.tf", 30, 43),
    _e(STR, STR_B, "LG-DATA-019", FAIL, f"{STR_B}/main.tf", 36, 42),
    _e(STR, STR_B, "LG-OBS-001", UNRESOLVED),
    _e(STR, STR_B, "LG-COST-007", PASS, f"{STR_B}/main.tf", 13, 17),
    # terraform-aws-bedrock A: application inference profile
    _e(TAB, TAB_A, "LG-IAM-007", FAIL, "iam.tf", 297, 314),
    _e(TAB, TAB_A, "LG-IAM-002", FAIL, "iam.tf", 316, 351),
    _e(TAB, TAB_A, "LG-IAM-002", FAIL, "data.tf", 111, 124),
    _e(TAB, TAB_A, "LG-OBS-001", UNRESOLVED),
    _e(TAB, TAB_A, "LG-COST-001", PASS, "inference-profile.tf", 1, 9),
    _e(TAB, TAB_A, "LG-COST-002", FAIL, "inference-profile.tf", 8),
    _e(TAB, TAB_A, "LG-COST-005", UNRESOLVED),
    _e(TAB, TAB_A, "LG-COST-003", UNRESOLVED),
    _e(TAB, TAB_A, "LG-COST-004", UNRESOLVED),
    # terraform-aws-bedrock B: agent with guardrails
    _e(TAB, TAB_B, "LG-IAM-007", PASS, "data.tf", 13, 32),
    _e(TAB, TAB_B, "LG-IAM-001", PASS, "data.tf", 34, 64),
    _e(TAB, TAB_B, "LG-IAM-002", PASS, "data.tf", 34, 64),
    _e(TAB, TAB_B, "LG-IAM-002", PASS, "iam.tf", 234, 249),
    _e(TAB, TAB_B, "LG-DATA-008", FAIL, "main.tf", 97),
    _e(TAB, TAB_B, "LG-DATA-010", FAIL, "main.tf", 236),
    _e(TAB, TAB_B, "LG-DATA-018", PASS, "main.tf", 122, 125),
    _e(TAB, TAB_B, "LG-OBS-001", UNRESOLVED),
    _e(TAB, TAB_B, "LG-COST-001", FAIL, "main.tf", 83),
    _e(TAB, TAB_B, "LG-COST-007", FAIL, "main.tf", 98),
    _e(TAB, TAB_B, "LG-COST-007", FAIL, "main.tf", 235),
    _e(TAB, TAB_B, "LG-COST-003", UNRESOLVED),
    _e(TAB, TAB_B, "LG-COST-004", UNRESOLVED),
    # terraform-azurerm-openai A: public endpoint
    _e(TAO, TAO_A, "LG-CONN-007", FAIL, "main.tf", 26),
    _e(TAO, TAO_A, "LG-CONN-008", FAIL, "main.tf", 54, 70),
    _e(TAO, TAO_A, "LG-IAM-009", FAIL, "main.tf", 46, 53),
    _e(TAO, TAO_A, "LG-DATA-007", FAIL, "main.tf", 38, 45),
    _e(TAO, TAO_A, "LG-COST-010", PASS, "main.tf", 86, 89),
    _e(TAO, TAO_A, "LG-IAM-008", FAIL, "main.tf", 24),
    _e(TAO, TAO_A, "LG-DATA-006", FAIL, "main.tf", 25),
    _e(TAO, TAO_A, "LG-COST-006", FAIL, "main.tf", 27, 36),
    _e(TAO, TAO_A, "LG-COST-003", UNRESOLVED),
    # terraform-azurerm-openai B: private endpoints
    _e(TAO, TAO_B, "LG-CONN-007", PASS, "main.tf", 26),
    _e(TAO, TAO_B, "LG-CONN-009", PASS, "private_endpoint.tf", 7, 39),
    _e(TAO, TAO_B, "LG-CONN-012", PASS, "private_endpoint.tf", 48, 63),
    _e(TAO, TAO_B, "LG-CONN-010", FAIL, "private_endpoint.tf", 36),
    _e(TAO, TAO_B, "LG-IAM-008", FAIL, "main.tf", 24),
    _e(TAO, TAO_B, "LG-DATA-006", FAIL, "main.tf", 25),
    _e(TAO, TAO_B, "LG-COST-010", PASS, "main.tf", 88),
    _e(TAO, TAO_B, "LG-COST-003", UNRESOLVED),
)


@cache
def _review(case: str, entry: str) -> ReviewResult:
    folder = shared_dir() / "realworld" / case
    return run_checks(load_paths([folder / entry]))


def _where(result: ReviewResult, case: str, file: str) -> str:
    """A finding's file, renamed relative to the case folder."""
    folder = (shared_dir() / "realworld" / case).resolve()
    return (Path(result.inventory.root) / file).resolve().relative_to(folder).as_posix()


def _label(expected: Expected) -> str:
    where = (
        f"{expected.file}:{expected.first}-{expected.last}" if expected.file else "-"
    )
    if expected.whole_file:
        where = f"{expected.file} (whole file)"
    head = f"{expected.case}[{expected.entry}] {expected.check}"
    return f"{head} {expected.status.value} {where}"


@pytest.mark.parametrize("expected", EXPECTED, ids=_label)
def test_review_reports_what_expected_md_says(expected: Expected) -> None:
    result = _review(expected.case, expected.entry)

    candidates = [
        f
        for f in result.findings
        if f.check.id == expected.check and f.status is expected.status
    ]
    if expected.file is None:
        matching = [f for f in candidates if f.location is None]
    elif expected.whole_file:
        matching = [
            f
            for f in candidates
            if f.location is None
            or _where(result, expected.case, f.location.file) == expected.file
        ]
    else:
        matching = [
            f
            for f in candidates
            if f.location is not None
            and _where(result, expected.case, f.location.file) == expected.file
            and expected.first <= f.location.line <= expected.last
        ]

    seen = [
        (
            f.status.value,
            f.location and _where(result, expected.case, f.location.file),
            f.location and f.location.line,
        )
        for f in result.findings
        if f.check.id == expected.check
    ]
    assert matching, f"{_label(expected)} not reported; {expected.check} gave {seen}"
    assert all(f.resource or f.location is None for f in matching)


def test_every_realworld_case_is_covered() -> None:
    cases = {p.name for p in (shared_dir() / "realworld").iterdir() if p.is_dir()}

    assert {e.case for e in EXPECTED} == cases


def test_quickstart_bastion_rules_are_not_reported_as_ai_egress() -> None:
    result = _review(QS, ".")
    bastion = {f"{Q}/main.bicep": (367, 516), f"{Q}/azuredeploy.json": (486, 637)}

    flagged = [
        f
        for f in result.findings
        if f.check.area is Area.DATA_PERIMETER
        and f.status is FAIL
        and f.location is not None
        and (span := bastion.get(_where(result, QS, f.location.file))) is not None
        and span[0] <= f.location.line <= span[1]
    ]

    assert flagged == []


def test_realworld_reviews_leave_no_check_broken() -> None:
    for case, entry in sorted({(e.case, e.entry) for e in EXPECTED}):
        assert _review(case, entry).notes == [], (case, entry)


def test_every_realworld_finding_carries_evidence_and_a_fix_in_its_language() -> None:
    for case, entry in sorted({(e.case, e.entry) for e in EXPECTED}):
        result = _review(case, entry)
        by_address = {r.address: r for r in result.inventory.resources}
        for finding in result.findings:
            where = (case, entry, finding.check.id, finding.resource)
            assert finding.evidence, where
            assert finding.fix is not None, where
            resource = by_address.get(finding.resource or "")
            if resource is None:
                continue
            language = resource.source.value.replace("terraform_plan", "terraform")
            assert finding.fix == finding.check.fix[language], where
            if finding.location is not None:
                assert finding.location.file in result.inventory.files, where
