from django.urls import path

from . import feed_views

urlpatterns = [
    path("feed/<str:token>.tsv", feed_views.feed_tsv, name="miinto_feed"),
]
