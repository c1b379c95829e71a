"""RunContext: what a job function gets. It records events and counts on its SyncRun."""
import time
import traceback
from collections import Counter
from contextlib import contextmanager, nullcontext

from django.db import connection, transaction
from django.utils import timezone

from .errors import ConfigError, RecordError, TransientError, Yield
from .models import SyncEvent
from .redact import redact, redact_text

FLUSH_EVERY = 200
# Events and counts are written at least this often, which is also the run's heartbeat
# (a run whose heartbeat stops is released as abandoned: settings.RUN_STALE_AFTER_SECONDS).
FLUSH_SECONDS = 30


class RunContext:
    def __init__(self, *, run, tenant, dry_run=False, params=None, clock=None, yield_after=None):
        self.run = run
        self.tenant = tenant
        self.dry_run = dry_run
        self.params = params or {}
        self.clock = clock
        self.counts = Counter()
        self._events = []
        self._flushed_at = time.monotonic()
        self.record_failures = 0
        # Seconds of rate-limit waiting after which the run gives its slot back (errors.Yield);
        # None: wait in place (the CLI, tests, jobs that cannot resume).
        self.yield_after = yield_after
        self.again = False
        self.changes = False

    def run_again(self):
        """Found work (e.g. a full page): queue one more run right after this one, not at the next slot."""
        self.again = True

    def found_changes(self):
        """Wrote something other jobs read (e.g. new sales in the mirror): the jobs registered with
        `follows=(this job,)` are queued once this run ends (connector.dispatch.followers_enqueue)."""
        self.changes = True

    def event(self, message, *, level=SyncEvent.Level.INFO, object_type="", object_id="", data=None):
        self._events.append(
            SyncEvent(
                tenant=self.tenant,
                run=self.run,
                job=self.run.job,
                created_at=timezone.now(),
                level=level,
                message=redact_text(str(message))[:5000],
                object_type=object_type,
                object_id=str(object_id)[:100],
                data=redact(data or {}),
            )
        )
        self._maybe_flush()

    def info(self, message, **kwargs):
        self.event(message, level=SyncEvent.Level.INFO, **kwargs)

    def warning(self, message, **kwargs):
        self.event(message, level=SyncEvent.Level.WARNING, **kwargs)

    def error(self, message, **kwargs):
        self.event(message, level=SyncEvent.Level.ERROR, **kwargs)

    def count(self, key, n=1):
        self.counts[key] += n
        self._maybe_flush()

    @contextmanager
    def record(self, object_type, object_id):
        """Process one record: its failure is an event on it, and the batch goes on.

        Transient and config errors (and a Yield) still stop the run: they concern every record.
        """
        try:
            with self._record_savepoint():
                yield
        except (TransientError, ConfigError, Yield):
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

    @staticmethod
    def _record_savepoint():
        """Inside a transaction, a failed record rolls back to its savepoint and the batch can go on."""
        return transaction.atomic() if connection.in_atomic_block else nullcontext()

    def _maybe_flush(self):
        if len(self._events) >= FLUSH_EVERY or time.monotonic() - self._flushed_at >= FLUSH_SECONDS:
            self.flush()

    def flush(self):
        self._flushed_at = time.monotonic()
        if self._events:
            SyncEvent.unscoped.bulk_create(self._events)
            self._events = []
        self.run.counts = dict(self.counts)
        self.run.heartbeat_at = timezone.now()
        type(self.run).unscoped.filter(pk=self.run.pk).update(counts=self.run.counts, heartbeat_at=self.run.heartbeat_at)
