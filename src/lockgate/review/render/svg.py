"""The topology diagram as inline SVG: no script, no external asset, prints well.

Nodes sit in columns by kind (DNS zones, networks, endpoints and exits, services and
the internet) and edges are drawn between them; a missing endpoint is a dashed red
edge, a way to the internet an amber one. Very large inventories are cut at
``MAX_PER_COLUMN`` nodes per column, and the diagram says how many were left out.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from lockgate.review.deliverables.facts import Edge, Node, Topology

MAX_PER_COLUMN = 40
LABEL_CHARS = 34
_COLUMNS = (
    ("zone",),
    ("network",),
    ("endpoint", "missing", "transit", "gateway"),
    ("service", "internet"),
)
_COLUMN_TITLES = ("DNS zones", "Networks", "Endpoints and exits", "Services")
_WIDTH, _BOX_W, _BOX_H, _GAP, _TOP = 1000, 220, 34, 14, 46
_FILL = {
    "zone": "#eef4ff",
    "network": "#eefaf0",
    "endpoint": "#ffffff",
    "missing": "#fdecec",
    "transit": "#f4eefc",
    "gateway": "#fff4e5",
    "service": "#f0f0f0",
    "internet": "#fdecec",
}
_EDGE_STYLE = {
    "missing endpoint": 'stroke="#c62828" stroke-dasharray="6 4"',
    "public access": 'stroke="#e65100" stroke-dasharray="2 3"',
    "egress": 'stroke="#e65100"',
}


def render_svg(topology: Topology) -> str:
    placed, dropped = _layout(topology)
    height = (
        _TOP + max((len(c) for c in _columns(placed)), default=1) * (_BOX_H + _GAP) + 30
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="topology" '
        f'viewBox="0 0 {_WIDTH} {height}" width="100%" '
        f'aria-label="Network topology: {len(placed)} nodes">',
        "<title>Network topology</title>",
        _defs(),
        *_column_titles(),
        *(
            _edge(e, placed)
            for e in topology.edges
            if e.source in placed and e.target in placed
        ),
        *(_node(node, x, y) for node, (x, y) in _sorted(placed, topology.nodes)),
    ]
    if dropped:
        parts.append(
            f'<text x="10" y="{height - 10}" class="note">{dropped} more node(s) not '
            "drawn; every one is listed in the tables</text>"
        )
    if not placed:
        parts.append(
            f'<text x="10" y="{_TOP + 20}">No network resources were found.</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


def _columns(placed: dict[str, tuple[int, int]]) -> list[list[int]]:
    columns: dict[int, list[int]] = {}
    for x, y in placed.values():
        columns.setdefault(x, []).append(y)
    return list(columns.values())


def _layout(topology: Topology) -> tuple[dict[str, tuple[int, int]], int]:
    """Place columns networks first, then each column near its neighbours."""
    placed: dict[str, tuple[int, int]] = {}
    dropped = 0
    step = (_WIDTH - _BOX_W - 20) // (len(_COLUMNS) - 1)
    neighbours = _neighbours(topology.edges)
    for column in (1, 2, 3, 0):
        members = [n for n in topology.nodes if n.kind in _COLUMNS[column]]
        members.sort(key=lambda n: _nearest_row(n.id, neighbours, placed))
        dropped += max(0, len(members) - MAX_PER_COLUMN)
        for row, node in enumerate(members[:MAX_PER_COLUMN]):
            placed[node.id] = (10 + column * step, _TOP + row * (_BOX_H + _GAP))
    return placed, dropped


def _neighbours(edges: tuple[Edge, ...]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for edge in edges:
        found.setdefault(edge.source, set()).add(edge.target)
        found.setdefault(edge.target, set()).add(edge.source)
    return found


def _nearest_row(
    node: str, neighbours: dict[str, set[str]], placed: dict[str, tuple[int, int]]
) -> int:
    """The highest row of an already placed neighbour (sorting is stable)."""
    rows = [placed[n][1] for n in neighbours.get(node, ()) if n in placed]
    return min(rows, default=1 << 30)


def _sorted(
    placed: dict[str, tuple[int, int]], nodes: tuple[Node, ...]
) -> list[tuple[Node, tuple[int, int]]]:
    return [(n, placed[n.id]) for n in nodes if n.id in placed]


def _defs() -> str:
    return (
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" '
        'markerWidth="6" markerHeight="6" orient="auto-start-reverse">'
        '<path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>'
    )


def _column_titles() -> list[str]:
    step = (_WIDTH - _BOX_W - 20) // (len(_COLUMNS) - 1)
    return [
        f'<text x="{10 + i * step}" y="24" class="column-title" '
        f'font-weight="bold" font-size="14">{title}</text>'
        for i, title in enumerate(_COLUMN_TITLES)
    ]


def _node(node: Node, x: int, y: int) -> str:
    label = (
        node.label
        if len(node.label) <= LABEL_CHARS
        else node.label[: LABEL_CHARS - 1] + "…"
    )
    return (
        f'<g class="node node-{node.kind}" data-id="{quoteattr_free(node.id)}">'
        f"<title>{escape(node.id)} ({node.kind})</title>"
        f'<rect x="{x}" y="{y}" width="{_BOX_W}" height="{_BOX_H}" rx="6" '
        f'fill="{_FILL.get(node.kind, "#fff")}" {_stroke(node.kind)}/>'
        f'<text x="{x + 8}" y="{y + 22}" font-size="12" font-family="sans-serif">'
        f"{escape(label)}</text></g>"
    )


def _stroke(kind: str) -> str:
    if kind == "missing":
        return 'stroke="#c62828" stroke-dasharray="6 4"'
    return 'stroke="#555"'


def quoteattr_free(value: str) -> str:
    """Text safe inside a double-quoted attribute."""
    return escape(value, {'"': "&quot;"})


def _edge(edge: Edge, placed: dict[str, tuple[int, int]]) -> str:
    (x1, y1), (x2, y2) = placed[edge.source], placed[edge.target]
    if x1 == x2:
        sx, sy, ey = x1 + _BOX_W, y1 + _BOX_H // 2, y2 + _BOX_H // 2
        bend = sx + 30
        path = f"M {sx} {sy} C {bend} {sy}, {bend} {ey}, {sx} {ey}"
    else:
        left, right = ((x1, y1), (x2, y2)) if x1 < x2 else ((x2, y2), (x1, y1))
        sx, sy = left[0] + _BOX_W, left[1] + _BOX_H // 2
        ex, ey = right[0], right[1] + _BOX_H // 2
        mid = (sx + ex) // 2
        path = f"M {sx} {sy} C {mid} {sy}, {mid} {ey}, {ex} {ey}"
    style = _EDGE_STYLE.get(edge.label, 'stroke="#555"')
    return (
        f'<path class="edge" d="{path}" fill="none" {style} stroke-width="1.4" '
        f'marker-end="url(#arrow)"><title>{escape(edge.source)} → '
        f"{escape(edge.target)}: {escape(edge.label)}</title></path>"
    )
