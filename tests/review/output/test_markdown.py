from __future__ import annotations

from lockgate.review.render.formats import render_markdown

SECTIONS = [
    "## 1. Network and connectivity design",
    "## 2. Identity and access model",
    "## 3. Data perimeter and egress policy",
    "## 4. Observability and cost baseline",
]


def test_markdown_has_the_four_deliverables_in_order(report):
    text = render_markdown(report)

    positions = [text.index(heading) for heading in SECTIONS]
    assert positions == sorted(positions)
    assert text.startswith("# lockgate readiness review\n\nResult: **FAIL**")


def test_markdown_shows_gates_with_what_blocks_them(report):
    text = render_markdown(report)

    assert "| Identity | FAIL | 1 | 1 | - |" in text
    assert "| Cost | BLOCKED | 1 | 0 | identity |" in text


def test_markdown_escapes_pipes_inside_table_cells(report):
    text = render_markdown(report)

    assert "has no policy \\| full access" in text


def test_markdown_lists_unreadable_files(report):
    text = render_markdown(report)

    assert "- `broken.tf:7`: unexpected '}' <script>" in text


def test_markdown_reports_the_hub_decision_and_missing_endpoint(report):
    text = render_markdown(report)

    assert "**Endpoints per network.** 2 AI network(s) across 1 account(s);" in text
    assert (
        "- **Missing:** bedrock-agent-runtime: Bedrock workloads are declared" in text
    )
    assert "No gateway store was given, so nothing was measured." in text
