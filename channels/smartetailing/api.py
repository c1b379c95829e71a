"""REST API for the SmartEtailing settings, the store mapping and "Test connection" (the same services as
the page). The register, employee and shop orders use are the Lightspeed point-of-sale choice."""
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from connector.api import django_errors
from connector.api_access import TenantScopedAPIView

from .models import SmartEtailingLocation, SmartEtailingSettings
from .services import smartetailing_connection_test, smartetailing_settings_get_or_create, \
    smartetailing_settings_update

LS_ID = {"min_value": 1, "max_value": 2**62}


class LocationSerializer(serializers.Serializer):
    lightspeed_shop_ls_id = serializers.IntegerField(**LS_ID)
    neighborhood_descriptor = serializers.CharField(max_length=100, trim_whitespace=False)


class SmartEtailingSettingsSerializer(serializers.ModelSerializer):
    """Secrets are write-only (a blank one keeps the stored value); `enabled` changes with the channel switch."""

    url_key = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=200)
    ftp_password = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=200)
    has_url_key = serializers.SerializerMethodField()
    has_ftp_password = serializers.SerializerMethodField()
    regular_price_level_ls_id = serializers.IntegerField(allow_null=True, required=False, **LS_ID)
    sale_price_level_ls_id = serializers.IntegerField(allow_null=True, required=False, **LS_ID)
    locations = LocationSerializer(many=True, required=False, source="locations_list",
                                   help_text="replaces the whole store mapping when given (at least one)")

    class Meta:
        model = SmartEtailingSettings
        fields = ["enabled", "order_service_url", "merchant_id", "url_key", "has_url_key", "ftp_host", "ftp_account",
                  "ftp_password", "has_ftp_password", "filter_on_hand", "filter_on_order", "filter_reorder",
                  "pos_pricing", "regular_price_level_ls_id", "sale_price_level_ls_id", "export_orders",
                  "export_when_fulfilled", "status_after_export", "locations", "updated_at"]
        read_only_fields = ["enabled", "updated_at"]

    def get_has_url_key(self, obj) -> bool:
        return bool(obj.url_key)

    def get_has_ftp_password(self, obj) -> bool:
        return bool(obj.ftp_password)


def _with_locations(config):
    config.locations_list = list(SmartEtailingLocation.objects.for_tenant(config.tenant)
                                 .order_by("neighborhood_descriptor"))
    return config


class SmartEtailingSettingsView(TenantScopedAPIView, APIView):
    @extend_schema(responses=SmartEtailingSettingsSerializer, summary="SmartEtailing settings",
                   description="Order service and POS FTP access (secrets are never shown), store mapping, "
                               "import settings, POS pricing and order export.")
    def get(self, request):
        return Response(SmartEtailingSettingsSerializer(
            _with_locations(smartetailing_settings_get_or_create(tenant=self.tenant))).data)

    @extend_schema(request=SmartEtailingSettingsSerializer, responses=SmartEtailingSettingsSerializer,
                   summary="Change SmartEtailing settings (only the fields given)",
                   description="Owners only; a 400 names each field that is wrong.")
    def patch(self, request):
        body = SmartEtailingSettingsSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        fields = dict(body.validated_data)
        locations = fields.pop("locations_list", None)
        try:
            config = smartetailing_settings_update(tenant=self.tenant, locations=locations, **fields)
        except DjangoValidationError as exc:
            raise django_errors(exc) from None
        return Response(SmartEtailingSettingsSerializer(_with_locations(config)).data)


class SmartEtailingConnectionTestSerializer(serializers.Serializer):
    order_service_url = serializers.CharField(required=False, allow_blank=True, max_length=300)
    merchant_id = serializers.CharField(required=False, allow_blank=True, max_length=40)
    url_key = serializers.CharField(required=False, allow_blank=True, max_length=200, write_only=True)
    ftp_host = serializers.CharField(required=False, allow_blank=True, max_length=200)
    ftp_account = serializers.CharField(required=False, allow_blank=True, max_length=20)
    ftp_password = serializers.CharField(required=False, allow_blank=True, max_length=200, write_only=True)


class SmartEtailingCheckSerializer(serializers.Serializer):
    name = serializers.CharField()
    ok = serializers.BooleanField()
    message = serializers.CharField()


class SmartEtailingTestView(TenantScopedAPIView, APIView):
    @extend_schema(request=SmartEtailingConnectionTestSerializer, responses=SmartEtailingCheckSerializer(many=True),
                   summary="Test the order service and the POS FTP (saves nothing)",
                   description="Owners only. Values not given (and blank secrets) are the stored ones.")
    def post(self, request):
        body = SmartEtailingConnectionTestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        checks = smartetailing_connection_test(tenant=self.tenant, **body.validated_data)
        return Response(SmartEtailingCheckSerializer(checks, many=True).data)
