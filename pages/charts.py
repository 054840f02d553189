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
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

# Darker than the state badges in pages.css so that bars stay readable on white: every
# colour has a contrast of at least 3:1 against the white background (WCAG 1.4.11).
STATE_COLOURS = {
    "compliant": "#2e8450",
    "flagged": "#a87f00",
    "suspended": "#c73e3e",
    "remediated": "#3d7fd6",
    "reconnected": "#8a63d2",
}
LEVEL_COLOURS = ["#6b7785", "#a87f00", "#c45f00", "#d94040", "#b02a37", "#6d1a36", "#3b0d1f"]
BAR_HEIGHT, ROW_GAP, LABEL_WIDTH, PLOT_WIDTH = 18, 6, 210, 420
# The narrow layout (a phone): 340 units wide, drawn at most 340 px wide (console.css), so
# that its 13-unit text stays at 11 px or more down to a figure 288 px wide (a 320 px
# screen). Each row is a line of text (name left, number right) over a full-width bar.
NARROW_WIDTH, NARROW_FONT, NARROW_LINE, NARROW_BAR, NARROW_GAP = 340, 13, 16, 12, 10
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


def _svg(width, height, title, description, body, css_class, origin=(0, 0), *, variant="wide"):
    """One SVG: the wide layout (data-layout="wide") for a desktop, or the narrow one
    (data-layout="narrow", ids ending in -n) for a phone; console.css shows the one that
    fits."""
    ident = css_class if variant == "wide" else f"{css_class}-n"
    return format_html(
        '<svg class="chart {}" data-layout="{}" viewBox="{} {} {} {}" width="100%" role="img" '
        'aria-labelledby="{}-t {}-d" xmlns="http://www.w3.org/2000/svg" '
        'font-family="system-ui, sans-serif" font-size="{}">'
        '<title id="{}-t">{}</title><desc id="{}-d">{}</desc>{}</svg>',
        css_class,
        variant,
        *origin,
        width,
        height,
        ident,
        ident,
        12 if variant == "wide" else NARROW_FONT,
        ident,
        title,
        ident,
        description,
        mark_safe(body),  # noqa: S308 - built below from escaped parts only
    )


def _both(wide, narrow):
    """The two layouts of one chart, one after the other: console.css shows the wide one
    where its figure is wide enough for 11 px text, the narrow one elsewhere."""
    return mark_safe(wide + narrow)  # noqa: S308 - both built by _svg from escaped parts


def _text(x, y, text, *, anchor="start", css="", extra=""):
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" class="{css}" {extra}>'
        f"{escape(text)}</text>"
    )


def _legend(series, width, y=12, font=12):
    """Legend items left to right, wrapping onto a new line; returns (svg, height)."""
    parts, x = [], 0
    for s in series:
        item = 24 + math.ceil(font * 0.6 * len(str(s.label)))
        if x and x + item > width:
            x, y = 0, y + font + 6
        parts.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{s.colour}"/>')
        parts.append(_text(x + 16, y, s.label))
        x += item
    return "".join(parts), y + 10


def stacked_bar_chart(rows, series, *, title, description, css_class="stacked"):
    """Horizontal stacked bars: rows = [(label, {series key: number})], one bar per row,
    scaled to the largest total; each segment is titled with its number. Two layouts: the
    name beside its bar (wide), or on a line of its own above it (narrow)."""
    args = (rows, series, title, description, css_class)
    return _both(_stacked_wide(*args), _stacked_narrow(*args))


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
    parts = [_text(0, first + i * NARROW_LINE, line) for i, line in enumerate(lines)]
    if number is not None:
        parts.append(_text(NARROW_WIDTH, first, number, anchor="end", css=css))
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
    return _svg(
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
        body.append(_text(LABEL_WIDTH - 6, y + 13, label, anchor="end"))
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
        body.append(_text(x + 4, y + 13, number_text(total), css="total"))
    height = top + len(rows) * (BAR_HEIGHT + ROW_GAP) + 4
    return _svg(width, height, title, description, "".join(body), css_class)


def target_bar_chart(rows, *, title, description, target_label, css_class="realisation"):
    """Realisation per region, 0-100 %, each with a black tick where the path to the
    year-end target stands; lagging rows are drawn in red and marked with '!'. Two
    layouts: the name beside its bar (wide), or on a line of its own above it (narrow)."""
    args = (rows, title, description, target_label, css_class)
    return _both(_target_wide(*args), _target_narrow(*args))


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
        grid.append(_text(x, NARROW_FONT, f"{pct} %", anchor=anchor, css="axis"))
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
    return _svg(
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
            f'fill="{colour}"><title>{escape(row.label)}: {percent_text(row.value)}</title></rect>'
        )
        # The number sits inside a long bar, so the target's tick never hides it.
        inside = row.value >= 20
        body.append(
            _text(
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
    from `start_value` on `start` (1 January) to 100 % on `end` (31 December); a wide
    layout and a narrow one (the same lines, in a 340-unit box with larger text)."""
    args = (points, start, end, start_value, title, description, css_class)
    return _both(
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
        body.append(_text(x0 - 6, y_of(pct) + 4, f"{pct} %", anchor="end", css="axis"))
    for month in range(1, 13):
        x = _x_of(date(start.year, month, 1), start, end, x0, w)
        body.append(_text(x, y0 + h + font + 4, f"{month:02d}", anchor="middle", css="axis"))
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
    return _svg(
        x0 + w + 10 + (10 if variant == "wide" else 0),
        y0 + h + font + 14,
        title,
        description,
        "".join(body),
        css_class,
        variant=variant,
    )


# --- the compliance state diagram ----------------------------------------------------

# Where each state sits, as (column, row) of a grid sized from the labels; the edges come
# from the state machine itself. The usual course runs round the ring compliant →
# flagged → suspended → remediated → reconnected → compliant.
STATE_POSITIONS = {
    "compliant": (0, 0.5),
    "flagged": (1, 0),
    "suspended": (2, 0),
    "remediated": (2, 1),
    "reconnected": (1, 1),
}
# remediated → compliant would cross reconnected → flagged: it goes round under the box.
ROUTED_BELOW = {("remediated", "compliant"): "reconnected"}
NODE_FONT, EDGE_FONT, LINE_HEIGHT = 12, 11, 15
# Advance width per unit of font size, on the wide side of system-ui fonts (DejaVu Sans
# is the widest we meet), so that boxes and label backgrounds hold their text.
CHAR_EM, BOLD_CHAR_EM = 0.6, 0.66
NODE_PAD_X, NODE_PAD_Y, NODE_MIN_W = 12, 12, 130
MAX_LINE = 24  # characters on one line of a state's label before it wraps
COLUMN_GAPS, DIAGRAM_ROW_GAP, MARGIN = (80, 150), 140, 8
PAIR_BEND, SINGLE_BEND = 38, 12


def text_width(text, size, *, bold=False):
    """An estimate of the width of `text` drawn at `size` px."""
    return len(text) * size * (BOLD_CHAR_EM if bold else CHAR_EM)


def wrap_label(text, limit=MAX_LINE):
    """`text` on as few lines of at most `limit` characters as its words allow, the lines
    as even as they can be (a word longer than the limit gets a line of its own)."""
    words = str(text).split()
    if not words:
        return [""]
    count = math.ceil(len(" ".join(words)) / limit)
    width = max(max(len(w) for w in words), math.ceil(len(" ".join(words)) / count))
    while True:
        lines = [words[0]]
        for word in words[1:]:
            if len(lines[-1]) + 1 + len(word) <= width:
                lines[-1] += " " + word
            else:
                lines.append(word)
        if len(lines) <= count:
            return lines
        width += 1


@dataclass(frozen=True)
class Box:
    """A state's box: centre, size and the lines of its label."""

    x: float
    y: float
    w: float
    h: float
    lines: tuple

    @property
    def rect(self):
        return (self.x - self.w / 2, self.y - self.h / 2, self.x + self.w / 2, self.y + self.h / 2)


def _overlap(a, b, pad=0):
    return a[0] < b[2] + pad and b[0] < a[2] + pad and a[1] < b[3] + pad and b[1] < a[3] + pad


def _layout(state_labels, edge_labels):
    """{state: Box}: columns as wide as their widest box, the gap between two columns
    wide enough for the labels of the edges running straight across it."""
    lines = {s: wrap_label(state_labels.get(s, s)) for s in STATE_POSITIONS}
    size = {}
    for s, ls in lines.items():
        w = max(NODE_MIN_W, max(text_width(line, NODE_FONT, bold=True) for line in ls))
        size[s] = (w + 2 * NODE_PAD_X, len(ls) * LINE_HEIGHT + 2 * NODE_PAD_Y)
    columns = 1 + max(int(c) for c, _ in STATE_POSITIONS.values())
    col_w = [
        max(size[s][0] for s, (c, _) in STATE_POSITIONS.items() if c == i) for i in range(columns)
    ]
    row_h = [max(size[s][1] for s, (_, r) in STATE_POSITIONS.items() if r == i) for i in (0, 1)]
    gaps = list(COLUMN_GAPS)
    for (source, target), label in edge_labels.items():
        (c1, r1), (c2, r2) = STATE_POSITIONS[source], STATE_POSITIONS[target]
        if r1 == r2 and abs(c1 - c2) == 1:
            gap = min(c1, c2)
            gaps[gap] = max(gaps[gap], text_width(label, EDGE_FONT) + 60)
    xs = [col_w[0] / 2]
    for i in range(1, columns):
        xs.append(xs[-1] + col_w[i - 1] / 2 + gaps[i - 1] + col_w[i] / 2)
    ys = [row_h[0] / 2, row_h[0] + DIAGRAM_ROW_GAP + row_h[1] / 2]
    return {
        s: Box(xs[c], ys[0] + (ys[1] - ys[0]) * r, *size[s], tuple(lines[s]))
        for s, (c, r) in STATE_POSITIONS.items()
    }


# A transition returning one of several states declares each target from each source;
# these pairs never happen: the operator's confirmed cut (Regency.suspend) takes a flagged
# regency to suspended, and leaves a remediated one remediated (no arrow to itself).
IMPOSSIBLE_EDGES = {("flagged", "remediated", "suspend"), ("remediated", "suspended", "suspend")}


def fsm_edges(model, field_name="state"):
    """(source, target, transition name) for every transition the model's FSM declares;
    a transition returning one of several states gives an edge to each it can reach
    (none back to its own source)."""
    field = model._meta.get_field(field_name)
    edges = set()
    for t in field.get_all_transitions(model):
        targets = getattr(t.target, "allowed_states", None) or [t.target]
        for target in targets:
            edge = (str(t.source), str(target), t.name)
            if t.source not in STATE_POSITIONS or target not in STATE_POSITIONS:
                continue
            if edge[0] != edge[1] and edge not in IMPOSSIBLE_EDGES:
                edges.add(edge)
    return sorted(edges)


def _border_point(box, towards_x, towards_y):
    """Where the line from a box's centre towards a point leaves its rectangle."""
    dx, dy = towards_x - box.x, towards_y - box.y
    if dx == 0 and dy == 0:
        return box.x, box.y
    sx = (box.w / 2) / abs(dx) if dx else math.inf
    sy = (box.h / 2) / abs(dy) if dy else math.inf
    s = min(sx, sy)
    return box.x + dx * s, box.y + dy * s


def _curve(boxes, source, target, bend):
    """The quadratic curve (start, control, end) from one box's border to the other's."""
    a, b = boxes[source], boxes[target]
    if (source, target) in ROUTED_BELOW:
        # through a point under the box in the way: the curve's midpoint is (S + 2C + E) / 4
        under = boxes[ROUTED_BELOW[source, target]]
        mx, my = under.x, under.rect[3] + 30
        cx, cy = (4 * mx - a.x - b.x) / 2, (4 * my - a.y - b.y) / 2
    else:
        # a control point off the middle, so that edges both ways between two states part
        mx, my = (a.x + b.x) / 2, (a.y + b.y) / 2
        length = math.hypot(b.x - a.x, b.y - a.y) or 1
        cx, cy = mx - (b.y - a.y) / length * bend, my + (b.x - a.x) / length * bend
    return _border_point(a, cx, cy), (cx, cy), _border_point(b, cx, cy)


def _point(curve, t):
    (x0, y0), (x1, y1), (x2, y2) = curve
    u = 1 - t
    return u * u * x0 + 2 * u * t * x1 + t * t * x2, u * u * y0 + 2 * u * t * y1 + t * t * y2


def _label_rect(curve, t, w, h, beside):
    """The label's rectangle at point t of the curve: centred on it, or (for one of two
    edges between the same states) beside it, on the side the curve bends to."""
    px, py = _point(curve, t)
    if beside:
        (x0, y0), (cx, cy), (x2, y2) = curve
        nx, ny = cx - (x0 + x2) / 2, cy - (y0 + y2) / 2
        norm = math.hypot(nx, ny) or 1
        nx, ny = nx / norm, ny / norm
        reach = abs(nx) * w / 2 + abs(ny) * h / 2 + 3
        px, py = px + nx * reach, py + ny * reach
    return (px - w / 2, py - h / 2, px + w / 2, py + h / 2)


def _place_label(curve, label, beside, nodes, labels):
    """The first spot along the curve, from its middle outwards, where the label covers
    no box and no other label; failing that, the one covering the fewest."""
    w, h = text_width(label, EDGE_FONT) + 8, EDGE_FONT + 6
    best = None
    for t in (0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74):
        rect = _label_rect(curve, t, w, h, beside)
        cost = 10 * sum(_overlap(rect, n, 4) for n in nodes) + sum(
            _overlap(rect, r, 2) for r in labels
        )
        if best is None or cost < best[0]:
            best = (cost, rect)
        if not cost:
            break
    return best[1]


def _edge_label(rect, label):
    x0, y0, x1, y1 = rect
    return (
        f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" height="{y1 - y0:.1f}" '
        f'rx="3" fill="#fff" fill-opacity="0.9" class="edge-label-bg"/>'
        + _text(
            (x0 + x1) / 2,
            (y0 + y1) / 2 + EDGE_FONT * 0.35,
            label,
            anchor="middle",
            css="edge-label",
            # a halo round the glyphs too, where the estimate of the width fell short
            extra=f'font-size="{EDGE_FONT}" paint-order="stroke" stroke="#fff" '
            'stroke-width="3" stroke-linejoin="round"',
        )
    )


def _node(state, box, is_current):
    fill = STATE_COLOURS[state] if is_current else "#fff"
    stroke = "#111" if is_current else STATE_COLOURS[state]
    colour = "#fff" if is_current else "#111"
    current = ' aria-current="true"' if is_current else ""
    x0, y0, _, _ = box.rect
    first = box.y - (len(box.lines) - 1) * LINE_HEIGHT / 2 + NODE_FONT * 0.35
    lines = "".join(
        f'<tspan x="{box.x:.1f}" y="{first + i * LINE_HEIGHT:.1f}">{escape(line)}</tspan>'
        for i, line in enumerate(box.lines)
    )
    return (
        f'<g class="state-node{" current" if is_current else ""}" data-state="{state}"'
        f"{current}>"
        f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{box.w:.1f}" height="{box.h:.1f}" rx="10" '
        f'fill="{fill}" stroke="{stroke}" stroke-width="{4 if is_current else 2}"/>'
        f'<text text-anchor="middle" fill="{colour}" '
        f'font-weight="{"700" if is_current else "400"}">{lines}</text></g>'
    )


def state_diagram(model, current, *, state_labels, transition_labels, title, description):
    """The compliance state machine of `model`, drawn from its declared transitions, with
    `current` filled and outlined; the labels are translated by the caller. Two layouts:
    the boxes and arrows (wide), or the states one under the next, each listing where its
    transitions lead (narrow: a phone)."""
    edges = fsm_edges(model)
    labels = {(s, t): str(transition_labels.get(name, name)) for s, t, name in edges}
    states = {s: str(v) for s, v in state_labels.items()}
    return _both(
        _diagram_wide(edges, labels, states, current, title, description),
        _diagram_narrow(edges, labels, states, current, title, description),
    )


def _luminance(colour):
    def channel(c):
        c = int(c, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _text_on(colour):
    """White or near-black, whichever has a contrast of 4.5:1 or more on `colour`."""
    return "#fff" if 1.05 / (_luminance(colour) + 0.05) >= 4.5 else "#111"


NARROW_STATE_CHARS, NARROW_EDGE_CHARS = 38, 36
NARROW_BOX_PAD, NARROW_BOX_GAP = 10, 10


def _diagram_narrow(edges, labels, states, current, title, description):
    """Each state a box the width of the picture, in the order of the usual course; under
    its name, one line for each transition out of it: "→ label: where it leads"."""
    body, y = [], 2
    for state in STATE_POSITIONS:
        is_current = state == current
        fill = STATE_COLOURS[state] if is_current else "#fff"
        colour = _text_on(fill) if is_current else "#111"
        name = wrap_label(states.get(state, state), NARROW_STATE_CHARS)
        out = [
            wrap_label(f"→ {labels[s, t]}: {states.get(t, t)}", NARROW_EDGE_CHARS)
            for s, t, _name in edges
            if s == state
        ]
        rows = len(name) + sum(len(ls) for ls in out)
        height = 2 * NARROW_BOX_PAD + rows * NARROW_LINE + (4 if out else 0)
        lines, line_y = [], y + NARROW_BOX_PAD + NARROW_FONT - 1
        for line in name:
            lines.append(f'<tspan x="{NARROW_BOX_PAD + 2}" y="{line_y}">{escape(line)}</tspan>')
            line_y += NARROW_LINE
        line_y += 4
        edge_lines = []
        for ls in out:
            for i, line in enumerate(ls):
                x = NARROW_BOX_PAD + 2 + (14 if i else 0)
                edge_lines.append(f'<tspan x="{x}" y="{line_y}">{escape(line)}</tspan>')
                line_y += NARROW_LINE
        # (aria-current only in the wide layout: inside role="img" neither is exposed,
        # the <desc> names the current state, and pages look for the one marked there)
        body.append(
            f'<g class="state-row{" current" if is_current else ""}" data-state="{state}">'
            f'<rect x="2" y="{y}" width="{NARROW_WIDTH - 4}" height="{height}" rx="8" '
            f'fill="{fill}" stroke="{"#111" if is_current else STATE_COLOURS[state]}" '
            f'stroke-width="{3 if is_current else 2}"/>'
            f'<text fill="{colour}" font-weight="700">{"".join(lines)}</text>'
            + (
                f'<text fill="{colour}" class="edge-label">{"".join(edge_lines)}</text>'
                if out
                else ""
            )
            + "</g>"
        )
        y += height + NARROW_BOX_GAP
    return _svg(
        NARROW_WIDTH,
        y - NARROW_BOX_GAP + 2,
        title,
        description,
        "".join(body),
        "state-diagram",
        variant="narrow",
    )


def _diagram_wide(edges, labels, states, current, title, description):
    boxes = _layout(states, labels)
    node_rects = [b.rect for b in boxes.values()]
    pairs = {(s, t) for s, t, _ in edges}
    paths, label_parts, label_rects, extent = [], [], [], list(node_rects)
    for source, target, _name in edges:
        paired = (target, source) in pairs
        curve = _curve(boxes, source, target, PAIR_BEND if paired else SINGLE_BEND)
        (sx, sy), (cx, cy), (ex, ey) = curve
        paths.append(
            f'<path d="M{sx:.1f},{sy:.1f} Q{cx:.1f},{cy:.1f} {ex:.1f},{ey:.1f}" fill="none" '
            f'stroke="#555" stroke-width="1.4" marker-end="url(#arrow)"/>'
        )
        rect = _place_label(curve, labels[source, target], paired, node_rects, label_rects)
        label_rects.append(rect)
        label_parts.append(_edge_label(rect, labels[source, target]))
        extent += [(x, y, x, y) for x, y in (_point(curve, i / 20) for i in range(21))]
    extent += label_rects
    nodes = [_node(s, box, s == current) for s, box in boxes.items()]
    left, top = min(r[0] for r in extent) - MARGIN, min(r[1] for r in extent) - MARGIN
    right, bottom = max(r[2] for r in extent) + MARGIN, max(r[3] for r in extent) + MARGIN
    body = (
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#555"/></marker></defs>' + "".join(paths + nodes + label_parts)
    )
    return _svg(
        math.ceil(right - math.floor(left)),
        math.ceil(bottom - math.floor(top)),
        title,
        description,
        body,
        "state-diagram",
        origin=(math.floor(left), math.floor(top)),
    )
