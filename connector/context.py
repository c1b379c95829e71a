"""RunContext: what a job function gets. It records events and counts on its SyncRun."""
import traceback
from collections import Counter
from contextlib import contextmanager

from django.utils import timezone

from .errors import ConfigError, RecordError, TransientError
from .models import SyncEvent
from .redact import redact, redact_text

FLUSH_EVERY = 200


class RunContext:
    def __init__(self, *, run, tenant, dry_run=False, params=None, clock=None):
        self.run = run
        self.tenant = tenant
        self.dry_run = dry_run
        self.params = params or {}
        self.clock = clock
        self.counts = Counter()
        self._events = []
        self.record_failures = 0

    def event(self, message, *, level=SyncEvent.Level.INFO, object_type="", object_id="", data=None):
        self._events.append(
            SyncEvent(
                tenant=self.tenant,
                run=self.run,
                created_at=timezone.now(),
                level=level,
                message=redact_text(str(message))[:5000],
                object_type=object_type,
                object_id=str(object_id)[:100],
                data=redact(data or {}),
            )
        )
        if len(self._events) >= FLUSH_EVERY:
            self.flush()

    def info(self, message, **kwargs):
        self.event(message, level=SyncEvent.Level.INFO, **kwargs)

    def warning(self, message, **kwargs):
        self.event(message, level=SyncEvent.Level.WARNING, **kwargs)

    def error(self, message, **kwargs):
        self.event(message, level=SyncEvent.Level.ERROR, **kwargs)

    def count(self, key, n=1):
        self.counts[key] += n

    @contextmanager
    def record(self, object_type, object_id):
        """Process one record: its failure is an event on it, and the batch goes on.

        Transient and config errors still stop the run: they concern every record.
        """
        try:
            yield
        except (TransientError, ConfigError):
            raise
        except RecordError as exc:
            self.record_failed(object_type, object_id, str(exc), data=getattr(exc, "data", None))
        except Exception as exc:  # a bug on one record must not lose the others
            data = {"traceback": traceback.format_exc(limit=20)}
            self.record_failed(object_type, object_id, f"unexpected {type(exc).__name__}: {exc}", data=data)

    def record_failed(self, object_type, object_id, message, *, data=None):
        self.record_failures += 1
        self.count("failed")
        self.error(message, object_type=object_type, object_id=object_id, data=data)

    def flush(self):
        if self._events:
            SyncEvent.objects.bulk_create(self._events)
            self._events = []
        self.run.counts = dict(self.counts)
        self.run.heartbeat_at = timezone.now()
        type(self.run).unscoped.filter(pk=self.run.pk).update(counts=self.run.counts, heartbeat_at=self.run.heartbeat_at)
