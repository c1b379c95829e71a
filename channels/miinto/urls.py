from django.urls import path

from . import feed_views, views

urlpatterns = [
    path("feed/<str:token>.tsv", feed_views.feed_tsv, name="miinto_feed"),
    path("feed/<str:token>/<str:shop_id>.tsv", feed_views.feed_tsv, name="miinto_shop_feed"),
    path("", views.miinto_settings, name="miinto_settings"),
    path("feed/rotate/", views.miinto_feed_rotate, name="miinto_feed_rotate"),
]
