from django.urls import path

from . import api, views

urlpatterns = [
    path("", views.settings_page, name="settings"),
    path("hook/<str:token>/", views.webhook, name="webhook"),
]

api_urlpatterns = [path("settings/", api.DummySettingsView.as_view(), name="settings")]
