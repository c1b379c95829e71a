"""Sale writes: create (open, or completed only when balanced), add lines/payments, complete, void."""
import dataclasses
from decimal import Decimal

from .envelope import ApiError
from .query import parse_time
from .records import Sale, SaleLine, SalePayment
from .render_sales import ZERO
from .seed import money
from .shipping import ship_to_write
from .stock import adjust_qoh
from .values import as_bool, as_decimal, as_int, as_dict, rows

CASH = "cash"


def sale_create(sb, payload):
    state, now = sb.state, sb.timestamp()
    employee_id = _existing(state.employees, payload.get("employeeID"), "employeeID")
    shop_id = _existing(state.shops, payload.get("shopID"), "shopID")
    register_id = _existing(state.registers, payload.get("registerID"), "registerID")
    customer_id = as_int(payload.get("customerID"), "customerID")
    if customer_id and customer_id not in state.customers:
        raise ApiError(400, f"Sale not created. Customer {customer_id} does not exist.")
    tax_category_id = _tax_category(state, payload, shop_id)
    sale = Sale(state.next_id("sales"), shop_id, register_id, employee_id, customer_id, now, now, now,
                reference_number=str(payload.get("referenceNumber") or ""),
                reference_number_source=str(payload.get("referenceNumberSource") or ""),
                tax_category_id=tax_category_id, tax1_rate=_tax_rate(state, tax_category_id))
    _apply_details(sb, sale, payload)
    if as_bool(payload.get("completed")):
        _complete(sb, sale, payload.get("completeTime"))
    _store(state, sale)
    return sale


def _tax_category(state, payload, shop_id):
    """The sale's TaxCategory: the one sent, else the shop's; 0 means no tax."""
    if payload.get("taxCategoryID") in (None, ""):
        return state.shops[shop_id].tax_category_id
    tax_category_id = as_int(payload.get("taxCategoryID"), "taxCategoryID")
    if tax_category_id and tax_category_id not in state.tax_categories:
        raise ApiError(400, f"Sale not created. TaxCategory {tax_category_id} does not exist.")
    return tax_category_id


def _tax_rate(state, tax_category_id):
    category = state.tax_categories.get(tax_category_id)
    return category.tax1_rate if category else ZERO


def sale_update(sb, sale, payload):
    if sale.completed or sale.archived or sale.voided:
        changing = {"SaleLines", "SalePayments", "completed"} & set(payload)
        if changing:
            raise ApiError(400, f"Sale {sale.sale_id} is already completed, voided or archived and cannot change.")
    sale = draft_of(sale)
    for key, attr in (("referenceNumber", "reference_number"), ("referenceNumberSource", "reference_number_source")):
        if key in payload:
            setattr(sale, attr, str(payload[key] or ""))
    if "customerID" in payload:
        sale.customer_id = as_int(payload["customerID"], "customerID")
    _apply_details(sb, sale, payload)
    if as_bool(payload.get("completed")) and not sale.completed:
        _complete(sb, sale, payload.get("completeTime"))
    sale.time_stamp = sale.update_time = sb.timestamp()
    _store(sb.state, sale)
    return sale


def sale_add_line(sb, sale, payload):
    if sale.completed or sale.archived or sale.voided:
        raise ApiError(400, f"Sale {sale.sale_id} is completed or archived; lines cannot be added.")
    sale = draft_of(sale)
    sale.lines.append(_line(sb, sale, as_dict(payload, "SaleLine")))
    sale.time_stamp = sale.update_time = sb.timestamp()
    _store(sb.state, sale)
    return sale


def sale_complete(sb, sale, payments=None):
    """Control surface: complete an open sale, paying the balance with the given payments or cash."""
    if sale.completed:
        raise ApiError(400, f"Sale {sale.sale_id} is already completed.")
    sale = draft_of(sale)
    for entry in payments or [{"amount": sale.total() - sale.paid(), "paymentTypeID": 1}]:
        sale.payments.append(_payment(sb, sale, entry))
    _complete(sb, sale, None)
    sale.time_stamp = sale.update_time = sb.timestamp()
    _store(sb.state, sale)
    return sale


def sale_void(sb, sale):
    now = sb.timestamp()
    if sale.voided:
        return sale
    if sale.completed:
        for line in sale.lines:
            adjust_qoh(sb.state, line.item_id, sale.shop_id, line.unit_quantity, now)
    sale.voided = True
    sale.time_stamp = sale.update_time = now
    return sale


def sale_archive(sb, sale):
    if sale.completed:
        raise ApiError(400, "A completed sale cannot be archived.")
    sale.archived = True
    sale.time_stamp = sale.update_time = sb.timestamp()
    return sale


def _apply_details(sb, sale, payload):
    for entry in rows(payload.get("SaleLines"), "SaleLine"):
        entry = as_dict(entry, "SaleLine")
        existing = next((l for l in sale.lines if l.sale_line_id == as_int(entry.get("saleLineID"), "saleLineID")),
                        None)
        if existing is not None:
            existing.unit_quantity = as_int(entry.get("unitQuantity"), "unitQuantity", existing.unit_quantity)
            existing.unit_price = as_decimal(entry.get("unitPrice"), "unitPrice", existing.unit_price)
            existing.time_stamp = sb.timestamp()
        else:
            sale.lines.append(_line(sb, sale, entry))
    for entry in rows(payload.get("SalePayments"), "SalePayment"):
        sale.payments.append(_payment(sb, sale, as_dict(entry, "SalePayment")))
    notes = payload.get("SaleNotes")
    if isinstance(notes, dict):
        sale.internal_note = str((notes.get("InternalNote") or {}).get("note", sale.internal_note))
        sale.printed_note = str((notes.get("PrintedNote") or {}).get("note", sale.printed_note))
    if isinstance(payload.get("ShipTo"), dict):
        sale.ship_to = ship_to_write(sb, sale, payload["ShipTo"])


def _line(sb, sale, entry):
    state, now = sb.state, sb.timestamp()
    item = _find_item(state, entry)
    quantity = as_int(entry.get("unitQuantity"), "unitQuantity", 1)
    default_price = money(item.prices[0]) if item else ZERO
    price = as_decimal(entry.get("unitPrice"), "unitPrice", default_price)
    line = SaleLine(state.next_id("sale_lines"), sale.sale_id, item.item_id if item else 0, quantity, price,
                    default_price, as_decimal(entry.get("discountAmount"), "discountAmount", ZERO),
                    as_bool(entry.get("tax"), True), sale.shop_id,
                    as_int(entry.get("employeeID"), "employeeID", sale.employee_id), sale.customer_id, now, now,
                    tax1_rate=sale.tax1_rate, unit_cost=money(item.default_cost) if item else ZERO)
    from .refunds import refund_parent  # refunds imports this module

    line.parent_sale_line_id = refund_parent(sb.state, entry, line)
    return line


def _find_item(state, entry):
    if entry.get("itemID") not in (None, "", 0, "0"):
        item = state.items.get(as_int(entry["itemID"], "itemID"))
        if item is None:
            raise ApiError(400, f"Sale not saved. Item {entry['itemID']} does not exist.")
        return item
    code = str(entry.get("itemCode") or "")
    if not code:
        return None
    if code.startswith("21") and len(code) == 12 and int(code[2:]) in state.items:
        return state.items[int(code[2:])]
    for item in state.items.values():
        if code in (str(item.item_id), item.upc, item.ean, item.custom_sku):
            return item
    raise ApiError(400, f"Sale not saved. No item matches itemCode '{code}'.")


def _payment(sb, sale, entry):
    state = sb.state
    payment_type_id = as_int(entry.get("paymentTypeID"), "paymentTypeID")
    payment_type = state.payment_types.get(payment_type_id)
    if payment_type is None or payment_type.archived:
        raise ApiError(400, f"Sale not saved. Payment type {payment_type_id} does not exist.")
    amount = as_decimal(entry.get("amount"), "amount")
    if amount is None:
        raise ApiError(400, "Sale not saved. A SalePayment must have an amount.")
    payment = SalePayment(state.next_id("sale_payments"), sale.sale_id, amount, payment_type_id,
                          as_int(entry.get("registerID"), "registerID", sale.register_id), sale.employee_id,
                          sb.timestamp(), remote_reference=str(entry.get("remoteReference") or ""))
    return payment


def _complete(sb, sale, complete_time):
    total, paid = sale.total(), sale.paid()
    cash = any(sb.state.payment_types[p.payment_type_id].type == CASH for p in sale.payments)
    if paid < total or (paid > total and not cash):
        raise ApiError(400, f"Sale not completed. Payments ({paid}) must equal the sale total ({total}).")
    now = sb.timestamp()
    sale.change = paid - total if paid > total else Decimal("0")
    sale.completed = True
    when = now if complete_time in (None, "") else _past_time(complete_time, now)
    sale.complete_time = when
    for line in sale.lines:
        adjust_qoh(sb.state, line.item_id, sale.shop_id, -line.unit_quantity, now)


def _past_time(raw, now):
    value = parse_time(str(raw))
    if value > now:
        raise ApiError(400, "completeTime cannot be in the future.")
    return value


def _existing(table, value, name):
    record_id = as_int(value, name)
    if record_id not in table:
        raise ApiError(400, f"Sale not created. {name} must reference an existing record (got '{value}').")
    return record_id


def draft_of(sale):
    """Writes work on a copy that is stored only when the whole request validated."""
    return dataclasses.replace(sale, lines=[dataclasses.replace(l) for l in sale.lines], payments=list(sale.payments))


def _store(state, sale):
    state.sales[sale.sale_id] = sale
    for line in sale.lines:
        state.sale_lines[line.sale_line_id] = line
    for payment in sale.payments:
        state.sale_payments[payment.sale_payment_id] = payment
    if sale.ship_to:
        state.ship_tos[sale.ship_to.ship_to_id] = sale.ship_to
