from agora.social.rendering import parse, render


def test_weibo_topic_and_hashtag_are_both_parsed():
    # given text with a Weibo topic holding a space, a plain hashtag and "#a #b"
    parsed = parse("买了！#双十一 购物节# 真便宜 #Deals and #a #b")
    # then each becomes one tag, spaces inside the Weibo topic kept, and "#a #" is not a topic
    assert parsed.tags == ["双十一 购物节", "Deals", "a", "b"]


def test_tags_are_case_insensitive_and_unique():
    assert parse("#Tag #tag #TAG#").tags == ["Tag"]


def test_user_markup_is_escaped():
    html = render('<script>alert(1)</script> <a href="javascript:x">y</a> "q" & \'s\'')
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    assert '<a href="javascript' not in html


def test_links_mentions_and_topics_become_anchors():
    html = render("hi @Alice see https://example.com/a?b=1. #话题# //@bob: ok", ["alice", "bob"])
    assert '<a href="/@alice" class="u-url mention">@Alice</a>' in html
    assert 'href="https://example.com/a?b=1"' in html and "</a>." in html  # trailing dot outside the link
    assert 'href="/tags/%E8%AF%9D%E9%A2%98"' in html and "#话题#" in html
    assert 'href="/@bob"' in html


def test_unknown_mention_and_email_stay_text():
    html = render("mail bob@example.com or @ghost", [])
    assert "<a" not in html


def test_newlines_become_paragraphs_and_breaks():
    assert render("a\nb\n\nc") == "<p>a<br>b</p><p>c</p>"


def test_quote_in_link_cannot_break_out_of_attribute():
    import re

    html = render('https://x.com/"onmouseover="alert(1)')
    assert not re.search(r"<a[^>]*onmouseover", html)
