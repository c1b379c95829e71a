"""The sandbox speaks API v1 as samesystem.apib describes it: a client written against the blueprint (plain
httpx here, no project code) gets the blueprint's statuses and bodies."""
from datetime import date

import httpx
import pytest

from channels.samesystem.sandbox import SameSystemSandbox

BASE = "http://samesystem.test/api/v1"
QUOTED = {"Content-Type": "'application/json'"}  # as the blueprint's examples literally send it


@pytest.fixture
def sb(clock):
    return SameSystemSandbox(clock=clock)


@pytest.fixture
def http(sb):
    with httpx.Client(transport=sb.transport()) as client:
        yield client


def login(http, sb):
    response = http.post(f"{BASE}/login", json={"email": sb.email, "password": sb.password}, headers=QUOTED)
    assert response.status_code == 201 and response.json()["status"] == "ok"
    token = response.json()["token"]
    assert len(token) == 22
    return {"AUTHORIZATION": f'Token token="{token}"', **QUOTED}


def test_login_departments_and_logout(http, sb):
    auth = login(http, sb)
    departments = http.get(f"{BASE}/departments", headers=auth).json()["departments"]
    assert {"name": "Pop-up", "ctx_token": "c1d12", "dpt_no": None} in departments
    assert all(d["ctx_token"].startswith("c1d") for d in departments)
    assert http.get(f"{BASE}/departments.json", headers=auth).status_code == 200  # the .json suffix
    assert http.post(f"{BASE}/logout", json={}, headers=auth).json() == {"status": "ok"}
    assert http.get(f"{BASE}/departments", headers=auth).status_code == 401


def test_a_form_encoded_login_works_too(http, sb):
    response = http.post(f"{BASE}/login.json", data={"email": sb.email, "password": sb.password})
    assert response.status_code == 201 and response.json()["token"]


def test_wrong_password_and_missing_or_expired_tokens(http, sb, clock):
    wrong = http.post(f"{BASE}/login", json={"email": sb.email, "password": "nope"})
    assert wrong.status_code == 401 and wrong.json()["status"] == "fail" and wrong.json()["description"]
    assert http.get(f"{BASE}/departments").json() == {"status": "unauthorized"}
    auth = login(http, sb)
    clock.advance(599)
    assert http.get(f"{BASE}/departments", headers=auth).status_code == 200
    clock.advance(1)  # "Token is valid for 10 minutes."
    expired = http.get(f"{BASE}/departments", headers=auth)
    assert expired.status_code == 401 and expired.json() == {"status": "unauthorized"}


def test_an_unknown_department_is_unauthorized(http, sb):
    auth = login(http, sb)
    response = http.get(f"{BASE}/c9d99/weekly_balance/fields", headers=auth)
    assert response.status_code == 401 and response.json() == {"status": "unauthorized"}


def test_save_then_read_the_week_then_confirm(http, sb):
    auth = login(http, sb)
    fields = http.get(f"{BASE}/c1d10/weekly_balance/fields.json", headers=auth).json()
    assert {"field_id", "name", "field_type", "summable", "code", "calculated", "mandatory"} <= set(fields["fields"][0])
    saved = http.post(f"{BASE}/c1d10/weekly_balance/save/2026-10-28/2", headers=auth,
                      json={"comments": "", "lines": [{"field_id": 5266, "value": 123.12}], "expenses": [],
                            "deposits": []})
    assert saved.json() == {"status": "ok",
                            "description": "Weekly balance numbers for 2026-10-28 register #2 has been saved."}
    week = http.get(f"{BASE}/c1d10/weekly_balance/2026-10-26", headers=auth).json()
    assert week["register_count"] == 2
    assert week["registers"][1]["lines"] == {"2026-10-28": [{"field_id": 5266, "value": 123.12}]}
    assert http.post(f"{BASE}/c1d10/weekly_balance/confirm/2026-10-28/2", headers=auth).json() == {"status": "ok"}
    week = http.get(f"{BASE}/c1d10/weekly_balance/2026-10-28", headers=auth).json()
    assert "2026-10-28" in week["registers"][1]["confirmed"]


def test_save_refusals(http, sb):
    auth = login(http, sb)
    url = f"{BASE}/c1d11/weekly_balance/save/2026-10-28"
    unknown = http.post(f"{url}/1", headers=auth, json={"lines": [{"field_id": 99, "value": 1.0}]})
    assert unknown.status_code == 400 and unknown.json() == {"status": "fail", "description": "Unknown field_id 99"}
    localized = http.post(f"{url}/1", headers=auth, json={"lines": [{"field_id": 5266, "value": "1.234,50"}]})
    assert localized.status_code == 400 and localized.json()["status"] == "fail"
    as_text = http.post(f"{url}/1", headers=auth, json={"lines": [{"field_id": 5267, "value": "123.12"}]})
    assert as_text.status_code == 200 and sb.balance("c1d11", 1, "2026-10-28")["lines"][5267] == 123.12
    assert http.post(f"{url}/2", headers=auth, json={"lines": []}).status_code == 400  # one register only
    http.post(f"{url}/1", headers=auth, json={"lines": [{"field_id": 5266, "value": 1.0}]})
    http.post(f"{BASE}/c1d11/weekly_balance/confirm/2026-10-28/1", headers=auth)
    confirmed = http.post(f"{url}/1", headers=auth, json={"lines": [{"field_id": 5266, "value": 2.0}]})
    assert confirmed.status_code == 400 and "unconfirm" in confirmed.json()["description"]


def test_confirm_without_a_mandatory_field_is_412_with_the_reason(http, sb):
    auth = login(http, sb)
    http.post(f"{BASE}/c1d11/weekly_balance/save/2026-10-28/1", headers=auth,
              json={"lines": [{"field_id": 5267, "value": 10.0}]})
    refused = http.post(f"{BASE}/c1d11/weekly_balance/confirm/2026-10-28/1", headers=auth)
    assert refused.status_code == 412
    assert refused.json() == {"status": "fail", "description": "Mandatory field 'Gross sales' is missing"}


def test_approving_a_week_needs_every_day_confirmed(http, sb):
    auth = login(http, sb)
    refused = http.post(f"{BASE}/c1d11/weekly_balance/approve_week/2026-10-28/1", headers=auth)
    assert refused.status_code == 400 and refused.json()["status"] == "fail"
    for day in range(26, 32):
        http.post(f"{BASE}/c1d11/weekly_balance/confirm/2026-10-{day:02d}/1", headers=auth)
    http.post(f"{BASE}/c1d11/weekly_balance/confirm/2026-11-01/1", headers=auth)
    assert http.post(f"{BASE}/c1d11/weekly_balance/approve_week/2026-10-28/1", headers=auth).status_code == 200
    assert sb.week_approved("c1d11", 1, date(2026, 10, 30))
    assert http.post(f"{BASE}/c1d11/weekly_balance/unconfirm/2026-10-28/1", headers=auth).status_code == 400
    assert http.post(f"{BASE}/c1d11/weekly_balance/unapprove_week/2026-10-28/1", headers=auth).status_code == 200


HEADER = ("Department Id;Register Id;Date;Hour;Net Sales;Gross Sales;Discounts;Returns;Transactions;"
          "Number of goods sold;Number of returned goods;Visitors")


def test_csv_intake_validates_rows(http, sb):
    rows = [
        "101;1;2026-06-01;10:00:00;80.00;100.00;20.00;0.00;1;2;0;0",   # good
        "101;2;2026-06-01;10:00:00;1.234,50;100.00;0;0;1;1;0;0",       # a second number format
        "101;1;2026-06-01;10:30:00;0;0;0;0;0;0;0;0",                   # not the start of an hour
        "999;1;2026-06-01;11:00:00;0;0;0;0;0;0;0;0",                   # unknown department
        "102;1;2026-06-01;12:00:00;;0;0;0;0;0;0;0",                    # empty cell
        "102;1;2026-03-29;02:00:00;0;0;0;0;0;0;0;0",                   # does not exist (spring forward)
        "102;1;2026-10-25;02:00:00;0;0;0;0;0;0;0;0",
        "102;1;2026-10-25;02:00:00;0;0;0;0;0;0;0;0",                   # the fall-back night has it twice
        "102;1;2026-10-25;02:00:00;0;0;0;0;0;0;0;0",                   # but not three times
    ]
    response = http.post("http://samesystem.test/sim/pos-import", content="\n".join([HEADER, *rows]))
    body = response.json()
    assert response.status_code == 400 and body["rows"] == 3
    assert [e["row"] for e in body["errors"]] == [3, 4, 5, 6, 7, 10]
    comma = http.post("http://samesystem.test/sim/pos-import", content=HEADER.replace(";", ",") + "\n")
    assert comma.status_code == 400


def test_the_control_page_shows_the_weekly_balance_as_samesystem_holds_it(http, sb):
    auth = login(http, sb)
    http.post(f"{BASE}/c1d10/weekly_balance/save/2026-10-28/2", headers=auth,
              json={"lines": [{"field_id": 5266, "value": 123.5}, {"field_id": 5270, "value": 4}]})
    html = http.get("http://samesystem.test/sandbox/", headers={"Accept": "text/html"}).text
    assert "<td>Main Street</td><td>2</td><td>2026-10-28</td><td>Gross sales: 123.5, Transactions: 4</td>" in html
    balances = http.get("http://samesystem.test/sandbox/balances").json()
    assert balances == [{"ctx": "c1d10", "register": 2, "date": "2026-10-28", "lines": {"5266": 123.5, "5270": 4.0},
                         "confirmed": None, "comments": ""}]
    http.post("http://samesystem.test/sandbox/fields/mandatory", json={"field_id": 5267, "mandatory": "1"})
    refused = http.post(f"{BASE}/c1d10/weekly_balance/confirm/2026-10-28/2", headers=auth)
    assert refused.status_code == 412 and "Net sales" in refused.json()["description"]
