"""Writes of the public square. Validate first (check_*), then write, then queue side effects."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from agora.accounts.models import User
from agora.catalog.selectors import ProductSnapshot, product_snapshots
from agora.core.errors import Conflict, Forbidden, Invalid, NotFound
from agora.media.actions import claim_media
from agora.media.models import MediaAttachment
from agora.reviews.access import access_own_review
from agora.reviews.models import Review
from agora.social import events
from agora.social.access import can_see
from agora.social.models import (
    Block,
    Bookmark,
    Favourite,
    Follow,
    FollowRequest,
    Mention,
    Mute,
    Status,
    StatusEdit,
    StatusMedia,
    StatusProduct,
    StatusTag,
    Tag,
    TagFollow,
    Visibility,
)
from agora.social.relations import forget_relations, is_blocked_either_way
from agora.social.rendering import normalise_tag, parse, render
from agora.social.serializers import forget_statuses

VISIBILITIES = {v.value for v in Visibility}


def _dec(model, pk: int, field: str) -> None:
    # Counters never go below zero, even if a retried task or a race removes twice.
    model.objects.filter(pk=pk).update(**{field: Greatest(F(field) - 1, 0)})


def _inc(model, pk: int, field: str) -> None:
    model.objects.filter(pk=pk).update(**{field: F(field) + 1})


# --- checks ---------------------------------------------------------------------------------------


def check_text(text: str, *, media_count: int, spoiler_text: str = "", product_count: int = 0) -> str:
    limit = settings.AGORA.max_post_chars
    text = (text or "").replace("\r\n", "\n")
    if len(text) > limit:
        raise Invalid(f"The text is {len(text)} characters; the limit is {limit}.", code="text_too_long")
    if not text.strip() and media_count == 0 and product_count == 0:
        raise Invalid("A post needs text, an image or a product.", code="empty_status")
    if len(spoiler_text) > 500:
        raise Invalid("The content warning is longer than 500 characters.", code="spoiler_too_long")
    return text


def check_visibility(visibility: str | None) -> str:
    visibility = visibility or Visibility.PUBLIC
    if visibility not in VISIBILITIES:
        raise Invalid(
            f"visibility must be one of {', '.join(sorted(VISIBILITIES))}.", code="invalid_visibility"
        )
    return visibility


def check_language(language: str | None) -> str:
    language = (language or "").strip()
    if len(language) > 10:
        raise Invalid("language must be an ISO 639 code.", code="invalid_language")
    return language


MAX_POST_PRODUCTS = 9


@lru_cache(maxsize=8)
def _product_link_re(site_url: str, hosts: tuple[str, ...]) -> re.Pattern[str]:
    # Our own product pages only, never fetched: the site's URL, any other host this site answers to,
    # or the path alone ("/market/products/123"), at the start of a word.
    names = {urlsplit(site_url).netloc.lower(), *(h.lower() for h in hosts if h and "*" not in h)}
    names.discard("")
    origins = "|".join(re.escape(n) + r"(?::\d+)?" for n in sorted(names, key=len, reverse=True))
    host = rf"https?://(?:www\.)?(?:{origins})" if origins else r"(?!)"
    return re.compile(rf"(?<![\w/.:-])(?:{host})?/market/products/(\d{{1,19}})(?!\d)", re.IGNORECASE)


def linked_product_ids(text: str) -> list[int]:
    """Ids of Agora's own product pages the text links to, in order, each once."""
    pattern = _product_link_re(settings.AGORA.site_url, tuple(settings.ALLOWED_HOSTS))
    return list(dict.fromkeys(int(m.group(1)) for m in pattern.finditer(text or "")))


def check_products(
    product_ids: Sequence[int], text: str, *, carried: Collection[int] = ()
) -> list[tuple[ProductSnapshot, bool]]:
    """The products a post will carry, as (snapshot, from_link), in order: those named in product_ids
    (each must exist and be listed, or be `carried` by the post already; at most 9, none twice), then
    those the text links to while room is left (a link to an unknown or delisted product stays a
    plain link)."""
    ids = list(product_ids)
    if len(ids) > MAX_POST_PRODUCTS:
        raise Invalid(
            f"A post carries at most {MAX_POST_PRODUCTS} products; {len(ids)} were given.",
            code="too_many_products",
            limit=MAX_POST_PRODUCTS,
        )
    seen: set[int] = set()
    for i in ids:
        if i in seen:
            raise Invalid("The same product is attached twice.", code="duplicate_product", product_id=str(i))
        seen.add(i)
    linked = [i for i in linked_product_ids(text) if i not in seen]
    snaps = product_snapshots(ids + linked)
    for i in ids:
        snap = snaps.get(i)
        if snap is None:
            raise NotFound(f"There is no product {i}.", code="unknown_product", product_id=str(i))
        if not snap.listed and i not in carried:
            raise Conflict(
                f"Product {i} is delisted and cannot be attached.", code="product_delisted", product_id=str(i)
            )
    out = [(snaps[i], False) for i in ids]
    for i in linked:
        snap = snaps.get(i)
        if len(out) < MAX_POST_PRODUCTS and snap is not None and snap.listed:
            out.append((snap, True))
    return out


def _attach_products(
    status: Status,
    products: list[tuple[ProductSnapshot, bool]],
    before: dict[int, StatusProduct] | None = None,
) -> None:
    """Link the products in order; one the post carried already (`before`) keeps the title and
    picture it was posted with, a new one takes them from the product now."""
    rows = []
    for i, (snap, from_link) in enumerate(products):
        was = (before or {}).get(snap.id)
        row = StatusProduct(status=status, product_id=snap.id, position=i, from_link=from_link)
        if was is not None:
            row.title, row.image_path = was.title, was.image_path
            row.image_width, row.image_height = was.image_width, was.image_height
        else:
            row.title = snap.title
            if snap.image is not None:
                row.image_path = snap.image.thumbnail.url
                row.image_width, row.image_height = snap.image.thumb_width, snap.image.thumb_height
        rows.append(row)
    StatusProduct.objects.bulk_create(rows)


def _already_posted() -> Conflict:
    return Conflict("This review is already published as a post.", code="review_already_posted")


def _review_post(
    author: User, review_id: int, text: str, product_ids: Sequence[int]
) -> tuple[Review, str, list[int]]:
    """A buyer's review published as a post (晒单): the caller's own review (404 otherwise), once
    (409). The post takes the review's text when it has none of its own, and carries the review's
    product first (even delisted since the purchase)."""
    review = access_own_review(author.id, review_id)
    if Status.objects.filter(review_id=review.id).exists():
        raise _already_posted()
    ids = [review.product_id, *(i for i in product_ids if i != review.product_id)]
    if len(ids) > MAX_POST_PRODUCTS:
        raise Conflict(
            f"A post carries at most {MAX_POST_PRODUCTS} products, the review's among them.",
            code="too_many_products",
            limit=MAX_POST_PRODUCTS,
        )
    return review, (text if (text or "").strip() else review.text), ids


def _review_media(author: User, review: Review) -> list[MediaAttachment]:
    """The review's photos, as the post's pictures (the same files: a review's photos are its
    author's uploads, already used)."""
    ids = [i for i in review.image_ids if isinstance(i, int)][: settings.AGORA.max_post_media]
    found = {m.id: m for m in MediaAttachment.objects.filter(id__in=ids, owner=author)}
    return [found[i] for i in ids if i in found]


def _resolve_mentions(handles: list[str]) -> dict[str, User]:
    if not handles:
        return {}
    users = User.objects.filter(
        username__in=[h for h in handles] + [h.lower() for h in handles], is_active=True
    )
    found = {u.username.lower(): u for u in users}
    missing = [h for h in handles if h.lower() not in found]
    if (
        missing
    ):  # handles are case-insensitive; catch "@Alice" for "alice" without n queries in the common case
        for h in missing:
            u = User.objects.filter(username__iexact=h, is_active=True).first()
            if u:
                found[h.lower()] = u
    return found


def _tags(names: list[str]) -> list[Tag]:
    out = []
    for name in names:
        tag = Tag.objects.filter(name__iexact=name).first()
        if tag is None:
            try:
                with transaction.atomic():
                    tag = Tag.objects.create(name=name)
            except IntegrityError:  # created concurrently
                tag = Tag.objects.get(name__iexact=name)
        out.append(tag)
    return out


def _render(text: str) -> tuple[str, dict[str, User], list[Tag]]:
    parsed = parse(text)
    users = _resolve_mentions(parsed.mentions)
    html = render(text, lambda h: users[h.lower()].username if h.lower() in users else None)
    return html, users, _tags(parsed.tags)


def _quote_target(author: User, quoted_id: int) -> tuple[Status, Status]:
    """(the post being quoted, the original post the chain points to)."""
    quoted = Status.objects.select_related("author", "reblog_of", "quote_of").filter(id=quoted_id).first()
    if quoted is not None and quoted.reblog_of_id:
        quoted = Status.objects.select_related("author", "quote_of").get(id=quoted.reblog_of_id)
    if quoted is None or not can_see(author, quoted):
        raise NotFound("The quoted post does not exist.", code="quoted_not_found")
    if quoted.visibility not in (Visibility.PUBLIC, Visibility.UNLISTED):
        raise Forbidden("Only public posts can be reposted with a comment.", code="quote_not_allowed")
    return quoted, (quoted.quote_of or quoted)


def _attach(status: Status, media: Sequence[MediaAttachment]) -> None:
    StatusMedia.objects.bulk_create(
        [StatusMedia(status=status, media=m, position=i) for i, m in enumerate(media)]
    )


def _link_mentions_and_tags(status: Status, users: dict[str, User], tags: list[Tag]) -> list[int]:
    Mention.objects.bulk_create(
        [Mention(status=status, account=u) for u in users.values()], ignore_conflicts=True
    )
    StatusTag.objects.bulk_create(
        [StatusTag(status=status, tag=t, status_visibility=status.visibility) for t in tags],
        ignore_conflicts=True,
    )
    return [u.id for u in users.values()]


# --- posts ----------------------------------------------------------------------------------------


def do_create_status(
    author: User,
    text: str,
    *,
    media_ids: Sequence[int] = (),
    in_reply_to_id: int | None = None,
    quoted_status_id: int | None = None,
    visibility: str | None = None,
    spoiler_text: str = "",
    sensitive: bool = False,
    language: str = "",
    product_ids: Sequence[int] = (),
    review_id: int | None = None,
) -> Status:
    visibility = check_visibility(visibility)
    language = check_language(language)
    review = None
    review_media: list[MediaAttachment] = []
    if review_id is not None:
        review, text, product_ids = _review_post(author, review_id, text, product_ids)
        if not media_ids:
            review_media = _review_media(author, review)
    products = check_products(product_ids, text or "", carried=(review.product_id,) if review else ())
    text = check_text(
        text,
        media_count=len(media_ids) + len(review_media),
        spoiler_text=spoiler_text or "",
        product_count=len(products),
    )
    parent = None
    if in_reply_to_id is not None:
        parent = Status.objects.filter(id=in_reply_to_id, reblog_of__isnull=True).first()
        if parent is None or not can_see(author, parent):
            raise NotFound("The post you reply to does not exist.", code="reply_target_not_found")
        if is_blocked_either_way(author.id, parent.author_id):
            raise NotFound("The post you reply to does not exist.", code="reply_target_not_found")
    quoted = root = None
    if quoted_status_id is not None:
        quoted, root = _quote_target(author, quoted_status_id)
        if is_blocked_either_way(author.id, quoted.author_id):
            raise NotFound("The quoted post does not exist.", code="quoted_not_found")
        if quoted.quote_of_id or quoted.id != root.id:
            # Weibo's chain: my comment //@bob: bob's comment (which carries its own chain)
            text = f"{text} //@{quoted.author.username}: {quoted.text}".strip()
    with transaction.atomic():
        media = claim_media(author, list(media_ids), limit=settings.AGORA.max_post_media) or review_media
        html, users, tags = _render(text)
        status = Status(
            author=author,
            text=text,
            content_html=html,
            visibility=visibility,
            spoiler_text=spoiler_text or "",
            sensitive=bool(sensitive) or bool(spoiler_text),
            language=language,
            in_reply_to=parent,
            in_reply_to_account_id=parent.author_id if parent else None,
            quote_of=root,
            has_media=bool(media),
            has_products=bool(products),
            review=review,
            review_rating=review.rating if review else None,
        )
        try:
            with transaction.atomic():
                status.save(force_insert=True)
        except IntegrityError as exc:  # a concurrent request published the same review
            raise _already_posted() from exc
        _attach(status, media)
        _attach_products(status, products)
        mentioned = _link_mentions_and_tags(status, users, tags)
        User.objects.filter(pk=author.pk).update(
            statuses_count=F("statuses_count") + 1, last_status_at=timezone.now()
        )
        forget_statuses(parent.pk if parent else None, root.pk if root else None)
        if parent:
            _inc(Status, parent.pk, "replies_count")
        if root:
            _inc(Status, root.pk, "quotes_count")
            _inc(Status, root.pk, "reblogs_count")  # Weibo counts a repost with comment as a repost
        events.STATUS_CREATED.publish(status.id, mentioned)
    return status


def do_edit_status(
    actor: User,
    status: Status,
    *,
    text: str,
    media_ids: Sequence[int] | None = None,
    spoiler_text: str | None = None,
    sensitive: bool | None = None,
    language: str | None = None,
    product_ids: Sequence[int] | None = None,
) -> Status:
    """Edit a post. product_ids replaces the products it names (None keeps them); the products its
    text links to follow the new text. A product kept keeps the title and picture it was posted with."""
    if status.author_id != actor.id or status.reblog_of_id:
        raise NotFound("Record not found.")
    with transaction.atomic():
        status = Status.objects.select_for_update().get(pk=status.pk)
        old_media = list(StatusMedia.objects.filter(status=status).values_list("media_id", flat=True))
        new_media_ids = list(old_media if media_ids is None else media_ids)
        if len(set(new_media_ids)) != len(new_media_ids):  # claim_media sees only the added ones
            raise Invalid("The same image is attached twice.", code="duplicate_media")
        old_products = list(StatusProduct.objects.filter(status=status).order_by("position"))
        if product_ids is None:
            # Named before: still carried even if delisted since; only the text's links are read again.
            products = [(_snapshot_of(p), False) for p in old_products if not p.from_link]
            named = {snap.id for snap, _ in products}
            linked = [p for p in check_products([], text or "") if p[0].id not in named]
            products += linked[: MAX_POST_PRODUCTS - len(products)]
        else:
            products = check_products(product_ids, text or "", carried={p.product_id for p in old_products})
        text = check_text(
            text,
            media_count=len(new_media_ids),
            spoiler_text=spoiler_text or "",
            product_count=len(products),
        )
        if not status.edits.exists():  # keep the original as the first version of the history
            StatusEdit.objects.create(
                status=status,
                text=status.text,
                content_html=status.content_html,
                spoiler_text=status.spoiler_text,
                sensitive=status.sensitive,
                media_ids=[str(i) for i in old_media],
                product_ids=[str(p.product_id) for p in old_products],
                created_at=status.created_at,
            )
        if new_media_ids != old_media:
            added = [i for i in new_media_ids if i not in old_media]
            kept = {m.id: m for m in MediaAttachment.objects.filter(id__in=old_media)}
            claimed = {m.id: m for m in claim_media(actor, added, limit=settings.AGORA.max_post_media)}
            if len(new_media_ids) > settings.AGORA.max_post_media:
                raise Invalid(
                    f"At most {settings.AGORA.max_post_media} images may be attached.", code="too_many_media"
                )
            StatusMedia.objects.filter(status=status).delete()
            _attach(status, [kept.get(i) or claimed[i] for i in new_media_ids])
        _replace_products(status, old_products, products)
        html, users, tags = _render(text)
        status.text = text
        status.content_html = html
        if spoiler_text is not None:
            status.spoiler_text = spoiler_text
        if sensitive is not None:
            status.sensitive = sensitive or bool(status.spoiler_text)
        if language is not None:
            status.language = check_language(language)
        status.has_media = bool(new_media_ids)
        status.has_products = bool(products)
        status.edited_at = timezone.now()
        status.save(
            update_fields=[
                "text",
                "content_html",
                "spoiler_text",
                "sensitive",
                "language",
                "has_media",
                "has_products",
                "edited_at",
            ]
        )
        StatusEdit.objects.create(
            status=status,
            text=text,
            content_html=html,
            spoiler_text=status.spoiler_text,
            sensitive=status.sensitive,
            media_ids=[str(i) for i in new_media_ids],
            product_ids=[str(snap.id) for snap, _ in products],
            created_at=status.edited_at,
        )
        Mention.objects.filter(status=status).exclude(account__in=list(users.values())).delete()
        StatusTag.objects.filter(status=status).exclude(tag__in=tags).delete()
        mentioned = _link_mentions_and_tags(status, users, tags)
        forget_statuses(status.id)
        events.STATUS_EDITED.publish(status.id, mentioned)
    return status


def _snapshot_of(link: StatusProduct) -> ProductSnapshot:
    return ProductSnapshot(link.product_id, True, link.title, None)


def _replace_products(
    status: Status, old: list[StatusProduct], new: list[tuple[ProductSnapshot, bool]]
) -> None:
    if [(p.product_id, p.from_link) for p in old] == [(snap.id, f) for snap, f in new]:
        return
    StatusProduct.objects.filter(status=status).delete()
    _attach_products(status, new, {p.product_id: p for p in old})


def do_delete_status(actor: User, status: Status) -> None:
    if status.author_id != actor.id:
        raise NotFound("Record not found.")
    with transaction.atomic():
        locked = Status.objects.select_for_update().filter(pk=status.pk).first()
        if locked is None:
            return  # deleted by a concurrent request
        status = locked
        reblogger_ids = list(Status.objects.filter(reblog_of=status).values_list("id", "author_id"))
        if status.reblog_of_id:
            _dec(Status, status.reblog_of_id, "reblogs_count")
        else:
            _dec(User, actor.pk, "statuses_count")
        if status.in_reply_to_id:
            _dec(Status, status.in_reply_to_id, "replies_count")
        if status.quote_of_id:
            _dec(Status, status.quote_of_id, "quotes_count")
            _dec(Status, status.quote_of_id, "reblogs_count")
        status_id, author_id = status.id, status.author_id
        forget_statuses(
            status_id,
            status.reblog_of_id,
            status.in_reply_to_id,
            status.quote_of_id,
            *(r[0] for r in reblogger_ids),
        )
        status.delete()  # cascades to its reblogs, likes, bookmarks, media links, timeline rows
        events.STATUS_DELETED.publish(status_id, author_id, [list(r) for r in reblogger_ids])


def do_reblog(actor: User, status: Status, *, visibility: str | None = None) -> Status:
    if status.reblog_of is not None:
        status = status.reblog_of
    if status.visibility not in (Visibility.PUBLIC, Visibility.UNLISTED):
        raise Forbidden("Only public posts can be reposted.", code="reblog_not_allowed")
    existing = Status.objects.filter(author=actor, reblog_of=status).first()
    if existing:
        return existing
    visibility = check_visibility(visibility)
    try:
        with transaction.atomic():
            reblog = Status.objects.create(author=actor, reblog_of=status, visibility=visibility)
            _inc(Status, status.pk, "reblogs_count")
            forget_statuses(status.pk)
            events.STATUS_REBLOGGED.publish(reblog.id)
    except IntegrityError:  # a concurrent identical request won
        return Status.objects.get(author=actor, reblog_of=status)
    return reblog


def do_unreblog(actor: User, status: Status) -> None:
    target = status.reblog_of_id or status.id
    reblog = Status.objects.filter(author=actor, reblog_of_id=target).first()
    if reblog is not None:
        do_delete_status(actor, reblog)


def do_favourite(actor: User, status: Status) -> None:
    status_id = status.reblog_of_id or status.id
    try:
        with transaction.atomic():
            Favourite.objects.create(account=actor, status_id=status_id)
            _inc(Status, status_id, "favourites_count")
            forget_statuses(status_id)
            events.STATUS_FAVOURITED.publish(actor.id, status_id)
    except IntegrityError:
        pass  # already liked: idempotent


def do_unfavourite(actor: User, status: Status) -> None:
    status_id = status.reblog_of_id or status.id
    with transaction.atomic():
        if Favourite.objects.filter(account=actor, status_id=status_id).delete()[0]:
            _dec(Status, status_id, "favourites_count")
            forget_statuses(status_id)


def do_bookmark(actor: User, status: Status) -> None:
    Bookmark.objects.get_or_create(account=actor, status_id=status.reblog_of_id or status.id)


def do_unbookmark(actor: User, status: Status) -> None:
    Bookmark.objects.filter(account=actor, status_id=status.reblog_of_id or status.id).delete()


def do_pin_status(actor: User, status: Status, *, pinned: bool = True) -> Status:
    if status.author_id != actor.id or status.reblog_of_id:
        raise Forbidden("You can pin only your own posts.", code="pin_not_allowed")
    if pinned and Status.objects.filter(author=actor, pinned=True).count() >= 5:
        raise Conflict("At most 5 posts can be pinned.", code="too_many_pins")
    Status.objects.filter(pk=status.pk).update(pinned=pinned)
    forget_statuses(status.pk)
    status.pinned = pinned
    return status


# --- relationships ----------------------------------------------------------------------------------


def _create_follow(follower: User, followee: User, *, reblogs: bool = True, notify: bool = False) -> bool:
    try:
        with transaction.atomic():
            Follow.objects.create(follower=follower, followee=followee, show_reblogs=reblogs, notify=notify)
            User.objects.filter(pk=follower.pk).update(following_count=F("following_count") + 1)
            User.objects.filter(pk=followee.pk).update(followers_count=F("followers_count") + 1)
            forget_relations(follower.pk)
    except IntegrityError:
        return False
    return True


def do_follow(actor: User, target: User, *, reblogs: bool | None = None, notify: bool | None = None) -> str:
    """Follow `target`; returns "following" or "requested" (locked accounts approve by hand)."""
    if actor.id == target.id:
        raise Forbidden("You cannot follow yourself.", code="self_follow")
    if is_blocked_either_way(actor.id, target.id):
        raise NotFound("Account not found.")  # the blocked side must not learn of the block
    existing = Follow.objects.filter(follower=actor, followee=target).first()
    if existing:
        changed = []
        if reblogs is not None and existing.show_reblogs != reblogs:
            existing.show_reblogs = reblogs
            changed.append("show_reblogs")
        if notify is not None and existing.notify != notify:
            existing.notify = notify
            changed.append("notify")
        if changed:
            existing.save(update_fields=changed)
        return "following"
    if target.locked:
        with transaction.atomic():  # the request and its outbox row commit together
            req, created = FollowRequest.objects.get_or_create(follower=actor, followee=target)
            if created:
                events.FOLLOW_REQUESTED.publish(actor.id, target.id)
        return "requested"
    with transaction.atomic():
        if _create_follow(actor, target, reblogs=True if reblogs is None else reblogs, notify=bool(notify)):
            events.FOLLOWED.publish(actor.id, target.id)
    return "following"


def do_unfollow(actor: User, target: User) -> None:
    FollowRequest.objects.filter(follower=actor, followee=target).delete()
    with transaction.atomic():
        if Follow.objects.filter(follower=actor, followee=target).delete()[0]:
            _dec(User, actor.pk, "following_count")
            _dec(User, target.pk, "followers_count")
            forget_relations(actor.pk)
            events.ACCOUNT_HIDDEN.publish(actor.id, target.id)


def do_authorize_follow_request(actor: User, requester: User) -> None:
    with transaction.atomic():
        if not FollowRequest.objects.filter(follower=requester, followee=actor).delete()[0]:
            raise NotFound("Follow request not found.")
        if _create_follow(requester, actor):
            events.FOLLOWED.publish(requester.id, actor.id)


def do_reject_follow_request(actor: User, requester: User) -> None:
    if not FollowRequest.objects.filter(follower=requester, followee=actor).delete()[0]:
        raise NotFound("Follow request not found.")


def do_remove_follower(actor: User, follower: User) -> None:
    do_unfollow(follower, actor)


def do_block(actor: User, target: User) -> None:
    if actor.id == target.id:
        raise Forbidden("You cannot block yourself.", code="self_block")
    with transaction.atomic():
        Block.objects.get_or_create(account=actor, target=target)
        forget_relations(actor.pk, target.pk)
        # A block ends the relationship both ways.
        do_unfollow(actor, target)
        do_unfollow(target, actor)
        events.ACCOUNT_HIDDEN.publish(actor.id, target.id)
        events.ACCOUNT_HIDDEN.publish(target.id, actor.id)


def do_unblock(actor: User, target: User) -> None:
    Block.objects.filter(account=actor, target=target).delete()
    forget_relations(actor.pk, target.pk)


def do_mute(actor: User, target: User, *, notifications: bool = True) -> None:
    if actor.id == target.id:
        raise Forbidden("You cannot mute yourself.", code="self_mute")
    with transaction.atomic():  # the mute and its outbox row commit together
        Mute.objects.update_or_create(
            account=actor, target=target, defaults={"hide_notifications": notifications}
        )
        forget_relations(actor.pk)
        events.ACCOUNT_HIDDEN.publish(actor.id, target.id)


def do_unmute(actor: User, target: User) -> None:
    Mute.objects.filter(account=actor, target=target).delete()
    forget_relations(actor.pk)


def check_tag_name(name: str) -> str:
    name = normalise_tag(name)
    if not name or "#" in name:
        raise Invalid("A topic name must not be empty or contain '#'.", code="invalid_tag")
    return name


def get_or_create_tag(name: str) -> Tag:
    return _tags([check_tag_name(name)])[0]


def do_follow_tag(actor: User, name: str) -> Tag:
    tag = get_or_create_tag(name)
    TagFollow.objects.get_or_create(account=actor, tag=tag)
    return tag


def do_unfollow_tag(actor: User, name: str) -> Tag:
    tag = get_or_create_tag(name)
    TagFollow.objects.filter(account=actor, tag=tag).delete()
    return tag
