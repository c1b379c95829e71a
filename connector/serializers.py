"""API serializers: shapes only. Writes go through the services in the views."""
from rest_framework import serializers

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
    min_interval_seconds = serializers.IntegerField()


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
    interval_seconds = serializers.IntegerField(min_value=1, max_value=7 * 24 * 3600, required=False,
                                                help_text="at least the job's min_interval_seconds (/api/jobs/)")

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
        fields = ["id", "channel", "external_id", "state", "reference", "sale_id", "sale_ids", "customer_id",
                  "last_error", "attention", "settle_after", "attempts", "created_at", "updated_at"]


class RunRequestSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField(default=False)


class RunRequestedSerializer(serializers.Serializer):
    job = serializers.CharField()
    requested_at = serializers.DateTimeField()
    runs_url = serializers.CharField(help_text="list this job's runs started since the request")


class AcceptedSerializer(serializers.Serializer):
    detail = serializers.CharField()
