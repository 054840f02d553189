"""The console's charts on a phone (issue 15 item 7), in Chromium: at 360×740 no console
page is wider than the screen, every chart fits it, and its smallest text is 11 px high
or more; at 1,280 px each figure shows its wide layout, its text as readable."""

import pytest

from tests.factories import official
from tests.pages.conftest import screenshot, sign_in

pytestmark = pytest.mark.slow
PASSWORD = "rahasia-Uji-123"  # noqa: S105 (tests.factories)
PAGES = ("/console/", "/console/provinces/15/", "/console/regencies/15.02/")

# Every chart that is shown (one layout of each two): its box, and the height of its
# smallest line of text (a <tspan>, or a <text> without any).
SHOWN_CHARTS = """() => [...document.querySelectorAll("svg.chart")]
  .filter((svg) => getComputedStyle(svg).display !== "none")
  .map((svg) => {
    const box = svg.getBoundingClientRect();
    const heights = [...svg.querySelectorAll("text:not(:has(tspan)), tspan")]
      .filter((t) => t.textContent.trim())
      .map((t) => t.getBoundingClientRect().height);
    return {chart: svg.getAttribute("class"), layout: svg.dataset.layout, left: box.left, right: box.right,
            width: box.width, texts: heights.length, smallest: Math.min(...heights)};
  })"""
FIGURES = """() => [...document.querySelectorAll("figure")].filter((f) => f.querySelector("svg.chart"))
  .map((f) => [...f.querySelectorAll("svg.chart")]
    .filter((svg) => getComputedStyle(svg).display !== "none").map((svg) => svg.getAttribute("class")))"""


@pytest.fixture
def officer(jambi_reports):
    return official("ministry_officer", username="petugas.grafik")


def shown_charts(page, address):
    assert page.goto(address).ok, address
    charts = page.evaluate(SHOWN_CHARTS)
    figures = page.evaluate(FIGURES)
    assert figures and all(len(shown) == 1 for shown in figures), (address, figures)
    return charts


def test_at_360_px_every_chart_fits_the_screen_with_text_of_11_px_or_more(page, officer):
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, officer.username, PASSWORD)
    page.wait_for_url(lambda url: "/masuk/" not in url)
    seen = set()
    for address in PAGES:
        charts = shown_charts(page, address)
        width = page.evaluate("document.documentElement.scrollWidth")
        screenshot(page, "phone-charts-" + address.strip("/").replace("/", "-"))
        assert width <= 360, (address, width)
        for chart in charts:
            assert chart["layout"] == "narrow", (address, chart)
            assert chart["width"] <= 360 and chart["left"] >= 0 and chart["right"] <= 360, chart
            assert chart["texts"] and chart["smallest"] >= 11, (address, chart)
            seen.add(chart["chart"].split()[1])
    # the realisation bars (country and province), the states' bars and the diagram
    assert {"realisation", "states-by-province", "state-diagram", "path"} <= seen, seen


def test_at_1280_px_each_figure_shows_its_wide_layout(page, officer):
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, officer.username, PASSWORD)
    page.wait_for_url(lambda url: "/masuk/" not in url)
    for address in PAGES:
        for chart in shown_charts(page, address):
            assert chart["layout"] == "wide", (address, chart)
            assert chart["texts"] and chart["smallest"] >= 11, (address, chart)
