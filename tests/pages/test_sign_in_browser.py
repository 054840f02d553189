import pytest
from playwright.sync_api import expect

from tests.pages.conftest import screenshot

pytestmark = pytest.mark.slow


def test_the_sign_in_page_speaks_indonesian_first_and_switches_to_english(page):
    page.goto("/")
    assert page.url.endswith("/masuk/?next=/")
    assert page.get_by_role("heading", name="Masuk").is_visible()

    page.get_by_role("button", name="English").click()

    # The page comes back in English: wait for it (is_visible() reads the page there now).
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    screenshot(page, "sign-in-english")
