"""SameSystem's writes: settings (validated, every error keyed by its field), the on/off switch, "test
connection" (refreshes departments, register counts and weekly-balance fields), the mappings, the CSV
address, and historical imports (create, cancel)."""
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from connector.http import ApiError, Misconfigured
from connector.runs import run_enqueue
from lightspeed.models import Register, Shop

from .client import SameSystemClient, samesystem_client
from .models import (FIGURES, SameSystemDepartment, SameSystemImport, SameSystemRegister, SameSystemSettings,
                     new_csv_token)

EDITABLE_FIELDS = {"enabled", "email", "password", "vat_included", "auto_confirm", "field_map", "sftp_host",
                   "sftp_port", "sftp_user", "sftp_password", "sftp_host_key", "sftp_directory"}
WRITE_ONLY_FIELDS = {"password", "sftp_password"}  # blank keeps the stored value
FIGURE_KEYS = {key for key, _ in FIGURES}
IMPORT_JOB = "samesystem.history_import"
MAX_IMPORT_DAYS = 3 * 366


def samesystem_settings_get_or_create(*, tenant):
    settings, _ = SameSystemSettings.objects.for_tenant(tenant).get_or_create(tenant=tenant)
    return settings


def _field_map_errors(field_map, fields_seen):
    if not isinstance(field_map, dict):
        return ["Map each figure to a weekly-balance field id."]
    known = {f.get("field_id"): f for f in fields_seen or []}
    problems, used = [], {}
    for figure, field_id in field_map.items():
        if figure not in FIGURE_KEYS:
            problems.append(f"“{figure}” is not one of the POS figures.")
            continue
        if field_id in (None, ""):
            continue
        try:
            field_id = int(field_id)
        except (TypeError, ValueError):
            problems.append(f"{figure}: “{field_id}” is not a weekly-balance field id.")
            continue
        field = known.get(field_id)
        if known and field is None:
            problems.append(f"{figure}: field {field_id} is not in SameSystem's weekly balance (Test connection "
                            f"refreshes the list).")
        elif field and (field.get("field_type") != "number" or field.get("calculated")):
            problems.append(f"{figure}: field {field_id} “{field.get('name')}” does not take numbers we can send "
                            f"(it is {'calculated' if field.get('calculated') else field.get('field_type')}).")
        if field_id in used:
            problems.append(f"{figure} and {used[field_id]} are both mapped to field {field_id}; one field per figure.")
        used[field_id] = figure
    return problems


def samesystem_settings_update(*, tenant, **fields):
    """Validate and save the given settings."""
    settings = samesystem_settings_get_or_create(tenant=tenant)
    for name in WRITE_ONLY_FIELDS:
        if name in fields and not fields[name]:
            del fields[name]
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError({name: "This setting does not exist." for name in sorted(unknown)})
    errors = {}
    if "email" in fields:
        fields["email"] = (fields["email"] or "").strip()
        if fields["email"] and "@" not in fields["email"]:
            errors["email"] = "Enter the SameSystem API user's email address."
    if "field_map" in fields:
        problems = _field_map_errors(fields["field_map"], settings.fields_seen)
        if problems:
            errors["field_map"] = problems
        else:
            fields["field_map"] = {k: int(v) for k, v in fields["field_map"].items() if v not in (None, "")}
    errors.update(_sftp_errors(settings, fields))
    email = fields.get("email", settings.email)
    password = fields.get("password") or settings.password
    if fields.get("enabled", settings.enabled) and not (email and password):
        errors["email"] = "Enter the SameSystem API user's email and password before switching SameSystem on."
    if errors:
        raise ValidationError(errors)
    for name, value in fields.items():
        setattr(settings, name, value)
    settings.save()
    return settings


def _sftp_errors(settings, fields):
    for name in ("sftp_host", "sftp_user", "sftp_directory", "sftp_host_key"):
        if name in fields:
            fields[name] = (fields[name] or "").strip()
    host = fields.get("sftp_host", settings.sftp_host)
    if not host:
        return {}
    errors = {}
    if not fields.get("sftp_user", settings.sftp_user):
        errors["sftp_user"] = "Enter the SFTP user name, or clear the SFTP server."
    if not (fields.get("sftp_password") or settings.sftp_password):
        errors["sftp_password"] = "Enter the SFTP password, or clear the SFTP server."
    port = fields.get("sftp_port", settings.sftp_port)
    if not isinstance(port, int) or not 1 <= port <= 65535:
        errors["sftp_port"] = "The SFTP port is a number from 1 to 65535 (usually 22)."
    key = fields.get("sftp_host_key", settings.sftp_host_key)
    if key and len(key.split()) < 2:
        errors["sftp_host_key"] = "Paste the server's public host key as one line: “ssh-ed25519 AAAA…”."
    return errors


def samesystem_switch(*, tenant, on):
    """The channel's on-switch: refused (ValidationError) without the API user."""
    return samesystem_settings_update(tenant=tenant, enabled=on)


def samesystem_csv_rotate_token(*, tenant):
    """A new secret CSV address; the old one answers 404 from now on."""
    settings = samesystem_settings_get_or_create(tenant=tenant)
    settings.csv_token = new_csv_token()
    settings.save(update_fields=["csv_token", "updated_at"])
    return settings


# --- test connection ---------------------------------------------------------------------------------

def samesystem_connection_check(*, tenant, clock=None, transport=None):
    """Log in, list the departments the API user sees (stored: name, dpt_no, register count this week) and
    the weekly-balance fields; log out. Returns the departments. Raises connector.http errors."""
    settings = samesystem_settings_get_or_create(tenant=tenant)
    today = timezone.now().date()
    with samesystem_client(tenant, clock=clock, transport=transport) as client:
        listed = client.departments()
        counts = {d["ctx_token"]: (client.week(d["ctx_token"], today).get("register_count") or 1) for d in listed}
        fields = client.fields(listed[0]["ctx_token"]).get("fields", []) if listed else []
    with transaction.atomic():
        SameSystemDepartment.objects.for_tenant(tenant).update(seen=False)
        for department in listed:
            SameSystemDepartment.objects.for_tenant(tenant).update_or_create(
                tenant=tenant, ctx_token=department["ctx_token"],
                defaults={"name": department.get("name") or "", "dpt_no": department.get("dpt_no") or "",
                          "register_count": int(counts[department["ctx_token"]]), "seen": True})
        settings.fields_seen = [f for f in fields if isinstance(f, dict) and "field_id" in f]
        settings.checked_at = timezone.now()
        settings.save(update_fields=["fields_seen", "checked_at", "updated_at"])
    return listed


def samesystem_test_connection(*, tenant, values):
    """The channel contract's "Test connection" (and the save check): log in with these credentials (blank:
    the stored ones), list the departments, log out. Saves nothing. Returns the problems (empty: it works)."""
    stored = samesystem_settings_get_or_create(tenant=tenant)
    email = (values.get("email") or stored.email or "").strip()
    password = values.get("password") or stored.password
    if not (email and password):
        return ["Enter the SameSystem API user's email and password."]
    try:
        with SameSystemClient(email=email, password=password) as client:
            listed = client.departments()
    except Misconfigured as exc:
        return [f"{exc}. Check the email and password of the API user (with “For API usage”) in SameSystem."]
    except ApiError as exc:
        return [f"Could not reach SameSystem to check the API user ({exc}). Try again in a minute."]
    if not listed:
        return ["The API user sees no department: give it access to the departments to send figures to."]
    return []


# --- mappings ----------------------------------------------------------------------------------------

def departments_map(*, tenant, shops):
    """{department pk: Lightspeed shopID or None}: one department per shop (the seed's "POS client number")."""
    known_shops = set(Shop.objects.for_tenant(tenant).values_list("ls_id", flat=True))
    departments = {d.pk: d for d in SameSystemDepartment.objects.for_tenant(tenant)}
    problems, used = [], {}
    for pk, shop in shops.items():
        department = departments.get(int(pk))
        if department is None:
            problems.append(f"Department {pk} is not one SameSystem lists; run Test connection.")
        elif shop not in (None, "") and int(shop) not in known_shops:
            problems.append(f"{department.name}: Lightspeed shop {shop} is not in the Lightspeed data we have.")
        elif shop not in (None, "") and int(shop) in used:
            problems.append(f"{department.name} and {used[int(shop)]} are both mapped to Lightspeed shop {shop}; "
                            f"map each shop to one department.")
        elif shop not in (None, ""):
            used[int(shop)] = department.name
    if problems:
        raise ValidationError({"departments": problems})
    for pk, shop in shops.items():
        department = departments[int(pk)]
        department.lightspeed_shop_ls_id = None if shop in (None, "") else int(shop)
        department.save(update_fields=["lightspeed_shop_ls_id"])


def registers_map(*, tenant, numbers):
    """{Lightspeed registerID: SameSystem register number or None} (the seed's "POS terminal number")."""
    registers = {r.ls_id: r for r in Register.objects.for_tenant(tenant)}
    counts = {d.lightspeed_shop_ls_id: d for d in SameSystemDepartment.objects.for_tenant(tenant)
              .filter(lightspeed_shop_ls_id__isnull=False)}
    problems, taken = [], {}
    for register_ls_id, number in numbers.items():
        register = registers.get(int(register_ls_id))
        if register is None:
            problems.append(f"Register {register_ls_id} is not in the Lightspeed data we have.")
            continue
        if number in (None, ""):
            continue
        department = counts.get(register.shop_ls_id)
        count = department.register_count if department else 1
        if not 1 <= int(number) <= count:
            problems.append(f"{register.name}: SameSystem register number {number} does not exist "
                            f"(the department has {count}).")
        key = (register.shop_ls_id, int(number))
        if key in taken:
            problems.append(f"{register.name} and {taken[key]} both have register number {number}; SameSystem would "
                            f"add their sales together. Give each its own number.")
        taken[key] = register.name
    if problems:
        raise ValidationError({"registers": problems})
    for register_ls_id, number in numbers.items():
        if number in (None, ""):
            SameSystemRegister.objects.for_tenant(tenant).filter(register_ls_id=int(register_ls_id)).delete()
        else:
            SameSystemRegister.objects.for_tenant(tenant).update_or_create(
                tenant=tenant, register_ls_id=int(register_ls_id), defaults={"register_number": int(number)})


# --- historical import -------------------------------------------------------------------------------

def import_create(*, tenant, department_ids, date_from, date_to, overwrite_approved=True, today=None):
    """Queue a historical import (days done of days asked on the page); it runs in the background."""
    today = today or timezone.now().date()
    errors = {}
    mapped = set(SameSystemDepartment.objects.for_tenant(tenant).filter(lightspeed_shop_ls_id__isnull=False)
                 .values_list("pk", flat=True))
    ids = sorted({int(i) for i in department_ids or []})
    if not ids:
        errors["department_ids"] = "Choose at least one department."
    elif set(ids) - mapped:
        errors["department_ids"] = "Only departments mapped to a Lightspeed shop can be imported."
    if not isinstance(date_from, date) or not isinstance(date_to, date):
        errors["date_from"] = "Give the first and the last day as YYYY-MM-DD."
    elif date_from > date_to:
        errors["date_to"] = "The last day is before the first."
    elif date_to >= today:
        errors["date_to"] = "The last day must be before today (today is sent tonight)."
    elif (date_to - date_from).days + 1 > MAX_IMPORT_DAYS:
        errors["date_from"] = f"At most {MAX_IMPORT_DAYS} days at a time."
    if errors:
        raise ValidationError(errors)
    job = SameSystemImport.objects.create(tenant=tenant, department_ids=ids, date_from=date_from, date_to=date_to,
                                          overwrite_approved=overwrite_approved,
                                          days_total=(date_to - date_from).days + 1)
    run_enqueue(tenant_id=tenant.pk, job=IMPORT_JOB, trigger="manual")  # queued once this commits
    return job


def import_cancel(*, tenant, import_id):
    """Stop an import between two days; the days already sent stay sent."""
    job = SameSystemImport.objects.for_tenant(tenant).get(pk=import_id)
    if job.state in (SameSystemImport.State.QUEUED, SameSystemImport.State.RUNNING):
        job.state = SameSystemImport.State.CANCELLED
        job.message = f"Cancelled after {job.days_done} of {job.days_total} days."
        job.save(update_fields=["state", "message", "updated_at"])
    return job


def import_days(job):
    """The days of an import not done yet, oldest first."""
    first = job.date_from + timedelta(days=job.days_done)
    return [first + timedelta(days=n) for n in range((job.date_to - first).days + 1)]
