"""Money as Decimal with two places; sent as strings ("129.00"), never floats."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from agora.core.errors import Invalid

CENT = Decimal("0.01")
MAX_PRICE = Decimal("10000000.00")
# An amount parse_money takes, as the OpenAPI document describes it: 0 to MAX_PRICE, at most two
# decimal places ("129", "129.5", "129.00", ".5"). It also takes "1e2", " 5 " and "5.000".
MONEY_PATTERN = r"^0*(?:[0-9]{1,7}(?:\.[0-9]{0,2})?|\.[0-9]{1,2}|10000000(?:\.0{0,2})?)$"
DEFAULT_CURRENCY = "CNY"


def parse_money(value: object, *, field: str = "price", allow_zero: bool = True) -> Decimal:
    if isinstance(value, float):
        raise Invalid(
            f'{field} must be a decimal string such as "129.00", not a float.', code="invalid_money"
        )
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise Invalid(f'{field} must be a decimal amount such as "129.00".', code="invalid_money") from exc
    if not amount.is_finite() or amount < 0 or amount > MAX_PRICE or (amount == 0 and not allow_zero):
        raise Invalid(f"{field} must be between 0 and {MAX_PRICE}.", code="invalid_money")
    if amount != amount.quantize(CENT):
        raise Invalid(f"{field} has more than two decimal places.", code="invalid_money")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def money_str(amount: Decimal | None) -> str | None:
    return None if amount is None else str(Decimal(amount).quantize(CENT))
