"""Pure functions of the Buckles adapter (PROVISIONAL contract, docs/buckles.md)."""
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from channels.buckles import statuses
from channels.buckles.mapping import money, sale_state, ship_note, stock_decide, track_trace_from_note
from channels.buckles.signing import BadSignature, signature_compute, signature_verify

T = datetime(2026, 1, 1, tzinfo=timezone.utc)


def sale(**kwargs):
    return SimpleNamespace(**{"voided": False, "is_refund": False, "completed": True, **kwargs})


@pytest.mark.parametrize("kwargs,ship_to,state", [
    ({"completed": False}, None, "open"), ({}, None, "completed"),
    ({}, SimpleNamespace(shipped=False), "completed_not_shipped"), ({}, SimpleNamespace(shipped=True), "shipped"),
    ({"voided": True}, None, "voided"), ({"is_refund": True}, None, "refunded"),
])
def test_provisional_sale_states(kwargs, ship_to, state):
    assert sale_state(sale(**kwargs), ship_to) == state


def test_provisional_status_table_defaults_and_overrides():
    assert statuses.status_for("completed_not_shipped", {}) == "processing"
    assert statuses.status_for("open", {"open": "on_hold"}) == "on_hold"
    assert statuses.status_for("voided", {"voided": ""}) is None
    assert set(statuses.DEFAULT_STATUS_MAP) == set(statuses.LIGHTSPEED_STATES)


def test_provisional_money_is_a_two_decimal_string():
    assert money("3.5") == "3.50" and money(None) == "0.00"


@pytest.mark.parametrize("kwargs,action", [
    ({"quantity": 5, "mirror_qoh": 3, "known_qoh": 3, "applied_at": None}, "write"),
    ({"quantity": 5, "mirror_qoh": 3, "known_qoh": None, "applied_at": None}, "write"),
    ({"quantity": 5, "mirror_qoh": 5, "known_qoh": 3, "applied_at": None}, "same"),
    ({"quantity": 5, "mirror_qoh": 2, "known_qoh": 3, "applied_at": None}, "conflict"),
    ({"quantity": 5, "mirror_qoh": 3, "known_qoh": 3, "applied_at": T + timedelta(seconds=1)}, "ignore"),
])
def test_provisional_stock_decisions(kwargs, action):
    assert stock_decide(occurred_at=T, **kwargs).action == action


def test_provisional_track_and_trace_round_trips_through_the_ship_note():
    note = ship_note(track_trace_no="3S123", carrier="PostNL")
    assert note == "Track & Trace: 3S123 (PostNL)" and track_trace_from_note(note) == "3S123"
    assert track_trace_from_note("JJD000 by hand") == "JJD000" and track_trace_from_note("") is None


def test_provisional_signature_checks():
    body = b'{"a":1}'
    good = signature_compute(secret="s", timestamp=100, body=body)
    signature_verify(secret="s", timestamp="100", signature=good, body=body, now=150)
    for kwargs in ({"signature": good.replace("a", "b")}, {"now": 100 + 301}, {"timestamp": "x"}, {"secret": ""},
                   {"body": b'{"a":2}'}):
        args = {"secret": "s", "timestamp": "100", "signature": good, "body": body, "now": 150, **kwargs}
        with pytest.raises(BadSignature):
            signature_verify(**args)
