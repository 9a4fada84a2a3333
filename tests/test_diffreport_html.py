"""The HTML diff report is one self-contained page that headless Chromium renders with
its bodies × years grid."""
from __future__ import annotations

import re
import subprocess

from conftest import chromium_path, needs_chromium
from pipelines.render import html
from pipelines.diff import diff
from test_diff import AFTER, BEFORE, TODAY


def page() -> str:
    return html(diff(BEFORE, AFTER, TODAY))


def test_html_is_self_contained_and_lists_the_changes():
    text = page()
    assert "<style>" in text
    # no external assets: nothing is loaded from elsewhere (links to reports are fine)
    assert not re.search(r"<(script|link|img|iframe)\b", text)
    assert 'id="grid"' in text and 'class="legend"' in text
    assert "applications.granted.total: 3 → 4" in text
    assert 'class="cell missing"' in text and 'class="cell late"' in text


def chromium(*args, timeout=60) -> subprocess.CompletedProcess:
    return subprocess.run([chromium_path(), "--headless", "--no-sandbox", "--disable-gpu",
                           "--no-first-run", "--disable-dev-shm-usage", *args],
                          capture_output=True, timeout=timeout)


@needs_chromium
def test_html_report_renders_in_chromium(tmp_path):
    path = tmp_path / "report.html"
    path.write_text(page(), encoding="utf-8")
    png = tmp_path / "report.png"
    chromium(f"--screenshot={png}", "--window-size=1200,900", "--hide-scrollbars", path.as_uri())
    assert png.exists() and png.stat().st_size > 10_000
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    dom = chromium("--dump-dom", path.as_uri()).stdout.decode("utf-8")
    # the grid is there as the browser parsed it: 3 bodies × 3 years
    grid = dom[dom.index('id="grid"'):dom.index("</table>", dom.index('id="grid"'))]
    assert grid.count("<tr>") == 4
    assert len(re.findall(r'class="cell (?:on_time|late|missing|inconsistent|none)"', grid)) == 9
