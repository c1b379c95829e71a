"""REST API for the Miinto settings and the feed URL (the same services as the settings page)."""
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from connector.api import django_errors
from connector.api_access import TenantScopedAPIView
from connector.serializers import FeedUrlSerializer, MiintoSettingsSerializer

from .models import MiintoShop
from .settings_services import miinto_feed_rotate_token, miinto_settings_get_or_create, miinto_settings_update


def _with_shops(settings):
    settings.shops_list = list(MiintoShop.objects.for_tenant(settings.tenant).order_by("shop_id"))
    return settings


class MiintoSettingsView(TenantScopedAPIView, APIView):
    @extend_schema(responses=MiintoSettingsSerializer, summary="Miinto settings",
                   description="Your Miinto credentials (secrets are never shown), feed options and shops.")
    def get(self, request):
        settings = miinto_settings_get_or_create(tenant=self.tenant)
        return Response(MiintoSettingsSerializer(_with_shops(settings)).data)

    @extend_schema(request=MiintoSettingsSerializer, responses=MiintoSettingsSerializer,
                   summary="Change Miinto settings (only the fields given)",
                   description="Owners only; a 400 names each field that is wrong.")
    def patch(self, request):
        body = MiintoSettingsSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        fields = dict(body.validated_data)
        shops = fields.pop("shops_list", None)
        try:
            settings = miinto_settings_update(tenant=self.tenant, shops=shops, **fields)
        except DjangoValidationError as exc:
            raise django_errors(exc) from None
        return Response(MiintoSettingsSerializer(_with_shops(settings)).data)


class MiintoFeedView(TenantScopedAPIView, APIView):
    def _url(self, request, settings):
        return {"feed_url": request.build_absolute_uri(reverse("miinto_feed", args=[settings.feed_token]))}

    @extend_schema(responses=FeedUrlSerializer, summary="The secret feed URL to give Miinto",
                   description="The address Miinto fetches your product feed from. Keep it secret.")
    def get(self, request):
        return Response(FeedUrlSerializer(self._url(request, miinto_settings_get_or_create(tenant=self.tenant))).data)

    @extend_schema(request=None, responses=FeedUrlSerializer, summary="Replace the feed URL (the old one stops working)",
                   description="Owners only. Give Miinto the new address.")
    def post(self, request):
        return Response(FeedUrlSerializer(self._url(request, miinto_feed_rotate_token(tenant=self.tenant))).data)
