"""Types shared by API schemas."""

from typing import Annotated

from pydantic import Field, PlainSerializer, WithJsonSchema

# The largest value a database BIGINT holds. An id beyond it cannot exist, and passing it to a query
# fails in the driver (SQLite OverflowError, PostgreSQL "out of range"): a 500 for bad input.
MAX_ID = 2**63 - 1

# A database id in a request: a whole number in BIGINT range, else 422 like any other bad field.
DbId = Annotated[int, Field(ge=0, le=MAX_ID)]

# A time-ordered 64-bit id: accepted as a number or a string, always sent as a string.
IdStr = Annotated[
    int,
    Field(ge=0, le=MAX_ID),
    PlainSerializer(lambda v: str(v), return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "pattern": "^[0-9]+$"}),
]


def parse_id(value: object) -> int | None:
    """An id from a query string or form field, or None when it is missing, not a whole number or
    beyond BIGINT (such a value would reach the database driver and fail there)."""
    text = str(value).strip() if value is not None else ""
    if not text.isdigit() or not text.isascii():
        return None
    number = int(text)
    return number if number <= MAX_ID else None
