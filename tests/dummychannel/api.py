from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from connector.api import django_errors
from connector.api_access import TenantScopedAPIView

from .services import dummy_settings_get, dummy_settings_update


class DummySettingsSerializer(serializers.Serializer):
    enabled = serializers.BooleanField(read_only=True)
    account = serializers.CharField(required=False, allow_blank=True)
    api_key = serializers.CharField(required=False, allow_blank=True, write_only=True)


class DummySettingsView(TenantScopedAPIView, APIView):
    @extend_schema(responses=DummySettingsSerializer, summary="Dummy settings",
                   description="The dummy account; the key is never shown.")
    def get(self, request):
        return Response(DummySettingsSerializer(dummy_settings_get(tenant=self.tenant)).data)

    @extend_schema(request=DummySettingsSerializer, responses=DummySettingsSerializer, summary="Change dummy settings",
                   description="Owners only; a 400 names each field that is wrong.")
    def patch(self, request):
        body = DummySettingsSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        try:
            settings = dummy_settings_update(tenant=self.tenant, **body.validated_data)
        except DjangoValidationError as exc:
            raise django_errors(exc) from None
        return Response(DummySettingsSerializer(settings).data)
