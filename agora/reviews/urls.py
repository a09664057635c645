from django.urls import path

from agora.reviews import views

urlpatterns = [
    path("market/reviews/<int:line_id>", views.create_review, name="review-create"),
]
