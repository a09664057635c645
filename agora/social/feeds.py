"""RSS 2.0 and Atom feeds of public posts, for each profile and each topic (Django syndication)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.accounts.selectors import get_user_by_handle
from agora.core.errors import NotFound
from agora.social.models import Status, StatusTag, Tag, Visibility
from agora.social.selectors import find_tag

ITEMS = 30


class _StatusFeed(Feed):
    def item_title(self, item: Status) -> str:
        text = item.spoiler_text or item.text
        return f"@{item.author.username}: {text[:80]}"

    def item_description(self, item: Status) -> str:
        if item.spoiler_text:
            return _("Content warning: %(cw)s") % {"cw": item.spoiler_text}
        return item.content_html  # built and sanitised by agora.social.rendering

    def item_link(self, item: Status) -> str:
        return reverse("social:status", args=[item.author.username, item.id])

    def item_pubdate(self, item: Status):
        return item.created_at

    def item_updateddate(self, item: Status):
        return item.edited_at or item.created_at

    def item_author_name(self, item: Status) -> str:
        return item.author.name


class AccountRss(_StatusFeed):
    def get_object(self, request, handle: str) -> User:
        try:
            return get_user_by_handle(handle)
        except NotFound as exc:
            raise Http404 from exc

    def title(self, obj: User) -> str:
        return f"{obj.name} (@{obj.username}) · {settings.AGORA.site_title}"

    def link(self, obj: User) -> str:
        return f"/@{obj.username}"

    def description(self, obj: User) -> str:
        return obj.bio or _("Public posts by @%(handle)s") % {"handle": obj.username}

    def items(self, obj: User):
        # Only public originals: followers-only, direct and unlisted posts never leave the site this way.
        return (
            Status.objects.filter(author=obj, visibility=Visibility.PUBLIC, reblog_of__isnull=True)
            .select_related("author")
            .order_by("-id")[:ITEMS]
        )


class AccountAtom(AccountRss):
    feed_type = Atom1Feed
    subtitle = AccountRss.description


class TagRss(_StatusFeed):
    def get_object(self, request, name: str) -> Tag:
        tag = find_tag(name)
        if tag is None:
            raise Http404
        return tag

    def title(self, obj: Tag) -> str:
        return f"#{obj.name} · {settings.AGORA.site_title}"

    def link(self, obj: Tag) -> str:
        return reverse("social:tag", args=[obj.name.lower()])

    def description(self, obj: Tag) -> str:
        return _("Public posts about #%(tag)s") % {"tag": obj.name}

    def items(self, obj: Tag):
        ids = (
            StatusTag.objects.filter(tag=obj, status_visibility=Visibility.PUBLIC)
            .order_by("-status_id")
            .values_list("status_id", flat=True)[:ITEMS]
        )
        return Status.objects.filter(id__in=list(ids)).select_related("author").order_by("-id")


class TagAtom(TagRss):
    feed_type = Atom1Feed
    subtitle = TagRss.description
