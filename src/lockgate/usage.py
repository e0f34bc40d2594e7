"""Token usage of one call, in one vocabulary whatever the upstream's.

``input_tokens`` includes cached and cache-write tokens, and ``output_tokens`` includes
reasoning tokens, as in the OpenAI usage object. Bedrock's Converse usage, whose
``inputTokens`` excludes the cache counts, is converted by :meth:`Usage.from_bedrock`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lockgate.errors import UpstreamMalformed

# Counts beyond this are not real token counts; they also would not fit SQLite.
_MAX_TOKENS = 2**40


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
        """Read an OpenAI-style ``usage`` object (chat or embeddings).

        Raises UpstreamMalformed when a count is not a plausible token count.
        """
        prompt = _section(usage, "prompt_tokens_details")
        completion = _section(usage, "completion_tokens_details")
        return cls(
            input_tokens=_count(usage, "prompt_tokens"),
            output_tokens=_count(usage, "completion_tokens"),
            cached_input_tokens=_count(prompt, "cached_tokens"),
            reasoning_tokens=_count(completion, "reasoning_tokens"),
        )

    @classmethod
    def from_bedrock(cls, usage: dict[str, Any]) -> Usage:
        """Read a Converse ``usage`` object, whose inputTokens excludes cache counts."""
        cache_read = _count(usage, "cacheReadInputTokens")
        cache_write = _count(usage, "cacheWriteInputTokens")
        return cls(
            input_tokens=_count(usage, "inputTokens") + cache_read + cache_write,
            output_tokens=_count(usage, "outputTokens"),
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


def _section(usage: dict[str, Any], name: str) -> dict[str, Any]:
    section = usage.get(name)
    if section is None:
        return {}
    if not isinstance(section, dict):
        raise UpstreamMalformed(
            f"the upstream's usage field '{name}' is {type(section).__name__}, not "
            "an object; the upstream is not speaking the API it was configured as"
        )
    return section


def _count(usage: dict[str, Any], name: str) -> int:
    """A token count from a usage object: absent or null is zero."""
    value = usage.get(name)
    if value is None:
        return 0
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not (0 <= value < _MAX_TOKENS)
    ):
        raise UpstreamMalformed(
            f"the upstream's usage field '{name}' is {str(value)[:40]!r}, not a token "
            "count; the upstream is not speaking the API it was configured as"
        )
    return value
