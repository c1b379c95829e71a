"""Tokens never reach events, run errors, tracebacks or logs."""
import io
import logging

from connector.models import SyncEvent
from connector.redact import RedactingFilter, secret_register
from connector.runs import run_job

from . import testjobs


def configured_redacting_handler():
    """The handler settings.LOGGING installs on the root logger, with its redacting filter."""
    for handler in logging.getLogger().handlers:
        if any(isinstance(f, RedactingFilter) for f in handler.filters):
            return handler
    raise AssertionError("no root handler carries connector.redact.RedactingFilter")


def test_a_registered_token_never_reaches_events_run_or_logs(tenant):
    secret_register(testjobs.SECRET)
    handler = configured_redacting_handler()
    stream = io.StringIO()
    old_stream = handler.setStream(stream)
    try:
        run = run_job(tenant=tenant, job="test.leaky")
    finally:
        handler.setStream(old_stream)
    logged = stream.getvalue()
    assert "refreshing token [redacted]" in logged
    assert "RuntimeError: server rejected [redacted]" in logged  # the traceback of log.exception
    assert testjobs.SECRET not in logged
    stored = [(e.message, str(e.data)) for e in SyncEvent.unscoped.filter(run=run)]
    assert stored and testjobs.SECRET not in str(stored)
    assert "[redacted]" in str(stored)
    assert run.error == "RuntimeError: server rejected [redacted]"
    assert "Traceback" in run.traceback and testjobs.SECRET not in run.traceback
    run.refresh_from_db()
    assert testjobs.SECRET not in run.error + run.traceback


def test_bearer_headers_and_secret_keys_are_redacted_without_registration(tenant):
    from connector.redact import redact, redact_text

    assert redact_text("Authorization: Bearer abc.def-123") == "Authorization: Bearer [redacted]"
    assert redact({"headers": {"Authorization": "x"}, "refresh_token": "y", "n": 1}) == {
        "headers": {"Authorization": "[redacted]"}, "refresh_token": "[redacted]", "n": 1,
    }
