"""Mounted by the core: `urlpatterns` at /channels/miinto/ (namespace "miinto"), `api_urlpatterns` at
/api/channels/miinto/ (namespace "api:miinto")."""
from django.urls import path

from . import api, views

urlpatterns = [
    path("", views.miinto_settings, name="settings"),
    path("feed/<str:token>.tsv", views.feed_tsv, name="feed"),
    path("feed/<str:token>/<str:shop_id>.tsv", views.feed_tsv, name="shop_feed"),
    path("feed/rotate/", views.miinto_feed_rotate, name="feed_rotate"),
    path("use-sandbox/", views.miinto_use_sandbox_view, name="use_sandbox"),
]

api_urlpatterns = [
    path("settings/", api.MiintoSettingsView.as_view(), name="settings"),
    path("feed/", api.MiintoFeedView.as_view(), name="feed"),
]
