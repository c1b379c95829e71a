"""Mounted by the core: `urlpatterns` at /channels/samesystem/ (namespace "samesystem"), `api_urlpatterns` at
/api/channels/samesystem/ (namespace "api:samesystem")."""
from django.urls import path

from . import api, views

urlpatterns = [
    path("", views.samesystem_settings, name="settings"),
    path("test-connection/", views.samesystem_test_connection, name="test_connection"),
    path("import/", views.samesystem_import, name="import"),
    path("import/progress/", views.samesystem_imports, name="imports"),
    path("import/cancel/", views.samesystem_import_cancel, name="import_cancel"),  # import_id in the body
    path("csv/", views.samesystem_csv_download, name="csv_download"),
    path("csv/rotate/", views.samesystem_csv_rotate, name="csv_rotate"),
    path("csv/<str:token>.csv", views.samesystem_csv_public, name="csv"),
]

api_urlpatterns = [
    path("settings/", api.SameSystemSettingsView.as_view(), name="settings"),
    path("departments/", api.SameSystemDepartmentsView.as_view(), name="departments"),
    path("imports/", api.SameSystemImportsView.as_view(), name="imports"),
    path("imports/cancel/", api.SameSystemImportCancelView.as_view(), name="import_cancel"),
]
