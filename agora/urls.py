from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from agora.accounts.views import set_language
from agora.api.api import url_tree

urlpatterns = [
    path("admin/", admin.site.urls),
    url_tree("api/"),
    # before Django's own: a logged-in member's pick is also saved as their account language
    path("i18n/setlang/", set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("agora.platform.urls")),
    path("", include("agora.accounts.urls")),
    path("", include("agora.social.urls")),
    path("", include("agora.feeds.urls")),
    path("", include("agora.notifications.urls")),
    path("", include("agora.shops.urls")),
    path("", include("agora.catalog.urls")),
    path("", include("agora.cart.urls")),
    path("", include("agora.orders.urls")),
    path("", include("agora.payments.urls")),
    path("", include("agora.reviews.urls")),
    path("", include("agora.boards.urls")),
    path("", include("agora.web.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
