"""Inline SVG charts for the HTML report, each with the same figures as a table.

The SVG is drawn here rather than by a charting library so the report stays one
small file that makes no requests; a screen reader gets the chart's title and
summary, and the table beside it holds every figure.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

_SAFE = html.escape


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    colour: str  # a fill with at least 3:1 contrast against white
    note: str = ""  # extra words for the table (a rule's pack, say)


def _figure(ident: str, caption: str, summary: str, svg: str, table: str, legend: str = "") -> str:
    """``legend`` is trusted markup (it may hold colour swatches); the rest is escaped."""
    return (f'<figure aria-labelledby="{ident}-caption">'
            f'<figcaption id="{ident}-caption">{_SAFE(caption)}</figcaption>'
            f'{svg}{f"<p class=legend>{legend}</p>" if legend else ""}<p class="meta">{_SAFE(summary)}</p>'
            f'<details><summary>The figures as a table</summary>{table}</details></figure>')


def _table(caption: str, headers: tuple[str, str], bars: list[Bar]) -> str:
    rows = "".join(f'<tr><th scope="row">{_SAFE(b.label)}{" (" + _SAFE(b.note) + ")" if b.note else ""}</th>'
                   f'<td class="num">{b.value:,}</td></tr>' for b in bars)
    return (f'<table><caption>{_SAFE(caption)}</caption><thead><tr><th scope="col">{_SAFE(headers[0])}</th>'
            f'<th scope="col" class="num">{_SAFE(headers[1])}</th></tr></thead><tbody>{rows}</tbody></table>')


def horizontal_bars(ident: str, caption: str, summary: str, headers: tuple[str, str], bars: list[Bar],
                    legend: str = "") -> str:
    """One labelled bar a row: for counts by rule, longest first."""
    if not bars:
        return ""
    label_width, bar_width, row = 300, 300, 26
    top = max(b.value for b in bars) or 1
    height = row * len(bars) + 8
    parts = [f'<svg role="img" aria-labelledby="{ident}-title {ident}-desc" viewBox="0 0 {label_width + bar_width + 70}'
             f' {height}" width="100%" preserveAspectRatio="xMinYMin meet">',
             f'<title id="{ident}-title">{_SAFE(caption)}</title><desc id="{ident}-desc">{_SAFE(summary)}</desc>']
    for n, bar in enumerate(bars):
        y = 4 + n * row
        width = max(2, round(bar.value / top * bar_width))
        label = bar.label if len(bar.label) <= 40 else bar.label[:39] + "…"
        parts.append(f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end">{_SAFE(label)}</text>'
                     f'<rect x="{label_width}" y="{y + 3}" width="{width}" height="{row - 8}" fill="{bar.colour}"/>'
                     f'<text x="{label_width + width + 6}" y="{y + 17}">{bar.value:,}</text>')
    parts.append("</svg>")
    return _figure(ident, caption, summary, "".join(parts), _table(caption, headers, bars), legend)


def columns(ident: str, caption: str, summary: str, headers: tuple[str, str], bars: list[Bar],
            axis_label: str) -> str:
    """Upright columns side by side: for a distribution (pages by reading age)."""
    if not bars:
        return ""
    width, plot_height, gap = 56, 180, 10
    top = max(b.value for b in bars) or 1
    total_width = 40 + len(bars) * (width + gap)
    parts = [f'<svg role="img" aria-labelledby="{ident}-title {ident}-desc" viewBox="0 0 {total_width}'
             f' {plot_height + 70}" width="100%" preserveAspectRatio="xMinYMin meet">',
             f'<title id="{ident}-title">{_SAFE(caption)}</title><desc id="{ident}-desc">{_SAFE(summary)}</desc>',
             f'<line x1="30" y1="{plot_height + 20}" x2="{total_width}" y2="{plot_height + 20}" stroke="#505a5f"/>']
    for n, bar in enumerate(bars):
        x = 36 + n * (width + gap)
        h = round(bar.value / top * plot_height) if bar.value else 0
        y = plot_height + 20 - h
        parts.append(f'<rect x="{x}" y="{y}" width="{width}" height="{h}" fill="{bar.colour}"/>'
                     f'<text x="{x + width / 2}" y="{y - 5}" text-anchor="middle">{bar.value:,}</text>'
                     f'<text x="{x + width / 2}" y="{plot_height + 38}" text-anchor="middle">{_SAFE(bar.label)}</text>')
    parts.append(f'<text x="{total_width / 2}" y="{plot_height + 62}" text-anchor="middle">{_SAFE(axis_label)}</text>')
    parts.append("</svg>")
    return _figure(ident, caption, summary, "".join(parts), _table(caption, headers, bars))
