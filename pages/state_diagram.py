"""The compliance state diagram, drawn on the server as inline SVG: the states laid out
round their usual course, the edges read from the state machine itself."""

import math
from dataclasses import dataclass

from django.utils.html import escape

from .svg import (
    NARROW_FONT,
    NARROW_LINE,
    NARROW_WIDTH,
    STATE_COLOURS,
    both_layouts,
    svg_figure,
    svg_text,
    wrap_label,
)

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
COLUMN_GAPS, DIAGRAM_ROW_GAP, MARGIN = (80, 150), 140, 8
PAIR_BEND, SINGLE_BEND = 38, 12


def text_width(text, size, *, bold=False):
    """An estimate of the width of `text` drawn at `size` px."""
    return len(text) * size * (BOLD_CHAR_EM if bold else CHAR_EM)


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
        + svg_text(
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
    return both_layouts(
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
    return svg_figure(
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
    return svg_figure(
        math.ceil(right - math.floor(left)),
        math.ceil(bottom - math.floor(top)),
        title,
        description,
        body,
        "state-diagram",
        origin=(math.floor(left), math.floor(top)),
    )
