"""API serializers: shapes only. Writes go through the services in the views."""
from rest_framework import serializers

from channels.miinto.models import MiintoSettings

from .models import OrderLedger, Schedule, SyncEvent, SyncRun


class ConnectionSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="connected, needs_reconnect, paused or disconnected")
    reason = serializers.CharField(allow_blank=True)
    account_id = serializers.CharField(allow_blank=True)
    account_name = serializers.CharField(allow_blank=True)
    connected_at = serializers.DateTimeField(allow_null=True)


class JobSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    interval_seconds = serializers.IntegerField()


class ChannelSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    is_source = serializers.BooleanField()
    enabled = serializers.BooleanField()
    paused_reasons = serializers.ListField(child=serializers.CharField())
    jobs = serializers.ListField(child=serializers.CharField())


class ChannelSwitchSerializer(serializers.Serializer):
    on = serializers.BooleanField()


class ScheduleSerializer(serializers.ModelSerializer):
    paused = serializers.BooleanField(source="is_paused", read_only=True)
    resume = serializers.BooleanField(write_only=True, required=False, help_text="true: lift a pause")
    interval_seconds = serializers.IntegerField(min_value=60, max_value=7 * 24 * 3600, required=False)

    class Meta:
        model = Schedule
        fields = ["id", "job", "enabled", "paused", "paused_reason", "interval_seconds", "next_run_at",
                  "consecutive_failures", "resume"]
        read_only_fields = ["id", "job", "paused_reason", "next_run_at", "consecutive_failures"]


class RunSerializer(serializers.ModelSerializer):
    counts = serializers.DictField(child=serializers.IntegerField(), read_only=True)

    class Meta:
        model = SyncRun
        fields = ["id", "job", "trigger", "status", "dry_run", "attempt", "started_at", "finished_at", "counts",
                  "error_kind", "error"]


OWNER_HIDDEN_EVENT_DATA = {"traceback"}  # server internals: support reads them in the admin


class OwnerEventDataField(serializers.DictField):
    def to_representation(self, value):
        return super().to_representation({k: v for k, v in (value or {}).items() if k not in OWNER_HIDDEN_EVENT_DATA})


class EventSerializer(serializers.ModelSerializer):
    data = OwnerEventDataField(read_only=True, help_text="Details of the event (no server internals).")

    class Meta:
        model = SyncEvent
        fields = ["id", "run", "created_at", "level", "message", "object_type", "object_id", "data"]


class OrderSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderLedger
        fields = ["id", "channel", "external_id", "state", "reference", "sale_id", "customer_id", "last_error",
                  "attempts", "created_at", "updated_at"]


class RunRequestSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField(default=False)


class RunRequestedSerializer(serializers.Serializer):
    job = serializers.CharField()
    requested_at = serializers.DateTimeField()
    runs_url = serializers.CharField(help_text="list this job's runs started since the request")


class AcceptedSerializer(serializers.Serializer):
    detail = serializers.CharField()


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
    feed_shop_ls_id = serializers.IntegerField(min_value=1, max_value=2**62, allow_null=True, required=False)
    register_ls_id = serializers.IntegerField(min_value=1, max_value=2**62, allow_null=True, required=False)
    employee_ls_id = serializers.IntegerField(min_value=1, max_value=2**62, allow_null=True, required=False)

    class Meta:
        model = MiintoSettings
        fields = ["enabled", "identifier", "secret", "has_secret", "feed_basic_user", "feed_basic_password",
                  "feed_price_level_ls_id", "feed_shop_ls_id", "feed_only_in_stock", "feed_category_ls_ids",
                  "feed_extra_columns", "feed_currency", "order_prefix", "register_ls_id", "employee_ls_id",
                  "shipping_method_map", "unfulfillable_policy", "void_policy", "shops", "updated_at"]
        read_only_fields = ["enabled", "updated_at"]

    def get_has_secret(self, obj) -> bool:
        return bool(obj.secret)


class FeedUrlSerializer(serializers.Serializer):
    feed_url = serializers.URLField()
