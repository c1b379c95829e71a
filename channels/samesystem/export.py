"""Delivery into SameSystem's weekly balance: each mapped department × register × day, as daily totals.

Per day and register: save the mapped figures (an unmapped figure is not sent), then confirm when "auto
confirm" is on. Sending a day again sets the same fields again, never adds: a confirmed day is unconfirmed
first (SameSystem refuses to save it otherwise), an approved week is unapproved only with "overwrite
approved numbers" (and approved again after). A confirm refused with 412 keeps SameSystem's message on
the day for the owner's page.

    nightly_export(ctx=ctx)      # the previous day in each shop's zone, and earlier days whose sales changed
    history_import(ctx=ctx)      # the next queued historical import, a month of days per run
"""
import json
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from connector.clock import system_clock
from connector.errors import ConfigError, TransientError
from connector.http import Invalid
from connector.models import SyncCursor

from .client import samesystem_client
from .csvfile import csv_days
from .figures import cents, day_totals, figures_by_hour
from .mapping import balance_lines, by_register_number
from .models import SameSystemDay, SameSystemImport
from .selectors import (days_changed_since, departments_mapped, import_next, register_numbers, sales_of_day,
                        shop_zone)
from .services import import_days, samesystem_settings_get_or_create

CURSOR = "samesystem.sales_sent"  # the mirror's synced_at up to which changed days were picked up
DAYS_PER_RUN = 31
OBJECT = "samesystem_day"


def samesystem_message(exc):
    """SameSystem's own `description` from a refused call, else the error text."""
    try:
        body = json.loads(exc.body or "")
        return str(body.get("description") or body.get("status") or exc)
    except (TypeError, ValueError, AttributeError):
        return str(exc)


class Delivery:
    """One run's sending: the client, the settings, register numbers, and each week read once."""

    def __init__(self, *, ctx, client, settings, overwrite_approved):
        self.ctx, self.client, self.settings = ctx, client, settings
        self.overwrite_approved = overwrite_approved
        self.numbers = register_numbers(ctx.tenant)
        self.weeks = {}

    def week(self, department, day):
        monday = day - timedelta(days=day.weekday())
        key = (department.ctx_token, monday)
        if key not in self.weeks:
            self.weeks[key] = self.client.week(department.ctx_token, monday)
        return self.weeks[key]

    def department_day(self, department, day):
        """Compute the department's day from the mirror and send it per register number."""
        zone = shop_zone(self.ctx.tenant, department.lightspeed_shop_ls_id)
        sales = sales_of_day(self.ctx.tenant, shop_ls_id=department.lightspeed_shop_ls_id, day=day, zone=zone)
        hourly = figures_by_hour(sales, day=day, zone=zone, vat_included=self.settings.vat_included)
        week = self.week(department, day)
        register_count = int(week.get("register_count") or department.register_count or 1)
        mapped, unmapped = by_register_number(day_totals(hourly), register_count=register_count, numbers=self.numbers)
        for register_ls_id, figures in unmapped.items():
            self.ctx.count("unmapped_register_days")
            self.ctx.warning(f"{department.name} {day}: Lightspeed register {register_ls_id} has no SameSystem "
                             f"register number; its sales ({figures.gross_sales} gross) were not sent",
                             object_type=OBJECT, object_id=f"{department.ctx_token}/{day}")
        registers = {int(r.get("register_number", 0)): r for r in week.get("registers") or []}
        for number, figures in mapped.items():
            with self.ctx.record(OBJECT, f"{department.ctx_token}/{number}/{day}"):
                self.register_day(department, day, number, figures, registers.get(number) or {})

    def register_day(self, department, day, number, figures, register):
        lines = balance_lines(figures, self.settings.field_map)
        if self.ctx.dry_run:
            self.ctx.count("days_would_send")
            self.ctx.info(f"dry run: would save {department.name} register #{number} {day}: {lines}")
            return
        iso = day.isoformat()
        ctx_token = department.ctx_token
        approved = bool(register.get("week_approved"))
        if approved and not self.overwrite_approved:
            self.day_note(department, number, day, figures, problem="The week is approved in SameSystem; it was not "
                          "overwritten (import it with “overwrite approved numbers”).")
            self.ctx.count("days_skipped_approved")
            return
        if approved:
            self.client.day_action("unapprove_week", ctx_token, day, number)
            register["week_approved"] = False
        was_confirmed = iso in (register.get("confirmed") or {})
        if was_confirmed:
            self.client.day_action("unconfirm", ctx_token, day, number)
            register.get("confirmed", {}).pop(iso, None)
        try:
            self.client.save(ctx_token, day, number, lines=lines)
        except Invalid as exc:
            self.day_note(department, number, day, figures, problem=f"SameSystem refused to save the day: "
                                                                    f"{samesystem_message(exc)}")
            raise
        problem, confirmed = "", False
        if self.settings.auto_confirm or was_confirmed:
            try:
                self.client.day_action("confirm", ctx_token, day, number)
                confirmed = True
                register.setdefault("confirmed", {})[iso] = {}
            except Invalid as exc:
                problem = f"SameSystem refused to confirm the day: {samesystem_message(exc)}"
                self.ctx.count("confirm_refused")
                self.ctx.warning(f"{department.name} register #{number} {day}: {problem}", object_type=OBJECT,
                                 object_id=f"{ctx_token}/{number}/{day}")
        if approved and confirmed:
            self.approve_again(department, day, number)
        self.day_note(department, number, day, figures, problem=problem, confirmed=confirmed)
        self.ctx.count("days_sent")

    def approve_again(self, department, day, number):
        try:
            self.client.day_action("approve_week", department.ctx_token, day, number)
        except Invalid as exc:
            self.ctx.warning(f"{department.name} register #{number}: the week of {day} stays unapproved: "
                             f"{samesystem_message(exc)}")

    def day_note(self, department, number, day, figures, *, problem="", confirmed=False):
        values = {k: str(cents(v) if isinstance(v, Decimal) else v) for k, v in figures.as_dict().items()}
        SameSystemDay.objects.for_tenant(self.ctx.tenant).update_or_create(
            tenant=self.ctx.tenant, department=department, register_number=number, day=day,
            defaults={"values": values, "problem": problem, "confirmed": confirmed, "sent_at": timezone.now()})


def csv_deliver(ctx, settings, days):
    """Upload the days' hourly CSV by SFTP when a server is set. A refused upload is an error for the owner on
    this run; the weekly balance is delivered either way (the next run uploads again)."""
    if not settings.sftp_host or not days or ctx.dry_run:
        return
    from .sftp import csv_upload

    name = f"samesystem-{days[0]}" + (f"_{days[-1]}" if len(days) > 1 else "") + ".csv"
    content = "".join(csv_days(ctx.tenant, days=days, vat_included=settings.vat_included))
    try:
        target = csv_upload(settings=settings, name=name, content=content)
    except (ConfigError, TransientError) as exc:
        ctx.count("csv_upload_failed")
        ctx.error(f"CSV {name} not uploaded: {exc}", object_type="samesystem_csv", object_id=name)
        return
    ctx.count("csv_uploaded")
    ctx.info(f"CSV {name} uploaded to {settings.sftp_host}:{target}")


def _now(ctx):
    return (ctx.clock or system_clock).now()


def nightly_export(*, ctx):
    """The previous day (in each shop's zone) of every mapped department, and any earlier day whose sales the
    mirror changed since the last run (an edit or a void of a day already sent)."""
    settings = samesystem_settings_get_or_create(tenant=ctx.tenant)
    departments = departments_mapped(ctx.tenant)
    cursor, _ = SyncCursor.objects.for_tenant(ctx.tenant).get_or_create(tenant=ctx.tenant, name=CURSOR)
    started = timezone.now()  # the mirror's synced_at is wall time, whatever clock the run has
    sent = set()
    with samesystem_client(ctx.tenant, clock=ctx.clock) as client:
        listed = {d["ctx_token"] for d in client.departments()}
        if not departments:
            ctx.warning("No SameSystem department is mapped to a Lightspeed shop yet: nothing to send")
        delivery = Delivery(ctx=ctx, client=client, settings=settings, overwrite_approved=False)
        for department in departments:
            if department.ctx_token not in listed:
                ctx.warning(f"SameSystem no longer lists department {department.name} ({department.ctx_token}) for "
                            f"the API user; skipped")
                continue
            zone = shop_zone(ctx.tenant, department.lightspeed_shop_ls_id)
            yesterday = _now(ctx).astimezone(ZoneInfo(zone)).date() - timedelta(days=1)
            days = {yesterday}
            if cursor.value is not None:
                days.update(days_changed_since(ctx.tenant, shop_ls_id=department.lightspeed_shop_ls_id,
                                               since=cursor.value, before=yesterday, zone=zone))
            for day in sorted(days):
                delivery.department_day(department, day)
            sent.update(days)
    for day in sorted(sent):
        csv_deliver(ctx, settings, [day])
    if not ctx.dry_run:
        cursor.value = started
        cursor.save(update_fields=["value"])


def history_import(*, ctx):
    """The oldest queued historical import: up to DAYS_PER_RUN days per run (then another run), days done
    counted for the progress bar, stopped between two days when cancelled. The nightly cursor is untouched."""
    job = import_next(ctx.tenant)
    if job is None:
        return
    settings = samesystem_settings_get_or_create(tenant=ctx.tenant)
    departments = departments_mapped(ctx.tenant, ids=job.department_ids)
    if not ctx.dry_run and job.state == SameSystemImport.State.QUEUED:
        job.state = SameSystemImport.State.RUNNING
        job.save(update_fields=["state", "updated_at"])
    days = import_days(job)
    with samesystem_client(ctx.tenant, clock=ctx.clock) as client:
        delivery = Delivery(ctx=ctx, client=client, settings=settings, overwrite_approved=job.overwrite_approved)
        for n, day in enumerate(days):
            if n == DAYS_PER_RUN:
                csv_deliver(ctx, settings, days[:n])
                ctx.run_again()
                return
            job.refresh_from_db(fields=["state"])
            if job.state == SameSystemImport.State.CANCELLED:
                ctx.info(f"historical import {job.pk} cancelled after {job.days_done} of {job.days_total} days")
                csv_deliver(ctx, settings, days[:n])
                return
            for department in departments:
                delivery.department_day(department, day)
            if not ctx.dry_run:
                job.days_done += 1
                job.save(update_fields=["days_done", "updated_at"])
    csv_deliver(ctx, settings, days)
    if not ctx.dry_run:
        job.state = SameSystemImport.State.DONE
        job.message = f"{job.days_done} of {job.days_total} days sent."
        job.save(update_fields=["state", "message", "updated_at"])
