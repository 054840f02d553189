"""The button under the laggards issues what the weekly task would: one acceleration
directive per lagging regency and week, to its regent or mayor, the governor in copy."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import official
from tests.pages.confirming import press_confirm
from workflow.models import Directive, Notification

pytestmark = pytest.mark.django_db
URL = reverse("console:issue_acceleration")
AT = "2017-10-01"  # Merangin is far behind the path that day, the others on it


def issue(client, user, at=AT):
    """Press the button, then confirm (a refusal comes without a confirmation)."""
    client.force_login(user)
    response = client.post(URL, {"at": at})
    if response.status_code == 200:
        return press_confirm(client, response, follow=True)
    return client.get(response.url)


def acceleration_directives():
    return Directive.objects.filter(origin_key__startswith="acceleration:")


def test_an_officer_issues_the_laggards_directives_and_their_e_mails(client, jambi_reports):
    response = issue(client, official("ministry_officer"))

    assert response.status_code == 200
    [message] = [str(m) for m in response.context["messages"]]
    assert message.startswith("1 ")
    directive = acceleration_directives().get()
    assert directive.origin_key == "acceleration:15.02:2017-W39"
    assert directive.assignments.get().office.regency.code == "15.02"
    templates = sorted(
        Notification.objects.filter(assignment__directive=directive).values_list(
            "recipient_office__kind", "template"
        )
    )
    assert templates == [
        ("governor", "acceleration_directive"),
        ("regent", "acceleration_directive"),
    ]


def test_pressing_it_twice_in_a_week_issues_nothing_more(client, jambi_reports):
    officer = official("ministry_officer")
    issue(client, officer)
    response = issue(client, officer)

    assert acceleration_directives().count() == 1
    [message] = [str(m) for m in response.context["messages"]]
    assert message.startswith("0 ")


@pytest.mark.parametrize("kind, region", [("governor", "15"), ("auditor", None)])
def test_offices_outside_the_ministry_are_refused_and_nothing_is_issued(
    client, jambi_reports, kind, region
):
    response = issue(client, official(kind, region))

    assert acceleration_directives().count() == 0
    [message] = [str(m) for m in response.context["messages"]]
    assert "ministry offices" in message or "kementerian" in message


def test_a_date_in_the_future_is_refused(client, jambi_reports):
    response = issue(client, official("ministry_officer"), at=date(2999, 1, 1).isoformat())

    assert acceleration_directives().count() == 0
    [message] = [str(m) for m in response.context["messages"]]
    assert "2999-01-01" in message


def test_the_button_is_shown_to_ministry_offices_only(client, jambi_reports):
    client.force_login(official("ministry_officer"))
    html = client.get(reverse("console:country") + f"?at={AT}").content.decode()
    assert 'data-testid="issue-acceleration"' in html

    client.force_login(official("governor", "15"))
    html = client.get(reverse("console:country") + f"?at={AT}").content.decode()
    assert 'data-testid="issue-acceleration"' not in html


def test_a_week_later_the_open_directive_gets_the_figures_not_a_new_one(client, jambi_reports):
    officer = official("ministry_officer")
    issue(client, officer)  # Sunday 1 October 2017, ISO week 39
    response = issue(client, officer, at="2017-10-02")  # Monday, week 40

    assert acceleration_directives().count() == 1
    [message] = [str(m) for m in response.context["messages"]]
    assert message.startswith("0 ")
    assert "1 " in message.split(",")[1]  # one open directive given the week's figures
    reminders = Notification.objects.filter(template="acceleration_update")
    assert sorted(reminders.values_list("recipient_office__kind", flat=True)) == [
        "governor",
        "regent",
    ]
