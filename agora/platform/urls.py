from django.urls import path

from agora.platform import views

urlpatterns = [
    path("oauth/authorize", views.AuthorizeView.as_view(), name="oauth-authorize"),
    path("oauth/token", views.MastodonTokenView.as_view(), name="oauth-token"),
    path("oauth/revoke", views.MastodonRevokeView.as_view(), name="oauth-revoke"),
    path(
        ".well-known/oauth-authorization-server", views.authorization_server_metadata, name="oauth-metadata"
    ),
    path("auth/confirm/<str:token>", views.confirm_email, name="confirm-email"),
    path("settings/applications", views.applications, name="settings-applications"),
    path("settings/applications/<int:app_id>", views.application_detail, name="settings-application"),
    path(
        "settings/applications/<int:app_id>/delete",
        views.application_delete,
        name="settings-application-delete",
    ),
    path("settings/authorized-apps", views.authorized_apps, name="settings-authorized-apps"),
    path(
        "settings/authorized-apps/<int:app_id>/revoke",
        views.authorized_app_revoke,
        name="settings-authorized-app-revoke",
    ),
]
