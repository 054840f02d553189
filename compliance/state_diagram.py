"""The regency state diagram, the one renderer of it (issue 17, item 6): the graph is built
from the transitions `compliance.Regency` declares, laid out and drawn by Graphviz's `dot`,
in each language and layout, into the committed files under compliance/diagrams/
(`manage.py render_state_diagram`, or `make diagram`). The admin's regency list and the
console's regency page show those files (`figure`); neither needs `dot` at run time, and a
test fails when a committed file is not what the code draws now.
"""

import hashlib
import math
import re
import textwrap
from pathlib import Path

from django.db import models
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

DIAGRAMS = Path(__file__).resolve().parent / "diagrams"
LANGUAGES = ("id", "en")  # Bahasa Indonesia first: the default

# The usual course: compliant → flagged → suspended → remediated → reconnected → compliant.
STATES = ("compliant", "flagged", "suspended", "remediated", "reconnected")
# English msgids for the catalogue (locale/), read in the reader's language.
STATE_LABELS = {
    "compliant": _("Compliant"),
    "flagged": _("Flagged for a violation"),
    "suspended": _("SIAK access cut"),
    "remediated": _("Remediation submitted"),
    "reconnected": _("Reconnected (probation)"),
}
# Transition names (Regency's methods) as they label the diagram's arrows.
TRANSITION_LABELS = {
    "flag": _("flag"),
    "approve_suspension": _("approve suspension"),  # before access orders (old logs)
    "suspend": _("cut carried out"),  # the operator confirmed the ordered cut
    "submit_remediation": _("submit remediation"),
    "reject_remediation": _("reject remediation"),
    "reconnect": _("reconnect"),
    "clear": _("clear"),
}
# Darker than the state badges in pages.css so that lines and fills stay readable on white:
# every colour has a contrast of at least 3:1 against the white background (WCAG 1.4.11).
STATE_COLOURS = {
    "compliant": "#2e8450",
    "flagged": "#a87f00",
    "suspended": "#c73e3e",
    "remediated": "#3d7fd6",
    "reconnected": "#8a63d2",
}
# A transition returning one of several states declares each target from each source;
# these pairs never happen: the operator's confirmed cut (Regency.suspend) takes a flagged
# regency to suspended, and leaves a remediated one remediated (no arrow to itself).
IMPOSSIBLE_EDGES = {("flagged", "remediated", "suspend"), ("remediated", "suspended", "suspend")}
NODE_FONT, EDGE_FONT, FONT = 12, 11, "DejaVu Sans"
MAX_LINE = 24  # characters on one line of a state's label before it wraps
# The narrow layout is drawn at most 340 px wide (console.css): its 13-unit text stays 11
# px or more down to a figure 288 px wide (a 320 px screen).
NARROW_FONT, NARROW_CHARS, NARROW_CELL = 13, 38, 310
NARROW_STATE_CHARS = 32  # a state's name is bold: wider
LAYOUTS = ("wide", "narrow")


def fsm_edges(model: type[models.Model], field_name: str = "state") -> list[tuple[str, str, str]]:
    """(source, target, transition name) for every transition the model's FSM declares;
    a transition returning one of several states gives an edge to each it can reach
    (none back to its own source)."""
    field = model._meta.get_field(field_name)
    edges = set()
    for t in field.get_all_transitions(model):  # type: ignore[union-attr]
        for target in getattr(t.target, "allowed_states", None) or [t.target]:
            edge = (str(t.source), str(target), str(t.name))
            inside = edge[0] in STATES and edge[1] in STATES
            if inside and edge[0] != edge[1] and edge not in IMPOSSIBLE_EDGES:
                edges.add(edge)
    return sorted(edges)


def _quote(*lines: str) -> str:
    """A Graphviz string of `lines`, one under the next (centred)."""
    escaped = (str(line).replace("\\", "\\\\").replace('"', '\\"') for line in lines)
    return '"' + "\\n".join(escaped) + '"'


def _node(state: str, label: str) -> str:
    return (
        f"  {state} [id={_quote('state_' + state)} class=state "
        f"label={label} color={_quote(STATE_COLOURS[state])}]"
    )


def dot_source(model: type[models.Model], layout: str = "wide") -> str:
    """The diagram in Graphviz's language, its labels in the active language; each state a
    box with an id (`state_<name>`) the pages mark the current state by. Wide: an arrow
    for each transition. Narrow (a phone, at most 340 units wide): the states one under
    the next in the order of the usual course, each listing where its transitions lead
    ("→ label: state"). Built in a fixed order, so that the same code gives the same text."""
    edges = fsm_edges(model)
    states = {s: str(STATE_LABELS[s]) for s in STATES}
    transitions = {name: str(TRANSITION_LABELS.get(name, name)) for _s, _t, name in edges}
    font = f'fontname="{FONT}" fontcolor="#111111"'
    node = f'{font} shape=box style="rounded,filled" fillcolor="#ffffff" penwidth=2'
    if layout == "narrow":
        lines = [
            "digraph lifecycle_narrow {",
            "  graph [rankdir=TB nodesep=0.1 ranksep=0.12 bgcolor=transparent]",
            f'  node [{node} fontsize={NARROW_FONT} margin="0.1,0.1"]',
            "  edge [style=invis]",
        ]
        for state in STATES:
            rows = [
                f"<B>{escape(line)}</B>"
                for line in textwrap.wrap(states[state], NARROW_STATE_CHARS)
            ]
            for source, target, name in edges:
                if source == state:
                    text = f"→ {transitions[name]}: {states[target]}"
                    # a hanging indent of figure spaces (the label keeps them, not spaces)
                    wrapped = textwrap.wrap(text, NARROW_CHARS, subsequent_indent="\u2007\u2007")
                    rows += [escape(line) for line in wrapped]
            # one left-aligned cell the width of the box (the text's width at most)
            cell = f'<TD ALIGN="LEFT" BALIGN="LEFT" WIDTH="{NARROW_CELL}">'
            table = '<TABLE BORDER="0" CELLPADDING="0" CELLSPACING="0"><TR>' + cell
            lines.append(_node(state, f"<{table}{'<BR/>'.join(rows)}</TD></TR></TABLE>>"))
        lines.append("  " + " -> ".join(STATES))
        return "\n".join([*lines, "}", ""])
    lines = [
        "digraph lifecycle {",
        "  graph [rankdir=TB nodesep=0.3 ranksep=0.4 bgcolor=transparent]",
        f'  node [{node} fontsize={NODE_FONT} margin="0.18,0.1"]',
        f'  edge [{font} fontsize={EDGE_FONT} color="#555555"]',
    ]
    for state in STATES:
        lines.append(_node(state, _quote(*textwrap.wrap(states[state], MAX_LINE))))
    for source, target, name in edges:
        lines.append(
            f"  {source} -> {target} [id={_quote(f'transition_{source}_{target}_{name}')} "
            f"class=transition label={_quote(' ' + transitions[name] + ' ')}]"
        )
    return "\n".join([*lines, "}", ""])


def source_digest(source: str) -> str:
    return hashlib.sha256(source.encode()).hexdigest()


def render(source: str) -> str:
    """The SVG `dot` draws from `source` (needs Graphviz's `dot`: used by the management
    command and the tests, never by a request), without its XML prologue, its comments and
    the <title> tooltips naming the graph's internal ids; first, a comment with the digest
    of the source it was drawn from (the test that the files are current reads it)."""
    import graphviz

    svg = graphviz.pipe("dot", "svg", source.encode(), quiet=True).decode()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<!--.*?-->\n?", "", svg, flags=re.S)
    svg = re.sub(r"<title>[^<]*</title>\n?", "", svg)
    # where DejaVu Sans is missing, a sans-serif as wide (Verdana), else the reader's own
    svg = svg.replace(f'font-family="{FONT}"', f'font-family="{FONT}, Verdana, sans-serif"')
    return f"<!-- source sha256 {source_digest(source)} -->\n{svg}"


def path_for(language: str, layout: str = "wide") -> Path:
    suffix = "" if layout == "wide" else f".{layout}"
    return DIAGRAMS / f"state-diagram.{language}{suffix}.svg"


def rendered_now(model: type[models.Model], language: str, layout: str = "wide") -> str:
    """The SVG of the diagram as the code draws it now, in `language`."""
    with translation.override(language):
        source = dot_source(model, layout)
    return render(source)


def write_all(model: type[models.Model]) -> list[Path]:
    """Render the diagram in every language and layout into compliance/diagrams/; the
    paths written."""
    DIAGRAMS.mkdir(exist_ok=True)
    written = []
    for language in LANGUAGES:
        for layout in LAYOUTS:
            path = path_for(language, layout)
            path.write_text(rendered_now(model, language, layout), encoding="utf-8")
            written.append(path)
    return written


def committed(language: str | None = None, layout: str = "wide") -> str | None:
    """The committed SVG in `language` (else the active one; Indonesian when there is no
    file in it), or None when it is missing."""
    language = (language or translation.get_language() or "id").split("-")[0]
    path = path_for(language if language in LANGUAGES else LANGUAGES[0], layout)
    return path.read_text(encoding="utf-8") if path.is_file() else None


def _text_on(colour: str) -> str:
    """White or near-black, whichever has a contrast of 4.5:1 or more on `colour`."""

    def channel(c: str) -> float:
        value = int(c, 16) / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#ffffff" if 1.05 / (luminance + 0.05) >= 4.5 else "#111111"


def _highlight(svg: str, current: str, *, aria: bool) -> str:
    """The current state's box filled with its colour and outlined in black, its text bold
    in a colour that reads on the fill (4.5:1), its group marked class="... current" and
    (`aria`) aria-current="true", after its data-state."""
    colour = STATE_COLOURS[current]

    def mark(match: re.Match[str]) -> str:
        body = match.group(2).replace(
            f'fill="#ffffff" stroke="{colour}" stroke-width="2"',
            f'fill="{colour}" stroke="#111111" stroke-width="4"',
        )
        body = body.replace('fill="#111111"', f'fill="{_text_on(colour)}"')
        body = re.sub(r"<text (?![^>]*font-weight)", '<text font-weight="bold" ', body)
        marked = ' aria-current="true"' if aria else ""
        return f'{match.group(1)} current" data-state="{current}"{marked}>{body}'

    pattern = rf'(<g id="[^"]*" class="node state)" data-state="{current}">(.*?</g>)'
    return re.sub(pattern, mark, svg, count=1, flags=re.S)


def _svg(svg: str, ident: str, layout: str, title: object, description: object) -> str:
    """`dot`'s picture as a figure of the pages: role="img" named by its <title> and
    described by its <desc>, drawn at its own size (the 12 and 11 px text `dot` laid it out
    with; console.css narrows the narrow layout to at most 340 px)."""
    view_box = re.search(r'viewBox="([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)"', svg)
    if view_box is None:
        raise ValueError("not an SVG drawn by dot")
    start = svg.index("<svg")
    body = svg[svg.index(">", start) + 1 : svg.rindex("</svg>")]
    width, height = (math.ceil(float(v)) for v in view_box.groups()[2:])
    return format_html(
        '<svg class="chart state-diagram" data-layout="{}" viewBox="{}" width="{}" height="{}" '
        'role="img" aria-labelledby="{}-t {}-d" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-t">{}</title><desc id="{}-d">{}</desc>{}</svg>',
        layout,
        " ".join(view_box.groups()),
        width,
        height,
        ident,
        ident,
        ident,
        title,
        ident,
        description,
        mark_safe(body),  # noqa: S308 - our own committed file, drawn by `dot`
    )


def figure(
    *,
    title: object,
    description: object,
    current: str | None = None,
    layouts: tuple[str, ...] = LAYOUTS,
    language: str | None = None,
) -> SafeString | None:
    """The committed diagram, inline, in the active language (else `language`), in each of
    `layouts` one after the other (console.css shows the one that fits): role="img" with
    its <title> and <desc> (`title`, `description`: translated by the caller), the
    `current` state highlighted. None when a file is missing."""
    parts = []
    for layout in layouts:
        svg = committed(language, layout)
        if svg is None:
            return None
        # each box names its state (data-state), the pages' and their tests' handle on it
        svg = re.sub(r'(<g id="state_(\w+)" class="node state")>', r'\1 data-state="\2">', svg)
        if layout != "wide":  # ids unique in the page, which holds both layouts
            svg = svg.replace(' id="', f' id="{layout}-')
        if current in STATE_COLOURS:
            # aria-current in the wide layout only: inside role="img" neither is exposed
            # (the <desc> names the current state); pages look for the one marked there
            svg = _highlight(svg, current, aria=layout == "wide")
        ident = "state-diagram" if layout == "wide" else f"state-diagram-{layout[0]}"
        parts.append(_svg(svg, ident, layout, title, description))
    return mark_safe("".join(parts))  # noqa: S308 - each part built by format_html
