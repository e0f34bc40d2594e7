"""Token usage of one call, in one vocabulary whatever the upstream's.

``input_tokens`` includes cached and cache-write tokens, and ``output_tokens`` includes
reasoning tokens, as in the OpenAI usage object. Bedrock's Converse usage, whose
``inputTokens`` excludes the cache counts, is converted by :meth:`Usage.from_bedrock`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(slots=True, frozen=True)
class Usage:
    input_tokens: int
    output_tokens: int
    cached_input_tokens: int = 0
    cache_write_tokens: int = 0
    reasoning_tokens: int = 0
    estimated: bool = False

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens

    @classmethod
    def from_openai(cls, usage: dict[str, Any]) -> Usage:
        """Read an OpenAI-style ``usage`` object (chat or embeddings)."""
        prompt_details = usage.get("prompt_tokens_details") or {}
        completion_details = usage.get("completion_tokens_details") or {}
        return cls(
            input_tokens=int(usage.get("prompt_tokens") or 0),
            output_tokens=int(usage.get("completion_tokens") or 0),
            cached_input_tokens=int(prompt_details.get("cached_tokens") or 0),
            reasoning_tokens=int(completion_details.get("reasoning_tokens") or 0),
        )

    @classmethod
    def from_bedrock(cls, usage: dict[str, Any]) -> Usage:
        """Read a Converse ``usage`` object, whose inputTokens excludes cache counts."""
        cache_read = int(usage.get("cacheReadInputTokens") or 0)
        cache_write = int(usage.get("cacheWriteInputTokens") or 0)
        return cls(
            input_tokens=int(usage.get("inputTokens") or 0) + cache_read + cache_write,
            output_tokens=int(usage.get("outputTokens") or 0),
            cached_input_tokens=cache_read,
            cache_write_tokens=cache_write,
        )

    def to_openai(self) -> dict[str, Any]:
        """The OpenAI ``usage`` object a client sees."""
        body: dict[str, Any] = {
            "prompt_tokens": self.input_tokens,
            "completion_tokens": self.output_tokens,
            "total_tokens": self.total_tokens,
        }
        if self.cached_input_tokens:
            body["prompt_tokens_details"] = {"cached_tokens": self.cached_input_tokens}
        if self.reasoning_tokens:
            body["completion_tokens_details"] = {
                "reasoning_tokens": self.reasoning_tokens
            }
        return body

    def to_bedrock(self) -> dict[str, Any]:
        """The Converse ``usage`` object a Bedrock client sees."""
        uncached = (
            self.input_tokens - self.cached_input_tokens - self.cache_write_tokens
        )
        body: dict[str, Any] = {
            "inputTokens": uncached,
            "outputTokens": self.output_tokens,
            "totalTokens": self.total_tokens,
        }
        if self.cached_input_tokens:
            body["cacheReadInputTokens"] = self.cached_input_tokens
        if self.cache_write_tokens:
            body["cacheWriteInputTokens"] = self.cache_write_tokens
        return body
