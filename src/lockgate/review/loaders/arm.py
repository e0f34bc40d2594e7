"""ARM JSON templates: parameters, variables, child resources, copy loops, nesting.

Parameters take their ``defaultValue``, overridden by a parameters file beside the
template (``<name>.parameters.json`` or ``azuredeploy.parameters.json``). A
resource's address is its symbolic name (language version 2 templates) or
``<full type>/<name>`` with the name worked out, which is also what
``resourceId(...)`` points at. Child resources are flattened with full type names
and names; nested deployments with an inline template are read with their
parameters bound, their resources carrying the deployment's name as ``module``
(and in their address only when it is a symbolic name).
"""

from __future__ import annotations

import json
import logging
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cfnlint.decode import cfn_json

from lockgate.review.loaders.arm_expr import ArmScope
from lockgate.review.loaders.context import LoadContext, combine
from lockgate.review.loaders.discover import FileKind, SourceFile
from lockgate.review.loaders.positions import mark_line, record_positions
from lockgate.review.model import Multiplicity, Resource, SourceFormat, Unresolved

logger = logging.getLogger(__name__)

_KEPT_OUT = ("resources", "copy", "condition", "type", "existing")


@dataclass(slots=True)
class _Template:
    """One file being read: its path, text line starts and the shared context."""

    path: Path
    text: str
    line_starts: list[int]
    context: LoadContext


@dataclass(frozen=True, slots=True)
class _Nesting:
    """Where a resource sits: its nested deployment, and how often that exists."""

    module: str | None = None
    outer: Multiplicity = Multiplicity.ONE


def load(sources: list[SourceFile], context: LoadContext) -> None:
    parameter_files = {s.path: s for s in sources if s.kind is FileKind.ARM_PARAMETERS}
    for source in sources:
        if source.kind is FileKind.ARM:
            with context.guard([source.path], str(source.path)):
                supplied = _parameters_for(source.path, parameter_files)
                _load_file(source, supplied, context)
    for path in parameter_files:
        context.read(path)


def _parameters_for(
    template: Path, candidates: dict[Path, SourceFile]
) -> dict[str, Any]:
    found = candidates.get(parameters_file_for(template))
    if found is None or found.text is None:
        return {}
    return read_parameters_file(found.text)


def parameters_file_for(template: Path) -> Path:
    """``azuredeploy.json`` and ``main.bicep`` take ``<stem>.parameters.json``."""
    return template.with_name(f"{template.stem}.parameters.json")


def read_parameters_file(text: str) -> dict[str, Any]:
    """Values in a deploymentParameters file; Key Vault references are left out."""
    try:
        document = json.loads(text)
    except ValueError:
        return {}
    values = document.get("parameters", {}) if isinstance(document, dict) else {}
    if not isinstance(values, dict):
        return {}
    return {
        str(k): v["value"]
        for k, v in values.items()
        if isinstance(v, dict) and "value" in v
    }


def _load_file(
    source: SourceFile, supplied: dict[str, Any], context: LoadContext
) -> None:
    context.read(source.path)
    text = source.text if source.text is not None else source.path.read_text()
    document = _decode(source.path, text, context)
    if document is None:
        return
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    template = _Template(source.path, text, starts, context)
    _read_template(template, document, supplied, _Nesting())


def _decode(path: Path, text: str, context: LoadContext) -> dict[str, Any] | None:
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        context.problem(path, f"not valid JSON: {error.msg}", error.lineno)
        return None
    try:
        document = cfn_json.loads(text)
    except Exception as error:  # the decoder raises several kinds for bad input
        context.problem(path, f"not a readable ARM template: {error}", None)
        return None
    if not isinstance(document, dict):
        context.problem(path, "the template is not a JSON object", 1)
        return None
    return document


def _read_template(
    template: _Template,
    document: dict[str, Any],
    supplied: dict[str, Any],
    nesting: _Nesting,
) -> None:
    scope = ArmScope({}, _mapping(document.get("variables")))
    _bind_parameters(document, supplied, scope)
    resources = document.get("resources", [])
    items = resources.items() if isinstance(resources, dict) else enumerate(resources)
    for key, body in items:
        symbol = key if isinstance(key, str) else None
        _read_resource(template, scope, body, symbol, None, nesting)


def _mapping(node: Any) -> dict[str, Any]:
    return node if isinstance(node, dict) else {}


def _bind_parameters(
    document: dict[str, Any], supplied: dict[str, Any], scope: ArmScope
) -> None:
    """Supplied values, else defaults, in order: a default may use earlier ones."""
    for name, declaration in _mapping(document.get("parameters")).items():
        if name in supplied:
            scope.parameters[str(name)] = supplied[name]
        elif isinstance(declaration, dict) and "defaultValue" in declaration:
            scope.parameters[str(name)] = scope.value(declaration["defaultValue"])


def _read_resource(
    template: _Template,
    scope: ArmScope,
    body: Any,
    symbol: str | None,
    parent: tuple[str, str] | None,
    nesting: _Nesting,
) -> None:
    if not isinstance(body, dict) or not isinstance(body.get("type"), str):
        line = mark_line(body)
        template.context.problem(template.path, "a resource has no type", line)
        return
    own = _multiplicity(scope, body)
    if own is None:
        return
    multiplicity, module = combine(nesting.outer, own), nesting.module

    kind, name = _full_type_and_name(scope, body, parent)
    # resourceId() names a resource by type and name whatever deployment made it,
    # so only symbolic names (local to their template) carry the deployment name.
    address = f"{kind}/{name}"
    if symbol is not None:
        address = symbol if module is None else f"{module}/{symbol}"
    resource = _resource(template, scope, body, kind, address, multiplicity, module)
    template.context.resources.append(resource)

    inside = _Nesting(module, multiplicity)
    for child in body.get("resources", []) or []:
        _read_resource(template, scope, child, None, (kind, name), inside)
    if kind.lower() == "microsoft.resources/deployments":
        _read_nested(template, scope, body, name, inside)


def _multiplicity(scope: ArmScope, body: dict[str, Any]) -> Multiplicity | None:
    if "condition" in body:
        condition = scope.value(body["condition"])
        if condition is False:
            return None
        if condition is not True:
            return Multiplicity.CONDITIONAL
    return Multiplicity.ONE_OR_MORE if "copy" in body else Multiplicity.ONE


def _full_type_and_name(
    scope: ArmScope, body: dict[str, Any], parent: tuple[str, str] | None
) -> tuple[str, str]:
    kind = str(body["type"])
    name = scope.value(body.get("name", ""))
    name = name.expression if isinstance(name, Unresolved) else str(name)
    if parent is not None and "/" not in kind.split("/", 1)[-1]:
        kind, name = f"{parent[0]}/{kind}", f"{parent[1]}/{name}"
    return kind, name


def _resource(
    template: _Template,
    scope: ArmScope,
    body: dict[str, Any],
    kind: str,
    address: str,
    multiplicity: Multiplicity,
    module: str | None,
) -> Resource:
    raw = {k: v for k, v in body.items() if str(k) not in _KEPT_OUT}
    attributes = scope.value(raw)
    if kind.lower() == "microsoft.resources/deployments":
        _drop_inline_template(attributes)
    if body.get("existing") is True:  # language version 2.0 symbolic templates
        attributes["__meta__"] = {"existing": True}

    def locate(line: int) -> Any:
        return template.context.location(template.path, line)

    return Resource(
        type=kind,
        address=address,
        source=SourceFormat.ARM,
        location=locate(_opening_line(template, body)),
        attributes=attributes,
        locations=record_positions(raw, locate),
        multiplicity=multiplicity,
        module=module,
    )


def _drop_inline_template(attributes: dict[str, Any]) -> None:
    properties = attributes.get("properties")
    if isinstance(properties, dict) and "template" in properties:
        properties["template"] = "(read as nested resources)"


def _opening_line(template: _Template, body: dict[str, Any]) -> int:
    """The line of the resource's ``{``: the decoder marks its first key instead."""
    first = next(iter(body), None)
    mark = getattr(first, "start_mark", None)
    if mark is None:
        return mark_line(body) or 1
    line = int(mark.line)
    offset = template.line_starts[line] + int(mark.column)
    brace = template.text.rfind("{", 0, offset)
    return bisect_right(template.line_starts, brace) if brace >= 0 else line + 1


def _read_nested(
    template: _Template,
    scope: ArmScope,
    body: dict[str, Any],
    name: str,
    nesting: _Nesting,
) -> None:
    properties = body.get("properties")
    if not isinstance(properties, dict):
        return
    inner = properties.get("template")
    if not isinstance(inner, dict):
        return  # a linked template (templateLink) is not fetched
    bound: dict[str, Any] = {}
    for key, value in _mapping(properties.get("parameters")).items():
        if isinstance(value, dict) and "value" in value:
            bound[str(key)] = scope.value(value["value"])
    module = name if nesting.module is None else f"{nesting.module}/{name}"
    _read_template(template, inner, bound, _Nesting(module, nesting.outer))
