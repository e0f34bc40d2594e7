"""The HTML report opened in a real headless Chromium (Debian package ``chromium``)."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from lockgate.review.render.formats import render_html

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
]
SECTIONS = [
    "1. Network and connectivity design",
    "2. Identity and access model",
    "3. Data perimeter and egress policy",
    "4. Observability and cost baseline",
]


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("chromium")
    assert binary is not None, "install Debian's chromium: apt-get install -y chromium"
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    return subprocess.run(
        [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


class Outline(HTMLParser):
    """Collects h2 headings, SVG nodes, and anything that loads from outside."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.svg_nodes = 0
        self.svgs = 0
        self.external: list[str] = []
        self._in_h2 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "h2":
            self._in_h2 = True
            self.headings.append("")
        if tag == "svg":
            self.svgs += 1
        if tag == "g" and "node" in (values.get("class") or "").split():
            self.svg_nodes += 1
        for key in ("src", "href"):
            if values.get(key) and tag in ("script", "link", "img", "iframe"):
                self.external.append(f"{tag} {values[key]}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2":
            self._in_h2 = False

    def handle_data(self, data: str) -> None:
        if self._in_h2:
            self.headings[-1] += data


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and unfiltered rows of an 8-bit RGB or RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, idat, header = 8, b"", b""
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        header = body if kind == b"IHDR" else header
        idat += body if kind == b"IDAT" else b""
        position += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour in (2, 6)
    channels = 3 if colour == 2 else 4
    return width, height, _unfilter(zlib.decompress(idat), width * channels, channels)


def _unfilter(raw: bytes, stride: int, bpp: int) -> list[bytes]:
    rows: list[bytes] = []
    previous = bytearray(stride)
    for start in range(0, len(raw), stride + 1):
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up, corner = previous[i], previous[i - bpp] if i >= bpp else 0
            line[i] = (line[i] + _predict(kind, left, up, corner)) & 0xFF
        rows.append(bytes(line))
        previous = line
    return rows


def _predict(kind: int, left: int, up: int, corner: int) -> int:
    if kind == 0:
        return 0
    if kind == 1:
        return left
    if kind == 2:
        return up
    if kind == 3:
        return (left + up) // 2
    estimate = left + up - corner
    distances = (abs(estimate - left), abs(estimate - up), abs(estimate - corner))
    return (left, up, corner)[distances.index(min(distances))]


@pytest.fixture
def html_file(report, tmp_path: Path) -> Path:
    path = tmp_path / "review.html"
    path.write_text(render_html(report), encoding="utf-8")
    return path


def test_html_is_self_contained(html_file: Path):
    outline = Outline()
    outline.feed(html_file.read_text(encoding="utf-8"))

    assert outline.external == []
    assert "<script" not in html_file.read_text()
    assert "unexpected &#39;}&#39; &lt;script&gt;" in html_file.read_text()
    assert "http://" not in html_file.read_text().replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    assert outline.svgs == 1


def test_html_renders_four_sections_and_the_diagram_in_chromium(
    html_file: Path, tmp_path: Path
):
    dom = chromium(tmp_path, "--dump-dom", html_file.as_uri()).stdout
    outline = Outline()
    outline.feed(dom)

    assert [h for h in outline.headings if h[:1].isdigit()] == SECTIONS
    assert outline.svgs == 1
    # 2 networks, 3 endpoints (runtime, private endpoint, folded others), 1 missing
    # endpoint, 1 zone, 3 services, NAT gateway and the internet
    assert outline.svg_nodes == 12


def test_html_screenshot_is_not_blank(html_file: Path, tmp_path: Path):
    shot = tmp_path / "review.png"
    chromium(
        tmp_path,
        f"--screenshot={shot}",
        "--window-size=1280,1600",
        "--hide-scrollbars",
        html_file.as_uri(),
    )
    width, height, rows = png_pixels(shot.read_bytes())

    assert (width, height) == (1280, 1600)
    step = len(rows[0]) // width
    pixels = [row[i : i + 3] for row in rows[::8] for i in range(0, len(row), step * 8)]
    ink = sum(1 for p in pixels if p != b"\xff\xff\xff") / len(pixels)
    assert ink > 0.02
    assert len(set(pixels)) > 20


def printed_pages(tmp_path: Path, html: Path) -> int:
    pdf = tmp_path / f"{html.stem}.pdf"
    chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri())
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    found = re.search(rb"/Type /Pages\b.*?/Count (\d+)", data, re.S)
    assert found is not None
    return int(found.group(1))


def test_printed_report_starts_each_deliverable_on_a_new_page(
    html_file: Path, tmp_path: Path
):
    flowing = tmp_path / "flowing.html"
    text = html_file.read_text(encoding="utf-8")
    assert text.count("break-before: page") == 1
    flowing.write_text(text.replace("break-before: page", "break-before: auto"))

    with_breaks = printed_pages(tmp_path, html_file)
    without_breaks = printed_pages(tmp_path, flowing)

    assert with_breaks >= 5  # the gates, then four deliverables
    assert with_breaks > without_breaks
