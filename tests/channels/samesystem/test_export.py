"""Delivery end to end: mirror sales -> the nightly job -> the sandbox's weekly balance, checked against the
test's own sum of the sale lines; re-sending replaces; 412 shown; edits picked up; the schedule at 02:00
Copenhagen in winter and summer; a 90-day historical import with progress and cancel."""
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from channels.samesystem.export import CURSOR
from channels.samesystem.models import SameSystemDay, SameSystemDepartment, SameSystemImport, SameSystemSettings
from channels.samesystem.services import import_cancel, import_create
from connector.clock import FakeClock
from connector.models import SyncCursor, SyncEvent
from connector.registry import get_job
from connector.runs import run_job
from connector.schedules import wall_clock_next
from lightspeed.models import Sale, SaleLine

from .conftest import CPH, FIELDS, HARBOUR, MAIN, local

pytestmark = pytest.mark.django_db
NIGHTLY, HISTORY = "samesystem.nightly_export", "samesystem.history_import"


def night_after(day):
    """02:00 Copenhagen time on the morning after `day` (a FakeClock there)."""
    return FakeClock(start=datetime.combine(day + timedelta(days=1), datetime.min.time().replace(hour=2),
                                            tzinfo=CPH).timestamp())


def run(tenant, job, clock):
    result = run_job(tenant=tenant, job=job, clock=clock)
    assert result.status == "succeeded", result.error
    return result


def expected(tenant, *, shop, registers, day):
    """The test's own sum of the mirror's sale lines for one register number: unit price × quantity."""
    totals = dict.fromkeys(FIELDS, Decimal(0))
    for sale in Sale.objects.for_tenant(tenant).filter(shop_ls_id=shop, register_ls_id__in=registers, voided=False,
                                                       completed=True):
        if sale.complete_time.astimezone(CPH).date() != day:
            continue
        totals["transactions"] += 1
        for line in SaleLine.objects.for_tenant(tenant).filter(sale=sale):
            if line.quantity > 0:
                totals["gross_sales"] += line.unit_price * line.quantity
                totals["discounts"] += line.discount
                totals["goods_sold"] += line.quantity
            else:
                totals["returns"] += -line.unit_price * line.quantity
                totals["goods_returned"] += -line.quantity
    totals["net_sales"] = totals["gross_sales"] - totals["discounts"] - totals["returns"]
    return {FIELDS[k]: float(v) for k, v in totals.items()}


def seed_day(sales, day):
    """Discounts, refunds, a voided sale, three registers in two shops, 23:59 and 00:00 either side, and on the
    DST days the hours that exist only then."""
    y, m, d = day.year, day.month, day.day
    sales.add(local(y, m, d, 0, 0), [(2, "100.00", "20.00", "0.25")], register=1)
    sales.add(local(y, m, d, 10, 15), [(1, "49.95", "0", "0.25"), (3, "10.00", "5.00", "0.25")], register=1)
    sales.add(local(y, m, d, 11, 0), [(-1, "49.95", "0", "0.25")], register=1)  # a refund
    sales.add(local(y, m, d, 12, 0), [(5, "999.00", "0", "0.25")], register=1, voided=True)
    sales.add(local(y, m, d, 13, 30), [(1, "300.00", "30.00", "0.25"), (-2, "15.00", "0", "0.25")], register=3)
    sales.add(local(y, m, d, 23, 59, 59), [(1, "75.00", "0", "0.25")], register=3)
    sales.add(local(y, m, d, 16, 0), [(4, "20.00", "8.00", "0.25")], shop=2, register=2)
    before, after = day - timedelta(days=1), day + timedelta(days=1)
    sales.add(local(before.year, before.month, before.day, 23, 59, 59), [(1, "1000.00", "0", "0")], register=1)
    sales.add(local(after.year, after.month, after.day, 0, 0), [(1, "2000.00", "0", "0")], register=3)
    if day == date(2026, 10, 25):  # 02:30 CEST and 02:30 CET
        sales.add(datetime(2026, 10, 25, 0, 30, tzinfo=timezone.utc), [(1, "11.00", "0", "0.25")], register=1)
        sales.add(datetime(2026, 10, 25, 1, 30, tzinfo=timezone.utc), [(1, "13.00", "0", "0.25")], register=1)
    if day == date(2026, 3, 29):  # 01:59 CET, then 03:00 CEST straight after
        sales.add(local(2026, 3, 29, 1, 59), [(1, "17.00", "0", "0.25")], register=3)
        sales.add(local(2026, 3, 29, 3, 0), [(1, "19.00", "0", "0.25")], register=3)


@pytest.mark.parametrize("day", [date(2026, 6, 1), date(2026, 10, 25), date(2026, 3, 29)])
def test_saved_values_equal_the_tests_own_sum_of_the_sale_lines(ss_tenant, ss_sandbox, sales, day):
    seed_day(sales, day)
    run(ss_tenant, NIGHTLY, night_after(day))
    for ctx, number, shop, registers in ((MAIN, 1, 1, [1]), (MAIN, 2, 1, [3]), (HARBOUR, 1, 2, [2])):
        stored = ss_sandbox.balance(ctx, number, day)
        assert stored["lines"] == expected(ss_tenant, shop=shop, registers=registers, day=day), (ctx, number)
        assert stored["confirmed"], "auto confirm is on"
    assert ss_sandbox.balance(MAIN, 1, day)["lines"][FIELDS["transactions"]] >= 3


def test_sending_a_day_again_replaces_it_and_an_expired_token_goes_unnoticed(ss_tenant, ss_sandbox, sales):
    day = date(2026, 6, 1)
    seed_day(sales, day)
    run(ss_tenant, NIGHTLY, night_after(day))
    first = ss_sandbox.balance(MAIN, 1, day)["lines"].copy()
    ss_sandbox.faults.inject("expire_token", path_contains="/weekly_balance/save/")
    result = run(ss_tenant, NIGHTLY, night_after(day))
    assert ss_sandbox.balance(MAIN, 1, day)["lines"] == first
    assert result.counts["days_sent"] == 3 and not result.counts.get("failed")
    again = [a["action"] for a in ss_sandbox.actions if a["ctx"] == MAIN and a["register"] == 1]
    assert again == ["save", "confirm", "unconfirm", "save", "confirm"]


def test_unmapped_figures_are_not_sent(ss_tenant, ss_sandbox, sales):
    SameSystemSettings.objects.for_tenant(ss_tenant).update(field_map={"gross_sales": 5266, "transactions": 5270})
    sales.add(local(2026, 6, 1, 12), [(1, "10.00", "0", "0")], register=1)
    run(ss_tenant, NIGHTLY, night_after(date(2026, 6, 1)))
    assert ss_sandbox.balance(MAIN, 1, date(2026, 6, 1))["lines"] == {5266: 10.0, 5270: 1.0}


def test_a_refused_confirm_is_kept_with_samesystems_message(ss_tenant, ss_sandbox, sales, owner_client):
    SameSystemSettings.objects.for_tenant(ss_tenant).update(field_map={"net_sales": 5267})
    sales.add(local(2026, 6, 1, 12), [(1, "10.00", "0", "0")], register=2, shop=2)
    result = run(ss_tenant, NIGHTLY, night_after(date(2026, 6, 1)))
    assert result.counts["confirm_refused"] == 3
    day = SameSystemDay.objects.for_tenant(ss_tenant).get(department__ctx_token=HARBOUR)
    assert not day.confirmed and "Mandatory field 'Gross sales' is missing" in day.problem
    assert ss_sandbox.balance(HARBOUR, 1, date(2026, 6, 1))["lines"] == {5267: 10.0}


def test_a_sale_of_the_wrong_register_is_not_sent_and_is_reported(ss_tenant, ss_sandbox, sales):
    sales.add(local(2026, 6, 1, 12), [(1, "10.00", "0", "0")], register=77)
    result = run(ss_tenant, NIGHTLY, night_after(date(2026, 6, 1)))
    assert ss_sandbox.balance(MAIN, 1, date(2026, 6, 1))["lines"][FIELDS["gross_sales"]] == 0
    assert result.counts["unmapped_register_days"] == 1
    assert SyncEvent.objects.for_tenant(ss_tenant).filter(run=result, message__contains="register 77").exists()


def test_an_edit_of_a_day_already_sent_goes_with_the_next_run(ss_tenant, ss_sandbox, sales):
    old = sales.add(local(2026, 6, 1, 12), [(1, "10.00", "0", "0")], register=1)
    run(ss_tenant, NIGHTLY, night_after(date(2026, 6, 1)))
    assert ss_sandbox.balance(MAIN, 1, date(2026, 6, 1))["lines"][FIELDS["gross_sales"]] == 10.0
    old.voided = True
    old.save()  # the mirror sync saw the void
    run(ss_tenant, NIGHTLY, night_after(date(2026, 6, 4)))
    assert ss_sandbox.balance(MAIN, 1, date(2026, 6, 1))["lines"][FIELDS["gross_sales"]] == 0
    assert ss_sandbox.balance(MAIN, 1, date(2026, 6, 4)) is not None
    assert ss_sandbox.balance(MAIN, 1, date(2026, 6, 3)) is None  # days without a change are not resent


@pytest.mark.parametrize("now, next_run", [
    (datetime(2026, 1, 15, 12, tzinfo=timezone.utc), datetime(2026, 1, 16, 1, tzinfo=timezone.utc)),   # CET
    (datetime(2026, 7, 15, 12, tzinfo=timezone.utc), datetime(2026, 7, 16, 0, tzinfo=timezone.utc)),   # CEST
])
def test_the_nightly_job_runs_at_0200_copenhagen_time(now, next_run):
    assert wall_clock_next(get_job(NIGHTLY), now=now) == next_run


@pytest.mark.parametrize("utc_now, sent_day", [
    (datetime(2026, 1, 16, 1, tzinfo=timezone.utc), date(2026, 1, 15)),
    (datetime(2026, 7, 16, 0, tzinfo=timezone.utc), date(2026, 7, 15)),
])
def test_at_0200_the_previous_day_is_sent(ss_tenant, ss_sandbox, utc_now, sent_day):
    run(ss_tenant, NIGHTLY, FakeClock(start=utc_now.timestamp()))
    assert {a["date"] for a in ss_sandbox.actions if a["action"] == "save"} == {sent_day.isoformat()}


def test_a_90_day_import_shows_progress_can_be_cancelled_and_leaves_the_nightly_cursor(ss_tenant, ss_sandbox, sales,
                                                                                       clock):
    run(ss_tenant, NIGHTLY, night_after(date(2026, 6, 1)))
    cursor = SyncCursor.objects.for_tenant(ss_tenant).get(name=CURSOR).value
    sales.add(local(2026, 3, 10, 12), [(1, "10.00", "0", "0")], register=1)
    departments = list(SameSystemDepartment.objects.for_tenant(ss_tenant).filter(lightspeed_shop_ls_id__isnull=False)
                       .values_list("pk", flat=True))
    job = import_create(tenant=ss_tenant, department_ids=departments, date_from=date(2026, 3, 1),
                        date_to=date(2026, 5, 29), today=date(2026, 6, 2))
    assert job.days_total == 90
    result = run_job(tenant=ss_tenant, job=HISTORY, clock=clock)
    job.refresh_from_db()
    assert result.run_again and (job.state, job.days_done, job.percent) == ("running", 31, 34)
    assert ss_sandbox.balance(MAIN, 1, date(2026, 3, 10))["lines"][FIELDS["gross_sales"]] == 10.0
    import_cancel(tenant=ss_tenant, import_id=job.pk)
    run_job(tenant=ss_tenant, job=HISTORY, clock=clock)
    job.refresh_from_db()
    assert (job.state, job.days_done) == ("cancelled", 31)
    assert ss_sandbox.balance(MAIN, 1, date(2026, 4, 2)) is None
    assert SyncCursor.objects.for_tenant(ss_tenant).get(name=CURSOR).value == cursor


def test_an_import_runs_to_the_end_and_overwrites_an_approved_week(ss_tenant, ss_sandbox, clock):
    monday = date(2026, 5, 4)
    for n in range(7):
        ss_sandbox.confirm(HARBOUR, monday + timedelta(days=n), 1)
    ss_sandbox.approve_week(HARBOUR, monday, 1)
    department = SameSystemDepartment.objects.for_tenant(ss_tenant).get(ctx_token=HARBOUR)
    import_create(tenant=ss_tenant, department_ids=[department.pk], date_from=monday, date_to=monday + timedelta(6),
                  today=date(2026, 6, 2))
    run_job(tenant=ss_tenant, job=HISTORY, clock=clock)
    job = SameSystemImport.objects.for_tenant(ss_tenant).get()
    assert (job.state, job.days_done) == ("done", 7)
    assert ss_sandbox.week_approved(HARBOUR, 1, monday), "approved again once every day is confirmed"
    assert ss_sandbox.balance(HARBOUR, 1, monday)["lines"][FIELDS["gross_sales"]] == 0


def test_a_week_with_fewer_registers_takes_every_sale_on_register_1(ss_tenant, ss_sandbox, sales):
    import httpx

    with httpx.Client(transport=ss_sandbox.transport()) as http:
        http.post("http://ss.test/sandbox/register-count", json={"ctx": MAIN, "date": "2026-06-01", "count": 1})
    sales.add(local(2026, 6, 1, 12), [(1, "10.00", "0", "0")], register=1)
    sales.add(local(2026, 6, 1, 13), [(1, "30.00", "0", "0")], register=3)
    run(ss_tenant, NIGHTLY, night_after(date(2026, 6, 1)))
    assert ss_sandbox.balance(MAIN, 1, date(2026, 6, 1))["lines"][FIELDS["gross_sales"]] == 40.0
    assert ss_sandbox.balance(MAIN, 2, date(2026, 6, 1)) is None
