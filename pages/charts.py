"""Charts drawn on the server as inline SVG: no JavaScript library, nothing from a CDN.

Every chart carries a <title> and a <desc> naming its numbers, and the pages show the
same numbers in a table beside it (the text equivalent). Callers pass labels already
translated; the helpers only lay out and escape.
"""

import math
from dataclasses import dataclass
from datetime import date

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

# Darker than the state badges in pages.css so that bars stay readable on white.
STATE_COLOURS = {
    "compliant": "#3c9a5f",
    "flagged": "#d9a400",
    "suspended": "#c73e3e",
    "remediated": "#3d7fd6",
    "reconnected": "#8a63d2",
}
LEVEL_COLOURS = ["#9aa5b1", "#f2c94c", "#f2994a", "#eb5757", "#b02a37", "#6d1a36", "#3b0d1f"]
BAR_HEIGHT, ROW_GAP, LABEL_WIDTH, PLOT_WIDTH = 18, 6, 210, 420


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


def _svg(width, height, title, description, body, css_class):
    return format_html(
        '<svg class="chart {}" viewBox="0 0 {} {}" width="100%" role="img" '
        'aria-labelledby="{}-t {}-d" xmlns="http://www.w3.org/2000/svg" '
        'font-family="system-ui, sans-serif" font-size="12">'
        '<title id="{}-t">{}</title><desc id="{}-d">{}</desc>{}</svg>',
        css_class,
        width,
        height,
        css_class,
        css_class,
        css_class,
        title,
        css_class,
        description,
        mark_safe(body),  # noqa: S308 - built below from escaped parts only
    )


def _text(x, y, text, *, anchor="start", css="", extra=""):
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" class="{css}" {extra}>'
        f"{escape(text)}</text>"
    )


def _legend(series, width, y=12):
    """Legend items left to right, wrapping onto a new line; returns (svg, height)."""
    parts, x = [], 0
    for s in series:
        item = 24 + 7 * len(str(s.label))
        if x and x + item > width:
            x, y = 0, y + 18
        parts.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{s.colour}"/>')
        parts.append(_text(x + 16, y, s.label))
        x += item
    return "".join(parts), y + 10


def stacked_bar_chart(rows, series, *, title, description, css_class="stacked"):
    """Horizontal stacked bars: rows = [(label, {series key: number})], one bar per row,
    scaled to the largest total; each segment is titled with its number."""
    width = LABEL_WIDTH + PLOT_WIDTH + 50
    legend, top = _legend(series, width)
    largest = max((sum(values.get(s.key, 0) for s in series) for _, values in rows), default=0)
    scale = PLOT_WIDTH / largest if largest else 0
    body = [legend]
    for i, (label, values) in enumerate(rows):
        y = top + i * (BAR_HEIGHT + ROW_GAP)
        body.append(_text(LABEL_WIDTH - 6, y + 13, label, anchor="end"))
        x = LABEL_WIDTH
        for s in series:
            n = values.get(s.key, 0)
            if not n:
                continue
            w = n * scale
            body.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{BAR_HEIGHT}" '
                f'fill="{s.colour}"><title>{escape(label)} · {escape(s.label)}: {n}</title></rect>'
            )
            x += w
        total = sum(values.get(s.key, 0) for s in series)
        body.append(_text(x + 4, y + 13, str(total), css="total"))
    height = top + len(rows) * (BAR_HEIGHT + ROW_GAP) + 4
    return _svg(width, height, title, description, "".join(body), css_class)


def target_bar_chart(rows, *, title, description, target_label, css_class="realisation"):
    """Realisation per region, 0-100 %, each with a black tick where the path to the
    year-end target stands; lagging rows are drawn in red and marked with '!'."""
    top, grid = 22, []
    for pct in (0, 25, 50, 75, 100):
        x = LABEL_WIDTH + PLOT_WIDTH * pct / 100
        grid.append(
            f'<line x1="{x}" y1="{top - 4}" x2="{x}" y2="{{bottom}}" class="grid" stroke="#ddd"/>'
        )
        grid.append(_text(x, top - 8, f"{pct} %", anchor="middle", css="axis"))
    body = []
    for i, row in enumerate(rows):
        y = top + i * (BAR_HEIGHT + ROW_GAP)
        mark = " !" if row.lagging else ""
        body.append(_text(LABEL_WIDTH - 6, y + 13, f"{row.label}{mark}", anchor="end"))
        if row.value is None:
            body.append(_text(LABEL_WIDTH + 4, y + 13, "—", css="muted"))
            continue
        colour = "#c73e3e" if row.lagging else "#3d7fd6"
        w = PLOT_WIDTH * min(max(row.value, 0), 100) / 100
        body.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{w:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{colour}"><title>{escape(row.label)}: {row.value:.1f} %</title></rect>'
        )
        # The number sits inside a long bar, so the target's tick never hides it.
        inside = row.value >= 20
        body.append(
            _text(
                LABEL_WIDTH + w + (-4 if inside else 4),
                y + 13,
                f"{row.value:.1f} %",
                anchor="end" if inside else "start",
                css="" if inside else "total",
                extra='style="fill:#fff"' if inside else "",
            )
        )
        if row.target is not None:
            tx = LABEL_WIDTH + PLOT_WIDTH * min(max(row.target, 0), 100) / 100
            body.append(
                f'<line x1="{tx:.1f}" y1="{y - 2}" x2="{tx:.1f}" y2="{y + BAR_HEIGHT + 2}" '
                f'stroke="#111" stroke-width="2"><title>{escape(target_label)}: '
                f"{row.target:.1f} %</title></line>"
            )
    bottom = top + len(rows) * (BAR_HEIGHT + ROW_GAP)
    grid_svg = "".join(grid).replace("{bottom}", str(bottom))
    return _svg(
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
    from `start_value` on `start` (1 January) to 100 % on `end` (31 December)."""
    x0, y0, w, h = 50, 10, 520, 200

    def y_of(pct):
        return y0 + h * (1 - pct / 100)

    body = []
    for pct in (0, 25, 50, 75, 100):
        body.append(
            f'<line x1="{x0}" y1="{y_of(pct)}" x2="{x0 + w}" y2="{y_of(pct)}" stroke="#ddd"/>'
        )
        body.append(_text(x0 - 6, y_of(pct) + 4, f"{pct} %", anchor="end", css="axis"))
    for month in range(1, 13):
        x = _x_of(date(start.year, month, 1), start, end, x0, w)
        body.append(_text(x, y0 + h + 16, f"{month:02d}", anchor="middle", css="axis"))
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
                f"<title>{d.isoformat()}: {v:.1f} %</title></circle>"
            )
    return _svg(x0 + w + 20, y0 + h + 26, title, description, "".join(body), css_class)


# --- the compliance state diagram ----------------------------------------------------

# Where each state sits; the edges come from the state machine itself.
STATE_POSITIONS = {
    "compliant": (85, 165),
    "flagged": (265, 45),
    "suspended": (645, 45),
    "remediated": (420, 265),
    "reconnected": (650, 265),
}
NODE_W, NODE_H = 160, 44


def fsm_edges(model, field_name="state"):
    """(source, target, transition name) for every transition the model's FSM declares;
    a transition returning one of several states gives an edge to each."""
    field = model._meta.get_field(field_name)
    edges = set()
    for t in field.get_all_transitions(model):
        targets = getattr(t.target, "allowed_states", None) or [t.target]
        for target in targets:
            if t.source in STATE_POSITIONS and target in STATE_POSITIONS:
                edges.add((str(t.source), str(target), t.name))
    return sorted(edges)


def _border_point(cx, cy, towards_x, towards_y):
    """Where the line from a node's centre towards a point leaves its rectangle."""
    dx, dy = towards_x - cx, towards_y - cy
    if dx == 0 and dy == 0:
        return cx, cy
    sx = (NODE_W / 2) / abs(dx) if dx else math.inf
    sy = (NODE_H / 2) / abs(dy) if dy else math.inf
    s = min(sx, sy)
    return cx + dx * s, cy + dy * s


def _edge(source, target, label, bend):
    (x1, y1), (x2, y2) = STATE_POSITIONS[source], STATE_POSITIONS[target]
    # A control point off the middle, so that edges both ways between two states part.
    mx, my = (x1 + x2) / 2, (y1 + y2) / 2
    length = math.hypot(x2 - x1, y2 - y1) or 1
    cx, cy = mx - (y2 - y1) / length * bend, my + (x2 - x1) / length * bend
    sx, sy = _border_point(x1, y1, cx, cy)
    ex, ey = _border_point(x2, y2, cx, cy)
    lx, ly = (sx + 2 * cx + ex) / 4, (sy + 2 * cy + ey) / 4  # the curve's midpoint
    return (
        f'<path d="M{sx:.1f},{sy:.1f} Q{cx:.1f},{cy:.1f} {ex:.1f},{ey:.1f}" fill="none" '
        f'stroke="#555" stroke-width="1.4" marker-end="url(#arrow)"/>'
        + _text(
            lx,
            ly + 4,
            label,
            anchor="middle",
            css="edge-label",
            # a white halo keeps a label readable where it crosses another edge
            extra='font-size="11" paint-order="stroke" stroke="#fff" stroke-width="4"',
        )
    )


def state_diagram(model, current, *, state_labels, transition_labels, title, description):
    """The compliance state machine of `model`, drawn from its declared transitions, with
    `current` filled and outlined; each state's label is translated by the caller."""
    body = [
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#555"/></marker></defs>'
    ]
    edges = fsm_edges(model)
    pairs = {(s, t) for s, t, _ in edges}
    for source, target, name in edges:
        bend = 38 if (target, source) in pairs else 12
        body.append(_edge(source, target, str(transition_labels.get(name, name)), bend))
    for state, (x, y) in STATE_POSITIONS.items():
        is_current = state == current
        fill = STATE_COLOURS[state] if is_current else "#fff"
        stroke = "#111" if is_current else STATE_COLOURS[state]
        weight = 4 if is_current else 2
        colour = "#fff" if is_current else "#111"
        attrs = ' aria-current="true"' if is_current else ""
        body.append(
            f'<g class="state-node{" current" if is_current else ""}" '
            f'data-state="{state}"{attrs}>'
            f'<rect x="{x - NODE_W / 2}" y="{y - NODE_H / 2}" width="{NODE_W}" '
            f'height="{NODE_H}" rx="10" fill="{fill}" stroke="{stroke}" '
            f'stroke-width="{weight}"/>'
            + _text(
                x,
                y + 4,
                str(state_labels.get(state, state)),
                anchor="middle",
                extra=f'fill="{colour}" font-weight="{"700" if is_current else "400"}"',
            )
            + "</g>"
        )
    return _svg(740, 300, title, description, "".join(body), "state-diagram")
