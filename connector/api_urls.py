from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from . import api, docs_views
from .channels import channels_all

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False  # no /api/channels.json: the views take no `format` (and Accept does it)
router.register("channels", api.ChannelViewSet, basename="channel")
router.register("schedules", api.ScheduleViewSet, basename="schedule")
router.register("runs", api.RunViewSet, basename="run")
router.register("orders", api.OrderViewSet, basename="order")
router.register("jobs", api.JobViewSet, basename="job")

app_name = "api"

urlpatterns = [
    path("connection/", api.ConnectionView.as_view(), name="connection"),
    *[path(f"channels/{c.key}/", include((c.api_urls, c.key), namespace=c.key)) for c in channels_all() if c.api_urls],
    path("", include(router.urls)),
    path("", include("tenants.api_urls")),  # token/, tokens/
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs_views.docs_view, name="docs"),  # CSP-safe views (connector.docs_views)
    path("redoc/", docs_views.redoc_view, name="redoc"),
]
