"""End to end in Chromium: sign up, log out, log in, edit the profile, see it on /@handle.

Screenshots of the main pages (desktop and a 390px phone) land in screenshots/ for a human to look at.
"""

from __future__ import annotations

import io

from PIL import Image

from agora.accounts.models import User
from agora.web.testing import PHONE

PASSWORD = "a-long enough passphrase 42"


def _png() -> bytes:
    img = Image.new("RGB", (300, 300), (30, 144, 255))
    for x in range(80, 220):
        for y in range(80, 220):
            img.putpixel((x, y), (255, 200, 0))
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def test_sign_up_log_in_and_edit_profile(page, new_context, screenshot):
    # given the landing page
    page.goto("/")
    assert page.locator("h1").first.is_visible()
    screenshot(page, "landing-desktop")

    # when a visitor signs up
    page.get_by_role("link", name="Create your account").click()
    page.wait_for_url("**/signup")
    screenshot(page, "signup-desktop")
    page.fill("input[name=username]", "Zhang_Wei")
    page.fill("input[name=display_name]", "Zhang")
    page.fill("input[name=email]", "zhang@example.com")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.get_by_role("button", name="Create account").click()

    # then they are logged in and welcomed
    page.wait_for_url("**/")
    assert "Welcome" in page.inner_text(".messages")
    assert User.objects.filter(username="Zhang_Wei").exists()

    # when they log out from the account menu
    page.locator(".menu summary").click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/")
    assert page.get_by_role("link", name="Log in").first.is_visible()

    # and log in again with their handle in another case
    page.goto("/login")
    page.fill("input[name=username]", "zhang_wei")
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")
    assert page.locator(".menu__handle").inner_text() == "@Zhang_Wei"

    # when they edit their profile with a Chinese name and an avatar
    page.goto("/settings/profile")
    page.fill("input[name=display_name]", "张伟")
    page.fill("textarea[name=bio]", "喜欢喝茶。Tea lover <3")
    page.fill("input[name=location]", "杭州")
    page.fill("input[name=website]", "https://example.com/zhang")
    page.set_input_files(
        "input[name=avatar]", files=[{"name": "me.png", "mimeType": "image/png", "buffer": _png()}]
    )
    # the picker names the chosen file and previews it before anything is uploaded
    assert page.inner_text(".file-pick__name >> nth=0") == "me.png"
    assert page.get_attribute("#avatar-preview", "src").startswith("blob:")
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_url("**/settings/profile")
    assert "saved" in page.inner_text(".messages")
    screenshot(page, "settings-desktop")

    # then the profile page shows it, with the uploaded avatar loaded
    page.goto("/@Zhang_Wei")
    assert page.inner_text("#profile-name") == "张伟"
    assert "喜欢喝茶。Tea lover <3" in page.inner_text(".profile__bio")
    assert "杭州" in page.inner_text(".profile__meta")
    avatar = page.locator(".profile .avatar")
    assert "/media/avatars/" in (avatar.get_attribute("src") or "")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=avatar.element_handle())
    screenshot(page, "profile-desktop")

    # and the same pages read well on a phone
    user = User.objects.get(username="Zhang_Wei")
    anonymous_phone = new_context(viewport=PHONE).new_page()
    anonymous_phone.goto("/")
    screenshot(anonymous_phone, "landing-phone")
    anonymous_phone.goto("/signup")
    screenshot(anonymous_phone, "signup-phone")
    phone = new_context(viewport=PHONE, user=user).new_page()
    phone.goto("/@Zhang_Wei")
    screenshot(phone, "profile-phone")
    phone.goto("/settings/profile")
    screenshot(phone, "settings-phone")
    # nothing may overflow sideways on a phone
    for p in (anonymous_phone, phone):
        assert p.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_chinese_browser_gets_chinese_pages(new_context, screenshot):
    # given a browser that prefers Simplified Chinese
    page = new_context(locale="zh-CN").new_page()
    # when it opens the landing page
    page.goto("/")
    # then the page is in Chinese
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "注册" in page.inner_text(".topbar")
    screenshot(page, "landing-desktop-zh")


def test_form_errors_menu_and_password_pages(new_context, make_user, screenshot):
    make_user("taken")
    # given a phone visitor who picks a taken handle and mismatched passwords
    phone = new_context(viewport=PHONE).new_page()
    phone.goto("/signup")
    phone.fill("input[name=username]", "TAKEN")
    phone.fill("input[name=email]", "new@example.com")
    phone.fill("input[name=password1]", PASSWORD)
    phone.fill("input[name=password2]", PASSWORD + "!")
    phone.get_by_role("button", name="Create account").click()
    # then both errors show beside their fields and nothing is lost
    assert phone.locator(".field--error").count() == 2
    assert "That handle is taken." in phone.inner_text(".field--error >> nth=0")
    assert phone.input_value("input[name=email]") == "new@example.com"
    screenshot(phone, "signup-errors-phone")

    # a wrong password on the log-in page is a clear form error
    phone.goto("/login")
    phone.fill("input[name=username]", "taken")
    phone.fill("input[name=password]", "nope")
    phone.get_by_role("button", name="Log in").click()
    assert "don't match" in phone.inner_text(".form-errors")
    screenshot(phone, "login-error-phone")

    # a member opens the account menu; a click elsewhere closes it
    user = make_user("menu_user", display_name="Menu User")
    desktop = new_context(user=user).new_page()
    desktop.goto("/settings/password")
    desktop.locator(".menu summary").click()
    assert desktop.get_by_role("button", name="Log out").is_visible()
    screenshot(desktop, "menu-open-desktop", full_page=False)
    desktop.locator("h1").click()
    assert not desktop.get_by_role("button", name="Log out").is_visible()
    screenshot(desktop, "password-desktop")

    # the 404 page
    desktop.goto("/@nobody_here")
    assert "This page doesn't exist" in desktop.inner_text("main")
    screenshot(desktop, "not-found-desktop")


def test_language_switcher_in_the_browser(phone_page, screenshot):
    page = phone_page
    page.goto("/login")
    page.locator(".lang-toggle button").click()
    page.wait_for_url("**/login")
    assert "欢迎回来" in page.inner_text("h1")
    screenshot(page, "login-phone-zh")
    page.locator(".lang-toggle button").click()
    page.wait_for_url("**/login")
    assert page.inner_text("h1") == "Welcome back"


def test_chinese_phone_member_pages(new_context, make_user, screenshot):
    user = make_user("li_na", display_name="李娜", bio="上海 · 摄影 · 咖啡", location="上海", verified=True)
    page = new_context(viewport=PHONE, locale="zh-CN", user=user).new_page()
    page.goto("/@li_na")
    assert page.inner_text("#profile-name").startswith("李娜")
    assert "加入" in page.inner_text(".profile__meta")
    # icon-only links on a phone still have an accessible name
    assert page.get_by_role("link", name="集市").is_visible()
    screenshot(page, "profile-phone-zh")
    page.goto("/settings/profile")
    assert page.inner_text("h1") == "编辑资料"
    screenshot(page, "settings-phone-zh")
