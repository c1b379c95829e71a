"""The CSV by SFTP: a real SFTP server on loopback (the sandbox's intake, asyncssh) receives the nightly file,
which then passes the intake's format checks; a wrong password or host key is the owner's to fix and never
stops the weekly balance."""
from datetime import date

import pytest

from channels.samesystem.models import SameSystemSettings
from connector.models import SyncEvent

from .conftest import MAIN, local
from .test_export import NIGHTLY, night_after, run

asyncssh = pytest.importorskip("asyncssh")
pytestmark = pytest.mark.django_db


@pytest.fixture
def intake(ss_sandbox):
    from channels.samesystem.sandbox.sftp import SftpIntake

    server = SftpIntake(ss_sandbox, port=0).start()
    yield server
    server.stop()


def sftp_settings(tenant, intake, **overrides):
    fields = {"sftp_host": "127.0.0.1", "sftp_port": intake.port, "sftp_user": intake.user,
              "sftp_password": intake.password, "sftp_host_key": intake.host_key, **overrides}
    SameSystemSettings.objects.for_tenant(tenant).update(**{k: v for k, v in fields.items() if k != "sftp_password"})
    settings = SameSystemSettings.objects.for_tenant(tenant).get()
    settings.sftp_password = fields["sftp_password"]
    settings.save()


def test_the_nightly_csv_arrives_by_sftp_and_passes_the_intake(ss_tenant, ss_sandbox, intake, sales):
    sftp_settings(ss_tenant, intake)
    sales.add(local(2026, 6, 1, 10, 30), [(2, "50.00", "10.00", "0")], register=1)
    result = run(ss_tenant, NIGHTLY, night_after(date(2026, 6, 1)))
    assert result.counts["csv_uploaded"] == 1
    assert [u["name"] for u in intake.uploads] == ["samesystem-2026-06-01.csv"]
    assert intake.uploads[0]["errors"] == [] and intake.uploads[0]["rows"] == 24 * 3
    ten = ss_sandbox.csv_rows[("101", "1", "2026-06-01")][10]
    assert (ten["Hour"], ten["Gross Sales"], ten["Discounts"], ten["Net Sales"]) == ("10:00:00", "100.00", "10.00",
                                                                                     "90.00")
    assert ss_sandbox.balance(MAIN, 1, date(2026, 6, 1)) is not None


@pytest.mark.parametrize("override, reason", [({"sftp_password": "wrong"}, "refused"),
                                              ({"sftp_host_key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6"
                                                                 "UOoqKLsabgH5C9okWi0dh2l9GKJl"}, "refused")])
def test_a_refused_upload_is_reported_and_the_weekly_balance_still_goes(ss_tenant, ss_sandbox, intake, override,
                                                                        reason):
    sftp_settings(ss_tenant, intake, **override)
    result = run(ss_tenant, NIGHTLY, night_after(date(2026, 6, 1)))
    assert result.counts["csv_upload_failed"] == 1 and result.counts["days_sent"] == 3
    assert intake.uploads == []
    event = SyncEvent.objects.for_tenant(ss_tenant).get(run=result, object_type="samesystem_csv")
    assert reason in event.message and intake.password not in event.message
