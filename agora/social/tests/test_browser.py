from agora.social.actions import do_follow
from agora.social.models import Favourite, Status

from .conftest import png_bytes


def test_post_with_image_and_topic_then_follower_likes_it(new_context, active_user, tmp_path, screenshot):
    # given alice and bob, who follows her
    alice, bob = active_user("alice"), active_user("bob")
    do_follow(bob, alice)
    image = tmp_path / "cat.png"
    image.write_bytes(png_bytes((320, 240), (30, 160, 90)))

    # when alice writes a post with a Weibo topic and an image from the home page
    page = new_context(user=alice).new_page()
    page.goto("/")
    page.fill("#compose-text", "今天的猫 #双十一购物节# so cute")
    page.set_input_files("#compose input[type=file]", str(image))
    page.get_by_role("button", name="Post").click()

    # then it appears at the top of her timeline without a reload, with the image and the topic link
    first = page.locator("#timeline .post").first
    first.locator(".grid9 img").wait_for()
    assert "今天的猫" in first.inner_text()
    assert (
        first.locator("a.hashtag").get_attribute("href")
        == "/tags/%E5%8F%8C%E5%8D%81%E4%B8%80%E8%B4%AD%E7%89%A9%E8%8A%82"
    )
    status = Status.objects.get(author=alice)
    assert status.media_links.count() == 1
    screenshot(page, "square-compose")

    # when bob opens his home feed on a phone
    bob_page = new_context(user=bob, viewport={"width": 390, "height": 844}).new_page()
    bob_page.goto("/")
    post = bob_page.locator(f"#post-{status.id}")
    assert post.is_visible() and post.locator(".grid9 img").count() == 1

    # and likes it
    post.locator("button.act--like").click()

    # then the like registers in place, without a page reload
    bob_page.locator(f"#post-{status.id} button.act--like.is-on").wait_for()
    assert bob_page.locator(f"#post-{status.id} .like-count").inner_text() == "1"
    assert Favourite.objects.filter(account=bob, status=status).exists()
    screenshot(bob_page, "square-home-phone")

    # and the topic page lists the post
    bob_page.goto("/tags/双十一购物节")
    assert bob_page.locator(f"#post-{status.id}").is_visible()
