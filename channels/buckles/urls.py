"""Mounted by the core: `urlpatterns` at /channels/buckles/ (namespace "buckles"), `api_urlpatterns` at
/api/channels/buckles/ (namespace "api:buckles")."""
from django.urls import path

from . import api, views

urlpatterns = [
    path("", views.buckles_settings, name="settings"),
    path("webhook/<str:token>/", views.webhook, name="webhook"),
    path("webhook-rotate/", views.buckles_webhook_rotate_view, name="webhook_rotate"),
    path("webhook-register/", views.buckles_webhook_register_view, name="webhook_register"),
]

api_urlpatterns = [
    path("settings/", api.BucklesSettingsView.as_view(), name="settings"),
    path("webhook/", api.BucklesWebhookView.as_view(), name="webhook"),
]
