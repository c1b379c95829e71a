"""Sellercloud's writes: settings (validated, each error keyed by its field), "Test connection", the shops
mapping, "Re-download shops and warehouses", the on/off switch and "retry this order"."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from connector.http import ApiError, Misconfigured, Transient
from connector.models import OrderLedger
from connector.runs import run_enqueue
from lightspeed.models import Employee, Register, Shop

from .client import client_for
from .models import SellercloudSettings, SellercloudShop
from .products import products_cursor_reset
from .selectors import warehouse_names

SWITCHES = ("lightspeed_pos_enabled", "order_download", "inventory_upload", "price_upload", "cost_upload",
            "auto_enable_new_products", "auto_create_products", "use_company_address")
EDITABLE_FIELDS = {"enabled", "server", "username", "password", "company_id", "returns_warehouse_id", "orders_since",
                   *SWITCHES}
WRITE_ONLY_FIELDS = {"password"}  # blank keeps the stored value
UPLOAD_SWITCHES = ("lightspeed_pos_enabled", "inventory_upload", "price_upload", "cost_upload")
ORDERS_JOB = "sellercloud.orders_download"


def sellercloud_settings_get_or_create(*, tenant):
    settings, _ = SellercloudSettings.objects.for_tenant(tenant).get_or_create(tenant=tenant)
    return settings


def _int_or_none(value, field, errors):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        errors[field] = f"“{value}” is not a number."
        return None


def _validate(settings, fields):
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError({name: "This setting does not exist." for name in sorted(unknown)})
    errors = {}
    if "returns_warehouse_id" in fields:
        fields["returns_warehouse_id"] = _int_or_none(fields["returns_warehouse_id"], "returns_warehouse_id", errors)
    if "company_id" in fields:
        fields["company_id"] = str(fields["company_id"] or "").strip()
        if fields["company_id"] and not fields["company_id"].isdigit():
            errors["company_id"] = "The company id is a number: Sellercloud shows it in Company Settings."
    returns = fields.get("returns_warehouse_id")
    known = warehouse_names(settings)
    if returns is not None and known and returns not in known:
        errors["returns_warehouse_id"] = (f"Warehouse {returns} is not one of your Sellercloud warehouses. Pick one "
                                          f"from the list, or re-download the warehouses.")
    merged = {name: fields.get(name, getattr(settings, name)) for name in ("username", "password", "company_id")}
    merged["password"] = fields.get("password") or settings.password
    if fields.get("enabled", settings.enabled) and not all(merged.values()):
        errors["username"] = "Enter the Sellercloud username, password and company id before switching it on."
    if errors:
        raise ValidationError(errors)


def sellercloud_settings_update(*, tenant, **fields):
    """Validate and save the given settings (only those given)."""
    settings = sellercloud_settings_get_or_create(tenant=tenant)
    for name in WRITE_ONLY_FIELDS:
        if name in fields and not fields[name]:
            del fields[name]
    if "server" in fields:
        fields["server"] = (fields["server"] or "").strip()
    _validate(settings, fields)
    if any(fields.get(name) and not getattr(settings, name) for name in UPLOAD_SWITCHES):
        products_cursor_reset(tenant=tenant)  # a switch just turned on: the next upload compares every product
    for name, value in fields.items():
        setattr(settings, name, value)
    if settings.enabled and settings.orders_since is None:
        settings.orders_since = timezone.now()  # the cut-over: sales completed before switching on stay out
    settings.save()
    return settings


def connection_check(*, server, username, password, company_id, clock=None):
    """Log in and find the company. Returns the company row; raises ValidationError saying what is wrong."""
    probe = SellercloudSettings(server=server, username=username, password=password)
    try:
        with client_for(probe, tenant_pk=("probe", server, username), clock=clock) as client:
            client.max_attempts = 1  # the owner is waiting: say what is wrong now, they can press again
            client.login()
            companies = client.companies([company_id])
    except Misconfigured as exc:
        raise ValidationError({"password": f"Sellercloud refused the login: {exc}"}) from None
    except Transient as exc:
        message = f"Sellercloud did not answer ({exc}). Check the server or team name."
        raise ValidationError({"server": message}) from None
    except ApiError as exc:
        raise ValidationError({"server": f"Sellercloud answered with an error: {exc}"}) from None
    company = next((c for c in companies if int(c.get("ID") or 0) == int(company_id)), None)
    if company is None:
        raise ValidationError({"company_id": f"Company {company_id} does not exist for this Sellercloud user."})
    if company.get("IsDisabled"):
        raise ValidationError({"company_id": f"Company {company_id} ({company.get('CompanyName')}) is disabled."})
    return company


def sellercloud_connection_test(*, tenant, server=None, username=None, password=None, company_id=None, clock=None):
    """"Test connection": check the login and the company, and save the credentials only when both pass."""
    settings = sellercloud_settings_get_or_create(tenant=tenant)
    server = settings.server if server is None else server.strip()
    username = username or settings.username
    password = password or settings.password
    errors = {}
    company_id = _int_or_none(company_id if company_id not in (None, "") else settings.company_id, "company_id", errors)
    if not (username and password and company_id):
        errors.setdefault("username", "Enter the username, password and company id to test the connection.")
    if errors:
        raise ValidationError(errors)
    company = connection_check(server=server, username=username, password=password, company_id=company_id,
                               clock=clock)
    return sellercloud_settings_update(tenant=tenant, server=server, username=username, password=password,
                                       company_id=str(company_id)), company


def warehouses_download(*, tenant, clock=None):
    """Re-download the Sellercloud warehouses; the default one's address stands in for the company address."""
    settings = sellercloud_settings_get_or_create(tenant=tenant)
    with client_for(settings, tenant_pk=tenant.pk, clock=clock) as client:
        client.max_attempts = 2  # asked for from a page: fail fast
        rows = client.warehouses()
    settings.warehouses = [{"ID": int(w["ID"]), "Name": w.get("Name") or "", "IsDefault": bool(w.get("IsDefault")),
                            "IsSellAble": bool(w.get("IsSellAble"))} for w in rows]
    default = next((w for w in rows if w.get("IsDefault")), None)
    settings.company_address = dict((default or {}).get("WarehouseAddress") or {})
    settings.warehouses_at = timezone.now()
    settings.save(update_fields=["warehouses", "company_address", "warehouses_at", "updated_at"])
    return settings


def shops_and_warehouses_refresh(*, tenant, clock=None):
    """"Re-download shops and warehouses": warehouses now, Lightspeed's shops by its reference sync."""
    settings = warehouses_download(tenant=tenant, clock=clock)
    transaction.on_commit(lambda: run_enqueue(tenant_id=tenant.pk, job="lightspeed.reference_sync",
                                              trigger="manual"))
    return settings


def _validate_shop_rows(tenant, settings, rows):
    problems = []
    known = warehouse_names(settings)
    shops = set(Shop.objects.for_tenant(tenant).values_list("ls_id", flat=True))
    employees = set(Employee.objects.for_tenant(tenant).values_list("ls_id", flat=True))
    registers = dict(Register.objects.for_tenant(tenant).values_list("ls_id", "shop_ls_id"))
    for row in rows:
        shop = row["shop_ls_id"]
        if shop not in shops:
            problems.append(f"Lightspeed shop {shop} is not in the Lightspeed data we have; re-download the shops.")
        for warehouse in row["warehouse_ids"]:
            if warehouse not in known:
                problems.append(f"Shop {shop}: warehouse {warehouse} is not one of your Sellercloud warehouses; "
                                f"re-download the warehouses.")
        if row.get("register_ls_id") and registers.get(row["register_ls_id"]) not in (shop, None):
            problems.append(f"Shop {shop}: register {row['register_ls_id']} belongs to another shop.")
        if row.get("register_ls_id") and row["register_ls_id"] not in registers:
            problems.append(f"Shop {shop}: register {row['register_ls_id']} is not in the Lightspeed data we have.")
        if row.get("employee_ls_id") and row["employee_ls_id"] not in employees:
            problems.append(f"Shop {shop}: employee {row['employee_ls_id']} is not in the Lightspeed data we have.")
        if row["warehouse_ids"] and not (row.get("register_ls_id") and row.get("employee_ls_id")):
            problems.append(f"Shop {shop}: choose the employee and register for this shop's orders.")
    if problems:
        raise ValidationError({"shops": problems})


def shops_mapping_save(*, tenant, rows):
    """Replace the mapping: rows of {shop_ls_id, warehouse_ids, employee_ls_id, register_ls_id}."""
    settings = sellercloud_settings_get_or_create(tenant=tenant)
    rows = [{**r, "shop_ls_id": int(r["shop_ls_id"]),
             "warehouse_ids": sorted({int(w) for w in r.get("warehouse_ids") or []})} for r in rows]
    _validate_shop_rows(tenant, settings, rows)
    with transaction.atomic():
        for row in rows:
            SellercloudShop.objects.for_tenant(tenant).update_or_create(
                tenant=tenant, shop_ls_id=row["shop_ls_id"],
                defaults={"warehouse_ids": row["warehouse_ids"], "employee_ls_id": row.get("employee_ls_id") or None,
                          "register_ls_id": row.get("register_ls_id") or None})
    return list(SellercloudShop.objects.for_tenant(tenant).order_by("shop_ls_id"))


def sellercloud_switch(*, tenant, on):
    """The channel's on-switch: refused (ValidationError) without the login and company."""
    return sellercloud_settings_update(tenant=tenant, enabled=on)


def sellercloud_order_retry(*, order):
    """"Retry this order": put a failed one back, and queue the download that continues it (it looks the
    order up by OrderSourceOrderID before any create, so pressing twice is safe)."""
    if order.state == OrderLedger.State.FAILED:
        order.state = OrderLedger.State.RECEIVED
        order.attempts += 1
        order.save(update_fields=["state", "attempts", "updated_at"])
    run_enqueue(tenant_id=order.tenant_id, job=ORDERS_JOB, trigger="retry", params={"sale_id": order.external_id})
    return ORDERS_JOB


def sellercloud_test_connection(*, tenant, values):
    """The channel contract's "Test connection" (nothing saved): log in with these values (blank: the stored
    ones) and find the company. Returns the problems (empty: it works)."""
    stored = sellercloud_settings_get_or_create(tenant=tenant)
    server = values.get("server") if values.get("server") is not None else stored.server
    username = values.get("username") or stored.username
    password = values.get("password") or stored.password
    company_id = str(values.get("company_id") or stored.company_id or "").strip()
    if not (username and password and company_id.isdigit()):
        return ["Enter the Sellercloud username, password and company id (a number) to test the connection."]
    try:
        connection_check(server=server or "", username=username, password=password, company_id=int(company_id))
    except ValidationError as exc:
        return [message for messages in exc.message_dict.values() for message in messages]
    return []
