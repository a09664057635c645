"""Mastodon-compatible endpoints for posts, relationships and topics. Thin: parse, check/do, serialise."""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router
from pydantic import WithJsonSchema

from agora.accounts.schemas import AccountOut
from agora.accounts.selectors import get_active_user
from agora.accounts.serializers import account_json
from agora.api.auth import token
from agora.api.contract import body_schema, returns
from agora.api.request import AuthedRequest, MaybeAuthedRequest
from agora.core.errors import Invalid, NotFound
from agora.core.pagination import PageParams, paginate_queryset, set_link_header
from agora.core.schema import ID_PATTERN, MAX_ID, SPACE, canonical_id
from agora.social import actions, selectors
from agora.social.access import access_own_status, access_status, load_statuses, visible_statuses
from agora.social.models import Block, Bookmark, Favourite, Follow, FollowRequest, Mute, Status, TagFollow
from agora.social.payloads import FollowIn, MuteIn, ReblogIn, StatusIn, flag, parse, request_data
from agora.social.relationships import relationships_json
from agora.social.schemas import (
    ContextOut,
    RelationshipOut,
    StatusEditOut,
    StatusOut,
    StatusSourceOut,
    TagOut,
)
from agora.social.selectors import account_timeline, find_tag
from agora.social.serializers import status_json, statuses_json

router = Router(tags=["statuses"])

# A topic to follow: its name has something besides spaces, and no "#" (check_tag_name).
TagName = Annotated[
    str, WithJsonSchema({"type": "string", "pattern": f"^[{SPACE}]*[^{SPACE}#\x00][^#\x00]*$"})
]

STATUS_BODY = body_schema(StatusIn)
ID_LIST = {"type": "array", "items": {"type": "string", "pattern": ID_PATTERN}}
# Mastodon's id[] query list (or id): the accounts to describe, the first 100 of them.
RELATIONSHIPS_QUERY = {
    "parameters": [
        {"name": name, "in": "query", "required": False, "style": "form", "explode": True, "schema": ID_LIST}
        for name in ("id[]", "id")
    ]
}


# --- statuses -------------------------------------------------------------------------------------


@router.post(
    "/v1/statuses",
    auth=token("write:statuses"),
    response=returns(StatusOut, 404, 409),
    openapi_extra=STATUS_BODY,
)
def create_status(request: AuthedRequest) -> dict:
    """404 unknown_product for a product_ids entry that names no product, 409 product_delisted for a
    delisted one; 404 also for a reply or quote of a post the caller may not see. agora_review_id
    publishes the caller's own review as the post (404 review_not_found for anyone else's or none,
    409 review_already_posted when it is published already)."""
    body: StatusIn = parse(StatusIn, request_data(request))
    status = actions.do_create_status(
        request.user,
        body.status,
        media_ids=body.media_ids,
        in_reply_to_id=body.in_reply_to_id,
        quoted_status_id=body.quoted_status_id,
        visibility=body.visibility,
        spoiler_text=body.spoiler_text,
        sensitive=body.sensitive,
        language=body.language or "",
        product_ids=body.product_ids,
        review_id=body.agora_review_id,
    )
    return status_json(load_statuses([status.id])[0], request.user)


@router.get(
    "/v1/statuses/{int:status_id}", auth=token("read:statuses", optional=True), response=returns(StatusOut)
)
def get_status(request: MaybeAuthedRequest, status_id: int) -> dict:
    return status_json(access_status(request.user, status_id), request.user)


@router.put(
    "/v1/statuses/{int:status_id}",
    auth=token("write:statuses"),
    response=returns(StatusOut, 409),
    openapi_extra=STATUS_BODY,
)
def edit_status(request: AuthedRequest, status_id: int) -> dict:
    status = access_own_status(request.user, status_id)
    data = request_data(request)
    body: StatusIn = parse(StatusIn, data)
    actions.do_edit_status(
        request.user,
        status,
        text=body.status,
        media_ids=body.media_ids if "media_ids" in data else None,
        spoiler_text=body.spoiler_text if "spoiler_text" in data else None,
        sensitive=flag(data, "sensitive"),
        language=body.language,
        product_ids=body.product_ids if "product_ids" in data else None,
    )
    return status_json(load_statuses([status.id])[0], request.user)


@router.delete("/v1/statuses/{int:status_id}", auth=token("write:statuses"), response=returns(StatusOut))
def delete_status(request: AuthedRequest, status_id: int) -> dict:
    status = access_own_status(request.user, status_id)
    out = status_json(status, request.user)
    actions.do_delete_status(request.user, status)
    return out  # Mastodon returns the deleted post with its source text, for "delete and redraft"


@router.get(
    "/v1/statuses/{int:status_id}/context",
    auth=token("read:statuses", optional=True),
    response=returns(ContextOut),
)
def status_context(request: MaybeAuthedRequest, status_id: int) -> dict:
    status = access_status(request.user, status_id)
    ancestors, descendants = selectors.thread(request.user, status)
    return {
        "ancestors": statuses_json(ancestors, request.user),
        "descendants": statuses_json(descendants, request.user),
    }


@router.get(
    "/v1/statuses/{int:status_id}/history",
    auth=token("read:statuses", optional=True),
    response=returns(list[StatusEditOut]),
)
def status_history(request: MaybeAuthedRequest, status_id: int) -> list[dict]:
    status = access_status(request.user, status_id)
    return selectors.history_json(status)


@router.get(
    "/v1/statuses/{int:status_id}/source", auth=token("read:statuses"), response=returns(StatusSourceOut)
)
def status_source(request: AuthedRequest, status_id: int) -> dict:
    status = access_own_status(request.user, status_id)
    return {"id": str(status.id), "text": status.text, "spoiler_text": status.spoiler_text}


def _act(request: AuthedRequest, status_id: int, fn) -> dict:
    status = access_status(request.user, status_id)
    fn(request.user, status)
    fresh = load_statuses([status.id])
    if not fresh:  # e.g. unreblog called with the id of the reblog itself, now deleted
        fresh = load_statuses([status.reblog_of_id]) if status.reblog_of_id else []
    if not fresh:
        raise NotFound("Record not found.")
    return status_json(fresh[0], request.user)


@router.post(
    "/v1/statuses/{int:status_id}/reblog",
    auth=token("write:statuses"),
    response=returns(StatusOut),
    openapi_extra=body_schema(ReblogIn, required=False),
)
def reblog(request: AuthedRequest, status_id: int) -> dict:
    status = access_status(request.user, status_id)
    body: ReblogIn = parse(ReblogIn, request_data(request))
    rb = actions.do_reblog(request.user, status, visibility=body.visibility)
    return status_json(load_statuses([rb.id])[0], request.user)


@router.post(
    "/v1/statuses/{int:status_id}/unreblog", auth=token("write:statuses"), response=returns(StatusOut)
)
def unreblog(request: AuthedRequest, status_id: int) -> dict:
    status = access_status(request.user, status_id)
    actions.do_unreblog(request.user, status)
    return status_json(load_statuses([status.reblog_of_id or status.id])[0], request.user)


@router.post(
    "/v1/statuses/{int:status_id}/favourite", auth=token("write:favourites"), response=returns(StatusOut)
)
def favourite(request: AuthedRequest, status_id: int) -> dict:
    return _act(request, status_id, actions.do_favourite)


@router.post(
    "/v1/statuses/{int:status_id}/unfavourite", auth=token("write:favourites"), response=returns(StatusOut)
)
def unfavourite(request: AuthedRequest, status_id: int) -> dict:
    return _act(request, status_id, actions.do_unfavourite)


@router.post(
    "/v1/statuses/{int:status_id}/bookmark", auth=token("write:bookmarks"), response=returns(StatusOut)
)
def bookmark(request: AuthedRequest, status_id: int) -> dict:
    return _act(request, status_id, actions.do_bookmark)


@router.post(
    "/v1/statuses/{int:status_id}/unbookmark", auth=token("write:bookmarks"), response=returns(StatusOut)
)
def unbookmark(request: AuthedRequest, status_id: int) -> dict:
    return _act(request, status_id, actions.do_unbookmark)


@router.post("/v1/statuses/{int:status_id}/pin", auth=token("write:accounts"), response=returns(StatusOut))
def pin(request: AuthedRequest, status_id: int) -> dict:
    return _act(request, status_id, lambda u, s: actions.do_pin_status(u, s, pinned=True))


@router.post("/v1/statuses/{int:status_id}/unpin", auth=token("write:accounts"), response=returns(StatusOut))
def unpin(request: AuthedRequest, status_id: int) -> dict:
    return _act(request, status_id, lambda u, s: actions.do_pin_status(u, s, pinned=False))


def _accounts_page(
    request: HttpRequest, response: HttpResponse, qs, page: PageParams, user_field: str
) -> list:
    rows = paginate_queryset(qs.select_related(user_field), page)
    set_link_header(request, response, rows)
    return [account_json(getattr(r, user_field)) for r in rows]


@router.get(
    "/v1/statuses/{int:status_id}/favourited_by",
    auth=token("read:statuses", optional=True),
    response=returns(list[AccountOut]),
)
def favourited_by(
    request: MaybeAuthedRequest, response: HttpResponse, status_id: int, page: Query[PageParams]
) -> list:
    status = access_status(request.user, status_id)
    return _accounts_page(request, response, Favourite.objects.filter(status=status), page, "account")


@router.get(
    "/v1/statuses/{int:status_id}/reblogged_by",
    auth=token("read:statuses", optional=True),
    response=returns(list[AccountOut]),
)
def reblogged_by(
    request: MaybeAuthedRequest, response: HttpResponse, status_id: int, page: Query[PageParams]
) -> list:
    status = access_status(request.user, status_id)
    return _accounts_page(request, response, Status.objects.filter(reblog_of=status), page, "author")


def _saved(request: AuthedRequest, response: HttpResponse, model, page: PageParams) -> list:
    rows = paginate_queryset(model.objects.filter(account=request.user), page)
    statuses = visible_statuses(request.user, load_statuses([r.status_id for r in rows]))
    set_link_header(request, response, rows)
    return statuses_json(statuses, request.user)


@router.get("/v1/favourites", auth=token("read:favourites"), response=returns(list[StatusOut]))
def favourites(request: AuthedRequest, response: HttpResponse, page: Query[PageParams]) -> list:
    return _saved(request, response, Favourite, page)


@router.get("/v1/bookmarks", auth=token("read:bookmarks"), response=returns(list[StatusOut]))
def bookmarks(request: AuthedRequest, response: HttpResponse, page: Query[PageParams]) -> list:
    return _saved(request, response, Bookmark, page)


# --- accounts and relationships ---------------------------------------------------------------------


@router.get(
    "/v1/accounts/relationships",
    auth=token("read:follows"),
    response=returns(list[RelationshipOut]),
    openapi_extra=RELATIONSHIPS_QUERY,
)
def relationships(request: AuthedRequest) -> list:
    # Ids as the API writes them, in BIGINT range (beyond it the database driver fails: a 500);
    # the first 100.
    given = {name: [canonical_id(i) for i in request.GET.getlist(name)] for name in ("id[]", "id")}
    if any(i is None or i > MAX_ID for ids in given.values() for i in ids):
        raise Invalid("id[] must be account ids.", code="validation_failed")
    ids = given["id[]"] or given["id"]
    return relationships_json(request.user, [i for i in ids if i is not None][:100])


@router.get(
    "/v1/accounts/{int:account_id}/statuses",
    auth=token("read:statuses", optional=True),
    response=returns(list[StatusOut]),
)
def account_statuses(
    request: MaybeAuthedRequest,
    response: HttpResponse,
    account_id: int,
    page: Query[PageParams],
    exclude_replies: bool = False,
    only_media: bool = False,
    pinned: bool = False,
    exclude_reblogs: bool = False,
) -> list:
    account = get_active_user(account_id)
    statuses = account_timeline(
        request.user,
        account,
        page,
        exclude_replies=exclude_replies,
        only_media=only_media,
        pinned=pinned,
        exclude_reblogs=exclude_reblogs,
    )
    set_link_header(request, response, statuses)
    return statuses_json(statuses, request.user)


@router.get(
    "/v1/accounts/{int:account_id}/followers",
    auth=token("read:accounts", optional=True),
    response=returns(list[AccountOut]),
)
def followers(
    request: MaybeAuthedRequest, response: HttpResponse, account_id: int, page: Query[PageParams]
) -> list:
    account = get_active_user(account_id)
    return _accounts_page(request, response, Follow.objects.filter(followee=account), page, "follower")


@router.get(
    "/v1/accounts/{int:account_id}/following",
    auth=token("read:accounts", optional=True),
    response=returns(list[AccountOut]),
)
def following(
    request: MaybeAuthedRequest, response: HttpResponse, account_id: int, page: Query[PageParams]
) -> list:
    account = get_active_user(account_id)
    return _accounts_page(request, response, Follow.objects.filter(follower=account), page, "followee")


def _relate(request: AuthedRequest, account_id: int, fn) -> dict:
    target = get_active_user(account_id)
    fn(request.user, target)
    return relationships_json(request.user, [target.id])[0]


@router.post(
    "/v1/accounts/{int:account_id}/follow",
    auth=token("write:follows"),
    response=returns(RelationshipOut),
    openapi_extra=body_schema(FollowIn, required=False),
)
def follow(request: AuthedRequest, account_id: int) -> dict:
    data = request_data(request)
    return _relate(
        request,
        account_id,
        lambda u, t: actions.do_follow(u, t, reblogs=flag(data, "reblogs"), notify=flag(data, "notify")),
    )


@router.post(
    "/v1/accounts/{int:account_id}/unfollow", auth=token("write:follows"), response=returns(RelationshipOut)
)
def unfollow(request: AuthedRequest, account_id: int) -> dict:
    return _relate(request, account_id, actions.do_unfollow)


@router.post(
    "/v1/accounts/{int:account_id}/remove_from_followers",
    auth=token("write:follows"),
    response=returns(RelationshipOut),
)
def remove_from_followers(request: AuthedRequest, account_id: int) -> dict:
    return _relate(request, account_id, actions.do_remove_follower)


@router.post(
    "/v1/accounts/{int:account_id}/block", auth=token("write:blocks"), response=returns(RelationshipOut)
)
def block(request: AuthedRequest, account_id: int) -> dict:
    return _relate(request, account_id, actions.do_block)


@router.post(
    "/v1/accounts/{int:account_id}/unblock", auth=token("write:blocks"), response=returns(RelationshipOut)
)
def unblock(request: AuthedRequest, account_id: int) -> dict:
    return _relate(request, account_id, actions.do_unblock)


@router.post(
    "/v1/accounts/{int:account_id}/mute",
    auth=token("write:mutes"),
    response=returns(RelationshipOut),
    openapi_extra=body_schema(MuteIn, required=False),
)
def mute(request: AuthedRequest, account_id: int) -> dict:
    data = request_data(request)
    notifications = flag(data, "notifications")
    return _relate(
        request,
        account_id,
        lambda u, t: actions.do_mute(u, t, notifications=True if notifications is None else notifications),
    )


@router.post(
    "/v1/accounts/{int:account_id}/unmute", auth=token("write:mutes"), response=returns(RelationshipOut)
)
def unmute(request: AuthedRequest, account_id: int) -> dict:
    return _relate(request, account_id, actions.do_unmute)


@router.get("/v1/blocks", auth=token("read:blocks"), response=returns(list[AccountOut]))
def blocks(request: AuthedRequest, response: HttpResponse, page: Query[PageParams]) -> list:
    return _accounts_page(request, response, Block.objects.filter(account=request.user), page, "target")


@router.get("/v1/mutes", auth=token("read:mutes"), response=returns(list[AccountOut]))
def mutes(request: AuthedRequest, response: HttpResponse, page: Query[PageParams]) -> list:
    return _accounts_page(request, response, Mute.objects.filter(account=request.user), page, "target")


@router.get("/v1/follow_requests", auth=token("read:follows"), response=returns(list[AccountOut]))
def follow_requests(request: AuthedRequest, response: HttpResponse, page: Query[PageParams]) -> list:
    return _accounts_page(
        request, response, FollowRequest.objects.filter(followee=request.user), page, "follower"
    )


@router.post(
    "/v1/follow_requests/{int:account_id}/authorize",
    auth=token("write:follows"),
    response=returns(RelationshipOut),
)
def authorize_follow_request(request: AuthedRequest, account_id: int) -> dict:
    return _relate(request, account_id, lambda u, t: actions.do_authorize_follow_request(u, t))


@router.post(
    "/v1/follow_requests/{int:account_id}/reject",
    auth=token("write:follows"),
    response=returns(RelationshipOut),
)
def reject_follow_request(request: AuthedRequest, account_id: int) -> dict:
    return _relate(request, account_id, lambda u, t: actions.do_reject_follow_request(u, t))


# --- topics ---------------------------------------------------------------------------------------


def _tag_json(request: HttpRequest, tag) -> dict:
    user = request.user
    following = bool(user.is_authenticated and TagFollow.objects.filter(account_id=user.id, tag=tag).exists())
    return selectors.tag_json(tag, following=following)


@router.get("/v1/tags/{name}", auth=token("read:statuses", optional=True), response=returns(TagOut))
def get_tag(request: MaybeAuthedRequest, name: str) -> dict:
    tag = find_tag(name)
    if tag is None:
        raise NotFound("Tag not found.")
    return _tag_json(request, tag)


@router.post("/v1/tags/{name}/follow", auth=token("write:follows"), response=returns(TagOut))
def follow_tag(request: AuthedRequest, name: TagName) -> dict:
    return _tag_json(request, actions.do_follow_tag(request.user, name))


@router.post("/v1/tags/{name}/unfollow", auth=token("write:follows"), response=returns(TagOut))
def unfollow_tag(request: AuthedRequest, name: TagName) -> dict:
    return _tag_json(request, actions.do_unfollow_tag(request.user, name))


@router.get("/v1/followed_tags", auth=token("read:follows"), response=returns(list[TagOut]))
def followed_tags(request: AuthedRequest, response: HttpResponse, page: Query[PageParams]) -> list:
    rows = paginate_queryset(TagFollow.objects.filter(account=request.user).select_related("tag"), page)
    set_link_header(request, response, rows)
    return [selectors.tag_json(r.tag, following=True) for r in rows]
