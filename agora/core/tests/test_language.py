"""Each request's language: cookie, then Accept-Language, then English; said in the response."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.test import RequestFactory
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_an_api_answer_says_its_language_and_that_it_varies_by_accept_language(client):
    response = client.get("/api/v1/instance")
    assert response["Content-Language"] == "en"
    assert "Accept-Language" in response["Vary"]
    chinese = client.get("/api/v1/instance", headers={"accept-language": "zh-CN,zh;q=0.9"})
    assert chinese["Content-Language"] == "zh-hans"


def test_the_language_cookie_wins_over_the_browser(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = client.get("/login", headers={"accept-language": "en"}).content.decode()
    assert '<html lang="zh-hans">' in html


def test_a_request_without_a_choice_is_english_after_a_chinese_one_on_the_same_thread():
    # the active translation is per thread: a request that asks for nothing must not inherit it
    seen = []
    middleware = LocaleMiddleware(lambda request: seen.append(translation.get_language()) or HttpResponse())
    factory = RequestFactory()
    middleware(factory.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN"))
    middleware(factory.get("/"))
    assert seen == ["zh-hans", "en"]


def test_vary_headers_set_by_the_view_are_kept():
    def view(request):
        response = HttpResponse()
        response["Vary"] = "Cookie"
        return response

    response = LocaleMiddleware(view)(RequestFactory().get("/"))
    assert response["Vary"] == "Cookie, Accept-Language"
