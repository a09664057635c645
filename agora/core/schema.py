"""Types shared by API schemas."""

from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationInfo,
    WithJsonSchema,
)
from pydantic.json_schema import SkipJsonSchema

from agora.core.errors import Invalid

# The largest value a database BIGINT holds. An id beyond it cannot exist, and passing it to a query
# fails in the driver (SQLite OverflowError, PostgreSQL "out of range"): a 500 for bad input.
MAX_ID = 2**63 - 1


def digits_at_most(limit: int) -> str:
    """A regular expression (ECMA-262 and Python) for the decimal numbers from 0 to `limit` as
    written canonically (no leading zero): the document's exact description of an id as text."""
    text = str(limit)
    alternatives = ["0"]
    if len(text) > 1:
        alternatives.append(f"[1-9][0-9]{{0,{len(text) - 2}}}")
    for i, digit in enumerate(text):
        low = 1 if i == 0 else 0
        if int(digit) > low:
            rest = len(text) - i - 1
            span = f"[{low}-{int(digit) - 1}]" if int(digit) - 1 > low else str(low)
            alternatives.append(text[:i] + span + (f"[0-9]{{{rest}}}" if rest else ""))
    alternatives.append(text)
    return "^(?:" + "|".join(dict.fromkeys(alternatives)) + ")$"


ID_PATTERN = digits_at_most(MAX_ID)


def _id_value(value: Any) -> Any:
    """An id as a client may send it: a JSON number, or its digits as a string, as the API writes it
    (Mastodon clients send strings). Not pydantic's lax int, which also takes " 5", "+5", "1_0",
    "5.0", "05" and true."""
    if isinstance(value, str):
        if value.isascii() and value.isdigit() and (value[0] != "0" or value == "0"):
            return int(value)
        raise ValueError("an id is a whole number, or its digits as a string")
    if isinstance(value, bool):
        raise ValueError("an id is a whole number, or a string of digits")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


_ID_IN = {
    "anyOf": [
        {"type": "integer", "minimum": 0, "maximum": MAX_ID},
        {"type": "string", "pattern": ID_PATTERN},
    ]
}

# A database id in a request: a whole number in BIGINT range, else 422 like any other bad field.
DbId = Annotated[
    int, BeforeValidator(_id_value), Field(ge=0, le=MAX_ID), WithJsonSchema(_ID_IN, mode="validation")
]


def _whole_number(value: Any) -> Any:
    """JSON's integers: 5, and 5.0 (JSON Schema's "integer" takes it); not true, not "5"."""
    if isinstance(value, bool | str):
        raise ValueError("Input should be a whole number")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _text(value: str, info: ValidationInfo) -> str:
    if "\x00" in value:
        # Raised through pydantic (not a ValueError), so the answer is the one the database's
        # refusal gets (agora/core/dataerrors.py): 422 invalid_value.
        raise Invalid(
            "The request holds a value that cannot be stored (a NUL character).",
            code="invalid_value",
            field=info.field_name,
        )
    return value


# Input fields of request models (strict models: no "5" for 5, no "yes" for true, no 5 for "5"):
# a whole number as JSON Schema's "integer" means it, and text without NUL (PostgreSQL refuses NUL;
# SQLite, which would store it, refuses it here too, so both profiles answer alike).
WholeNumber = Annotated[int, BeforeValidator(_whole_number)]
Text = Annotated[str, AfterValidator(_text)]

# An id in a list (media_ids ...): its digits as a string only, in the document, so that a list
# without repeats in JSON Schema's sense (uniqueItems) names no id twice; a number is still read.
ListedId = Annotated[
    int,
    BeforeValidator(_id_value),
    Field(ge=0, le=MAX_ID),
    WithJsonSchema({"type": "string", "pattern": ID_PATTERN}, mode="validation"),
]

# A time-ordered 64-bit id: accepted as a number or a string, always sent as a string.
IdStr = Annotated[
    int,
    BeforeValidator(_id_value),
    Field(ge=0, le=MAX_ID),
    PlainSerializer(lambda v: str(v), return_type=str, when_used="json"),
    WithJsonSchema(_ID_IN, mode="validation"),
    WithJsonSchema({"type": "string", "pattern": "^[0-9]+$"}, mode="serialization"),
]


def canonical_id(text: str) -> int | None:
    """An id from a query string as the API writes it (its digits, no leading zero), else None."""
    try:
        return _id_value(text) if text.isascii() else None
    except ValueError:
        return None


def parse_id(value: object) -> int | None:
    """An id from a query string or form field, or None when it is missing, not a whole number or
    beyond BIGINT (such a value would reach the database driver and fail there)."""
    text = str(value).strip() if value is not None else ""
    if not text.isdigit() or not text.isascii():
        return None
    number = int(text)
    return number if number <= MAX_ID else None


# --- documenting text the domain checks after str.strip() ---------------------------------------------
# The characters str.isspace() calls whitespace (what str.strip() removes): not the same set as a
# regular expression's \s (which misses \x1c-\x1f and \x85 and has \ufeff).
_SPACE_RANGES = [
    (0x09, 0x0D),
    (0x1C, 0x20),
    (0x85, 0x85),
    (0xA0, 0xA0),
    (0x1680, 0x1680),
    (0x2000, 0x200A),
    (0x2028, 0x2029),
    (0x202F, 0x202F),
    (0x205F, 0x205F),
    (0x3000, 0x3000),
]
SPACE = "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in _SPACE_RANGES)
# No pattern here admits NUL: the API refuses it in text (agora/core/dataerrors.py).
NO_NUL = "^[^\x00]*$"
# As a JSON Schema pattern (unanchored): "has a character that is not space".
NOT_SPACE = f"[^{SPACE}\x00]"


def stripped_length(low: int, high: int) -> str:
    """A pattern for the strings without NUL whose str.strip() has `low` to `high` characters."""
    space, solid, anything = f"[{SPACE}]", NOT_SPACE, "[^\x00]"
    if high == 0:
        return f"^{space}*$"
    if high == 1:
        core = solid
    else:
        core = f"{solid}(?:{anything}{{{max(low - 2, 0)},{high - 2}}}{solid})"
        core = f"{solid}|{core}" if low <= 1 else core
    return f"^{space}*(?:{core}){'?' if low == 0 else ''}{space}*$"


# An http(s) web address as the profile's `website` takes it (or empty, to remove it). Django's
# URLValidator, which checks it, takes a little more (IP addresses, ports, user info, IDNs).
_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
WEBSITE_PATTERN = f"^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:{_LABEL}\\.)+[A-Za-z]{{2,63}}(?:[/?#][^{SPACE}\x00]*)?)?$"


# --- shapes of responses (documentation: the API renders its serializers' dicts as they are) -------

# A decimal amount of money as the API writes it: two places, a minus sign only on ledger debits.
Money = Annotated[str, Field(pattern=r"^-?[0-9]+\.[0-9]{2}$")]


class ErrorDetail(BaseModel):
    """One problem of a 422 `validation_failed`."""

    field: str | None
    message: str
    type: str


class ErrorOut(BaseModel):
    """Every error of the API: a message for people, a stable code for programs, and for some codes
    more fields (`details` for validation_failed; `stock` and `variant_id` for stock_conflict ...)."""

    model_config = ConfigDict(extra="allow", title="Error")

    error: str
    code: str
    details: list[ErrorDetail] | SkipJsonSchema[None] = None


class Out(BaseModel):
    """A response shape, exact: every key the serializer writes, no other (additionalProperties: false)."""

    model_config = ConfigDict(extra="forbid")


class EmptyOut(Out):
    """An empty JSON object: what Mastodon answers when there is nothing to return."""
