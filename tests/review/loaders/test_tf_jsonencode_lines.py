"""The object given to ``jsonencode`` keeps its lines under the attribute's path."""

from __future__ import annotations

from pathlib import Path

from lockgate.review.checks.aws_s3_grants import bucket_policy_principals
from lockgate.review.checks.support import CheckContext
from lockgate.review.loaders import load_paths
from lockgate.review.model import Inventory, Location, Resource, Status

POLICY = """\
resource "aws_s3_bucket" "state" {
  bucket = "state"
}

resource "aws_s3_bucket_policy" "%(name)s" {
  bucket = "state"
  policy = jsonencode({
    Statement = [
      {
        Effect = "Allow"
        Principal = {
          AWS = [
            "arn:aws:iam::123456789012:root",
            "%(role)s"
          ]
        }
        Action = ["s3:GetObject"]
      }
    ]
  })
}
"""
SSO_ROLE = (
    "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/"
    "AWSReservedSSO_Admin_0a1b"
)


def _load(tmp_path: Path, name: str, role: str) -> Inventory:
    (tmp_path / "main.tf").write_text(POLICY % {"name": name, "role": role})
    return load_paths([tmp_path])


def _policy(inventory: Inventory, name: str) -> Resource:
    resource = inventory.by_address(f"aws_s3_bucket_policy.{name}")
    assert resource is not None
    return resource


def test_known_jsonencode_text_keeps_the_lines_of_its_object(
    tmp_path: Path,
) -> None:
    policy = _policy(_load(tmp_path, "known", SSO_ROLE), "known")

    assert isinstance(policy.get("policy"), str)
    assert policy.location_of("policy") == Location("main.tf", 7)
    assert policy.location_of("policy", "Statement", 0) == Location("main.tf", 9)
    assert policy.location_of("policy", "Statement", 0, "Principal", "AWS", 1) == (
        Location("main.tf", 14)
    )


def test_jsonencode_with_references_keeps_the_lines_of_its_object(
    tmp_path: Path,
) -> None:
    role = "${aws_s3_bucket.state.arn}"
    policy = _policy(_load(tmp_path, "partly", role), "partly")

    assert isinstance(policy.get("policy"), dict)
    assert policy.location_of("policy", "Statement", 0, "Principal") == (
        Location("main.tf", 11)
    )
    assert policy.location_of("policy", "Statement", 0, "Action", 0) == (
        Location("main.tf", 17)
    )


def test_sso_role_in_a_known_jsonencode_policy_is_reported_at_its_line(
    tmp_path: Path,
) -> None:
    inventory = _load(tmp_path, "known", SSO_ROLE)

    findings = bucket_policy_principals(CheckContext(inventory))

    assert [(f.status, f.location) for f in findings] == [
        (Status.FAIL, Location("main.tf", 14))
    ]
    assert "(AWSReservedSSO_Admin_0a1b)" in findings[0].message
