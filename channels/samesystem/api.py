"""REST API for SameSystem: settings (the password never comes back), the departments and their Lightspeed
shop, and historical imports (create, progress, cancel). The same services as the page."""
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from connector.api import django_errors
from connector.api_access import TenantScopedAPIView

from .models import SameSystemDepartment, SameSystemImport, SameSystemSettings
from .selectors import imports_recent
from .services import departments_map, import_cancel, import_create, samesystem_settings_get_or_create, \
    samesystem_settings_update

ID = {"min_value": 1, "max_value": 2**62}


class SameSystemSettingsSerializer(serializers.ModelSerializer):
    """The password is write-only (blank keeps the stored one); `enabled` changes with the channel switch.
    `field_map`: figure (gross_sales, net_sales, discounts, returns, transactions, goods_sold, goods_returned,
    visitors) -> weekly-balance field_id; a figure left out is not sent."""

    password = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=500)
    has_password = serializers.SerializerMethodField()
    sftp_password = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=500)
    field_map = serializers.DictField(child=serializers.IntegerField(**ID), required=False)

    class Meta:
        model = SameSystemSettings
        fields = ["enabled", "email", "password", "has_password", "vat_included", "auto_confirm", "field_map",
                  "sftp_host", "sftp_port", "sftp_user", "sftp_password", "sftp_host_key", "sftp_directory",
                  "fields_seen", "checked_at", "updated_at"]
        read_only_fields = ["enabled", "fields_seen", "checked_at", "updated_at"]

    def get_has_password(self, obj) -> bool:
        return bool(obj.password)


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = SameSystemDepartment
        fields = ["id", "ctx_token", "name", "dpt_no", "register_count", "lightspeed_shop_ls_id", "seen"]
        read_only_fields = ["ctx_token", "name", "dpt_no", "register_count", "seen"]


class DepartmentMappingSerializer(serializers.Serializer):
    id = serializers.IntegerField(**ID)
    lightspeed_shop_ls_id = serializers.IntegerField(allow_null=True, **ID)


class ImportSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    department_ids = serializers.ListField(child=serializers.IntegerField(**ID), min_length=1, max_length=500,
                                           help_text="ids from GET departments/ (mapped ones)")

    class Meta:
        model = SameSystemImport
        fields = ["id", "department_ids", "date_from", "date_to", "overwrite_approved", "state", "days_total",
                  "days_done", "percent", "message", "created_at"]
        read_only_fields = ["state", "days_total", "days_done", "message", "created_at"]


class SameSystemSettingsView(TenantScopedAPIView, APIView):
    @extend_schema(responses=SameSystemSettingsSerializer, summary="SameSystem settings",
                   description="The API user (the password is never shown), VAT, auto confirm and the field mapping.")
    def get(self, request):
        return Response(SameSystemSettingsSerializer(samesystem_settings_get_or_create(tenant=self.tenant)).data)

    @extend_schema(request=SameSystemSettingsSerializer, responses=SameSystemSettingsSerializer,
                   summary="Change SameSystem settings (only the fields given)",
                   description="Owners only; a 400 names each field that is wrong.")
    def patch(self, request):
        body = SameSystemSettingsSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        try:
            settings = samesystem_settings_update(tenant=self.tenant, **dict(body.validated_data))
        except DjangoValidationError as exc:
            raise django_errors(exc) from None
        return Response(SameSystemSettingsSerializer(settings).data)


class SameSystemDepartmentsView(TenantScopedAPIView, APIView):
    def _list(self):
        rows = SameSystemDepartment.objects.for_tenant(self.tenant).order_by("name", "ctx_token")
        return DepartmentSerializer(rows, many=True).data

    @extend_schema(responses=DepartmentSerializer(many=True), summary="SameSystem departments",
                   description="As SameSystem lists them at the last Test connection, with their Lightspeed shop.")
    def get(self, request):
        return Response(self._list())

    @extend_schema(request=DepartmentMappingSerializer(many=True), responses=DepartmentSerializer(many=True),
                   summary="Map departments to Lightspeed shops", description="Owners only; null unmaps.")
    def patch(self, request):
        body = DepartmentMappingSerializer(data=request.data, many=True)
        body.is_valid(raise_exception=True)
        try:
            with transaction.atomic():
                departments_map(tenant=self.tenant, shops={r["id"]: r["lightspeed_shop_ls_id"]
                                                           for r in body.validated_data})
        except DjangoValidationError as exc:
            raise django_errors(exc) from None
        return Response(self._list())


class SameSystemImportsView(TenantScopedAPIView, APIView):
    @extend_schema(responses=ImportSerializer(many=True), summary="Recent historical imports, with progress",
                   description="The last five imports: departments, date range, state and days done of days asked.")
    def get(self, request):
        return Response(ImportSerializer(imports_recent(self.tenant), many=True).data)

    @extend_schema(request=ImportSerializer, responses=ImportSerializer, summary="Queue a historical import",
                   description="Departments and a date range; runs in the background. Owners only.")
    def post(self, request):
        body = ImportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            job = import_create(tenant=self.tenant, **dict(body.validated_data))
        except DjangoValidationError as exc:
            raise django_errors(exc) from None
        return Response(ImportSerializer(job).data, status=201)


class ImportCancelSerializer(serializers.Serializer):
    import_id = serializers.IntegerField(**ID)


class SameSystemImportCancelView(TenantScopedAPIView, APIView):
    @extend_schema(request=ImportCancelSerializer, responses=ImportSerializer, summary="Cancel a historical import",
                   description="Stops between two days; the days already sent stay sent.")
    def post(self, request):
        body = ImportCancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            job = import_cancel(tenant=self.tenant, import_id=body.validated_data["import_id"])
        except SameSystemImport.DoesNotExist:
            raise NotFound("No such import.") from None
        return Response(ImportSerializer(job).data)
