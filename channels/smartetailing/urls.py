"""Mounted by the core: `urlpatterns` at /channels/smartetailing/ (namespace "smartetailing"),
`api_urlpatterns` at /api/channels/smartetailing/ (namespace "api:smartetailing")."""
from django.urls import path

from . import api, views

urlpatterns = [
    path("", views.smartetailing_settings, name="settings"),
    path("pending-mappings/", views.pending_mappings_page, name="pending_mappings"),
    path("pending-mappings.csv", views.pending_mappings_download, name="pending_mappings_csv"),
]

api_urlpatterns = [
    path("settings/", api.SmartEtailingSettingsView.as_view(), name="settings"),
    path("test/", api.SmartEtailingTestView.as_view(), name="test"),
]
