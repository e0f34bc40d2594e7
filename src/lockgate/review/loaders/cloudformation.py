"""CloudFormation templates (YAML or JSON) via cfn-lint's decoder, which keeps lines.

A resource's attributes are its ``Properties`` with intrinsics worked out
(``cfn_intrinsics``). A resource with a ``Condition`` is CONDITIONAL unless the
condition can be evaluated from parameter defaults: a false one leaves the
resource out, a true one makes it ONE. ``DependsOn`` and ``Condition`` are kept
under ``attributes["__meta__"]``. Each of the template's ``Parameters`` is kept
in the context's ``parameters`` as a resource of type "parameter" addressed
``Parameters.<Name>``, whose attributes are its body as written.
"""

from __future__ import annotations

import logging
from typing import Any

from cfnlint.decode import decode_str

from lockgate.review.loaders.cfn_intrinsics import UNKNOWN, Intrinsics
from lockgate.review.loaders.context import LoadContext
from lockgate.review.loaders.discover import SourceFile
from lockgate.review.loaders.positions import record_positions
from lockgate.review.model import Multiplicity, Resource, SourceFormat

logger = logging.getLogger(__name__)


def load(sources: list[SourceFile], context: LoadContext) -> None:
    for source in sources:
        context.read(source.path)
        with context.guard([source.path], str(source.path)):
            template = _decode(source, context)
            if template is not None:
                _load_template(source, template, context)


def _decode(source: SourceFile, context: LoadContext) -> dict[str, Any] | None:
    text = source.text if source.text is not None else source.path.read_text()
    template, matches = decode_str(text)
    if matches:
        first = matches[0]
        line = getattr(first, "linenumber", None)
        context.problem(source.path, f"not a readable template: {first.message}", line)
        return None
    if not isinstance(template, dict) or not isinstance(
        template.get("Resources"), dict
    ):
        context.problem(source.path, "template has no Resources mapping", None)
        return None
    return template


def _load_template(
    source: SourceFile, template: dict[str, Any], context: LoadContext
) -> None:
    resources: dict[str, Any] = template["Resources"]
    resolver = Intrinsics(
        parameters=_mapping(template.get("Parameters")),
        resources={str(k) for k in resources},
        conditions=_mapping(template.get("Conditions")),
        mappings=_mapping(template.get("Mappings")),
    )
    for logical_id, body in resources.items():
        resource = _resource(source, logical_id, body, resolver, context)
        if resource is not None:
            context.resources.append(resource)

    for name, body in _mapping(template.get("Parameters")).items():
        context.parameters.append(_parameter(source, name, body, context))


def _mapping(node: Any) -> dict[str, Any]:
    return node if isinstance(node, dict) else {}


def _resource(
    source: SourceFile,
    logical_id: Any,
    body: Any,
    resolver: Intrinsics,
    context: LoadContext,
) -> Resource | None:
    line = _line(logical_id) or _line(body) or 1
    location = context.location(source.path, line)
    if not isinstance(body, dict) or not isinstance(body.get("Type"), str):
        context.problem(source.path, f"resource {logical_id} has no Type", line)
        return None

    multiplicity = Multiplicity.ONE
    if "Condition" in body:
        truth = resolver.condition(str(body["Condition"]))
        if truth is False:
            return None
        multiplicity = Multiplicity.CONDITIONAL if truth is UNKNOWN else multiplicity

    raw = body.get("Properties")
    raw = raw if isinstance(raw, dict) else {}
    attributes: dict[str, Any] = resolver.value(raw)
    meta = {k: resolver.value(body[k]) for k in ("Condition", "DependsOn") if k in body}
    if meta:
        attributes["__meta__"] = meta

    locations = record_positions(raw, lambda ln: context.location(source.path, ln))
    return Resource(
        type=str(body["Type"]),
        address=str(logical_id),
        source=SourceFormat.CLOUDFORMATION,
        location=location,
        attributes=attributes,
        locations=locations,
        multiplicity=multiplicity,
    )


def _parameter(
    source: SourceFile, name: Any, body: Any, context: LoadContext
) -> Resource:
    raw = body if isinstance(body, dict) else {}
    locations = record_positions(raw, lambda ln: context.location(source.path, ln))
    return Resource(
        type="parameter",
        address=f"Parameters.{name}",
        source=SourceFormat.CLOUDFORMATION,
        location=context.location(source.path, _line(name) or _line(body) or 1),
        attributes={str(k): _plain(v) for k, v in raw.items()},
        locations=locations,
    )


def _plain(value: Any) -> Any:
    """A parameter's setting without the decoder's position-carrying types."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def _line(node: Any) -> int | None:
    mark = getattr(node, "start_mark", None)
    return None if mark is None else int(mark.line) + 1
