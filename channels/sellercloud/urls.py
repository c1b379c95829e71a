"""Mounted by the core: `urlpatterns` at /channels/sellercloud/ (namespace "sellercloud"), `api_urlpatterns` at
/api/channels/sellercloud/ (namespace "api:sellercloud")."""
from django.urls import path

from . import api, views

urlpatterns = [
    path("", views.sellercloud_settings, name="settings"),
    path("connection/", views.sellercloud_connection, name="connection"),
    path("shops/", views.sellercloud_shops, name="shops"),
    path("refresh/", views.sellercloud_refresh, name="refresh"),
]

api_urlpatterns = [
    path("settings/", api.SellercloudSettingsView.as_view(), name="settings"),
    path("connection-test/", api.ConnectionTestView.as_view(), name="connection_test"),
    path("shops/", api.ShopsView.as_view(), name="shops"),
    path("refresh/", api.RefreshView.as_view(), name="refresh"),
]
