"""The consent and developer pages in Chromium: log in, create an app, approve it out of band."""

from urllib.parse import urlencode

from django.test import Client
from oauth2_provider.models import Application

from agora.platform.tests.helpers import exchange


def test_developer_creates_app_and_approves_it_out_of_band(new_context, make_user, screenshot):
    # given a logged-in developer on the Development page
    user = make_user("builder", display_name="建造者")
    page = new_context(user=user).new_page()
    page.goto("/settings/applications")
    # when they create an app with the default (out-of-band) redirect URI
    page.get_by_label("Application name").fill("Desk Client")
    page.get_by_label("Application website").fill("https://desk.example")
    screenshot(page, "platform-applications")
    page.get_by_role("button", name="Create application").click()
    # then its client id, one-time secret and their token are shown
    client_id = page.locator("#client-id").inner_text()
    secret = page.locator("#client-secret").inner_text()
    assert page.locator("#access-token").inner_text()
    screenshot(page, "platform-application-detail")
    # and approving it on the consent page shows a code the app can exchange
    # (force_login: the developer's own token already covers these scopes, which would skip consent)
    params = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": "urn:ietf:wg:oauth:2.0:oob",
        "scope": "read write",
        "force_login": "true",
    }
    page.goto("/oauth/authorize?" + urlencode(params))
    assert "Desk Client" in page.locator("h1").inner_text()
    assert page.get_by_text("Post and change your account's data").is_visible()
    screenshot(page, "platform-consent")
    page.get_by_role("button", name="Approve").click()
    code = page.locator("#oob-code").inner_text().strip()
    app = {"client_id": client_id, "client_secret": secret}
    token = exchange(Client(), app, code, redirect_uri="urn:ietf:wg:oauth:2.0:oob")
    assert token.status_code == 200 and token.json()["scope"] == "read write"
    assert Application.objects.filter(client_id=client_id, name="Desk Client").exists()


def test_consent_page_in_chinese_on_a_phone(new_context, make_user, screenshot):
    from agora.platform.tests.helpers import register_app

    app = register_app(Client(), scopes="read write:orders", redirect_uris="urn:ietf:wg:oauth:2.0:oob")
    page = new_context(
        user=make_user(),
        locale="zh-CN",
        viewport={"width": 390, "height": 844},
        extra_http_headers={"Accept-Language": "zh-Hans"},
    ).new_page()
    page.goto(
        "/oauth/authorize?"
        + urlencode(
            {
                "response_type": "code",
                "client_id": app["client_id"],
                "redirect_uri": "urn:ietf:wg:oauth:2.0:oob",
                "scope": "read write:orders",
            }
        )
    )
    assert page.get_by_role("button", name="同意").is_visible()
    assert page.get_by_text("替你购买、付款、取消订单和申请退款").is_visible()
    screenshot(page, "platform-consent-phone-zh")
    page.get_by_role("button", name="拒绝").click()
    assert "已拒绝访问" in page.locator("h1").inner_text()
