"""Charts drawn on the server as inline SVG: no JavaScript library, nothing from a CDN.

Every chart carries a <title> and a <desc> naming its numbers, and the pages show the
same numbers in a table beside it (the text equivalent), written the way the tables write
them in the active language (percent_text, number_text). Callers pass labels already
translated; the helpers only lay out and escape.
"""

import math
from dataclasses import dataclass
from datetime import date

from django.template.defaultfilters import floatformat
from django.utils.html import escape

from compliance.state_diagram import STATE_COLOURS

from .svg import (
    NARROW_FONT,
    NARROW_LINE,
    NARROW_WIDTH,
    both_layouts,
    svg_figure,
    svg_text,
    wrap_label,
)

# Named here too: the console draws every chart as charts' (the state diagram, drawn by
# Graphviz, is compliance.state_diagram's).
__all__ = [
    "LEVEL_COLOURS",
    "STATE_COLOURS",
    "Series",
    "TargetBar",
    "number_text",
    "path_chart",
    "percent_text",
    "stacked_bar_chart",
    "target_bar_chart",
]

LEVEL_COLOURS = ["#6b7785", "#a87f00", "#c45f00", "#d94040", "#b02a37", "#6d1a36", "#3b0d1f"]
BAR_HEIGHT, ROW_GAP, LABEL_WIDTH, PLOT_WIDTH = 18, 6, 210, 420
# The narrow layout (pages/svg.py): each row is a line of text (name left, number right)
# over a full-width bar.
NARROW_BAR, NARROW_GAP = 12, 10
NARROW_CHARS = 34  # characters of a name on one line before it wraps, beside its number


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    colour: str


@dataclass(frozen=True)
class TargetBar:
    """One row of a realisation chart: the value and where the target path stands."""

    label: str
    value: float | None  # percent, None without data
    target: float | None
    lagging: bool = False


def percent_text(value):
    """A percentage as the tables print it (floatformat:1) in the active language:
    "82,9 %" in Indonesian, "82.9 %" in English."""
    return f"{floatformat(value, 1)} %"


def number_text(value):
    """A count or a number of days as the tables print it (floatformat:"-2"): whole ones
    without decimals ("91"), others with two ("91,50" in Indonesian)."""
    return str(floatformat(value, -2))


def _legend(series, width, y=12, font=12):
    """Legend items left to right, wrapping onto a new line; returns (svg, height)."""
    parts, x = [], 0
    for s in series:
        item = 24 + math.ceil(font * 0.6 * len(str(s.label)))
        if x and x + item > width:
            x, y = 0, y + font + 6
        parts.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{s.colour}"/>')
        parts.append(svg_text(x + 16, y, s.label))
        x += item
    return "".join(parts), y + 10


def stacked_bar_chart(rows, series, *, title, description, css_class="stacked"):
    """Horizontal stacked bars: rows = [(label, {series key: number})], one bar per row,
    scaled to the largest total; each segment is titled with its number. Two layouts: the
    name beside its bar (wide), or on a line of its own above it (narrow)."""
    args = (rows, series, title, description, css_class)
    return both_layouts(_stacked_wide(*args), _stacked_narrow(*args))


def _narrow_rows(rows):
    """(top of each row's bar, lines of each row's name, height): a row is its name (on
    one line or more) with its number on the first line's right, and the bar below."""
    tops, lines, y = [], [], 0
    for label in rows:
        ls = wrap_label(label, NARROW_CHARS)
        y += len(ls) * NARROW_LINE + 3
        lines.append(ls)
        tops.append(y)
        y += NARROW_BAR + NARROW_GAP
    return tops, lines, y


def _narrow_label(lines, bar_top, number, *, css="total"):
    first = bar_top - 3 - (len(lines) - 1) * NARROW_LINE - 4
    parts = [svg_text(0, first + i * NARROW_LINE, line) for i, line in enumerate(lines)]
    if number is not None:
        parts.append(svg_text(NARROW_WIDTH, first, number, anchor="end", css=css))
    return "".join(parts)


def _stacked_narrow(rows, series, title, description, css_class):
    legend, top = _legend(series, NARROW_WIDTH, y=NARROW_FONT, font=NARROW_FONT)
    top += 6
    largest = max((sum(values.get(s.key, 0) for s in series) for _, values in rows), default=0)
    scale = NARROW_WIDTH / largest if largest else 0
    tops, lines, height = _narrow_rows([label for label, _ in rows])
    body = [legend]
    for (label, values), bar_top, ls in zip(rows, tops, lines, strict=True):
        y = top + bar_top
        total = sum(values.get(s.key, 0) for s in series)
        body.append(_narrow_label(ls, y, number_text(total)))
        x = 0
        for s in series:
            n = values.get(s.key, 0)
            if not n:
                continue
            w = n * scale
            body.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{NARROW_BAR}" '
                f'fill="{s.colour}"><title>{escape(label)} · {escape(s.label)}: {number_text(n)}</title></rect>'
            )
            x += w
    return svg_figure(
        NARROW_WIDTH, top + height, title, description, "".join(body), css_class, variant="narrow"
    )


def _stacked_wide(rows, series, title, description, css_class):
    width = LABEL_WIDTH + PLOT_WIDTH + 50
    legend, top = _legend(series, width)
    largest = max((sum(values.get(s.key, 0) for s in series) for _, values in rows), default=0)
    scale = PLOT_WIDTH / largest if largest else 0
    body = [legend]
    for i, (label, values) in enumerate(rows):
        y = top + i * (BAR_HEIGHT + ROW_GAP)
        body.append(svg_text(LABEL_WIDTH - 6, y + 13, label, anchor="end"))
        x = LABEL_WIDTH
        for s in series:
            n = values.get(s.key, 0)
            if not n:
                continue
            w = n * scale
            body.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{BAR_HEIGHT}" '
                f'fill="{s.colour}"><title>{escape(label)} · {escape(s.label)}: {number_text(n)}</title></rect>'
            )
            x += w
        total = sum(values.get(s.key, 0) for s in series)
        body.append(svg_text(x + 4, y + 13, number_text(total), css="total"))
    height = top + len(rows) * (BAR_HEIGHT + ROW_GAP) + 4
    return svg_figure(width, height, title, description, "".join(body), css_class)


def target_bar_chart(rows, *, title, description, target_label, css_class="realisation"):
    """Realisation per region, 0-100 %, each with a black tick where the path to the
    year-end target stands; lagging rows are drawn in red and marked with '!'. Two
    layouts: the name beside its bar (wide), or on a line of its own above it (narrow)."""
    args = (rows, title, description, target_label, css_class)
    return both_layouts(_target_wide(*args), _target_narrow(*args))


def _target_tick(row, x, y, height, target_label):
    return (
        f'<line x1="{x:.1f}" y1="{y - 2}" x2="{x:.1f}" y2="{y + height + 2}" '
        f'stroke="#111" stroke-width="2"><title>{escape(target_label)}: '
        f"{percent_text(row.target)}</title></line>"
    )


def _target_narrow(rows, title, description, target_label, css_class):
    """Narrow: per row the name (and '!') left and the number right on one line, the bar
    across the whole width below, the target's tick on it; the grid's 0-100 % on top."""
    top = NARROW_FONT + 6
    tops, lines, height = _narrow_rows([f"{r.label}{' !' if r.lagging else ''}" for r in rows])
    grid = []
    for pct in (0, 25, 50, 75, 100):
        x = NARROW_WIDTH * pct / 100
        anchor = {0: "start", 100: "end"}.get(pct, "middle")
        grid.append(
            f'<line x1="{x}" y1="{top - 2}" x2="{x}" y2="{top + height}" class="grid" '
            'stroke="#ddd"/>'
        )
        grid.append(svg_text(x, NARROW_FONT, f"{pct} %", anchor=anchor, css="axis"))
    body = []
    for row, bar_top, ls in zip(rows, tops, lines, strict=True):
        y = top + bar_top
        if row.value is None:
            body.append(_narrow_label(ls, y, "—", css="muted"))
            continue
        body.append(_narrow_label(ls, y, percent_text(row.value)))
        colour = "#c73e3e" if row.lagging else "#3d7fd6"
        w = NARROW_WIDTH * min(max(row.value, 0), 100) / 100
        body.append(
            f'<rect x="0" y="{y}" width="{w:.1f}" height="{NARROW_BAR}" '
            f'fill="{colour}"><title>{escape(row.label)}: {percent_text(row.value)}</title></rect>'
        )
        if row.target is not None:
            tx = NARROW_WIDTH * min(max(row.target, 0), 100) / 100
            body.append(
                _target_tick(row, min(max(tx, 1), NARROW_WIDTH - 1), y, NARROW_BAR, target_label)
            )
    return svg_figure(
        NARROW_WIDTH,
        top + height,
        title,
        description,
        "".join(grid + body),
        css_class,
        variant="narrow",
    )


def _target_wide(rows, title, description, target_label, css_class):
    top, grid = 22, []
    for pct in (0, 25, 50, 75, 100):
        x = LABEL_WIDTH + PLOT_WIDTH * pct / 100
        grid.append(
            f'<line x1="{x}" y1="{top - 4}" x2="{x}" y2="{{bottom}}" class="grid" stroke="#ddd"/>'
        )
        grid.append(svg_text(x, top - 8, f"{pct} %", anchor="middle", css="axis"))
    body = []
    for i, row in enumerate(rows):
        y = top + i * (BAR_HEIGHT + ROW_GAP)
        mark = " !" if row.lagging else ""
        body.append(svg_text(LABEL_WIDTH - 6, y + 13, f"{row.label}{mark}", anchor="end"))
        if row.value is None:
            body.append(svg_text(LABEL_WIDTH + 4, y + 13, "—", css="muted"))
            continue
        colour = "#c73e3e" if row.lagging else "#3d7fd6"
        w = PLOT_WIDTH * min(max(row.value, 0), 100) / 100
        body.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{w:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{colour}"><title>{escape(row.label)}: {percent_text(row.value)}</title></rect>'
        )
        # The number sits inside a long bar, so the target's tick never hides it.
        inside = row.value >= 20
        body.append(
            svg_text(
                LABEL_WIDTH + w + (-4 if inside else 4),
                y + 13,
                percent_text(row.value),
                anchor="end" if inside else "start",
                css="inside" if inside else "total",
            )
        )
        if row.target is not None:
            tx = LABEL_WIDTH + PLOT_WIDTH * min(max(row.target, 0), 100) / 100
            body.append(_target_tick(row, tx, y, BAR_HEIGHT, target_label))
    bottom = top + len(rows) * (BAR_HEIGHT + ROW_GAP)
    grid_svg = "".join(grid).replace("{bottom}", str(bottom))
    return svg_figure(
        LABEL_WIDTH + PLOT_WIDTH + 60,
        bottom + 4,
        title,
        description,
        grid_svg + "".join(body),
        css_class,
    )


def _x_of(day, start, end, x0, width):
    span = (end - start).days or 1
    return x0 + width * (day - start).days / span


def path_chart(points, *, start, end, start_value, title, description, css_class="path"):
    """Realisation over one year (points = [(date, percent)]) against the straight path
    from `start_value` on `start` (1 January) to 100 % on `end` (31 December); a wide
    layout and a narrow one (the same lines, in a 340-unit box with larger text)."""
    args = (points, start, end, start_value, title, description, css_class)
    return both_layouts(
        _path(*args, geometry=(50, 10, 520, 200), variant="wide"),
        _path(*args, geometry=(52, 10, NARROW_WIDTH - 62, 180), variant="narrow"),
    )


def _path(points, start, end, start_value, title, description, css_class, *, geometry, variant):
    x0, y0, w, h = geometry
    font = 12 if variant == "wide" else NARROW_FONT

    def y_of(pct):
        return y0 + h * (1 - pct / 100)

    body = []
    for pct in (0, 25, 50, 75, 100):
        body.append(
            f'<line x1="{x0}" y1="{y_of(pct)}" x2="{x0 + w}" y2="{y_of(pct)}" stroke="#ddd"/>'
        )
        body.append(svg_text(x0 - 6, y_of(pct) + 4, f"{pct} %", anchor="end", css="axis"))
    for month in range(1, 13):
        x = _x_of(date(start.year, month, 1), start, end, x0, w)
        body.append(svg_text(x, y0 + h + font + 4, f"{month:02d}", anchor="middle", css="axis"))
    if start_value is not None:
        body.append(
            f'<line x1="{x0}" y1="{y_of(start_value):.1f}" x2="{x0 + w}" y2="{y_of(100):.1f}" '
            f'stroke="#111" stroke-dasharray="6 4" stroke-width="1.5" class="target"/>'
        )
    coords = [(_x_of(d, start, end, x0, w), y_of(v)) for d, v in points if v is not None]
    if coords:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        body.append(f'<polyline points="{path}" fill="none" stroke="#3d7fd6" stroke-width="2.5"/>')
        for (x, y), (d, v) in zip(coords, [p for p in points if p[1] is not None], strict=True):
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#3d7fd6">'
                f"<title>{d.isoformat()}: {percent_text(v)}</title></circle>"
            )
    return svg_figure(
        x0 + w + 10 + (10 if variant == "wide" else 0),
        y0 + h + font + 14,
        title,
        description,
        "".join(body),
        css_class,
        variant=variant,
    )
