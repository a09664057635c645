from __future__ import annotations

from typing import Any

from django.db import transaction

from agora.accounts.models import User
from agora.core.errors import Invalid, NotFound
from agora.orders.models import ADDRESS_FIELDS, Address

REQUIRED = ("recipient", "phone", "city", "street")
LIMITS = {"street": 200, "phone": 30, "postal_code": 20}


def check_address(fields: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for name in ADDRESS_FIELDS:
        if name not in fields or fields[name] is None:
            if not partial and name in REQUIRED:
                raise Invalid(f"{name} is required.", code="invalid_address", field=name)
            continue
        value = str(fields[name]).strip()
        if name in REQUIRED and not value:
            raise Invalid(f"{name} is required.", code="invalid_address", field=name)
        if len(value) > LIMITS.get(name, 60):
            raise Invalid(f"{name} is too long.", code="invalid_address", field=name)
        clean[name] = value
    return clean


def access_address(user: User, address_id: int) -> Address:
    address = (
        Address.objects.filter(id=address_id, user_id=user.id)
        .only("id", "is_default", *ADDRESS_FIELDS)
        .first()
    )
    if address is None:
        raise NotFound("No such address.")
    return address


def _make_default(user: User, address: Address) -> None:
    Address.objects.filter(user=user, is_default=True).exclude(id=address.id).update(is_default=False)
    Address.objects.filter(id=address.id).update(is_default=True)
    address.is_default = True


def do_create_address(user: User, *, is_default: bool = False, **fields: Any) -> Address:
    clean = check_address(fields, partial=False)
    with transaction.atomic():
        first = not Address.objects.filter(user=user).exists()
        address = Address.objects.create(user=user, **clean)
        if is_default or first:
            _make_default(user, address)
    return address


def do_update_address(
    user: User, address: Address, *, is_default: bool | None = None, **fields: Any
) -> Address:
    clean = check_address(fields, partial=True)
    with transaction.atomic():
        for key, value in clean.items():
            setattr(address, key, value)
        if clean:
            address.save(update_fields=list(clean))
        if is_default:
            _make_default(user, address)
    return address


def do_delete_address(user: User, address: Address) -> None:
    with transaction.atomic():
        was_default = address.is_default
        address.delete()
        if was_default:
            nxt = Address.objects.filter(user=user).order_by("-id").first()
            if nxt:
                _make_default(user, nxt)
