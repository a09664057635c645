"""Every web URL pattern, fetched and posted with bad ids and bad form values (NUL text, numbers out of
range, non-numeric ids, an off-site `next`), logged in and not: never a 500."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver

pytestmark = pytest.mark.django_db(transaction=True)  # each request in autocommit, as in production

# Left out: pages that end the session or change the password mid-run, and the admin (Django's).
SKIP = ("admin", "api", "logout", "settings/password", "i18n")
ID_VALUES = ["1", "99999999999999999999999", "abc", "a\x00b"]
FORM = {
    "q": "x\x00",
    "status": "a\x00",
    "quantity": "-1",
    "price": "1e999",
    "stock": "99999999999999999999",
    "page": "abc",
    "max_id": "zz",
    "limit": "-1",
    "next": "//evil.example",
    "name": "\x00",
    "title": "\x00",
    "sku": "\x00",
    "address_id": "abc",
    "variant_id": "abc",
    "recipient": "\x00",
    "city": "\x00",
    "street": "\x00",
    "phone": "\x00",
    "display_name": "\x00",
    "bio": "\x00",
    "rating": "5",
    "text": "\x00",
    "reason": "\x00",
    "amount": "NaN",
}


def _patterns(resolver, prefix=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern)


def test_no_page_answers_bad_input_with_a_500(make_user):
    member = Client(raise_request_exception=False)
    member.force_login(make_user("fuzzer"))
    visitor = Client(raise_request_exception=False)
    problems = []
    for pattern in sorted({p for p in _patterns(get_resolver()) if not p.startswith(SKIP)}):
        pattern = pattern.lstrip("^").rstrip("$").replace("\\Z", "")
        for value in ID_VALUES:
            url = "/" + re.sub(r"<[^>]+>|\(\?P<[^>]+>[^)]*\)", value, pattern)
            for client in (member, visitor):
                for method in ("get", "post"):
                    response = getattr(client, method)(url, FORM)
                    if response.status_code >= 500:
                        problems.append((method, url[:80], response.status_code))
    assert not problems, sorted(set(problems))[:20]
