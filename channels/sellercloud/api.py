"""REST API for the Sellercloud settings, "Test connection", the shops mapping and the warehouse refresh
(the same services as the page)."""
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from connector.api import django_errors
from connector.api_access import TenantScopedAPIView
from connector.http import ApiError

from .models import SellercloudSettings, SellercloudShop
from .services import (SWITCHES, sellercloud_connection_test, sellercloud_settings_get_or_create,
                       sellercloud_settings_update, shops_and_warehouses_refresh, shops_mapping_save)


class SellercloudSettingsSerializer(serializers.ModelSerializer):
    """The password is write-only (blank keeps the stored one); `enabled` changes with the channel switch."""

    password = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=500)
    has_password = serializers.SerializerMethodField()
    company_id = serializers.CharField(required=False, allow_blank=True, max_length=20)

    class Meta:
        model = SellercloudSettings
        fields = ["enabled", "server", "username", "password", "has_password", "company_id", *SWITCHES,
                  "returns_warehouse_id", "orders_since", "warehouses", "warehouses_at", "updated_at"]
        read_only_fields = ["enabled", "warehouses", "warehouses_at", "updated_at"]

    def get_has_password(self, obj) -> bool:
        return bool(obj.password)


class ConnectionTestSerializer(serializers.Serializer):
    server = serializers.CharField(required=False, allow_blank=True, max_length=120)
    username = serializers.CharField(required=False, allow_blank=True, max_length=200)
    password = serializers.CharField(required=False, allow_blank=True, write_only=True, max_length=500)
    company_id = serializers.CharField(required=False, allow_blank=True, max_length=20)


class ShopRowSerializer(serializers.ModelSerializer):
    warehouse_ids = serializers.ListField(child=serializers.IntegerField(min_value=1))

    class Meta:
        model = SellercloudShop
        fields = ["shop_ls_id", "warehouse_ids", "employee_ls_id", "register_ls_id"]


class SellercloudSettingsView(TenantScopedAPIView, APIView):
    @extend_schema(responses=SellercloudSettingsSerializer, summary="Sellercloud settings",
                   description="Login (the password is never shown), company, the switches and the Returns Warehouse.")
    def get(self, request):
        return Response(SellercloudSettingsSerializer(sellercloud_settings_get_or_create(tenant=self.tenant)).data)

    @extend_schema(request=SellercloudSettingsSerializer, responses=SellercloudSettingsSerializer,
                   summary="Change Sellercloud settings (only the fields given)",
                   description="Owners only; a 400 names each field that is wrong.")
    def patch(self, request):
        body = SellercloudSettingsSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        try:
            settings = sellercloud_settings_update(tenant=self.tenant, **body.validated_data)
        except DjangoValidationError as exc:
            raise django_errors(exc) from None
        return Response(SellercloudSettingsSerializer(settings).data)


class ConnectionTestView(TenantScopedAPIView, APIView):
    @extend_schema(request=ConnectionTestSerializer, responses=SellercloudSettingsSerializer,
                   summary="Test connection: log in, find the company, then save the credentials",
                   description="Nothing is saved when the login or the company check fails (400 says which).")
    def post(self, request):
        body = ConnectionTestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            settings, _ = sellercloud_connection_test(tenant=self.tenant, **body.validated_data)
        except DjangoValidationError as exc:
            raise django_errors(exc) from None
        return Response(SellercloudSettingsSerializer(settings).data)


class ShopsView(TenantScopedAPIView, APIView):
    @extend_schema(responses=ShopRowSerializer(many=True), summary="The shops mapping",
                   description="Each Lightspeed shop with its Sellercloud warehouses, employee and register.")
    def get(self, request):
        rows = SellercloudShop.objects.for_tenant(self.tenant).order_by("shop_ls_id")
        return Response(ShopRowSerializer(rows, many=True).data)

    @extend_schema(request=ShopRowSerializer(many=True), responses=ShopRowSerializer(many=True),
                   summary="Map Lightspeed shops to Sellercloud warehouses (the rows given)",
                   description="A shop with no warehouse sends and receives nothing.")
    def put(self, request):
        body = ShopRowSerializer(data=request.data, many=True)
        body.is_valid(raise_exception=True)
        try:
            rows = shops_mapping_save(tenant=self.tenant, rows=body.validated_data)
        except DjangoValidationError as exc:
            raise django_errors(exc) from None
        return Response(ShopRowSerializer(rows, many=True).data)


class RefreshView(TenantScopedAPIView, APIView):
    @extend_schema(request=None, responses=SellercloudSettingsSerializer,
                   summary="Re-download shops and warehouses",
                   description="Downloads the Sellercloud warehouses now and re-reads the Lightspeed shops; "
                               "a 400 says why Sellercloud could not be reached.")
    def post(self, request):
        try:
            settings = shops_and_warehouses_refresh(tenant=self.tenant)
        except ApiError as exc:
            return Response({"detail": f"Could not download the warehouses from Sellercloud: {exc}"}, status=400)
        return Response(SellercloudSettingsSerializer(settings).data)
