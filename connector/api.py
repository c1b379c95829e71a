"""The REST API: what a store owner can do, on the same services and selectors as the pages."""
from datetime import timedelta
from datetime import timezone as dt_timezone

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import urlencode
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from .api_access import TenantScopedAPIView
from .channels import UnknownChannel, channel_get, channel_source
from .dashboard import channel_states
from .errors import RunLocked
from .models import OrderLedger, Schedule, SyncEvent, SyncRun
from .registry import UnknownJob, all_jobs, get_job
from .serializers import (AcceptedSerializer, ChannelSerializer, ChannelSwitchSerializer, ConnectionSerializer,
                          EventSerializer, JobSerializer, OrderSerializer, RunRequestedSerializer,
                          RunRequestSerializer, RunSerializer, ScheduleSerializer)
from .services import channel_switch, order_retry, run_request, schedule_update


def django_errors(exc):
    """A service's ValidationError as DRF's 400 body, keyed by field."""
    return ValidationError(getattr(exc, "message_dict", None) or {"non_field_errors": exc.messages})


class ConnectionView(TenantScopedAPIView, APIView):
    @extend_schema(responses=ConnectionSerializer, summary="The Lightspeed connection and its health",
                   description="Whether your shop's Lightspeed account is connected, which account, and when the "
                               "connector last reached it. Tokens are never shown.")
    def get(self, request):
        return Response(ConnectionSerializer(channel_source().connection_facts(tenant=self.tenant)).data)


class ChannelViewSet(TenantScopedAPIView, viewsets.ViewSet):
    lookup_field = "key"
    lookup_value_regex = "[a-z0-9_]+"

    def _data(self, states):
        return [{
            "key": s.channel.key, "title": s.channel.title, "description": s.channel.description,
            "is_source": s.channel.is_source, "enabled": s.enabled, "paused_reasons": s.paused_reasons,
            "jobs": [j.name for j in s.jobs],
        } for s in states]

    @extend_schema(responses=ChannelSerializer(many=True), summary="Channels, on or off, with their jobs",
                   description="Every sales channel the connector offers, whether it is on for your shop, why its "
                               "schedules are paused (if they are), and the jobs it runs.")
    def list(self, request):
        return Response(ChannelSerializer(self._data(channel_states()), many=True).data)

    @extend_schema(responses=ChannelSerializer, summary="One channel",
                   description="One channel by its key (as `/api/channels/` lists them).")
    def retrieve(self, request, key=None):
        states = [s for s in channel_states() if s.channel.key == key]
        if not states:
            raise NotFound("No such channel.")
        return Response(ChannelSerializer(self._data(states)[0]).data)

    @extend_schema(request=ChannelSwitchSerializer, responses=ChannelSerializer,
                   summary="Switch a channel on (schedules enabled) or off",
                   description="On enables the channel's schedules; it needs the channel's settings first "
                               "(a 400 says what is missing). Off stops them. Owners only.")
    @action(detail=True, methods=["post"])
    def switch(self, request, key=None):
        try:
            channel_get(key)
        except UnknownChannel:
            raise NotFound("No such channel.") from None
        body = ChannelSwitchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            channel_switch(tenant=self.tenant, channel=key, on=body.validated_data["on"])
        except DjangoValidationError as exc:
            raise django_errors(exc) from None
        return self.retrieve(request, key=key)


@extend_schema_view(
    list=extend_schema(summary="Schedules", description="When each job of your shop runs next, how often, and "
                                                        "whether it is paused (and why)."),
    retrieve=extend_schema(summary="One schedule", description="One schedule by its id."),
    partial_update=extend_schema(summary="Change a schedule",
                                 description="Enable or disable it, change its interval, or resume it after a pause "
                                             "(`resume: true`). Owners only."),
)
class ScheduleViewSet(TenantScopedAPIView, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      mixins.UpdateModelMixin, viewsets.GenericViewSet):
    serializer_class = ScheduleSerializer
    http_method_names = ["get", "patch", "head", "options"]

    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no tenant
            return Schedule.unscoped.none()
        return Schedule.objects.all().order_by("job")

    def perform_update(self, serializer):
        data = serializer.validated_data
        try:
            serializer.instance = schedule_update(
                schedule=serializer.instance, enabled=data.get("enabled"),
                interval_seconds=data.get("interval_seconds"), resume=data.get("resume", False),
            )
        except DjangoValidationError as exc:
            raise django_errors(exc) from None


def parse_since(text):
    """An ISO 8601 date-time, or a 400 that says what to send."""
    try:
        since = parse_datetime(text)
        if since is not None and timezone.is_naive(since):
            since = timezone.make_aware(since, dt_timezone.utc)
        if since is not None and abs(since.utcoffset()) <= timedelta(hours=14):
            return since.astimezone(dt_timezone.utc)
    except (ValueError, OverflowError):
        pass
    raise ValidationError({"since": "Use an ISO 8601 date-time, e.g. 2026-01-31T12:00:00Z."})


RUN_FILTERS = [
    OpenApiParameter("job", OpenApiTypes.STR, description="only this job"),
    OpenApiParameter("status", OpenApiTypes.STR, enum=SyncRun.Status.values),
    OpenApiParameter("since", OpenApiTypes.DATETIME, description="started at or after"),
]


@extend_schema_view(
    list=extend_schema(summary="Runs", description="Your shop's job runs, newest first, with their counts and "
                                                   "errors. Filter by job, status or start time; `limit` is at "
                                                   "most 200."),
    retrieve=extend_schema(summary="One run", description="One run by its id."),
)
@extend_schema(parameters=RUN_FILTERS)
class RunViewSet(TenantScopedAPIView, viewsets.ReadOnlyModelViewSet):
    serializer_class = RunSerializer
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SyncRun.unscoped.none()
        qs = SyncRun.objects.all().order_by("-started_at", "-id")
        params = self.request.query_params
        if params.get("job"):
            qs = qs.filter(job=params["job"])
        if params.get("status"):
            if params["status"] not in SyncRun.Status.values:
                raise ValidationError({"status": f"Use one of: {', '.join(SyncRun.Status.values)}."})
            qs = qs.filter(status=params["status"])
        if params.get("since"):
            qs = qs.filter(started_at__gte=parse_since(params["since"]))
        return qs

    @extend_schema(parameters=[], responses=EventSerializer(many=True), summary="A run's events",
                   description="What the run did and what went wrong, record by record, oldest first.")
    @action(detail=True, methods=["get"], serializer_class=EventSerializer)
    def events(self, request, pk=None):
        run = get_object_or_404(SyncRun.objects.all(), pk=pk)
        page = self.paginate_queryset(SyncEvent.objects.filter(run=run).order_by("id"))
        return self.get_paginated_response(EventSerializer(page, many=True).data)


@extend_schema_view(
    list=extend_schema(summary="Orders", description="Orders from your channels and what became of each in "
                                                     "Lightspeed, newest first; `limit` is at most 200."),
    retrieve=extend_schema(summary="One order", description="One order by its id."),
)
@extend_schema(parameters=[
    OpenApiParameter("state", OpenApiTypes.STR, enum=OrderLedger.State.values),
    OpenApiParameter("channel", OpenApiTypes.STR, description="a channel key, as /api/channels/ lists them"),
])
class OrderViewSet(TenantScopedAPIView, viewsets.ReadOnlyModelViewSet):
    serializer_class = OrderSerializer
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return OrderLedger.unscoped.none()
        qs = OrderLedger.objects.all().order_by("-updated_at", "-id")
        state = self.request.query_params.get("state")
        if state:
            qs = qs.filter(state=state)
        channel = self.request.query_params.get("channel")
        if channel:
            qs = qs.filter(channel=channel)
        return qs

    @extend_schema(request=None, responses={202: AcceptedSerializer}, summary="Retry importing this order",
                   description="Queues the order's import into Lightspeed again. Owners only.")
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        order = self.get_object()
        try:
            order_retry(order=order)
        except DjangoValidationError as exc:
            return Response({"detail": exc.messages[0]}, status=status.HTTP_409_CONFLICT)
        except (UnknownJob, RunLocked) as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        return Response({"detail": f"retry of order {order.external_id} queued"}, status=status.HTTP_202_ACCEPTED)


class JobViewSet(TenantScopedAPIView, viewsets.ViewSet):
    lookup_field = "name"
    lookup_value_regex = "[a-z0-9_.]+"

    @extend_schema(responses=JobSerializer(many=True), summary="Jobs that can run",
                   description="Every job with its normal interval.")
    def list(self, request):
        return Response(JobSerializer([
            {"name": j.name, "title": j.title, "interval_seconds": int(j.interval.total_seconds()),
             "min_interval_seconds": int(j.min_interval.total_seconds())} for j in all_jobs()
        ], many=True).data)

    @extend_schema(request=RunRequestSerializer, responses={202: RunRequestedSerializer}, summary="Run a job now",
                   description="Queues the job for your shop (`dry_run: true` writes nothing) and returns a link "
                               "to the runs it starts. Owners only.")
    @action(detail=True, methods=["post"])
    def run(self, request, name=None):
        try:
            get_job(name)
        except UnknownJob:
            raise NotFound("No such job.") from None
        body = RunRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            requested_at = run_request(tenant=self.tenant, job=name, dry_run=body.validated_data["dry_run"])
        except DjangoValidationError as exc:
            raise django_errors(exc) from None
        runs_url = reverse("api:run-list") + "?" + urlencode({"job": name, "since": requested_at.isoformat()})
        return Response(RunRequestedSerializer({"job": name, "requested_at": requested_at, "runs_url": runs_url}).data,
                        status=status.HTTP_202_ACCEPTED)
