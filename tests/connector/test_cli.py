"""The support CLI contract: runjob and runs."""
import pytest
from django.core.management import CommandError, call_command

from connector.runs import run_job

from . import testjobs  # noqa: F401


def test_runjob_prints_the_run_and_its_events(tenant, capsys):
    call_command("runjob", "acme", "test.records", "--param", "full=1")
    out = capsys.readouterr().out
    assert "test.records for acme: partial" in out
    assert "ERROR   order B2 has no lines [order B2]" in out
    assert "counts: {'imported': 2, 'failed': 2}" in out


def test_runjob_exits_non_zero_when_the_run_failed(tenant, capsys):
    with pytest.raises(CommandError, match=r"failed \(bug\): ZeroDivisionError"):
        call_command("runjob", "acme", "test.bug")
    assert "Traceback" in capsys.readouterr().out


def test_runjob_dry_run_and_unknown_names(tenant, capsys):
    call_command("runjob", "acme", "test.ok", "--dry-run")
    assert "succeeded (dry run)" in capsys.readouterr().out
    with pytest.raises(CommandError, match="no tenant"):
        call_command("runjob", "nope", "test.ok")
    with pytest.raises(CommandError, match="unknown job"):
        call_command("runjob", "acme", "test.nope")


def test_runs_lists_recent_runs_filtered(make_tenant, capsys):
    acme, other = make_tenant("acme"), make_tenant("other")
    run_job(tenant=acme, job="test.bug")
    run_job(tenant=other, job="test.ok")
    call_command("runs", "--failed")
    out = capsys.readouterr().out
    assert "test.bug" in out and "bug: ZeroDivisionError" in out and "test.ok" not in out
    call_command("runs", "--tenant", "other")
    out = capsys.readouterr().out
    assert "test.ok" in out and "test.bug" not in out
