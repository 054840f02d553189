"""Who may take each compliance action (compliance.permissions.POLICIES), written out as
the rules read: every action, who may, who is refused and why; and that what a user is
offered (available_transitions, the API, the console) is what the policies allow."""

import pytest

from compliance import services
from compliance.availability import available_transitions
from compliance.errors import NotAllowed, NotFound
from compliance.models import Office, OfficeKind, SuspensionRequest
from compliance.offices import active_offices
from compliance.permissions import ACTIONS, POLICIES, Refusal, decide, possible_actions
from tests.compliance.scenario import MERANGIN, Cast, flag, request_suspension
from tests.factories import official, regency

pytestmark = pytest.mark.django_db
K = OfficeKind

TOP = {K.MINISTER, K.DIRECTOR_GENERAL}
# The rules, as docs/lifecycle.md states them: who may take each action on a regency.
WHO_MAY = {
    "flag": TOP | {K.MINISTRY_OFFICER},
    "request_suspension": TOP | {K.MINISTRY_OFFICER},
    "reject_remediation": TOP | {K.MINISTRY_OFFICER},
    "clear": TOP | {K.MINISTRY_OFFICER},
    "approve_suspension": TOP | {K.MINISTRY_DIRECTOR},
    "reject_suspension": TOP | {K.MINISTRY_DIRECTOR},
    "reconnect": TOP | {K.MINISTRY_DIRECTOR},
    "upload_evidence": {K.REGENT, K.REGENCY_DUKCAPIL_HEAD},
    "submit_remediation": {K.REGENT, K.REGENCY_DUKCAPIL_HEAD},
    "execute_access_order": {K.NETWORK_OPERATOR},
}
# Every office kind with a seat covering Merangin (a kabupaten: its head is a regent; a
# mayor, head of a kota, acts as the regent does).
SEATED = {
    K.MINISTER: None,
    K.DIRECTOR_GENERAL: None,
    K.MINISTRY_OFFICER: None,
    K.MINISTRY_DIRECTOR: None,
    K.GOVERNOR: "15",
    K.PROVINCIAL_DUKCAPIL_HEAD: "15",
    K.REGENT: MERANGIN,
    K.REGENCY_DUKCAPIL_HEAD: MERANGIN,
    K.AUDITOR: None,
    K.NETWORK_OPERATOR: None,
}


def test_the_table_names_every_action():
    assert set(POLICIES) == set(ACTIONS) == set(WHO_MAY)


@pytest.mark.parametrize("action", sorted(WHO_MAY))
def test_who_may_take_each_action_and_why_the_others_are_refused(action):
    merangin = regency(MERANGIN)
    for kind, region in SEATED.items():
        user = official(kind, region)
        decided = decide(user, action, merangin)
        if kind in WHO_MAY[action]:
            assert isinstance(decided, Office) and decided.kind == kind, (action, kind)
        else:
            assert isinstance(decided, Refusal) and decided.error is NotAllowed, (action, kind)
            assert decided.reason.code == "office_may_not"
            assert decided.reason.params == {"action": action}


@pytest.mark.parametrize("kind", sorted(SEATED))
def test_an_office_is_asked_only_the_actions_its_kind_may_ever_take(kind):
    """A list asks each row only possible_actions(offices): the actions every other
    regency's policy would refuse too, here or anywhere, are left out of the asking."""
    user = official(kind, SEATED[kind])
    offices = active_offices(user)
    assert set(possible_actions(offices)) == {a for a in WHO_MAY if kind in WHO_MAY[a]}
    for action in set(ACTIONS) - set(possible_actions(offices)):
        for code in (MERANGIN, "15.09", "91.03"):
            assert isinstance(decide(user, action, regency(code), offices=offices), Refusal)


@pytest.mark.parametrize("action", sorted(WHO_MAY))
def test_outside_the_jurisdiction_every_action_is_not_found(action):
    """A regent of another regency does not see Merangin: a 404, as for an unknown one."""
    tebo_regent = official(K.REGENT, "15.09")

    decided = decide(tebo_regent, action, regency(MERANGIN))

    assert isinstance(decided, Refusal) and decided.error is NotFound
    assert decided.reason.code == "regency_not_found"
    with pytest.raises(NotFound):
        raise decided.exception()


@pytest.mark.parametrize("action", ["approve_suspension", "reject_suspension"])
def test_no_one_decides_his_own_request(action):
    """Four eyes on a cut: the Director General may request and decide, not both."""
    cast = Cast.of(MERANGIN)
    flag(cast)
    director_general = official(K.DIRECTOR_GENERAL)
    request = services.request_suspension(
        regency=cast.regency, actor=director_general, reason="Tidak menindaklanjuti teguran"
    )

    own = decide(director_general, action, cast.regency, request=request)
    assert isinstance(own, Refusal) and own.error is NotAllowed
    assert own.reason.code == "own_request"
    assert isinstance(decide(cast.director, action, cast.regency, request=request), Office)
    with pytest.raises(NotAllowed) as refused:
        services.reject_suspension(request=request, actor=director_general, reason="Tidak")
    assert refused.value.code == "own_request"


def _offered(user, code):
    r = regency(code)
    pending = SuspensionRequest.objects.filter(regency=r, status="pending").first()
    return available_transitions(
        user,
        r,
        offices=active_offices(user),
        has_open_suspension=r.suspension_periods.filter(ended_at__isnull=True).exists(),
        pending_request=pending,
    )


def test_what_each_role_is_offered_on_a_flagged_regency_with_a_request_pending(client):
    """available_transitions, the API's list and the console page all answer from the
    policies and the lifecycle: the officer who asked for the cut may flag again (a new
    violation), the directors decide, the regent answers, the operators wait."""
    cast = Cast.of(MERANGIN)
    flag(cast)
    request_suspension(cast)
    operator = official(K.NETWORK_OPERATOR)
    governor = official(K.GOVERNOR, "15")

    offered = {
        "officer": _offered(cast.officer, MERANGIN),
        "director": _offered(cast.director, MERANGIN),
        "regent": _offered(cast.regent, MERANGIN),
        "operator": _offered(operator, MERANGIN),
        "governor": _offered(governor, MERANGIN),
    }

    assert offered == {
        "officer": ["flag"],
        "director": ["approve_suspension", "reject_suspension"],
        "regent": ["upload_evidence", "submit_remediation"],
        "operator": [],
        "governor": [],
    }
    for role, user in [("director", cast.director), ("regent", cast.regent)]:
        client.force_login(user)
        body = client.get(f"/api/v1/regencies/{MERANGIN}/").json()
        assert body["available_transitions"] == offered[role], role


def test_the_console_offers_the_director_the_decisions_the_policies_allow(client):
    cast = Cast.of(MERANGIN)
    flag(cast)
    request_suspension(cast)
    pending = SuspensionRequest.objects.get(regency=cast.regency, status="pending")

    client.force_login(cast.director)
    page = client.get(f"/console/regencies/{MERANGIN}/").content.decode()
    client.force_login(cast.officer)
    officer_page = client.get(f"/console/regencies/{MERANGIN}/").content.decode()

    assert f"/approvals/suspensions/{pending.pk}/approve/" in page
    assert f"/approvals/suspensions/{pending.pk}/approve/" not in officer_page
