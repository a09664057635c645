from django.urls import path

from agora.feeds import views

app_name = "feeds"

urlpatterns = [
    path("home", views.home_feed, name="home-more"),
    path("public", views.public_feed, name="public"),
]
