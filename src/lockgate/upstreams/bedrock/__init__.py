"""The Amazon Bedrock Converse upstream (see :mod:`.adapter`)."""

from __future__ import annotations

from lockgate.upstreams.bedrock.adapter import BedrockConverseUpstream
from lockgate.upstreams.bedrock.signing import CredentialSource, DefaultCredentialChain

__all__ = ["BedrockConverseUpstream", "CredentialSource", "DefaultCredentialChain"]
