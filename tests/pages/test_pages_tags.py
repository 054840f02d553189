"""The filters every page shares: who did something (a person with the office he acted
through, his username not said twice), the console's words for states and transitions,
and the reason as the reader should see it (pages.common.shown_reason)."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from compliance.models import Office
from pages.common import shown_reason
from pages.templatetags.pages_tags import reason_by, state_label, transition_label, who

User = get_user_model()
SYSTEM_REASON = (
    "Masa percobaan 30 hari berakhir tanpa pelanggaran baru / "
    "Probation of 30 days passed without a new violation"
)


def test_an_officers_username_is_not_repeated_after_his_office():
    petugas = User(username="petugas1")
    office = Office(
        title="Pejabat Direktorat Jenderal Kependudukan dan Pencatatan Sipil (petugas1)"
    )
    assert (
        who(petugas, office)
        == "petugas1 · Pejabat Direktorat Jenderal Kependudukan dan Pencatatan Sipil"
    )


def test_the_full_name_comes_first_when_there_is_one():
    petugas = User(username="petugas1", first_name="Siti", last_name="Aminah")
    office = Office(
        title="Pejabat Direktorat Jenderal Kependudukan dan Pencatatan Sipil (petugas1)"
    )
    assert (
        who(petugas, office)
        == "Siti Aminah · Pejabat Direktorat Jenderal Kependudukan dan Pencatatan Sipil"
    )


def test_another_persons_username_in_the_title_is_kept():
    # Acting for a colleague's seat: the title names its holder, not the one acting.
    stand_in = User(username="petugas2")
    office = Office(
        title="Pejabat Direktorat Jenderal Kependudukan dan Pencatatan Sipil (petugas1)"
    )
    assert (
        who(stand_in, office)
        == "petugas2 · Pejabat Direktorat Jenderal Kependudukan dan Pencatatan Sipil (petugas1)"
    )


def test_a_regent_and_his_seat():
    assert who(User(username="bupati.kerinci"), Office(title="Bupati Kerinci")) == (
        "bupati.kerinci · Bupati Kerinci"
    )


def test_without_an_office_the_person_alone_and_without_a_person_the_office_alone():
    assert who(User(username="menteri"), None) == "menteri"
    assert who(
        None,
        Office(title="Pejabat Direktorat Jenderal Kependudukan dan Pencatatan Sipil (petugas1)"),
    ) == ("Pejabat Direktorat Jenderal Kependudukan dan Pencatatan Sipil (petugas1)")


@pytest.mark.parametrize(
    ("language", "transition", "state"),
    [
        ("id", "Setujui pemutusan", "Akses SIAK diputus"),
        ("en", "Approve suspension", "SIAK access cut"),
    ],
)
def test_states_and_transitions_read_in_the_readers_language(language, transition, state):
    with translation.override(language):
        assert str(transition_label("approve_suspension")).capitalize() == transition
        assert str(state_label("suspended")) == state


def test_an_unknown_code_is_shown_as_it_is():
    assert transition_label("teleport") == "teleport"
    assert state_label("limbo") == "limbo"


@pytest.mark.parametrize(
    ("language", "half"),
    [
        ("id", "Masa percobaan 30 hari berakhir tanpa pelanggaran baru"),
        ("en", "Probation of 30 days passed without a new violation"),
    ],
)
def test_the_reader_gets_his_half_of_a_system_reason(language, half):
    with translation.override(language):
        assert shown_reason(SYSTEM_REASON, by=None) == half


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_persons_note_is_kept_whole_slash_and_all(language):
    note = "SK Bupati diterima / lihat lampiran"
    with translation.override(language):
        assert shown_reason(note, by=7) == note


def test_a_suspension_the_system_requested_shows_its_reason_in_the_readers_language():
    # reason_by is shown_reason for templates: a request raised at a deadline has no person.
    with translation.override("en"):
        assert (
            reason_by(SYSTEM_REASON, None) == "Probation of 30 days passed without a new violation"
        )
        assert reason_by("Lihat / lampiran", 3) == "Lihat / lampiran"
