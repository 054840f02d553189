"""add_official checks the password against the user it is for (Django's similarity
validator needs the username and e-mail), before anything is written."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from compliance.models import Office, OfficeHolding

pytestmark = pytest.mark.django_db
User = get_user_model()
TEBO = ["bupati.tebo", "--office", "regent", "--region", "15.09", "--email", "bupati@tebo.go.id"]
# Django's own messages, in the active language (Bahasa Indonesia unless told otherwise).
SIMILAR = "(?i)(terlalu mirip dengan|too similar to the) (nama pengguna|username)"
SIMILAR_TO_EMAIL = "(?i)(terlalu mirip dengan|too similar to the) (alamat email|email address)"


def add_official(*args, password):
    call_command("add_official", *args, "--password-stdin", stdin=StringIO(password + "\n"))


def written():
    return User.objects.count(), Office.objects.count(), OfficeHolding.objects.count()


def test_a_password_equal_to_the_username_is_refused_and_nothing_is_written():
    before = written()

    with pytest.raises(CommandError, match=SIMILAR) as e:
        call_command(
            "add_official",
            "bupati.tebo",
            "--office",
            "regent",
            "--region",
            "15.09",
            "--email",
            "bupati@tebo.go.id",
            "--password-stdin",
            stdin=StringIO("bupati.tebo\n"),
        )

    assert "password rejected" in str(e.value)
    assert not User.objects.filter(username="bupati.tebo").exists()
    assert written() == before


def test_a_password_like_the_email_address_is_refused():
    args = ["kadis09", "--office", "regency_dukcapil_head", "--region", "15.09"]
    with pytest.raises(CommandError, match=SIMILAR_TO_EMAIL):
        add_official(*args, "--email", "dukcapil.tebo@tebo.go.id", password="dukcapil.tebo")
    assert not User.objects.filter(username="kadis09").exists()


def test_an_existing_user_keeps_his_password_when_the_new_one_is_like_his_name():
    add_official(*TEBO, password="Tebo-Bangkit-2017")

    with pytest.raises(CommandError, match=SIMILAR):
        add_official(*TEBO, password="bupati.tebo")

    user = User.objects.get(username="bupati.tebo")
    assert user.check_password("Tebo-Bangkit-2017")
    assert OfficeHolding.objects.filter(user=user).count() == 1


def test_a_good_password_still_works():
    add_official(*TEBO, password="Tebo-Bangkit-2017")

    user = User.objects.get(username="bupati.tebo")
    assert user.check_password("Tebo-Bangkit-2017")
    assert user.email == "bupati@tebo.go.id"
