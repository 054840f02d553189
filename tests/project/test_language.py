"""Pages open in Bahasa Indonesia whatever the browser asks for; English is the reader's
choice (the switch sets the language cookie). API clients may still ask for a language."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db
SIGN_IN = reverse("login")


def test_an_english_browser_still_gets_the_indonesian_page(client):
    page = client.get(SIGN_IN, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="id">' in page
    assert "Kata sandi" in page


def test_the_readers_choice_gives_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": SIGN_IN})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(SIGN_IN, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert '<html lang="en">' in page
    assert "Password" in page


def test_an_api_client_may_still_ask_for_english(client):
    response = client.get("/api/v1/regencies/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "en"


def test_the_icon_is_named_by_every_page_and_found_at_the_old_address(client):
    assert 'rel="icon"' in client.get(SIGN_IN).content.decode()
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith(".svg")
