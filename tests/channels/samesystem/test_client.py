"""The client: logs in once, renews the 10-minute token before it runs out (the owner never sees a 401),
logs in again when SameSystem refuses a token early, and logs out when done."""
from datetime import date

import pytest

from channels.samesystem.client import SameSystemClient
from connector.http import Invalid, Misconfigured


@pytest.fixture
def client(ss_sandbox, clock):
    return SameSystemClient(email=ss_sandbox.email, password=ss_sandbox.password, base_url="http://ss.test/api/v1",
                            clock=clock, transport=ss_sandbox.transport())


def paths(sb):
    return [(r["method"], r["path"], r["status"]) for r in sb.request_log]


def test_logs_in_once_and_out_at_the_end(client, ss_sandbox):
    with client:
        assert len(client.departments()) == 3
        client.fields("c1d10")
    assert [p for _, p, _ in paths(ss_sandbox)] == ["/api/v1/login", "/api/v1/departments",
                                                     "/api/v1/c1d10/weekly_balance/fields", "/api/v1/logout"]
    assert ss_sandbox.tokens == {}
    assert ss_sandbox.request_log[1]["status"] == 200


def test_an_expiring_token_is_renewed_before_it_is_refused(client, ss_sandbox, clock):
    with client:
        client.departments()
        clock.advance(9 * 60 + 30)  # the token has 30 s left: less than a call may take
        client.departments()
        clock.advance(11 * 60)
        client.departments()
    assert client.logins == 3
    assert not [s for _, _, s in paths(ss_sandbox) if s == 401]


def test_a_token_refused_early_logs_in_again_once(client, ss_sandbox):
    client.departments()
    ss_sandbox.tokens_expire()
    assert len(client.departments()) == 3
    assert [s for _, _, s in paths(ss_sandbox)].count(401) == 1 and client.logins == 2


def test_a_wrong_password_is_a_setting_to_fix(ss_sandbox, clock):
    bad = SameSystemClient(email=ss_sandbox.email, password="wrong", base_url="http://ss.test/api/v1", clock=clock,
                           transport=ss_sandbox.transport())
    with pytest.raises(Misconfigured, match="email and password"):
        bad.departments()


def test_a_refused_confirm_carries_samesystems_description(client):
    client.save("c1d11", date(2026, 6, 1), 1, lines=[{"field_id": 5267, "value": 1.0}])
    with pytest.raises(Invalid) as refused:
        client.day_action("confirm", "c1d11", date(2026, 6, 1), 1)
    assert refused.value.status == 412 and "Mandatory field 'Gross sales' is missing" in str(refused.value)


def test_the_password_and_token_never_reach_the_error_text(ss_sandbox, clock):
    client = SameSystemClient(email=ss_sandbox.email, password=ss_sandbox.password, base_url="http://ss.test/api/v1",
                              clock=clock, transport=ss_sandbox.transport())
    client.departments()
    ss_sandbox.faults.inject("500", path_contains="/departments", times=5)
    client.max_attempts = 1
    with pytest.raises(Exception) as failed:
        client.departments()
    assert client.token not in str(failed.value) and ss_sandbox.password not in str(failed.value)
