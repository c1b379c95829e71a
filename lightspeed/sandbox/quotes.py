"""Quotes: an open sale saved for a customer ("Customers → Invoices"). GET/POST/PUT/DELETE (archive).

`saleID` names the sale that holds the quote now (the docs: each modification gives a quote a new
saleID); a quote's sale must be open. Archiving a quote leaves its sale alone.
"""
import calendar
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from .envelope import ApiError, fmt_time
from .query import parse_time
from .records import Quote
from .values import as_bool, as_int

DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def quote(state, rec, rels=frozenset()):
    return {"quoteID": rec.quote_id, "issueDate": fmt_time(rec.issue_date), "notes": rec.notes,
            "archived": rec.archived, "employeeID": rec.employee_id, "saleID": rec.sale_id}


def quote_create(sb, route, payload):
    state, now = sb.state, sb.timestamp()
    sale = _open_sale(state, payload.get("saleID"), "created")
    employee_id = as_int(payload.get("employeeID"), "employeeID", sale.employee_id)
    if employee_id not in state.employees:
        raise ApiError(400, f"Quote not created. Employee {employee_id} does not exist.")
    record = Quote(state.next_id("quotes"), sale.sale_id, employee_id,
                   _issue_date(state, sale, payload.get("issueDate"), now), now, notes=str(payload.get("notes") or ""))
    state.quotes[record.quote_id] = record
    sale.quote_id = record.quote_id
    return record, set()


def quote_update(sb, route, payload):
    state = sb.state
    record = _quote(state, route)
    sale = state.sales.get(record.sale_id)
    if "saleID" in payload and as_int(payload["saleID"], "saleID") != record.sale_id:
        sale = _open_sale(state, payload["saleID"], "updated")
    issue_date = _issue_date(state, sale, payload.get("issueDate"), record.issue_date)
    if sale is not None and sale.sale_id != record.sale_id:  # everything validated: move the quote
        previous = state.sales.get(record.sale_id)
        if previous is not None and previous.quote_id == record.quote_id:
            previous.quote_id = 0
        record.sale_id, sale.quote_id = sale.sale_id, record.quote_id
    if "notes" in payload:
        record.notes = str(payload["notes"] or "")
    if "archived" in payload and not as_bool(payload["archived"]):
        record.archived = False
    record.issue_date, record.time_stamp = issue_date, sb.timestamp()
    return record, set()


def quote_delete(sb, route, payload):
    record = _quote(sb.state, route)
    record.archived, record.time_stamp = True, sb.timestamp()
    return record, set()


def _quote(state, route):
    record = state.quotes.get(route.record_id)
    if record is None:
        raise ApiError(404, f"Object of type 'Quote' not found with primary ID '{route.record_id}'.")
    return record


def _open_sale(state, raw, verb):
    sale = state.sales.get(as_int(raw, "saleID"))
    if sale is None:
        raise ApiError(400, f"Quote not {verb}. saleID must reference an existing sale (got '{raw}').")
    if sale.completed or sale.voided or sale.archived:
        raise ApiError(400, f"Quote not {verb}. Sale {sale.sale_id} is completed, voided or archived.")
    return sale


def _issue_date(state, sale, raw, default):
    """A date alone is midnight in the shop's time zone (the docs' sample: 2021-04-04 → 07:00 UTC)."""
    if raw in (None, ""):
        return default
    text = str(raw).strip()
    if not DATE_ONLY.match(text):
        return parse_time(text)
    shop = state.shops.get(sale.shop_id) if sale is not None else None
    try:
        local = datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(shop.time_zone if shop else "UTC"))
    except ValueError:
        raise ApiError(400, f"Invalid date/time value '{raw}'.") from None
    return calendar.timegm(local.utctimetuple())
