from __future__ import annotations

from django.http import HttpResponse
from ninja import Query, Router

from agora.api import fastpath
from agora.api.auth import token
from agora.api.contract import returns
from agora.api.request import DeferredRequest, MaybeAuthedRequest
from agora.core.pagination import PageParams, set_link_header
from agora.social.schemas import StatusOut
from agora.social.selectors import public_timeline, tag_timeline
from agora.social.serializers import statuses_json

router = Router(tags=["timelines"])


@router.get(
    "/v1/timelines/home", auth=fastpath.deferred_token("read:statuses"), response=returns(list[StatusOut])
)
def home(request: DeferredRequest, page: Query[PageParams]) -> HttpResponse:
    # The hot path: bytes spliced from cached status JSON, returned as is (no re-serialisation); the
    # token is checked in the page's own query when this process has seen it before.
    body, ids = fastpath.home_timeline(request, page)
    out = HttpResponse(body, content_type="application/json; charset=utf-8")
    set_link_header(request, out, ids, key=lambda i: i)
    return out


@router.get(
    "/v1/timelines/public", auth=token("read:statuses", optional=True), response=returns(list[StatusOut])
)
def public(
    request: MaybeAuthedRequest,
    response: HttpResponse,
    page: Query[PageParams],
    only_media: bool = False,
    local: bool = True,
    remote: bool = False,
) -> list:
    # Agora has no federation: every post is local, and `remote=true` is empty.
    statuses = [] if remote else public_timeline(request.user, page, only_media=only_media)
    set_link_header(request, response, statuses)
    return statuses_json(statuses, request.user)


@router.get(
    "/v1/timelines/tag/{name}", auth=token("read:statuses", optional=True), response=returns(list[StatusOut])
)
def tag(request: MaybeAuthedRequest, response: HttpResponse, name: str, page: Query[PageParams]) -> list:
    statuses = tag_timeline(request.user, name, page)
    set_link_header(request, response, statuses)
    return statuses_json(statuses, request.user)
