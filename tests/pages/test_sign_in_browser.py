import pytest

from tests.pages.conftest import screenshot

pytestmark = pytest.mark.slow


def test_the_sign_in_page_speaks_indonesian_first_and_switches_to_english(page):
    page.goto("/")
    assert page.url.endswith("/masuk/?next=/")
    assert page.get_by_role("heading", name="Masuk").is_visible()

    page.get_by_role("button", name="English").click()

    assert page.get_by_role("heading", name="Sign in").is_visible()
    assert page.locator("html").get_attribute("lang") == "en"
    screenshot(page, "sign-in-english")
