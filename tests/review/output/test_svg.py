from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from lockgate.review.deliverables.facts import Edge, Node, Topology
from lockgate.review.render.svg import MAX_PER_COLUMN, render_svg

SVG = "{http://www.w3.org/2000/svg}"


def nodes_of(svg: str) -> list[ElementTree.Element]:
    root = ElementTree.fromstring(svg)
    return [g for g in root.iter(f"{SVG}g") if "node" in g.get("class", "").split()]


def test_diagram_is_well_formed_xml_whatever_the_names():
    awkward = 'module.net["a<b>&\'c"]'
    topology = Topology(
        nodes=(
            Node(awkward, awkward, "network"),
            Node("svc", "Amazon Bedrock (bedrock-runtime)", "service"),
        ),
        edges=(Edge(awkward, "svc", "missing endpoint"),),
    )
    drawn = nodes_of(render_svg(topology))

    assert [g.get("data-id") for g in drawn] == [awkward, "svc"]
    assert drawn[0].find(f"{SVG}title").text == f"{awkward} (network)"


def test_edges_follow_their_style_and_long_labels_are_cut():
    label = "n" * 60
    topology = Topology(
        nodes=(Node("a", label, "network"), Node("b", "b", "service")),
        edges=(Edge("a", "b", "missing endpoint"),),
    )
    root = ElementTree.fromstring(render_svg(topology))
    [edge] = [p for p in root.iter(f"{SVG}path") if p.get("class") == "edge"]
    texts = [t.text for t in root.iter(f"{SVG}text")]

    assert edge.get("stroke") == "#c62828"
    assert edge.get("stroke-dasharray") == "6 4"
    assert "n" * 33 + "…" in texts


def test_huge_columns_are_cut_and_the_diagram_says_so():
    networks = tuple(Node(f"vpc{i:03d}", f"vpc{i:03d}", "network") for i in range(55))
    svg = render_svg(Topology(nodes=networks, edges=()))

    assert len(nodes_of(svg)) == MAX_PER_COLUMN == 40
    assert "15 more node(s) not drawn; every one is listed in the tables" in svg


def test_empty_topology_says_nothing_was_found():
    svg = render_svg(Topology(nodes=(), edges=()))

    assert nodes_of(svg) == []
    assert "No network resources were found." in svg
