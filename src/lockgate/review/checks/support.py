"""What every check needs: the check signature, value tests and finding builders.

A check is a plain function from a :class:`CheckContext` to a list of findings. The
helpers here keep the three-valued logic in one place: a value that is an
:class:`Unresolved` (or holds one) makes a finding UNRESOLVED, never PASS, and a
declaration made by a loop (``ONE_OR_MORE``) counts as present.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from lockgate.config.settings import Settings
from lockgate.review.model import (
    CheckSpec,
    Finding,
    Inventory,
    Location,
    Multiplicity,
    Ref,
    Resource,
    Status,
    Unresolved,
)

from .catalog import CATALOG


@dataclass(slots=True)
class CheckContext:
    """What a check may look at: the loaded inventory and the gateway settings."""

    inventory: Inventory
    gateway: Settings | None = None
    _cache: dict[str, Any] = field(default_factory=dict)

    def declared(self, *types: str) -> list[Resource]:
        """Resources of ``types`` this code creates (Bicep ``existing`` left out).

        ``existing`` declarations only name something created elsewhere; they stay
        in the inventory for lookups (a zone's name, a referenced account) but are
        never the subject of a finding.
        """

        def find() -> list[Resource]:
            return [r for r in self.inventory.of_type(*types) if not is_existing(r)]

        found: list[Resource] = self.remember("declared:" + "|".join(types), find)
        return list(found)

    def language(self, check_id: str) -> str | None:
        """The language most reviewed resources are written in, among those the
        check has a fix for.

        A finding about something missing has no resource of its own; its fix is
        shown in this language.
        """
        offered = CATALOG[check_id].fix
        counts: dict[str, int] = {}
        for resource in self.inventory.resources:
            name = resource.source.value.replace("terraform_plan", "terraform")
            if name in offered:
                counts[name] = counts.get(name, 0) + 1
        return max(counts, key=lambda k: counts[k]) if counts else None

    def remember(self, key: str, compute: Callable[[], Any]) -> Any:
        """Compute a derived view once per review (e.g. the AI workload evidence)."""
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]


Check = Callable[[CheckContext], list[Finding]]


def is_existing(resource: Resource) -> bool:
    meta = resource.attributes.get("__meta__")
    return isinstance(meta, dict) and meta.get("existing") is True


def spec(check_id: str) -> CheckSpec:
    return CATALOG[check_id]


def holds_unresolved(value: Any) -> bool:
    """Whether ``value`` is, or contains anywhere inside it, an Unresolved."""
    if isinstance(value, Unresolved):
        return True
    if isinstance(value, dict):
        return any(holds_unresolved(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(holds_unresolved(v) for v in value)
    return False


def truthy(value: Any) -> bool | None:
    """A boolean-like value as True/False; None when absent or not decidable."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
        return value.strip().lower() == "true"
    return None


def text(value: Any) -> str | None:
    """A plain string value, or None when it is not a resolved string."""
    return value if isinstance(value, str) else None


def show(value: Any) -> str:
    """A value quoted for evidence; long values are cut."""
    shown = repr(value) if not isinstance(value, Unresolved | Ref) else str(value)
    return shown if len(shown) <= 160 else shown[:157] + "..."


def evidence_of(resource: Resource, *path: str | int) -> str:
    """``address.path = value (file:line)``, the usual evidence line."""
    value = resource.get(*path)
    dotted = ".".join(str(p) for p in path)
    where = locate(resource, path)
    if value is None:
        return f"{resource.address}.{dotted} not set ({where})"
    return f"{resource.address}.{dotted} = {show(value)} ({where})"


def finding(
    check_id: str,
    status: Status,
    message: str,
    resource: Resource | None = None,
    path: tuple[str | int, ...] = (),
    evidence: Iterable[str] = (),
    location: Location | None = None,
    language: str | None = None,
) -> Finding:
    """A finding located at ``path`` inside ``resource`` with its language's fix.

    A resource made only under a condition the loader could not work out may not
    exist, so a verdict about it is UNRESOLVED, whatever the check found.
    """
    check = spec(check_id)
    if location is None and resource is not None:
        location = locate(resource, path)
    origin = origin_of(resource, path)
    evidence = [*evidence, f"value set at {origin}"] if origin else list(evidence)
    if (
        resource is not None
        and resource.multiplicity is Multiplicity.CONDITIONAL
        and status in (Status.PASS, Status.FAIL)
    ):
        message = (
            f"{message} (would be {status.value}; {resource.address} is created "
            "only under a condition that cannot be worked out)"
        )
        status = Status.UNRESOLVED
    return Finding(
        check=check,
        status=status,
        message=message,
        resource=resource.address if resource is not None else None,
        location=location,
        evidence=evidence,
        fix=_fix_for(check, resource, language),
        origin=origin,
    )


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a check concluded about one resource, before it becomes a finding.

    ``evidence`` left as None means the usual line: the value read at ``path``.
    """

    status: Status
    message: str
    path: tuple[str | int, ...] = ()
    evidence: list[str] | None = None


def judge_each(
    check_id: str,
    resources: Iterable[Resource],
    judge: Callable[[Resource], Verdict | None],
    joiner: str = ": ",
) -> list[Finding]:
    """One finding per resource ``judge`` has a verdict on, in the given order.

    The message opens with the resource's address and ``joiner``; a resource the
    judge returns None for is not reviewed by this check.
    """
    findings = []
    for resource in resources:
        verdict = judge(resource)
        if verdict is not None:
            findings.append(judged(check_id, resource, verdict, joiner))
    return findings


def judged(
    check_id: str, resource: Resource, verdict: Verdict, joiner: str = ": "
) -> Finding:
    """The finding for ``verdict`` on ``resource`` (see :func:`judge_each`)."""
    evidence = verdict.evidence
    if evidence is None:
        evidence = [evidence_of(resource, *verdict.path)]
    return finding(
        check_id,
        verdict.status,
        f"{resource.address}{joiner}{verdict.message}",
        resource,
        verdict.path,
        evidence,
    )


def _fix_for(
    check: CheckSpec, resource: Resource | None, language: str | None
) -> str | None:
    if resource is not None:
        return check.fix.get(
            resource.source.value.replace("terraform_plan", "terraform")
        )
    if language is not None and language in check.fix:
        return check.fix[language]
    if len(check.fix) == 1:
        return next(iter(check.fix.values()))
    return None


def locate(resource: Resource, path: tuple[str | int, ...]) -> Location:
    """Where ``path`` was written; a Terraform block is found at its first entry."""
    if not path:
        return resource.location
    found = resource.location_of(*path)
    if found == resource.location:
        block = resource.location_of(*path, 0)
        if block != resource.location:
            return block
    return found


def origin_of(
    resource: Resource | None, path: tuple[str | int, ...]
) -> Location | None:
    """Where the value at ``path`` was set, when that is not where it is written
    (a Terraform variable default, tfvars line, module argument or local)."""
    if resource is None or not path:
        return None
    origin = resource.origin_of(*path)
    return None if origin == resource.location_of(*path) else origin


def not_created_for(
    context: CheckContext, types: tuple[str, ...], target: Resource
) -> tuple[Resource, tuple[str]] | None:
    """A declaration of ``types`` that refers to ``target`` but makes no instance
    (``count = 0``, an empty ``for_each``), with the path of its loop argument.

    The control is written, and switched off: a finding about its absence points
    at this declaration, and its origin at the input that switched it off.
    """
    wanted = {t.lower() for t in types}
    for resource in context.inventory.not_created:
        if resource.type.lower() not in wanted:
            continue
        if target.address in reference_targets(resource.attributes):
            loop = "for_each" if ("for_each",) in resource.origins else "count"
            return resource, (loop,)
    return None


def azapi_of(context: CheckContext, arm_type: str) -> list[Resource]:
    """``azapi_resource`` declarations whose ``type`` names ``arm_type@version``."""
    found = []
    for resource in context.declared("azapi_resource"):
        declared = text(resource.get("type"))
        if declared and declared.split("@")[0].lower() == arm_type.lower():
            found.append(resource)
    return found


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [value]


def first_block(value: Any) -> Any:
    """Terraform nested blocks arrive as a list of dicts; take the first."""
    if isinstance(value, list):
        return value[0] if value else None
    return value


def strings_in(value: Any) -> list[str]:
    """Every string anywhere inside ``value``."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings_in(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in strings_in(v)]
    return []


def reference_targets(value: Any) -> list[str]:
    """Addresses of every :class:`Ref` inside ``value``."""
    if isinstance(value, Ref):
        return [value.target]
    if isinstance(value, dict):
        return [t for v in value.values() for t in reference_targets(v)]
    if isinstance(value, list | tuple):
        return [t for v in value for t in reference_targets(v)]
    return []


def mentions(value: Any, resource: Resource) -> bool:
    """Whether ``value`` points at ``resource`` by reference or by name."""
    if resource.address in reference_targets(value):
        return True
    if _named_in_expressions(value, resource):
        return True
    names = {resource.address.rsplit(".", 1)[-1], resource.address.rsplit("/", 1)[-1]}
    names = {n for n in names if len(n) > 2 and "/" not in n}
    for candidate in strings_in(value):
        if resource.address in candidate:
            return True
        for name in names:
            if candidate == name or f"'{name}'" in candidate or f"/{name}" in candidate:
                return True
            if candidate.startswith(f"{name}/"):
                return True
    return False


def block_path(resource: Resource, *keys: str) -> tuple[str | int, ...]:
    """``keys`` with a ``0`` after every key whose value is a list of blocks.

    Terraform nested blocks arrive as lists of dicts, other sources as plain
    dicts; the path that comes back works with ``get`` and ``location_of`` both.
    """
    path: list[str | int] = []
    for key in keys:
        path.append(key)
        value = resource.get(*path)
        if isinstance(value, list) and value and isinstance(value[0], dict):
            path.append(0)
    return tuple(path)


_REFERENCE = re.compile(
    r"^(?:data\.|module\.)?[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?"
    r"(?:\.[A-Za-z0-9_\[\]*\"-]+)+$"
)


def is_set_by_reference(value: Any) -> bool:
    """A value given by a reference to another resource or module output.

    The value is unknown, but it is set: a key ARN taken from ``aws_kms_key.x.arn``
    counts as a key even when that resource is declared elsewhere.
    """
    if isinstance(value, Ref):
        return True
    if isinstance(value, Unresolved):
        expression = value.expression.strip().removeprefix("${").removesuffix("}")
        head = expression.split(".", 1)[0]
        return head not in ("var", "local", "each", "count") and bool(
            _REFERENCE.match(expression)
        )
    return False


def _named_in_expressions(value: Any, resource: Resource) -> bool:
    """Whether an unresolved expression inside ``value`` names ``resource``.

    The loader leaves ``try(aws_x.y[0].id, ...)`` and similar unevaluated; the
    reference is still written in the expression text.
    """
    local = resource.address.split(".")
    if len(local) < 2:
        return False
    tail = ".".join(local[-3:] if local[-3:-2] == ["data"] else local[-2:])
    pattern = re.compile(rf"(?<![\w.]){re.escape(tail)}(?![\w-])")
    return any(pattern.search(e) for e in unresolved_expressions(value))


def unresolved_expressions(value: Any) -> list[str]:
    """The expression text of every :class:`Unresolved` inside ``value``."""
    if isinstance(value, Unresolved):
        return [value.expression]
    if isinstance(value, dict):
        return [e for v in value.values() for e in unresolved_expressions(v)]
    if isinstance(value, list | tuple):
        return [e for v in value for e in unresolved_expressions(v)]
    return []
