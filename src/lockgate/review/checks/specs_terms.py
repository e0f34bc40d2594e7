"""The shorthand both catalog row modules are written in.

A row is (id, area, platform, severity, title, rationale); the short names keep a
row to a few lines. They are private to ``specs_foundation`` and ``specs_layers``.
"""

from __future__ import annotations

from lockgate.review.model import Area, Platform, Severity

Row = tuple[str, Area, Platform, Severity, str, str]

_C, _I, _D, _O, _K = (
    Area.CONNECTIVITY,
    Area.IDENTITY,
    Area.DATA_PERIMETER,
    Area.OBSERVABILITY,
    Area.COST,
)
_AWS, _AZ, _GW = Platform.AWS, Platform.AZURE, Platform.GATEWAY
_CRIT, _HIGH, _MED, _LOW = (
    Severity.CRITICAL,
    Severity.HIGH,
    Severity.MEDIUM,
    Severity.LOW,
)
