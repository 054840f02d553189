"""The server-rendered SVG charts (pages/charts.py, pages/state_diagram.py): accessible,
escaped, and the state diagram drawn from the state machine itself."""

import itertools
import re
from datetime import date

import pytest
from django.template import Context, Template
from django.utils import translation

from compliance.models import Regency
from pages import charts, state_diagram
from pages import svg as drawing
from pages.console.labels import STATE_LABELS as REAL_STATE_LABELS
from pages.console.labels import TRANSITION_LABELS

STATE_LABELS = {s: s.title() for s in charts.STATE_POSITIONS}


def layouts(svg):
    """{"wide": svg, "narrow": svg}: every chart comes in both layouts, in that order."""
    found = re.findall(r'<svg class="chart [\w-]+" data-layout="(wide|narrow)".*?</svg>', svg, re.S)
    parts = re.findall(
        r'<svg class="chart [\w-]+" data-layout="(?:wide|narrow)".*?</svg>', svg, re.S
    )
    assert found == ["wide", "narrow"]
    return dict(zip(found, parts, strict=True))


def wide(svg):
    return layouts(svg)["wide"]


def narrow(svg):
    return layouts(svg)["narrow"]


def test_the_diagram_has_an_arrow_for_every_transition_the_model_declares():
    declared = set()
    for t in Regency._meta.get_field("state").get_all_transitions(Regency):
        for target in getattr(t.target, "allowed_states", None) or [t.target]:
            if t.source != target:  # a remediated regency cut off stays remediated
                declared.add((t.source, target, t.name))
    # the pairs a transition returning one of several states declares but never takes
    assert set(charts.fsm_edges(Regency)) == declared - charts.IMPOSSIBLE_EDGES


def test_the_diagram_highlights_the_current_state_only():
    both = charts.state_diagram(
        Regency,
        "suspended",
        state_labels=STATE_LABELS,
        transition_labels={},
        title="Lifecycle",
        description="Current state: suspended",
    )
    assert re.findall(r'data-state="(\w+)" aria-current="true"', wide(both)) == ["suspended"]
    assert re.findall(r'class="state-row current" data-state="(\w+)"', narrow(both)) == [
        "suspended"
    ]
    for svg in layouts(both).values():
        assert sorted(re.findall(r'data-state="(\w+)"', svg)) == sorted(charts.STATE_POSITIONS)
        assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert wide(both).count("marker-end=") == len(charts.fsm_edges(Regency))
    # the narrow layout lists each transition under the state it leaves
    assert narrow(both).count("→ ") == len(charts.fsm_edges(Regency))


def test_stacked_bars_title_each_segment_with_its_number_and_escape_labels():
    series = [charts.Series("a", "A & B", "#000"), charts.Series("b", "C", "#111")]
    svg = charts.stacked_bar_chart(
        [("<Jambi>", {"a": 3, "b": 0}), ("Riau", {"a": 1, "b": 2})],
        series,
        title="States",
        description="Jambi: A 3",
    )
    assert "&lt;Jambi&gt;" in svg and "<Jambi>" not in svg
    assert "A &amp; B: 3</title>" in svg
    assert "C: 0" not in svg  # an empty segment is not drawn
    assert "Riau · C: 2</title>" in svg


def test_realisation_bars_mark_laggards_and_show_missing_data():
    both = charts.target_bar_chart(
        [
            charts.TargetBar("Merangin", 61.6, 98.5, lagging=True),
            charts.TargetBar("Kerinci", 95.0, 90.0),
            charts.TargetBar("Tebo", None, None),
        ],
        title="Realisation",
        description="…",
        target_label="Path",
    )
    for svg in layouts(both).values():
        assert "Merangin !" in svg and "Kerinci !" not in svg
        assert svg.count('fill="#c73e3e"') == 1
        assert "Path: 98,5 %" in svg and "Path: 90,0 %" in svg  # Indonesian, the default
        assert "—" in svg  # Tebo has no data


@pytest.mark.parametrize(
    ("language", "shown", "not_shown"), [("id", "82,9 %", "82.9"), ("en", "82.9 %", "82,9")]
)
def test_realisation_numbers_are_written_as_the_tables_write_them(language, shown, not_shown):
    with translation.override(language):
        svg = charts.target_bar_chart(
            [charts.TargetBar("Merangin", 82.94, 90.0)],
            title="Realisation",
            description="…",
            target_label="Path",
        )
        table = Template("{{ v|floatformat:1 }} %").render(Context({"v": 82.94}))
    assert table == shown
    assert f">{shown}</text>" in svg  # the number on the bar
    assert f"Merangin: {shown}</title>" in svg
    assert not_shown not in svg


def test_day_totals_are_whole_numbers_when_they_are_whole():
    with translation.override("id"):
        svg = charts.stacked_bar_chart(
            [("Merangin", {"days": 91.0}), ("Kerinci", {"days": 12.5})],
            [charts.Series("days", "days", "#c92a2a")],
            title="Days",
            description="…",
        )
    for layout in layouts(svg).values():
        totals = re.findall(r'class="total" >([^<]*)</text>', layout)
        assert totals == ["91", "12,50"]
    assert "91.0" not in svg and "91,0" not in svg
    assert "Merangin · days: 91</title>" in svg


def test_the_path_chart_draws_the_straight_line_to_100_percent():
    svg = charts.path_chart(
        [(date(2017, 1, 1), 50.0), (date(2017, 6, 1), 60.0)],
        start=date(2017, 1, 1),
        end=date(2017, 12, 31),
        start_value=50.0,
        title="Merangin",
        description="…",
    )
    for layout in layouts(svg).values():
        assert 'class="target"' in layout
        assert len(re.findall(r"<circle ", layout)) == 2
        assert "2017-06-01: 60,0 %" in layout


# --- the state diagram's layout, with the console's own labels in both languages ------

CHAR_WIDTH = 6.5  # px per character of 12 px system-ui text: a low estimate


def diagram(language, current, layout="wide"):
    """The diagram's boxes-and-arrows layout (or the narrow one)."""
    with translation.override(language):
        return layouts(
            charts.state_diagram(
                Regency,
                current,
                state_labels=REAL_STATE_LABELS,
                transition_labels=TRANSITION_LABELS,
                title="Lifecycle",
                description="…",
            )
        )[layout]


def floats(*values):
    return [float(v) for v in values]


def nodes(svg):
    """{state: ((left, top, right, bottom), [lines of its label])}"""
    found = {}
    for state, body in re.findall(
        r'<g class="state-node[^"]*" data-state="(\w+)"[^>]*>(.*?)</g>', svg
    ):
        x, y, w, h = floats(
            *re.search(
                r'<rect x="([\d.-]+)" y="([\d.-]+)" width="([\d.]+)" height="([\d.]+)"', body
            ).groups()
        )
        found[state] = ((x, y, x + w, y + h), re.findall(r"<tspan [^>]*>([^<]*)</tspan>", body))
    return found


def inside(x, y, rect):
    return rect[0] <= x <= rect[2] and rect[1] <= y <= rect[3]


LANGUAGES_AND_STATES = [(lang, state) for lang in ("id", "en") for state in charts.STATE_POSITIONS]


@pytest.mark.parametrize(("language", "current"), LANGUAGES_AND_STATES)
def test_every_box_holds_its_label_and_lies_inside_the_picture(language, current):
    svg = diagram(language, current)
    left, top, width, height = floats(
        *re.search(r'viewBox="([\d.-]+) ([\d.-]+) ([\d.]+) ([\d.]+)"', svg).groups()
    )
    found = nodes(svg)
    assert set(found) == set(charts.STATE_POSITIONS)
    for state, (rect, lines) in found.items():
        assert left <= rect[0] and rect[2] <= left + width, state
        assert top <= rect[1] and rect[3] <= top + height, state
        assert rect[2] - rect[0] >= max(len(line) for line in lines) * CHAR_WIDTH + 12, state


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_reconnected_state_is_named_in_full(language):
    svg = diagram(language, "reconnected")
    with translation.override(language):
        label = str(REAL_STATE_LABELS["reconnected"])
    _rect, lines = nodes(svg)["reconnected"]
    assert " ".join(lines) == label
    if language == "id":
        assert lines == ["Akses SIAK dipulihkan", "(masa percobaan)"]  # wrapped, not cut


@pytest.mark.parametrize(("language", "current"), LANGUAGES_AND_STATES)
def test_no_box_covers_an_edge_label(language, current):
    svg = diagram(language, current)
    boxes = [rect for rect, _lines in nodes(svg).values()]
    labels = re.findall(
        r'<text x="([\d.-]+)" y="([\d.-]+)"[^>]*class="edge-label"[^>]*>([^<]*)</text>', svg
    )
    assert len(labels) == len(charts.fsm_edges(Regency))
    for x, y, text in labels:
        assert not any(inside(float(x), float(y), box) for box in boxes), text
    backgrounds = re.findall(
        r'<rect x="([\d.-]+)" y="([\d.-]+)" width="([\d.]+)" height="([\d.]+)"[^>]*class="edge-label-bg"',
        svg,
    )
    for x, y, w, h in backgrounds:
        x, y, w, h = floats(x, y, w, h)
        for box in boxes:
            assert x + w <= box[0] or box[2] <= x or y + h <= box[1] or box[3] <= y


def test_edge_labels_sit_on_a_white_ground_the_width_of_their_text():
    svg = diagram("id", "compliant")
    pairs = re.findall(
        r'<rect x="[\d.-]+" y="[\d.-]+" width="([\d.]+)"[^>]*class="edge-label-bg"/><text ([^>]*)>([^<]*)</text>',
        svg,
    )
    assert len(pairs) == len(charts.fsm_edges(Regency))
    assert "pemutusan dilaksanakan" in [text for _w, _attrs, text in pairs]
    for width, attrs, text in pairs:
        assert float(width) >= len(text) * 5.5  # 11 px text, spaces included
        assert 'paint-order="stroke"' in attrs and 'stroke-linejoin="round"' in attrs


def test_a_long_label_wraps_at_words_into_even_lines():
    assert drawing.wrap_label("Akses SIAK dipulihkan (masa percobaan)") == [
        "Akses SIAK dipulihkan",
        "(masa percobaan)",
    ]
    assert drawing.wrap_label("Compliant") == ["Compliant"]


def test_bars_sit_one_under_the_next_whatever_the_number_of_rows():
    # 38 provinces: each row one bar high plus a small gap, not a diagram's row spacing.
    rows = [(f"Provinsi {i}", {"a": i + 1}) for i in range(38)]
    svg = wide(
        charts.stacked_bar_chart(
            rows, [charts.Series("a", "A", "#000")], title="t", description="d"
        )
    )
    ys = sorted(
        {
            float(y)
            for y in re.findall(r'<rect x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="18"', svg)
        }
    )
    assert len(ys) == 38
    steps = {round(b - a, 1) for a, b in itertools.pairwise(ys)}
    assert steps == {18 + 6}
    height = float(re.search(r'viewBox="[-\d.]+ [-\d.]+ [\d.]+ ([\d.]+)"', svg).group(1))
    assert height < 38 * 24 + 80


# --- the narrow layout (a phone): names above full-width bars, states one under the next --

NARROW_CHAR = drawing.NARROW_FONT * state_diagram.CHAR_EM  # the wide side of 13-unit text


def texts(svg):
    """[(x, y, anchor, text)] of the chart's <text> elements."""
    return [
        (float(x), float(y), anchor, text)
        for x, y, anchor, text in re.findall(
            r'<text x="([\d.-]+)" y="([\d.-]+)" text-anchor="(\w+)"[^>]*>([^<]*)</text>', svg
        )
    ]


def test_the_narrow_realisation_bars_put_each_name_on_a_line_above_its_bar():
    long_name = "Kabupaten Kepulauan Siau Tagulandang Biaro"
    rows = [
        charts.TargetBar(long_name if i == 5 else f"Provinsi {i}", 40.0 + i, 80.0, lagging=i == 5)
        for i in range(38)
    ]
    svg = narrow(charts.target_bar_chart(rows, title="t", description="d", target_label="Path"))
    assert re.search(r'viewBox="0 0 340 [\d.]+"', svg) and 'font-size="13"' in svg
    bars = [
        (float(y), float(w))
        for y, w in re.findall(r'<rect x="0" y="([\d.]+)" width="([\d.]+)" height="12"', svg)
    ]
    assert len(bars) == 38
    labels = [t for t in texts(svg) if t[2] == "start" and t[3] and t[3][0] != "0"]
    numbers = [t for t in texts(svg) if t[2] == "end" and t[3] != "100 %"]
    assert len(numbers) == 38
    previous_bottom = drawing.NARROW_FONT  # the axis's line
    for (bar_y, _w), (_x, number_y, _a, number) in zip(bars, numbers, strict=True):
        lines = [t for t in labels if previous_bottom < t[1] < bar_y]
        assert lines, bar_y  # the name sits between the bar above and its own bar
        assert lines[0][1] == number_y
        # the name's first line and the number share a line without touching
        assert len(lines[0][3]) * NARROW_CHAR + 8 + len(number) * NARROW_CHAR <= 340
        assert lines[0][1] - drawing.NARROW_FONT >= previous_bottom
        previous_bottom = bar_y + 12
    wrapped = [t[3] for t in labels if t[3] in long_name + " !"]
    assert " ".join(wrapped) == long_name + " !"  # wrapped at words, not cut


def test_the_narrow_diagram_lists_each_state_with_where_its_transitions_lead():
    svg = diagram("id", "flagged", layout="narrow")
    assert re.search(r'viewBox="0 0 340 [\d.]+"', svg)
    found = re.findall(r'<g class="state-row[^"]*" data-state="(\w+)"[^>]*>(.*?)</g>', svg)
    assert [state for state, _ in found] == list(charts.STATE_POSITIONS)  # the usual course
    bottom = 0
    for state, body in found:
        y, h = floats(
            *re.search(r'<rect x="2" y="([\d.]+)" width="336" height="([\d.]+)"', body).groups()
        )
        assert y >= bottom  # one under the next
        bottom = y + h
        lines = re.findall(r'<tspan x="([\d.]+)" y="([\d.]+)">([^<]*)</tspan>', body)
        for x, line_y, line in lines:
            assert float(x) + len(line) * NARROW_CHAR <= 336, line
            assert y < float(line_y) < y + h, line
        leaving = [e for e in charts.fsm_edges(Regency) if e[0] == state]
        assert " ".join(line for _x, _y, line in lines).count("→") == len(leaving), state
    flagged = " ".join(re.findall(r"<tspan [^>]*>([^<]*)</tspan>", dict(found)["flagged"]))
    with translation.override("id"):
        assert f"→ {TRANSITION_LABELS['suspend']}: {REAL_STATE_LABELS['suspended']}" in flagged
    # the current state filled, its text with a contrast of 4.5:1 or more on the fill
    current = dict(found)["flagged"]
    assert f'fill="{charts.STATE_COLOURS["flagged"]}"' in current and 'fill="#111"' in current
