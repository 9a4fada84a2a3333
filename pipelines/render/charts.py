"""Small bar charts as inline SVG: one bar per year, the value written above it, a blank
year marked as such (no bar, never a zero). No script, no external asset."""
from __future__ import annotations

from html import escape

WIDTH, HEIGHT, TOP, BOTTOM = 260, 120, 18, 20


def number_text(value) -> str:
    """A figure as written on the pages: integers without decimals, others as read."""
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return f"{value:,}" if isinstance(value, int) and abs(value) >= 10000 else str(value)


def bar_chart(title: str, values: dict[int, float | None]) -> str:
    years = sorted(values)
    known = [v for v in values.values() if v is not None]
    top = max([abs(v) for v in known] + [1])
    n = max(len(years), 1)
    slot = (WIDTH - 10) / n
    bar = min(36.0, slot * 0.6)
    plot = HEIGHT - TOP - BOTTOM
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
             f'<line x1="5" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - 5}" y2="{HEIGHT - BOTTOM}" stroke="#999"/>']
    for i, year in enumerate(years):
        v = values[year]
        cx = 5 + slot * i + slot / 2
        if v is None:
            parts.append(f'<text x="{cx:.1f}" y="{HEIGHT - BOTTOM - 4}" class="blank">空</text>')
        else:
            h = max(abs(v) / top * plot, 1.0)
            parts.append(f'<rect x="{cx - bar / 2:.1f}" y="{HEIGHT - BOTTOM - h:.1f}" width="{bar:.1f}" '
                         f'height="{h:.1f}" fill="#1565c0"><title>{year}: {escape(number_text(v))}</title></rect>')
            parts.append(f'<text x="{cx:.1f}" y="{HEIGHT - BOTTOM - h - 4:.1f}">{escape(number_text(v))}</text>')
        parts.append(f'<text x="{cx:.1f}" y="{HEIGHT - 5}" class="year">{year}</text>')
    parts.append("</svg>")
    return "".join(parts)
