from django.urls import path

from agora.accounts import views

urlpatterns = [
    path("signup", views.signup, name="signup"),
    path("login", views.LoginView.as_view(), name="login"),
    path("logout", views.LogoutView.as_view(), name="logout"),
    path("settings", views.settings_index, name="settings"),
    path("settings/profile", views.settings_profile, name="settings-profile"),
    path("settings/password", views.PasswordChangeView.as_view(), name="settings-password"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password-reset/done/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("@<str:handle>", views.profile, name="profile"),
]
