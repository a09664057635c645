"""The API's resolver (agora/api/api.py _SlashTolerant) finds what Django's own scan finds, and forgives one trailing slash."""

import re

import pytest
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver

SAMPLES = {"int": "120676325612511797", "str": "abc", "path": "a/b", "slug": "a-b"}


def _api():
    return next(p for p in get_resolver().url_patterns if str(p.pattern) == "api/")


def _routes(patterns, prefix=""):
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            yield route


def _paths():
    api = _api()
    for route in _routes(api.url_patterns, "api/"):
        yield re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES.get(m.group(1) or "str", "x"), route)
    # and paths that match nothing, or only a pattern with a converter up front
    yield from [
        "api/",
        "api/v1",
        "api/v1/",
        "api/v1/nope",
        "api/v1/statuses/x/y/z",
        "api/v9/instance",
        "api/x",
    ]


@pytest.mark.parametrize("path", sorted(set(_paths())))
def test_dispatch_resolves_as_the_full_scan(path):
    api = _api()
    try:
        expected = URLResolver.resolve(api, path)  # Django's own scan of every pattern
    except Resolver404:
        with pytest.raises(Resolver404):
            api.resolve(path)
        return
    got = api.resolve(path)
    assert (got.func, got.args, got.kwargs, got.url_name, got.route) == (
        expected.func,
        expected.args,
        expected.kwargs,
        expected.url_name,
        expected.route,
    )
    assert got.namespaces == expected.namespaces and got.app_names == expected.app_names


def test_every_api_route_is_covered():
    assert len(set(_paths())) > 80


@pytest.mark.parametrize("path", sorted(p for p in set(_paths()) if not p.endswith("/")))
def test_a_trailing_slash_reaches_the_same_endpoint(path):
    # Mastodon answers /api/v1/timelines/home/ as /api/v1/timelines/home; clients such as toot send it
    api = _api()
    try:
        expected = api.resolve(path)
    except Resolver404:
        with pytest.raises(Resolver404):
            api.resolve(path + "/")
        return
    got = api.resolve(path + "/")
    assert (got.func, got.kwargs, got.url_name) == (expected.func, expected.kwargs, expected.url_name)


def test_only_one_trailing_slash_is_forgiven():
    with pytest.raises(Resolver404):
        _api().resolve("api/v1/instance//")
