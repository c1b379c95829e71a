"""The owner's page: test connection lists the departments, the mappings save through the form, unmapped shops
and registers are listed, the historical import shows its progress bar and cancels, and the CSV at its
secret address follows SameSystem's format rules (checked by the sandbox's own CSV intake)."""
from datetime import date, datetime, timedelta, timezone

import httpx
import pytest
from django.urls import reverse

from channels.samesystem.models import SameSystemDepartment, SameSystemImport, SameSystemRegister, SameSystemSettings
from channels.samesystem.sandbox.csv_intake import COLUMNS, csv_parse

from .conftest import MAIN, Sales, configure, local, make_shops

pytestmark = pytest.mark.django_db
URL = "/channels/samesystem/"


@pytest.fixture
def owner_tenant(owner, ss_sandbox):
    return configure(make_shops(owner.tenant), ss_sandbox)


def test_test_connection_lists_the_departments(owner_client, owner, ss_sandbox):
    make_shops(owner.tenant)
    SameSystemSettings.objects.create(tenant=owner.tenant, email=ss_sandbox.email, password=ss_sandbox.password)
    html = owner_client.post(reverse("samesystem:test_connection"), follow=True).content.decode()
    assert "The API user sees 3 department(s): Main Street (c1d10), Harbour (c1d11), Pop-up (c1d12)" in html
    assert "Gross sales" in html  # the weekly-balance fields are offered for the mapping
    assert ss_sandbox.tokens == {}, "logged out"


def test_a_wrong_password_is_said_on_the_page(owner_client, owner, ss_sandbox):
    SameSystemSettings.objects.create(tenant=owner.tenant, email=ss_sandbox.email, password="wrong")
    html = owner_client.post(reverse("samesystem:test_connection"), follow=True).content.decode()
    assert "refused the API user" in html


def test_the_mappings_save_through_the_form_and_unmapped_ones_are_listed(owner_client, owner, ss_sandbox):
    tenant = make_shops(owner.tenant)
    SameSystemSettings.objects.create(tenant=tenant, email=ss_sandbox.email, password=ss_sandbox.password)
    owner_client.post(reverse("samesystem:test_connection"))
    main = SameSystemDepartment.objects.for_tenant(tenant).get(ctx_token=MAIN)
    response = owner_client.post(URL, {"email": ss_sandbox.email, "vat_included": "on", f"department-{main.pk}": "1",
                                       "figure-gross_sales": "5266", "figure-net_sales": "5267"}, follow=True)
    html = response.content.decode()
    assert "SameSystem settings saved." in html
    assert "Lightspeed shop “Havnen” has no SameSystem department." in html
    assert "Lightspeed register “Till 1” has no SameSystem register number." in html
    settings = SameSystemSettings.objects.for_tenant(tenant).get()
    assert settings.field_map == {"gross_sales": 5266, "net_sales": 5267} and settings.password
    owner_client.post(URL, {"email": ss_sandbox.email, f"department-{main.pk}": "1", "register-1": "1",
                            "register-3": "2", "figure-gross_sales": "5266"})
    assert dict(SameSystemRegister.objects.for_tenant(tenant).values_list("register_ls_id", "register_number")) == {
        1: 1, 3: 2}


def test_two_registers_with_one_number_are_refused(owner_client, owner_tenant):
    main = SameSystemDepartment.objects.for_tenant(owner_tenant).get(ctx_token=MAIN)
    response = owner_client.post(URL, {"email": "x@y.z", f"department-{main.pk}": "1", "register-1": "1",
                                       "register-3": "1"})
    assert response.status_code == 400 and "both have register number 1" in response.content.decode()


def test_the_historical_import_shows_progress_and_cancels(owner_client, owner_tenant):
    main = SameSystemDepartment.objects.for_tenant(owner_tenant).get(ctx_token=MAIN)
    yesterday = date.today() - timedelta(days=1)
    owner_client.post(reverse("samesystem:import"), {"department_ids": [str(main.pk)], "overwrite_approved": "on",
                                                     "date_from": (yesterday - timedelta(days=89)).isoformat(),
                                                     "date_to": yesterday.isoformat()})
    job = SameSystemImport.objects.for_tenant(owner_tenant).get()
    html = owner_client.get(URL).content.decode()
    assert '<progress max="90" value="0"' in html and "0 of 90 days" in html
    owner_client.post(reverse("samesystem:import_cancel"), {"import_id": job.pk})
    job.refresh_from_db()
    assert job.state == "cancelled"
    assert "Cancelled after 0 of 90 days." in owner_client.get(URL).content.decode()


def test_an_import_of_today_is_refused_with_a_reason(owner_client, owner_tenant):
    main = SameSystemDepartment.objects.for_tenant(owner_tenant).get(ctx_token=MAIN)
    response = owner_client.post(reverse("samesystem:import"), {"department_ids": [str(main.pk)],
                                                                "date_from": date.today().isoformat(),
                                                                "date_to": date.today().isoformat()})
    assert response.status_code == 400 and "must be before today" in response.content.decode()


def test_the_csv_at_its_secret_address_follows_the_format_and_the_intake_takes_it(client, owner_tenant, ss_sandbox,
                                                                                  sales_of_owner):
    settings = SameSystemSettings.objects.for_tenant(owner_tenant).get()
    url = reverse("samesystem:csv", args=[settings.csv_token])
    response = client.get(url, {"date": "2026-10-25"})
    text = response.content.decode()
    assert response.status_code == 200 and text.splitlines()[0] == ";".join(COLUMNS)
    known = {d["dpt_no"]: d for d in ss_sandbox.departments.values() if d["dpt_no"]}
    rows, errors = csv_parse(text, known_departments=known, time_zone="Europe/Copenhagen")
    assert errors == []
    assert len(rows) == 25 * 3  # two registers of Main Street, one of Harbour; the 25-hour day
    two_am = [r for r in rows if r["Department Id"] == "101" and r["Register Id"] == "1" and r["Hour"] == "02:00:00"]
    assert [r["Gross Sales"] for r in two_am] == ["11.00", "13.00"]
    first = [r for r in rows if r["Register Id"] == "1" and r["Department Id"] == "101" and r["Hour"] == "10:00:00"]
    assert first[0]["Net Sales"] == "80.00" and first[0]["Transactions"] == "1"
    with httpx.Client(transport=ss_sandbox.transport()) as http:
        upload = http.post("http://samesystem.test/sim/pos-import", content=text)
    assert upload.status_code == 200 and upload.json()["rows"] == 75


def test_rotating_the_csv_address_retires_the_old_one(owner_client, client, owner_tenant):
    old = SameSystemSettings.objects.for_tenant(owner_tenant).get().csv_token
    owner_client.post(reverse("samesystem:csv_rotate"))
    assert client.get(reverse("samesystem:csv", args=[old])).status_code == 404
    new = SameSystemSettings.objects.for_tenant(owner_tenant).get().csv_token
    assert client.get(reverse("samesystem:csv", args=[new])).status_code == 200


def test_the_owner_downloads_a_csv_from_the_page(owner_client, owner_tenant):
    response = owner_client.get(reverse("samesystem:csv_download"), {"date": "2026-06-01"})
    assert response.status_code == 200 and response["Content-Disposition"].endswith('2026-06-01.csv"')
    assert len(response.content.decode().splitlines()) == 1 + 24 * 3


@pytest.fixture
def sales_of_owner(owner_tenant):
    sales = Sales(owner_tenant)
    sales.add(local(2026, 10, 25, 10, 5), [(2, "50.00", "20.00", "0")], register=1)
    sales.add(datetime(2026, 10, 25, 0, 30, tzinfo=timezone.utc), [(1, "11.00", "0", "0")], register=1)
    sales.add(datetime(2026, 10, 25, 1, 30, tzinfo=timezone.utc), [(1, "13.00", "0", "0")], register=1)
    return sales


def test_a_refused_confirm_is_shown_on_the_page_with_samesystems_message(owner_client, owner_tenant, clock):
    from channels.samesystem.models import SameSystemSettings as Settings
    from connector.runs import run_job

    Settings.objects.for_tenant(owner_tenant).update(field_map={"net_sales": 5267})
    assert run_job(tenant=owner_tenant, job="samesystem.nightly_export", clock=clock).status == "succeeded"
    html = owner_client.get(URL).content.decode()
    assert "SameSystem refused to confirm the day: Mandatory field &#x27;Gross sales&#x27; is missing" in html


def test_the_progress_card_polls_while_an_import_runs_and_stops_when_done(owner_client, owner_tenant):
    job = SameSystemImport.objects.for_tenant(owner_tenant).create(
        tenant=owner_tenant, department_ids=[], date_from=date(2026, 1, 1), date_to=date(2026, 3, 31),
        days_total=90, days_done=45, state="running")
    html = owner_client.get(reverse("samesystem:imports")).content.decode()
    assert '<progress max="90" value="45"' in html and 'hx-trigger="every 2s"' in html
    job.state, job.days_done = "done", 90
    job.save()
    html = owner_client.get(reverse("samesystem:imports")).content.decode()
    assert '<progress max="90" value="90"' in html and "hx-get" not in html
