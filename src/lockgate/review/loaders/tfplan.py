"""Terraform plan JSON (``terraform show -json plan.out``): values already worked out.

Resources come from ``planned_values.root_module`` and its ``child_modules``,
addressed exactly as Terraform addresses them (``module.a.aws_vpc.main[0]``).
A value marked unknown in ``resource_changes[].change.after_unknown`` becomes an
:class:`Unresolved` "known after apply". Each resource is located at its
``"address"`` in the file (plans are often written on one line, so the column
matters); its attributes share that location.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from typing import Any

from lockgate.review.loaders.context import LoadContext
from lockgate.review.loaders.discover import SourceFile
from lockgate.review.model import Location, Resource, SourceFormat, Unresolved

logger = logging.getLogger(__name__)

_ADDRESS = re.compile(r'"address"\s*:\s*"((?:[^"\\]|\\.)*)"')


def load(sources: list[SourceFile], context: LoadContext) -> None:
    for source in sources:
        context.read(source.path)
        text = source.text if source.text is not None else source.path.read_text()
        try:
            plan = json.loads(text)
        except json.JSONDecodeError as error:
            context.problem(source.path, f"not valid JSON: {error.msg}", error.lineno)
            continue
        if not isinstance(plan, dict):
            context.problem(source.path, "a plan must be a JSON object", 1)
            continue
        with context.guard([source.path], str(source.path)):
            _load_plan(source, text, plan, context)


def _load_plan(
    source: SourceFile, text: str, plan: dict[str, Any], context: LoadContext
) -> None:
    places = _address_places(text)
    unknown = _after_unknown(plan)
    root = (plan.get("planned_values") or {}).get("root_module") or {}
    for module, entry in _planned(root, None):
        address = str(entry.get("address", ""))
        line, column = places.get(address, (1, 0))
        location = Location(context.name(source.path), line, column)
        values = entry.get("values") if isinstance(entry.get("values"), dict) else {}
        attributes = _mark_unknown(values, unknown.get(address), address)
        kind = str(entry.get("type", ""))
        if entry.get("mode") == "data":
            kind = f"data.{kind}"
        context.resources.append(
            Resource(
                type=kind,
                address=address,
                source=SourceFormat.TERRAFORM_PLAN,
                location=location,
                attributes=attributes,
                module=module,
            )
        )


def _planned(
    module: dict[str, Any], name: str | None
) -> Iterator[tuple[str | None, dict[str, Any]]]:
    for entry in module.get("resources") or []:
        if isinstance(entry, dict):
            yield name, entry
    for child in module.get("child_modules") or []:
        if isinstance(child, dict):
            yield from _planned(child, str(child.get("address", name)))


def _after_unknown(plan: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for change in plan.get("resource_changes") or []:
        if isinstance(change, dict) and isinstance(change.get("change"), dict):
            found[str(change.get("address"))] = change["change"].get("after_unknown")
    return found


def _mark_unknown(values: Any, unknown: Any, path: str) -> Any:
    """``values`` with every value ``after_unknown`` marks as true made Unresolved."""
    if unknown is True:
        return Unresolved(path, "known after apply")
    if isinstance(unknown, dict):
        result = dict(values) if isinstance(values, dict) else {}
        for key, marker in unknown.items():
            if marker is not False:
                result[key] = _mark_unknown(result.get(key), marker, f"{path}.{key}")
        return result
    if isinstance(unknown, list):
        items = list(values) if isinstance(values, list) else []
        for index, marker in enumerate(unknown):
            if index >= len(items):
                items.append(None)
            items[index] = _mark_unknown(items[index], marker, f"{path}[{index}]")
        return items
    return values


def _address_places(text: str) -> dict[str, tuple[int, int]]:
    """Line and column of the first ``"address": "..."`` for each address."""
    places: dict[str, tuple[int, int]] = {}
    line, last = 1, 0
    for match in _ADDRESS.finditer(text):
        line += text.count("\n", last, match.start())
        last = match.start()
        address = json.loads(f'"{match.group(1)}"')
        if address not in places:
            start = text.rfind("\n", 0, match.start()) + 1
            places[address] = (line, match.start() - start)
    return places
