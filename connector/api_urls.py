from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from . import api
from .channels import channels_all

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
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
    path("token/", obtain_auth_token, name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
]
