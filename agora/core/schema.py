"""Types shared by API schemas."""

from typing import Annotated

from pydantic import PlainSerializer, WithJsonSchema

# A time-ordered 64-bit id: accepted as a number or a string, always sent as a string.
IdStr = Annotated[
    int,
    PlainSerializer(lambda v: str(v), return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "pattern": "^[0-9]+$"}),
]
