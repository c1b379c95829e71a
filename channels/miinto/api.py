"""REST API for the Miinto settings and the feed URL (the same services as the settings page).

The register, employee and shop Miinto orders use are the Lightspeed point-of-sale choice, not settings here."""
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from connector.api import django_errors
from connector.api_access import TenantScopedAPIView
from tenants.models import Membership

from .feed import feed_path, feed_path_hint
from .models import MiintoSettings, MiintoShop
from .services import miinto_feed_rotate_token, miinto_settings_get_or_create, miinto_settings_update


class MiintoShopSerializer(serializers.Serializer):
    shop_id = serializers.CharField(max_length=60)
    country = serializers.CharField(max_length=2, allow_blank=True, required=False, default="")
    lightspeed_shop_ls_id = serializers.IntegerField(min_value=1, max_value=2**62)


class MiintoSettingsSerializer(serializers.ModelSerializer):
    """Secrets are write-only (a blank one keeps the stored value); `enabled` changes with the channel switch."""

    secret = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=500)
    feed_basic_password = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=500)
    has_secret = serializers.SerializerMethodField()
    shops = MiintoShopSerializer(many=True, required=False, source="shops_list",
                                 help_text="replaces the whole Miinto shop mapping when given")
    feed_category_ls_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**62), required=False)
    shipping_method_map = serializers.DictField(child=serializers.CharField(max_length=200), required=False)
    feed_price_level_ls_id = serializers.IntegerField(min_value=1, max_value=2**62, allow_null=True, required=False)

    class Meta:
        model = MiintoSettings
        fields = ["enabled", "identifier", "secret", "has_secret", "feed_basic_user", "feed_basic_password",
                  "feed_price_level_ls_id", "feed_only_in_stock", "feed_category_ls_ids",
                  "feed_extra_columns", "feed_currency", "order_prefix",
                  "shipping_method_map", "unfulfillable_policy", "void_policy", "shops", "updated_at"]
        read_only_fields = ["enabled", "updated_at"]

    def get_has_secret(self, obj) -> bool:
        return bool(obj.secret)


class FeedUrlSerializer(serializers.Serializer):
    feed_url = serializers.URLField()


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
            settings = miinto_settings_update(tenant=self.tenant, shops=shops, verify=True, **fields)
        except DjangoValidationError as exc:
            raise django_errors(exc) from None
        return Response(MiintoSettingsSerializer(_with_shops(settings)).data)


class MiintoFeedView(TenantScopedAPIView, APIView):
    def _url(self, request, settings):
        path = feed_path(settings=settings)
        if request.membership.role != Membership.Role.OWNER:
            path = feed_path_hint(path, settings.feed_token)  # members read settings, not the secret
        return {"feed_url": request.build_absolute_uri(path)}

    @extend_schema(responses=FeedUrlSerializer, summary="The secret feed URL to give Miinto",
                   description="The address Miinto fetches your product feed from. Keep it secret. Members get "
                               "the address with its secret part cut short; owners get it whole.")
    def get(self, request):
        return Response(FeedUrlSerializer(self._url(request, miinto_settings_get_or_create(tenant=self.tenant))).data)

    @extend_schema(request=None, responses=FeedUrlSerializer,
                   summary="Replace the feed URL (the old one stops working)",
                   description="Owners only. Give Miinto the new address.")
    def post(self, request):
        return Response(FeedUrlSerializer(self._url(request, miinto_feed_rotate_token(tenant=self.tenant))).data)
