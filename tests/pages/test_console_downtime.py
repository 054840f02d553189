"""Downtime per regency, as a chart with its table: the days without SIAK access summed
over suspension periods, within the reader's jurisdiction."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from compliance import services
from tests.factories import carry_out, official, regency

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


def cut_ordered(code, start):
    """Flag and approve a suspension through the services at `start`: the cut is ordered
    to the network operators; returns the order."""
    officer, director = official("ministry_officer"), official("ministry_director")
    r = regency(code)
    services.flag_regency(
        regency=r, actor=officer, kind="hr", description="uji", legal_basis="UU 24/2013", at=start
    )
    request = services.request_suspension(regency=r, actor=officer, reason="uji", at=start)
    return services.approve_suspension(request=request, actor=director, reason="uji", at=start)


def cut_off(code, start):
    """Flag and suspend, the operators carrying the cut out at `start`; the period stays
    open (counts until now)."""
    return carry_out(cut_ordered(code, start))


def downtime_rows(html):
    table = re.search(r'data-testid="downtime">(.*?)</table>', html, re.S).group(1)
    return re.findall(r'<tr data-code="([\d.]+)">.*?<td class="num">([\d.,]+)</td>', table, re.S)


def test_the_country_page_charts_downtime_per_regency_longest_first(client):
    now = datetime.now(WIB)
    cut_off("15.09", now - timedelta(days=30))
    cut_off("15.02", now - timedelta(days=91))
    cut_off("32.01", now - timedelta(days=10))
    client.force_login(official("ministry_officer"))

    html = client.get(reverse("console:country")).content.decode()

    rows = downtime_rows(html)
    assert [code for code, _days in rows] == ["15.02", "15.09", "32.01"]
    assert [round(float(days.replace(",", "."))) for _code, days in rows] == [91, 30, 10]
    chart = re.search(r'<svg class="chart downtime".*?</svg>', html, re.S).group(0)
    assert "Kabupaten Merangin: 91" in chart  # the text equivalent in <desc>


def test_a_governor_sees_the_downtime_of_his_province_only(client):
    now = datetime.now(WIB)
    cut_off("15.02", now - timedelta(days=5))
    cut_off("32.01", now - timedelta(days=5))
    client.force_login(official("governor", "15"))

    html = client.get(reverse("console:province", args=["15"])).content.decode()

    assert [code for code, _days in downtime_rows(html)] == ["15.02"]


def test_a_cut_not_carried_out_yet_counts_no_downtime(client):
    now = datetime.now(WIB)
    cut_ordered("15.02", now - timedelta(days=2))  # the operators have not confirmed it
    cut_off("15.09", now - timedelta(days=5))
    client.force_login(official("ministry_officer"))

    html = client.get(reverse("console:country")).content.decode()

    assert [code for code, _days in downtime_rows(html)] == ["15.09"]


def test_without_any_suspension_the_page_says_so(client):
    client.force_login(official("ministry_officer"))
    html = client.get(reverse("console:country")).content.decode()
    assert 'data-testid="downtime-none"' in html
