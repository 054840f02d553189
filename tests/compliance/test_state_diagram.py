"""The regency state diagram (compliance.state_diagram): one renderer, Graphviz's dot, drawing
the transitions Regency declares into the committed files the admin and the console show;
the current state highlighted, the figure named and described, its text at its own size."""

import re

import pytest
from django.utils import translation

from compliance import state_diagram
from compliance.models import Regency

LANGUAGES_AND_LAYOUTS = [(lang, lay) for lang in ("id", "en") for lay in ("wide", "narrow")]
EDGES = state_diagram.fsm_edges(Regency)


def group(svg, state):
    """The <g> of a state's box."""
    found = rf'<g id="(?:\w+-)?state_{state}" class="node state[^"]*"[^>]*>(.*?)</g>'
    return re.search(found, svg, re.S)


def texts(svg):
    return [t.strip() for t in re.findall(r"<text [^>]*>([^<]*)</text>", svg)]


def figure(current=None, language="id", **kwargs):
    """{layout: svg} of the console's figure in `language`."""
    with translation.override(language):
        both = state_diagram.figure(
            current=current, title="Lifecycle", description="Current state", **kwargs
        )
    parts = re.findall(r'<svg class="chart state-diagram" data-layout="(\w+)".*?</svg>', both, re.S)
    svgs = re.findall(r'<svg class="chart state-diagram" data-layout="\w+".*?</svg>', both, re.S)
    return dict(zip(parts, svgs, strict=True))


def test_the_diagram_has_an_arrow_for_every_transition_the_model_declares():
    declared = set()
    for t in Regency._meta.get_field("state").get_all_transitions(Regency):
        for target in getattr(t.target, "allowed_states", None) or [t.target]:
            if t.source != target:  # a remediated regency cut off stays remediated
                declared.add((t.source, target, t.name))
    # the pairs a transition returning one of several states declares but never takes
    assert set(EDGES) == declared - state_diagram.IMPOSSIBLE_EDGES
    assert ("flagged", "suspended", "suspend") in EDGES
    wide = state_diagram.committed("id")
    drawn = re.findall(r'<g id="transition_(\w+?)_(\w+?)_(\w+)" class="edge transition">', wide)
    assert sorted(drawn) == EDGES


@pytest.mark.parametrize(("language", "layout"), LANGUAGES_AND_LAYOUTS)
def test_each_committed_file_was_drawn_from_the_transitions_declared_now(language, layout):
    """Without dot: the file names the digest of the graph the code builds now, so a
    changed transition or label fails here until `make diagram` is run."""
    with translation.override(language):
        digest = state_diagram.source_digest(state_diagram.dot_source(Regency, layout))
    committed = state_diagram.committed(language, layout)
    assert committed.startswith(f"<!-- source sha256 {digest} -->\n<svg ")


@pytest.mark.parametrize(("language", "layout"), LANGUAGES_AND_LAYOUTS)
def test_each_committed_file_is_what_dot_draws_now(language, layout):
    """With Graphviz's dot (CI installs it, .ci/run): `make diagram` changes nothing."""
    fresh = state_diagram.rendered_now(Regency, language, layout)
    assert fresh == state_diagram.committed(language, layout), "run `make diagram`"


@pytest.mark.parametrize(("language", "layout"), LANGUAGES_AND_LAYOUTS)
def test_every_state_is_named_in_full_in_the_readers_language(language, layout):
    svg = state_diagram.committed(language, layout)
    with translation.override(language):
        labels = {s: str(state_diagram.STATE_LABELS[s]) for s in state_diagram.STATES}
        arrows = {str(state_diagram.TRANSITION_LABELS[name]) for _s, _t, name in EDGES}
    for state, label in labels.items():
        words = " ".join(texts(group(svg, state).group(1)))
        assert label in words, (state, words)
    if layout == "wide":  # each arrow labelled
        assert arrows <= set(texts(svg))
    if language == "id":
        assert "pemutusan dilaksanakan" in " ".join(texts(svg))
        reconnected = texts(group(svg, "reconnected").group(1))
        wrapped = {
            "wide": ["Akses SIAK dipulihkan", "(masa percobaan)"],
            "narrow": ["Akses SIAK dipulihkan (masa", "percobaan)"],
        }
        assert reconnected[:2] == wrapped[layout]  # wrapped at words, not cut


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_narrow_layout_lists_under_each_state_where_its_transitions_lead(language):
    svg = state_diagram.committed(language, "narrow")
    found = re.findall(r'<g id="state_(\w+)" class="node state">', svg)
    assert found == list(state_diagram.STATES)  # the usual course, one under the next
    tops = [
        float(re.search(r"d=\"M[\d.]+,(-?[\d.]+)", group(svg, s).group(1)).group(1)) for s in found
    ]
    assert tops == sorted(tops)  # (dot's y grows upwards from the bottom: negative values)
    for state in found:
        body = " ".join(texts(group(svg, state).group(1)))
        leaving = [e for e in EDGES if e[0] == state]
        assert body.count("→") == len(leaving), state
    with translation.override(language):
        cut = f"→ {state_diagram.TRANSITION_LABELS['suspend']}: "
    assert cut in " ".join(texts(group(svg, "flagged").group(1)))


@pytest.mark.parametrize("current", state_diagram.STATES)
@pytest.mark.parametrize("language", ["id", "en"])
def test_the_figure_highlights_the_current_state_only(language, current):
    colour = state_diagram.STATE_COLOURS[current]
    for layout, svg in figure(current, language).items():
        marked = re.findall(r'<g id="[\w-]+" class="node state current" data-state="(\w+)"', svg)
        assert marked == [current], layout
        assert sorted(re.findall(r'data-state="(\w+)"', svg)) == sorted(state_diagram.STATES)
        # aria-current in the wide layout only (the one pages look for)
        aria = re.findall(r'data-state="(\w+)" aria-current="true"', svg)
        assert aria == ([current] if layout == "wide" else []), layout
        box = group(svg, current).group(1)
        assert f'fill="{colour}" stroke="#111111" stroke-width="4"' in box
        # its text bold, white or near-black: whichever reads on the fill at 4.5:1
        ink = set(re.findall(r'<text [^>]*fill="(#\w+)"', box))
        assert ink == {state_diagram._text_on(colour)}
        assert all("font-weight=" in t for t in re.findall(r"<text [^>]*>", box))
        for other in set(state_diagram.STATES) - {current}:
            assert 'fill="#ffffff"' in group(svg, other).group(1), (layout, other)


def test_ids_are_unique_in_the_page_that_holds_both_layouts():
    with translation.override("id"):
        both = state_diagram.figure(current="flagged", title="t", description="d")
    ids = re.findall(r' id="([^"]+)"', both)
    assert len(ids) == len(set(ids)) > 20


def test_the_text_contrast_rule_picks_the_readable_ink():
    assert state_diagram._text_on("#c73e3e") == "#ffffff"
    assert state_diagram._text_on("#a87f00") == "#111111"  # white on ochre is under 4.5:1


def test_the_figure_is_an_image_named_and_described_escaping_what_it_is_given():
    with translation.override("en"):
        both = state_diagram.figure(title="States & <steps>", description="Current: flagged")
    for layout, ident in (("wide", "state-diagram"), ("narrow", "state-diagram-n")):
        svg = re.search(rf'<svg [^>]*data-layout="{layout}".*?</svg>', both, re.S).group(0)
        assert f'role="img" aria-labelledby="{ident}-t {ident}-d"' in svg
        assert f'<title id="{ident}-t">States &amp; &lt;steps&gt;</title>' in svg
        assert f'<desc id="{ident}-d">Current: flagged</desc>' in svg
        assert "<title>" not in svg  # no tooltip naming dot's internal ids
        assert "<!--" not in svg and "<?xml" not in svg


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_text_is_drawn_at_its_own_size(language):
    """The wide layout is drawn at its own width (its 12 and 11 px text as dot laid it out;
    console.css shows it in a figure 54rem wide or more, wider than the picture); the
    narrow one at most 340 units wide with 13-unit text, 11 px or more at 288 px."""
    svgs = figure("flagged", language)
    wide = svgs["wide"]
    width = float(re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+)', wide).group(1))
    assert re.search(r'width="(\d+)"', wide).group(1) == str(int(-(-width // 1)))
    assert width < 54 * 16
    sizes = {float(s) for s in re.findall(r'font-size="([\d.]+)"', wide)}
    assert sizes == {12.0, 11.0}
    narrow = svgs["narrow"]
    width = float(re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+)', narrow).group(1))
    assert width <= 340
    assert {float(s) for s in re.findall(r'font-size="([\d.]+)"', narrow)} == {13.0}
    assert 13 * 288 / width >= 11


def test_the_figure_is_missing_without_its_file(monkeypatch, tmp_path):
    monkeypatch.setattr(state_diagram, "DIAGRAMS", tmp_path)
    assert state_diagram.figure(title="t", description="d") is None


def test_a_language_without_a_file_gets_the_indonesian_one():
    assert state_diagram.committed("fr") == state_diagram.committed("id")
