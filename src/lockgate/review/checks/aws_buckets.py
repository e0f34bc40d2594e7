"""S3 buckets: is public access blocked, in the code that creates them?

A new bucket blocks public access by default, but only while the account-level
setting is unchanged, so a bucket with no explicit block is not evidenced either
way.
"""

from __future__ import annotations

from lockgate.review.model import Finding, Resource, Status

from .support import Check, CheckContext, Verdict, judge_each, mentions, truthy

BUCKET_TYPES = ("aws_s3_bucket", "AWS::S3::Bucket")
_SETTINGS = (
    "block_public_acls",
    "block_public_policy",
    "ignore_public_acls",
    "restrict_public_buckets",
)


def public_access_blocked(context: CheckContext) -> list[Finding]:
    """LG-DATA-104: each bucket blocks public access explicitly."""
    blocks = context.declared("aws_s3_bucket_public_access_block")
    return judge_each(
        "LG-DATA-104",
        context.declared(*BUCKET_TYPES),
        lambda bucket: _judge(bucket, blocks),
    )


def _judge(bucket: Resource, blocks: list[Resource]) -> Verdict:
    inline = bucket.get("PublicAccessBlockConfiguration")
    block = next((b for b in blocks if mentions(b.get("bucket"), bucket)), None)
    if inline is None and block is None:
        return Verdict(
            Status.UNRESOLVED,
            "no public access block of its own; the account-level setting decides",
        )
    owner = block if block is not None else bucket
    values = [
        truthy(
            owner.get(name)
            if block is not None
            else bucket.get("PublicAccessBlockConfiguration", name)
        )
        for name in _SETTINGS
    ]
    if all(v is True for v in values):
        return Verdict(Status.PASS, f"public access blocked ({owner.address})")
    if any(v is False for v in values):
        return Verdict(
            Status.FAIL, f"public access not fully blocked ({owner.address})"
        )
    return Verdict(Status.UNRESOLVED, "public access block settings cannot be read")


CHECKS: tuple[Check, ...] = (public_access_blocked,)
