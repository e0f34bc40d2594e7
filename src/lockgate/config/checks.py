"""Rules that span several settings, checked after each value is valid on its own."""

from __future__ import annotations

from collections.abc import Iterator

from lockgate.config.settings import (
    BedrockUpstream,
    Settings,
)

Problem = tuple[tuple[str | int, ...], str]


def cross_check(settings: Settings) -> list[Problem]:
    """Every cross-setting problem, each with the path of the value at fault."""
    return [
        *_unique_names(settings),
        *_models_refer_to_upstreams(settings),
        *_auth_none_only_on_loopback(settings),
    ]


def _unique_names(settings: Settings) -> Iterator[Problem]:
    seen: set[str] = set()
    for index, upstream in enumerate(settings.upstreams):
        if upstream.name in seen:
            yield (
                ("upstreams", index, "name"),
                f"upstream name '{upstream.name}' is used twice; "
                "give each a unique name",
            )
        seen.add(upstream.name)

    aliases: set[str] = set()
    for index, model in enumerate(settings.models):
        if model.alias in aliases:
            yield (
                ("models", index, "alias"),
                f"model alias '{model.alias}' is used twice; give each a unique alias",
            )
        aliases.add(model.alias)


def _models_refer_to_upstreams(settings: Settings) -> Iterator[Problem]:
    upstreams = {u.name: u for u in settings.upstreams}
    for index, model in enumerate(settings.models):
        upstream = upstreams.get(model.upstream)
        if upstream is None:
            known = ", ".join(sorted(upstreams))
            yield (
                ("models", index, "upstream"),
                f"upstream '{model.upstream}' is not defined; use one of: {known}",
            )
        elif isinstance(upstream, BedrockUpstream) and "embeddings" in model.operations:
            yield (
                ("models", index, "operations"),
                f"upstream '{upstream.name}' is a Bedrock Converse upstream, which has "
                "no embeddings operation; remove 'embeddings' from this model",
            )


def _auth_none_only_on_loopback(settings: Settings) -> Iterator[Problem]:
    server = settings.server
    if server.auth == "none" and not server.is_loopback():
        yield (
            ("server", "auth"),
            f"auth 'none' lets anyone call the models, so it is refused on "
            f"non-loopback address '{server.host}'; listen on 127.0.0.1 or configure "
            "an identity provider",
        )
