"""Renderings for tests/test_report_metadata.py: reports whose body or title is written as
real ones are, rendered by the held-out benchmark's renderers (the portal page, 繁體 too;
a reportlab PDF, then plain ``pdftotext``), saved in tests/fixtures/metadata/ beside the
record each was made from (``<name>.json``: its ``agency`` is the body, its ``title``
the title printed). Run again to remake them:

    .venv/bin/python scripts/make_metadata_fixtures.py
"""
from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import make_fixtures  # noqa: E402
from replicas import reportgen  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "metadata"
# name → (body, title as printed or None for the usual "<body><year>年政府信息公开工作年度报告")
TRADITIONAL = ("archive_bureau",)  # also its 繁體 page
REPORTS = {
    "archive_bureau": ("莱阳市档案馆", None),  # 档案: a word the templates' label aliases rewrite
    "year_first": ("莱阳市卫生健康局", "2023年度莱阳市卫生健康局政府信息公开工作年度报告"),
    "body_then_guanyu": ("莱阳市卫生健康局", "莱阳市卫生健康局关于2023年度政府信息公开工作年度报告"),
    "place_only": ("莱阳市人民政府", "莱阳市2023年政府信息公开工作年度报告"),  # the signature names the body
}


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    base = reportgen.load_record(0)
    for name, (agency, title) in REPORTS.items():
        record = reportgen.derive(base, 2023, seed=7, agency=agency)
        if title:
            record["title"] = title
        (OUT / f"{name}.json").write_text(json.dumps({k: record[k] for k in ("year", "agency", "title")},
                                                     ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        for trad in (False, True) if name in TRADITIONAL else (False,):
            page = make_fixtures.portal_page(record, reportgen.render_html(record, traditional=trad), trad)
            (OUT / f"{name}.{'html_trad' if trad else 'html'}.html").write_text(page, encoding="utf-8")
        with tempfile.TemporaryDirectory() as tmp:
            pdf = Path(tmp) / f"{name}.pdf"
            pdf.write_bytes(reportgen.render_pdf(record))
            (OUT / f"{name}.pdf.raw.txt").write_text(make_fixtures.pdf_texts(pdf)["raw"], encoding="utf-8")


if __name__ == "__main__":
    main()
