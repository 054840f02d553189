"""Every page carries a Content-Security-Policy that allows no inline script or style
(the browser tests fail on any refusal: tests/pages/conftest.py)."""

import pytest

pytestmark = pytest.mark.django_db


def policy(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("url", ["/masuk/", "/admin/login/", "/api/v1/docs/"])
def test_pages_allow_only_their_own_scripts_and_styles(client, url):
    directives = policy(client.get(url))
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in client.get(url)["Content-Security-Policy"]


def test_the_api_docs_load_their_script_from_a_url_not_inline(client):
    html = client.get("/api/v1/docs/").content.decode()
    assert "<script>" not in html
    assert client.get("/api/v1/docs/?script=").status_code == 200
