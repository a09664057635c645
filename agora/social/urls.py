from django.urls import path

from agora.social import feeds, views

app_name = "social"

urlpatterns = [
    path("statuses/new", views.compose, name="compose"),
    path("statuses/<int:status_id>/<str:action>", views.status_action, name="status-action"),
    path("@<str:handle>/follow", views.follow_toggle, name="follow"),
    path("@<str:handle>/feed.rss", feeds.AccountRss(), name="account-rss"),
    path("@<str:handle>/feed.atom", feeds.AccountAtom(), name="account-atom"),
    path("@<str:handle>/<int:status_id>", views.status_detail, name="status"),
    path("@<str:handle>/<str:tab>", views.profile_tab, name="profile-tab"),
    path("market/reviews/<int:review_id>/share", views.share_review, name="review-share"),
    path("market/products/<int:product_id>/posts", views.product_posts, name="product-posts"),
    path("tags/<str:name>/follow", views.tag_follow_toggle, name="tag-follow"),
    path("tags/<str:name>/feed.rss", feeds.TagRss(), name="tag-rss"),
    path("tags/<str:name>/feed.atom", feeds.TagAtom(), name="tag-atom"),
    path("tags/<str:name>", views.tag_page, name="tag"),
]
