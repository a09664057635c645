from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "agora.reviews"
    label = "reviews"
