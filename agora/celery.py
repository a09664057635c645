"""The Celery app. With no AGORA_BROKER_URL, tasks run eagerly (inline) in the process that queues them."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agora.settings")

app = Celery("agora")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
