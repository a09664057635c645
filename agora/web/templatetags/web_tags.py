"""Small template tags for the shared layout. Tags, not includes, where a page uses them many times:
an {% include %} costs a template render each (measured in bench/web/pages.py)."""

from __future__ import annotations

from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

ICON_SPRITE = "web/img/icons.svg"
ICONS = frozenset(
    {
        "home",
        "market",
        "bell",
        "globe",
        "pin",
        "link",
        "calendar",
        "check",
        "camera",
        "lock",
        "user",
        "key",
        "apps",
    }
)


@register.simple_tag
def icon(name: str, size: int = 20) -> SafeString:
    """An inline stroke icon from the sprite, coloured by the text colour: {% icon "home" %}."""
    if name not in ICONS:
        raise template.TemplateSyntaxError(f"unknown icon {name!r}; known: {', '.join(sorted(ICONS))}")
    # The stroke attributes sit on the using <svg>: they inherit into the <use> shadow tree.
    return format_html(
        '<svg class="icon" width="{}" height="{}" aria-hidden="true" fill="none" stroke="currentColor" '
        'stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"><use href="{}#{}"></use></svg>',
        size,
        size,
        static(ICON_SPRITE),
        name,
    )


DEFAULT_AVATAR = "web/img/avatar.svg"
AVATAR_SIZES = frozenset({"sm", "md", "lg", "xl"})


@register.simple_tag
def avatar(account: object, size: str = "md", id: str = "") -> SafeString:  # noqa: A002 - the HTML attribute
    """An account's round avatar (the default picture when none): {% avatar user "sm" %}."""
    if size not in AVATAR_SIZES:
        size = "md"
    image = getattr(account, "avatar", None)
    src = image.url if image else static(DEFAULT_AVATAR)
    name = getattr(account, "name", "") or ""
    if id:
        return format_html(
            '<img class="avatar avatar--{}" id="{}" src="{}" alt="{}" loading="lazy">', size, id, src, name
        )
    return format_html('<img class="avatar avatar--{}" src="{}" alt="{}" loading="lazy">', size, src, name)
