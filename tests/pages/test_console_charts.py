"""The server-rendered SVG charts (pages/charts.py): accessible and escaped. (The state
diagram is Graphviz's: tests/compliance/test_state_diagram.py.)"""

import itertools
import re
from datetime import date

import pytest
from django.template import Context, Template
from django.utils import translation

from pages import charts
from pages import svg as drawing


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


# --- the narrow layout (a phone): names above full-width bars ---------------------------

NARROW_CHAR = drawing.NARROW_FONT * 0.6  # the wide side of 13-unit system-ui text


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
