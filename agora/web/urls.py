from django.urls import path

from agora.web import views

urlpatterns = [
    path("", views.home, name="home"),
]
