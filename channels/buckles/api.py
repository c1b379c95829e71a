"""REST API for the Buckles settings (the same services as the settings page) and the webhook URL."""
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from connector.api import django_errors
from connector.api_access import TenantScopedAPIView

from .models import BucklesSettings, BucklesShop
from .services import buckles_settings_get_or_create, buckles_settings_update, buckles_webhook_rotate


class BucklesShopSerializer(serializers.Serializer):
    lightspeed_shop_ls_id = serializers.IntegerField(min_value=1, max_value=2**62)
    location = serializers.CharField(max_length=100, allow_blank=True, required=False, default="")


class BucklesSettingsSerializer(serializers.ModelSerializer):
    """Secrets are write-only (a blank one keeps the stored value); `enabled` changes with the channel switch."""

    api_token = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=500)
    webhook_secret = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=500)
    has_api_token = serializers.SerializerMethodField()
    has_webhook_secret = serializers.SerializerMethodField()
    status_map = serializers.DictField(child=serializers.CharField(max_length=40, allow_blank=True), required=False,
                                       help_text="Lightspeed state -> Buckles status; blank: not mapped")
    shops = BucklesShopSerializer(many=True, required=False, source="shops_list",
                                  help_text="replaces the whole shop mapping when given")

    class Meta:
        model = BucklesSettings
        fields = ["enabled", "account", "api_token", "has_api_token", "webhook_secret", "has_webhook_secret",
                  "source", "currency", "status_map", "sync_products", "sync_customers", "sync_checkouts", "shops",
                  "updated_at"]
        read_only_fields = ["enabled", "updated_at"]

    def get_has_api_token(self, obj) -> bool:
        return bool(obj.api_token)

    def get_has_webhook_secret(self, obj) -> bool:
        return bool(obj.webhook_secret)


class WebhookUrlSerializer(serializers.Serializer):
    webhook_url = serializers.URLField()


def _with_shops(settings):
    settings.shops_list = list(BucklesShop.objects.for_tenant(settings.tenant).order_by("lightspeed_shop_ls_id"))
    return settings


class BucklesSettingsView(TenantScopedAPIView, APIView):
    @extend_schema(responses=BucklesSettingsSerializer, summary="Buckles settings",
                   description="Your Buckles account (secrets are never shown), status table and shops.")
    def get(self, request):
        return Response(BucklesSettingsSerializer(_with_shops(buckles_settings_get_or_create(tenant=self.tenant))).data)

    @extend_schema(request=BucklesSettingsSerializer, responses=BucklesSettingsSerializer,
                   summary="Change Buckles settings (only the fields given)",
                   description="Owners only; a 400 names each field that is wrong.")
    def patch(self, request):
        body = BucklesSettingsSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        fields = dict(body.validated_data)
        shops = fields.pop("shops_list", None)
        try:
            settings = buckles_settings_update(tenant=self.tenant, shops=shops, **fields)
        except DjangoValidationError as exc:
            raise django_errors(exc) from None
        return Response(BucklesSettingsSerializer(_with_shops(settings)).data)


class BucklesWebhookView(TenantScopedAPIView, APIView):
    def _url(self, request, settings):
        return {"webhook_url": request.build_absolute_uri(reverse("buckles:webhook", args=[settings.webhook_token]))}

    @extend_schema(responses=WebhookUrlSerializer, summary="The webhook URL to give Buckles",
                   description="Buckles posts signed events (stock, shipments, customers) here.")
    def get(self, request):
        settings = buckles_settings_get_or_create(tenant=self.tenant)
        return Response(WebhookUrlSerializer(self._url(request, settings)).data)

    @extend_schema(request=None, responses=WebhookUrlSerializer, summary="Replace the webhook URL (the old one stops)",
                   description="Owners only. Give Buckles the new address.")
    def post(self, request):
        return Response(WebhookUrlSerializer(self._url(request, buckles_webhook_rotate(tenant=self.tenant))).data)
