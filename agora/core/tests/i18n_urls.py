"""A URLconf with language-prefixed patterns, which agora.core.language refuses to serve."""

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.urls import path

urlpatterns = i18n_patterns(path("", lambda request: HttpResponse()))
