"""Reads: settings, departments and their mapping, what is unmapped, and the sales of a day from the mirror."""
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import Prefetch, Q

from lightspeed.models import Register, Sale, SaleLine, Shop

from .figures import Line, SaleFacts, day_bounds
from .models import SameSystemDay, SameSystemDepartment, SameSystemImport, SameSystemRegister, SameSystemSettings

CHANNEL = "samesystem"
DEFAULT_ZONE = "Europe/Copenhagen"  # SameSystem's own ("02:00 AM CET"), for a shop without a time zone


def samesystem_settings_get(tenant):
    return SameSystemSettings.objects.for_tenant(tenant).first()


def departments_all(tenant):
    return list(SameSystemDepartment.objects.for_tenant(tenant).order_by("name", "ctx_token"))


def departments_mapped(tenant, ids=None):
    rows = SameSystemDepartment.objects.for_tenant(tenant).filter(lightspeed_shop_ls_id__isnull=False, seen=True)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return list(rows.order_by("name", "ctx_token"))


def register_numbers(tenant):
    """{Lightspeed registerID: SameSystem register number}."""
    return dict(SameSystemRegister.objects.for_tenant(tenant).values_list("register_ls_id", "register_number"))


def shop_zone(tenant, shop_ls_id):
    """The shop's time zone (Lightspeed's Shop.timeZone), else SameSystem's own."""
    name = Shop.objects.for_tenant(tenant).filter(ls_id=shop_ls_id).values_list("time_zone", flat=True).first()
    try:
        ZoneInfo(name or DEFAULT_ZONE)
        return name or DEFAULT_ZONE
    except (ZoneInfoNotFoundError, ValueError):
        return DEFAULT_ZONE


def unmapped(tenant):
    """{"shops": [Shop], "registers": [Register]} still without a SameSystem department / register number.
    A register needs a number only in a department with several registers."""
    departments = departments_mapped(tenant)
    mapped_shops = {d.lightspeed_shop_ls_id for d in departments}
    shops = [s for s in Shop.objects.for_tenant(tenant).filter(archived=False).order_by("ls_id")
             if s.ls_id not in mapped_shops]
    multi = {d.lightspeed_shop_ls_id: d.register_count for d in departments if d.register_count > 1}
    numbers = register_numbers(tenant)
    registers = [r for r in Register.objects.for_tenant(tenant).filter(archived=False, shop_ls_id__in=multi)
                 .order_by("shop_ls_id", "ls_id") if not 1 <= (numbers.get(r.ls_id) or 0) <= multi[r.shop_ls_id]]
    return {"shops": shops, "registers": registers}


def registers_of_multi_departments(tenant):
    """[(department, [Register])] for the mapped departments with several registers."""
    departments = [d for d in departments_mapped(tenant) if d.register_count > 1]
    registers = Register.objects.for_tenant(tenant).filter(archived=False).order_by("ls_id")
    return [(d, [r for r in registers if r.shop_ls_id == d.lightspeed_shop_ls_id]) for d in departments]


def sales_of_day(tenant, *, shop_ls_id, day, zone):
    """The shop's sales completed on `day` (local), as SaleFacts (voided ones included: figures skip them)."""
    start, end = day_bounds(day, zone)
    lines = Prefetch("lines", queryset=SaleLine.objects.for_tenant(tenant).only(
        "sale_id", "quantity", "subtotal", "discount", "tax", "total"))
    sales = (Sale.objects.for_tenant(tenant).filter(shop_ls_id=shop_ls_id, complete_time__gte=start,
                                                   complete_time__lt=end)
             .only("register_ls_id", "complete_time", "completed", "voided").prefetch_related(lines))
    return [sale_facts(sale) for sale in sales.order_by("complete_time", "ls_id")]


def sale_facts(sale):
    lines = tuple(Line(quantity=row.quantity, subtotal=row.subtotal, discount=row.discount, tax=row.tax,
                       total=row.total) for row in sale.lines.all())
    return SaleFacts(register_ls_id=sale.register_ls_id, complete_time=sale.complete_time, lines=lines,
                     completed=sale.completed, voided=sale.voided)


def days_changed_since(tenant, *, shop_ls_id, since, before, zone):
    """Local days (before `before`) with a sale of the shop that the mirror changed after `since`: a voided
    or edited sale of a day already sent makes that day go again."""
    changed = Q(synced_at__gt=since) | Q(ls_timestamp__gt=since)  # our write time, or Lightspeed's updatetime
    rows = (Sale.objects.for_tenant(tenant).filter(changed, shop_ls_id=shop_ls_id, complete_time__isnull=False)
            .values_list("complete_time", flat=True))
    tz = ZoneInfo(zone)
    return sorted({day for day in (t.astimezone(tz).date() for t in rows) if day < before})


def days_with_problems(tenant, limit=20):
    return list(SameSystemDay.objects.for_tenant(tenant).exclude(problem="").select_related("department")
                .order_by("-day")[:limit])


def days_sent(tenant, limit=14):
    rows = SameSystemDay.objects.for_tenant(tenant).select_related("department")
    return list(rows.order_by("-day", "department__name", "register_number")[:limit])


def imports_recent(tenant, limit=5):
    return list(SameSystemImport.objects.for_tenant(tenant).order_by("-created_at")[:limit])


def import_next(tenant):
    return (SameSystemImport.objects.for_tenant(tenant)
            .filter(state__in=[SameSystemImport.State.QUEUED, SameSystemImport.State.RUNNING]).order_by("id").first())
