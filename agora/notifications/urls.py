from django.urls import path

from agora.notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications", views.notifications_page, name="list"),
    path("notifications/read", views.mark_read, name="mark-read"),
]
