"""Issue 15 item 8: the console's figures mean what they say. Residents affected only for
a regency cut off (suspended now, or with days without SIAK access), the country total
row filled, and names (escalation policies and steps, assignment states) in the
reader's language."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from compliance.models import District, RecordingReport, Regency
from tests.factories import official
from tests.pages.directives_fixtures import client_for
from tests.pages.test_console_downtime import cut_off
from workflow import services as workflow_services
from workflow.escalation import sweep
from workflow.models import Assignment, EscalationPolicy

pytestmark = pytest.mark.django_db

MERANGIN, KERINCI = "15.02", "15.01"


def report(code, obliged):
    for district in District.objects.filter(regency__code=code):
        RecordingReport.objects.create(
            district=district,
            date=timezone.localdate() - timedelta(days=5),
            obliged=obliged,
            recorded=obliged // 2,
            printed=0,
        )
    return obliged * District.objects.filter(regency__code=code).count()


def affected(html, code):
    row = re.search(rf'<tr data-code="{re.escape(code)}">(.*?)</tr>', html, re.S).group(1)
    return re.search(r'data-testid="residents-affected">([^<]*)<', row).group(1)


def test_residents_affected_only_for_a_regency_cut_off(regions):
    merangin = report(MERANGIN, 1000)
    report(KERINCI, 1000)
    cut_off(MERANGIN, timezone.now() - timedelta(days=3))
    client = client_for(official("ministry_officer"))
    province = client.get(reverse("console:province", args=["15"])).content.decode()
    assert affected(province, MERANGIN).replace(",", "").replace(".", "") == str(merangin)
    assert affected(province, KERINCI) == "—"
    kerinci = client.get(reverse("console:regency", args=[KERINCI])).content.decode()
    assert re.search(r'data-testid="residents-affected">—<', kerinci)
    page = client.get(reverse("console:regency", args=[MERANGIN])).content.decode()
    shown = re.search(r'data-testid="residents-affected">([^<]*)<', page).group(1)
    assert shown.replace(",", "").replace(".", "") == str(merangin)
    country = client.get(reverse("console:country")).content.decode()
    suspended = re.search(r'data-testid="suspended">(.*?)</table>', country, re.S).group(1)
    assert affected(suspended, MERANGIN) != "—"


def test_the_country_total_row_is_filled(regions):
    client = client_for(official("ministry_officer"))
    html = client.get(reverse("console:country")).content.decode()
    foot = re.search(r"<tfoot>(.*?)</tfoot>", html, re.S).group(1)
    cells = re.findall(r'<td class="num"[^>]*>(\d+)</td>', foot)
    assert len(cells) == foot.count("<td")  # no blank cell
    grand = re.search(r'data-testid="grand-total">(\d+)<', foot).group(1)
    assert int(grand) == Regency.objects.count() == sum(int(n) for n in cells[:-1])


@pytest.fixture
def overdue(regions):
    officer = official("ministry_officer")
    now = timezone.now()
    directive = workflow_services.create_directive(
        actor=officer,
        title="Percepatan perekaman KTP-el",
        body="Selesaikan perekaman.",
        legal_basis="UU 24/2013 Pasal 63",
        due_date=(now - timedelta(days=40)).date(),
        scope={"regions": [MERANGIN]},
    )
    workflow_services.issue_directive(directive=directive, actor=officer, at=now - timedelta(60))
    sweep(now=now)
    return officer, directive


def test_escalation_names_follow_the_readers_language_on_the_console(overdue):
    officer, directive = overdue
    policy = EscalationPolicy.objects.get(pk=directive.policy_id)
    assignment = Assignment.objects.get(directive=directive)
    step = policy.steps.get(order=assignment.escalation_level)
    assert policy.name_en and step.name_en and policy.name_en != policy.name
    table = r'data-testid="overdue-by-level">(.*?)</table>'
    english = client_for(officer, language="en").get(reverse("console:country")).content.decode()
    rows = re.search(table, english, re.S).group(1)
    assert policy.name_en in rows and step.name_en in rows
    assert policy.name not in rows and step.name not in rows
    indonesian = client_for(officer, language="id").get(reverse("console:country")).content.decode()
    rows = re.search(table, indonesian, re.S).group(1)
    assert policy.name in rows and step.name in rows


def test_the_regency_timeline_names_states_and_steps_in_english(overdue):
    officer, directive = overdue
    assignment = Assignment.objects.get(directive=directive)
    step = directive.policy.steps.get(order=assignment.escalation_level)
    url = reverse("console:regency", args=[MERANGIN])
    html = client_for(officer, language="en").get(url).content.decode()
    timeline = re.search(r'data-testid="timeline">(.*?)</table>', html, re.S).group(1)
    assert "state: Issued" in timeline or "state: Acknowledged" in timeline
    assert "Diterbitkan" not in timeline and "Teguran" not in timeline
    assert step.name_en in timeline


@pytest.mark.parametrize(
    ("language", "state_name", "arrow"),
    [
        ("id", "Akses SIAK diputus", "pemutusan dilaksanakan"),
        ("en", "SIAK access cut", "cut carried out"),
    ],
)
def test_the_regency_page_shows_the_state_diagram_with_its_state_highlighted(
    regions, language, state_name, arrow
):
    """compliance.state_diagram's figure, the admin's too: both layouts, in the reader's
    language, the regency's own state marked current in each."""
    cut_off(MERANGIN, timezone.now() - timedelta(days=3))
    client = client_for(official("ministry_officer"), language=language)
    html = client.get(reverse("console:regency", args=[MERANGIN])).content.decode()
    figure = re.search(r'<figure class="diagram">(.*?)</figure>', html, re.S).group(1)
    layouts = re.findall(r'<svg class="chart state-diagram" data-layout="(\w+)"', figure)
    assert layouts == ["wide", "narrow"]
    current = re.findall(r'class="node state current" data-state="(\w+)"', figure)
    assert current == ["suspended", "suspended"]
    assert re.findall(r'data-state="(\w+)" aria-current="true"', figure) == ["suspended"]
    assert f">{state_name}</text>" in figure and f"> {arrow} </text>" in figure
    assert figure.count('role="img"') == 2 and figure.count("<desc id=") == 2
