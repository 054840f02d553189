"""The server-rendered SVG charts (pages/charts.py): accessible, escaped, and the state
diagram drawn from the state machine itself."""

import re
from datetime import date

from compliance.models import Regency
from pages import charts

STATE_LABELS = {s: s.title() for s in charts.STATE_POSITIONS}


def test_the_diagram_has_an_arrow_for_every_transition_the_model_declares():
    declared = set()
    for t in Regency._meta.get_field("state").get_all_transitions(Regency):
        for target in getattr(t.target, "allowed_states", None) or [t.target]:
            declared.add((t.source, target, t.name))
    assert set(charts.fsm_edges(Regency)) == declared


def test_the_diagram_highlights_the_current_state_only():
    svg = charts.state_diagram(
        Regency,
        "suspended",
        state_labels=STATE_LABELS,
        transition_labels={},
        title="Lifecycle",
        description="Current state: suspended",
    )
    assert re.findall(r'data-state="(\w+)" aria-current="true"', svg) == ["suspended"]
    assert sorted(re.findall(r'data-state="(\w+)"', svg)) == sorted(charts.STATE_POSITIONS)
    assert svg.count("marker-end=") == len(charts.fsm_edges(Regency))
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg


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
    svg = charts.target_bar_chart(
        [
            charts.TargetBar("Merangin", 61.6, 98.5, lagging=True),
            charts.TargetBar("Kerinci", 95.0, 90.0),
            charts.TargetBar("Tebo", None, None),
        ],
        title="Realisation",
        description="…",
        target_label="Path",
    )
    assert "Merangin !" in svg and "Kerinci !" not in svg
    assert svg.count('fill="#c73e3e"') == 1
    assert "Path: 98.5 %" in svg and "Path: 90.0 %" in svg
    assert "—" in svg  # Tebo has no data


def test_the_path_chart_draws_the_straight_line_to_100_percent():
    svg = charts.path_chart(
        [(date(2017, 1, 1), 50.0), (date(2017, 6, 1), 60.0)],
        start=date(2017, 1, 1),
        end=date(2017, 12, 31),
        start_value=50.0,
        title="Merangin",
        description="…",
    )
    assert 'class="target"' in svg
    assert len(re.findall(r"<circle ", svg)) == 2
    assert "2017-06-01: 60.0 %" in svg
