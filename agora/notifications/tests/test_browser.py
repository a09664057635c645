"""In Chromium: visiting the notifications page clears the badge (htmx POST on load), new rows stay marked."""

from __future__ import annotations

from agora.notifications.selectors import unread_count
from agora.social.actions import do_create_status, do_follow


def test_visiting_the_page_clears_the_badge_and_keeps_new_rows_marked(new_context, active_user, screenshot):
    # given alice, followed and mentioned by bob
    alice, bob = active_user("alice"), active_user("bob")
    do_follow(bob, alice)
    do_create_status(bob, "hi @alice")
    page = new_context(user=alice).new_page()
    page.goto("/public")
    assert page.locator("#nav-badge").inner_text() == "2"

    # when she opens the notifications page
    page.goto("/notifications")

    # then the page's own POST marks them read and the badge goes, without a reload,
    page.locator("#nav-badge").wait_for(state="detached")
    assert unread_count(alice) == 0
    # while the rows she is looking at still show as new
    assert page.locator(".notif.is-unread").count() == 2
    screenshot(page, "notifications")

    # and elsewhere the badge stays gone
    page.goto("/public")
    assert page.locator("#nav-badge").count() == 0


def test_mark_all_as_read_works_without_javascript(new_context, active_user):
    alice, bob = active_user("alice"), active_user("bob")
    do_follow(bob, alice)
    page = new_context(user=alice, java_script_enabled=False).new_page()
    page.goto("/notifications")
    # without JS nothing posts itself
    assert unread_count(alice) == 1 and page.locator("#nav-badge").inner_text() == "1"
    page.get_by_role("button", name="Mark all as read").click()
    page.wait_for_url("**/notifications")
    assert unread_count(alice) == 0
    assert page.locator("#nav-badge").count() == 0 and page.locator(".notif.is-unread").count() == 0
