from django.db import models

from agora.core.ids import new_id


class SnowflakeIdField(models.BigIntegerField):
    """Primary key holding a time-ordered id (agora.core.ids)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("primary_key", True)
        kwargs.setdefault("default", new_id)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "agora.core.fields.SnowflakeIdField", args, kwargs
