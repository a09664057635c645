from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from agora.api.auth import token
from agora.core.pagination import PageParams, set_link_header
from agora.feeds.selectors import home_timeline_json, public_timeline, tag_timeline
from agora.social.serializers import statuses_json

router = Router(tags=["timelines"])


@router.get("/v1/timelines/home", auth=token("read:statuses"))
def home(request: HttpRequest, response: HttpResponse, page: Query[PageParams]) -> list:
    rows = home_timeline_json(request.user, page)  # type: ignore[arg-type]
    set_link_header(request, response, rows, key=lambda d: int(d["id"]))
    return rows


@router.get("/v1/timelines/public", auth=token("read:statuses", optional=True))
def public(request: HttpRequest, response: HttpResponse, page: Query[PageParams], only_media: bool = False,
           local: bool = True, remote: bool = False) -> list:
    # Agora has no federation: every post is local, and `remote=true` is empty.
    statuses = [] if remote else public_timeline(request.user, page, only_media=only_media)
    set_link_header(request, response, statuses)
    return statuses_json(statuses, request.user)


@router.get("/v1/timelines/tag/{name}", auth=token("read:statuses", optional=True))
def tag(request: HttpRequest, response: HttpResponse, name: str, page: Query[PageParams]) -> list:
    statuses = tag_timeline(request.user, name, page)
    set_link_header(request, response, statuses)
    return statuses_json(statuses, request.user)
