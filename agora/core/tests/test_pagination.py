from __future__ import annotations

from django.contrib.auth.models import Group
from django.http import HttpResponse
from django.test import RequestFactory

from agora.core.pagination import MAX_LIMIT, PageParams, paginate_ids, paginate_queryset, set_link_header

IDS = list(range(100, 0, -1))  # newest first, as timelines are


def test_default_page_is_the_newest_items():
    assert paginate_ids(IDS, PageParams()) == list(range(100, 80, -1))


def test_max_id_pages_back_in_time():
    assert paginate_ids(IDS, PageParams(max_id=81, limit=3)) == [80, 79, 78]


def test_since_id_gives_the_newest_above_it_and_min_id_the_oldest_above_it():
    assert paginate_ids(IDS, PageParams(since_id=10, limit=3)) == [100, 99, 98]
    assert paginate_ids(IDS, PageParams(min_id=10, limit=3)) == [13, 12, 11]


def test_limit_is_capped():
    assert PageParams(limit=150).capped_limit == MAX_LIMIT
    assert len(paginate_ids(IDS, PageParams(limit=150))) == MAX_LIMIT


def test_queryset_pages_follow_the_same_rules(db):
    # given ten rows with increasing ids
    for i in range(1, 11):
        Group.objects.create(id=i, name=f"g{i}")
    qs = Group.objects.all()
    # then each parameter selects the same rows as on a list of ids
    assert [g.id for g in paginate_queryset(qs, PageParams(limit=3))] == [10, 9, 8]
    assert [g.id for g in paginate_queryset(qs, PageParams(max_id=8, limit=3))] == [7, 6, 5]
    assert [g.id for g in paginate_queryset(qs, PageParams(min_id=2, limit=3))] == [5, 4, 3]
    assert [g.id for g in paginate_queryset(qs, PageParams(since_id=8, max_id=10))] == [9]


def test_link_header_points_to_older_and_newer_pages_and_keeps_other_parameters():
    request = RequestFactory().get("/api/v1/timelines/home", {"max_id": "50", "local": "true"})
    response = HttpResponse()
    set_link_header(request, response, [49, 48, 47], key=lambda i: i, limit=3)
    link = response["Link"]
    assert '/api/v1/timelines/home?local=true&limit=3&max_id=47>; rel="next"' in link
    assert '/api/v1/timelines/home?local=true&limit=3&min_id=49>; rel="prev"' in link


def test_no_link_header_on_an_empty_page():
    response = HttpResponse()
    set_link_header(RequestFactory().get("/x"), response, [], key=lambda i: i)
    assert not response.has_header("Link")
