"""A visitor presses "English" in the footer, with and without JavaScript, and reads the page in English;
no CSRF cookie was needed for it."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("device", ["phone", "phone_without_js"])
def test_the_footer_switch_works_with_and_without_javascript(device, request, catalogue, agency):
    visitor = request.getfixturevalue(device)
    visitor.go("/tra-cuu/?ma=000.20.44.H54-261120-0001")
    visitor.page.get_by_role("button", name="English").click()
    visitor.page.wait_for_url("**/tra-cuu/?ma=000.20.44.H54-261120-0001")

    assert visitor.page.locator("html").get_attribute("lang") == "en"
    assert visitor.page.get_by_role("button", name="Tiếng Việt").is_visible()
    assert "csrftoken" not in {cookie["name"] for cookie in visitor.context.cookies()}
    visitor.page.get_by_role("button", name="Tiếng Việt").click()
    visitor.page.wait_for_url("**/tra-cuu/?ma=000.20.44.H54-261120-0001")
    assert visitor.page.locator("html").get_attribute("lang") == "vi"
    visitor.screenshot(f"{device}-language-switch")
    assert visitor.errors == []
