"""Who may manage a regency's devices (equipment.services.POLICIES), as the rules read:
its regent or mayor, its Dukcapil head and the ministry; the governor and the auditors
only read (403); outside the jurisdiction a regency is not found (404)."""

import pytest

from compliance.errors import NotAllowed, NotFound
from compliance.models import Office, OfficeKind
from compliance.permissions import Refusal
from equipment.services import POLICIES, authorize
from tests.factories import official, regency

pytestmark = pytest.mark.django_db
K = OfficeKind
MANAGERS = {
    K.MINISTER: None,
    K.DIRECTOR_GENERAL: None,
    K.MINISTRY_OFFICER: None,
    K.MINISTRY_DIRECTOR: None,
    K.REGENT: "15.02",
    K.REGENCY_DUKCAPIL_HEAD: "15.02",
}
READERS = {K.GOVERNOR: "15", K.PROVINCIAL_DUKCAPIL_HEAD: "15", K.AUDITOR: None}


@pytest.mark.parametrize("action", sorted(POLICIES))
def test_who_manages_a_regencys_devices(action):
    merangin = regency("15.02")
    for kind, region in MANAGERS.items():
        decided = POLICIES[action](official(kind, region), merangin)
        assert isinstance(decided, Office) and decided.kind == kind
    for kind, region in READERS.items():
        decided = POLICIES[action](official(kind, region), merangin)
        assert isinstance(decided, Refusal) and decided.error is NotAllowed
        assert decided.reason.code == "equipment_read_only"


@pytest.mark.parametrize("action", sorted(POLICIES))
def test_another_regencys_head_does_not_find_the_regency(action):
    tebo_regent = official(K.REGENT, "15.09")

    decided = POLICIES[action](tebo_regent, regency("15.02"))

    assert isinstance(decided, Refusal) and decided.error is NotFound
    assert decided.reason.code == "regency_not_found"
    with pytest.raises(NotFound):
        authorize(tebo_regent, action, regency("15.02"))
