from django.urls import path, re_path

from agora.platform import views

urlpatterns = [
    # With or without a trailing slash, as Mastodon answers (toot posts to /oauth/token/): the same
    # view, no redirect, which would lose a POST's body. reverse() gives the form without.
    re_path(r"^oauth/authorize/?\Z", views.AuthorizeView.as_view(), name="oauth-authorize"),
    re_path(r"^oauth/token/?\Z", views.MastodonTokenView.as_view(), name="oauth-token"),
    re_path(r"^oauth/revoke/?\Z", views.MastodonRevokeView.as_view(), name="oauth-revoke"),
    re_path(
        r"^\.well-known/oauth-authorization-server/?\Z",
        views.authorization_server_metadata,
        name="oauth-metadata",
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
