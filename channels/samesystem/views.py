"""The owner's SameSystem page (switch, API user, test connection, departments and registers mapping, field
mapping, historical import with progress, the CSV), and the CSV at its secret address (no session; the
token is the secret):

    /channels/samesystem/csv/<token>.csv?date=YYYY-MM-DD     one day (default: yesterday)
"""
import hmac
from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from connector.channels import channel_get
from connector.dashboard import channel_state
from connector.http import ApiError
from connector.web_access import is_owner, tenant_page
from tenants.context import tenant_context

from .csvfile import csv_days
from .forms import ImportForm, SameSystemSettingsForm
from .models import SameSystemImport, SameSystemSettings
from .selectors import CHANNEL, days_sent, days_with_problems, imports_recent, unmapped
from .services import (import_cancel, import_create, samesystem_connection_check, samesystem_csv_rotate_token)

MAX_CSV_DAYS = 62


def csv_path(settings):
    return reverse("samesystem:csv", args=[settings.csv_token])


@tenant_page
def samesystem_settings(request):
    form = SameSystemSettingsForm(request.POST or None, tenant=request.tenant)
    form.fields.pop("enabled")  # switched on and off with its schedules by the channel switch
    if request.method == "POST" and form.is_valid() and form.save_via_service():
        messages.success(request, "SameSystem settings saved.")
        return redirect("samesystem:settings")
    return render(request, "samesystem/settings.html", _page_context(request, form),
                  status=400 if form.errors else 200)


def _page_context(request, form, import_form=None):
    tenant = request.tenant
    return {
        "form": form, "settings": form.settings, "state": channel_state(channel_get(CHANNEL)),
        "can_change": is_owner(request), "unmapped": unmapped(tenant),
        "import_form": import_form or ImportForm(tenant=tenant), **_imports_context(request),
        "problems": days_with_problems(tenant), "sent": days_sent(tenant),
        "csv_url": request.build_absolute_uri(csv_path(form.settings)),
        "yesterday": (timezone.localdate() - timedelta(days=1)).isoformat(),
    }


def _imports_context(request):
    imports = imports_recent(request.tenant)
    active = any(job.state in (SameSystemImport.State.QUEUED, SameSystemImport.State.RUNNING) for job in imports)
    return {"imports": imports, "imports_active": active, "can_change": is_owner(request)}


@tenant_page
@require_safe
def samesystem_imports(request):
    """The imports' progress, for the page to poll while one runs."""
    return render(request, "samesystem/_imports.html", _imports_context(request))


@tenant_page
@require_POST
def samesystem_test_connection(request):
    try:
        listed = samesystem_connection_check(tenant=request.tenant)
    except ApiError as exc:
        messages.error(request, f"SameSystem did not answer as expected: {exc}")
        return redirect("samesystem:settings")
    names = ", ".join(f"{d.get('name')} ({d.get('ctx_token')})" for d in listed) or "none"
    messages.success(request, f"Connected. The API user sees {len(listed)} department(s): {names}.")
    return redirect("samesystem:settings")


@tenant_page
@require_POST
def samesystem_import(request):
    form = ImportForm(request.POST, tenant=request.tenant)
    if form.is_valid():
        try:
            job = import_create(tenant=request.tenant, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, f"Historical import of {job.days_total} days queued; it runs in the background.")
            return redirect("samesystem:settings")
    settings_form = SameSystemSettingsForm(tenant=request.tenant)
    settings_form.fields.pop("enabled")
    return render(request, "samesystem/settings.html", _page_context(request, settings_form, form), status=400)


@tenant_page
@require_POST
def samesystem_import_cancel(request):
    try:
        job = import_cancel(tenant=request.tenant, import_id=int(request.POST.get("import_id") or 0))
    except (SameSystemImport.DoesNotExist, ValueError):
        raise Http404("No such import.") from None
    messages.success(request, f"Historical import stopped: {job.message or job.get_state_display()}")
    return redirect("samesystem:settings")


@tenant_page
@require_POST
def samesystem_csv_rotate(request):
    samesystem_csv_rotate_token(tenant=request.tenant)
    messages.success(request, "The CSV has a new address; the old one stopped working.")
    return redirect("samesystem:settings")


def _days(request):
    try:
        first = date.fromisoformat(request.GET.get("date_from") or request.GET.get("date") or "")
    except ValueError:
        first = timezone.localdate() - timedelta(days=1)
    try:
        last = date.fromisoformat(request.GET.get("date_to") or "")
    except ValueError:
        last = first
    if last < first or (last - first).days >= MAX_CSV_DAYS:
        return None
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _csv_response(tenant, settings, days):
    body = "".join(csv_days(tenant, days=days, vat_included=settings.vat_included))  # at most 62 days: small
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    name = days[0].isoformat() + (f"_{days[-1].isoformat()}" if len(days) > 1 else "")
    response["Content-Disposition"] = f'attachment; filename="samesystem-{name}.csv"'
    response["Cache-Control"] = "private, no-cache"
    return response


@tenant_page
@require_safe
def samesystem_csv_download(request):
    days = _days(request)
    if days is None:
        return HttpResponseBadRequest(f"Choose at most {MAX_CSV_DAYS} days, the first before the last.")
    settings = SameSystemSettings.objects.for_tenant(request.tenant).get_or_create(tenant=request.tenant)[0]
    return _csv_response(request.tenant, settings, days)


@require_safe
def samesystem_csv_public(request, token):
    # Public by design: the secret token in the URL is the credential (see channel.public_urls).
    settings = SameSystemSettings.unscoped.select_related("tenant").filter(csv_token=token).first()
    if settings is None or not hmac.compare_digest(settings.csv_token, token):
        raise Http404("No CSV at this address (the link may have been replaced).")
    days = _days(request)
    if days is None:
        return HttpResponseBadRequest(f"Choose at most {MAX_CSV_DAYS} days, the first before the last.")
    with tenant_context(settings.tenant):
        return _csv_response(settings.tenant, settings, days)
