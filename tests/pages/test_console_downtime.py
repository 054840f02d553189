"""Downtime per regency, as a chart with its table: the days without SIAK access summed
over suspension periods, within the reader's jurisdiction."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from compliance import services
from tests.factories import official, regency

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


def cut_off(code, start):
    """Flag and suspend through the services; the period stays open (counts until now)."""
    officer, director = official("ministry_officer"), official("ministry_director")
    r = regency(code)
    services.flag_regency(
        regency=r, actor=officer, kind="hr", description="uji", legal_basis="UU 24/2013", at=start
    )
    request = services.request_suspension(regency=r, actor=officer, reason="uji", at=start)
    services.approve_suspension(request=request, actor=director, reason="uji", at=start)


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


def test_without_any_suspension_the_page_says_so(client):
    client.force_login(official("ministry_officer"))
    html = client.get(reverse("console:country")).content.decode()
    assert 'data-testid="downtime-none"' in html
