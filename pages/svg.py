"""The pieces every server-drawn SVG chart shares (pages/charts.py): the figure with its
<title> and <desc>, its two layouts, escaped text. (The state diagram is drawn by
Graphviz: compliance.state_diagram.)"""

import math

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

# The narrow layout (a phone): 340 units wide, drawn at most 340 px wide (console.css), so
# that its 13-unit text stays at 11 px or more down to a figure 288 px wide (a 320 px
# screen).
NARROW_WIDTH, NARROW_FONT, NARROW_LINE = 340, 13, 16
MAX_LINE = 24  # characters on one line of a label before it wraps


def svg_figure(
    width, height, title, description, body, css_class, origin=(0, 0), *, variant="wide"
):
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


def both_layouts(wide, narrow):
    """The two layouts of one chart, one after the other: console.css shows the wide one
    where its figure is wide enough for 11 px text, the narrow one elsewhere."""
    return mark_safe(wide + narrow)  # noqa: S308 - both built by svg_figure from escaped parts


def svg_text(x, y, text, *, anchor="start", css="", extra=""):
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" class="{css}" {extra}>'
        f"{escape(text)}</text>"
    )


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
