"""`POST /Sale/{saleID}/refund.json` (saleID or ticketNumber): a refund is a sale whose lines have negative
unitQuantity and point at the sold line (parentSaleLineID), paid with negative SalePayments.

Without SaleLines the whole sale is refunded (what is left of it); a payment without an amount takes
the refund total. `completed` defaults to true. Cost: 10 drips (docs).
"""
from decimal import Decimal
from types import SimpleNamespace

from . import sales
from .envelope import ApiError
from .records import LINE_PLACES, Sale, SaleLine, to_cents
from .values import as_bool, as_decimal, as_dict, as_int, rows

RESPONSE_RELATIONS = {"SaleLines", "SalePayments", "Customer", "Shop", "TaxCategory"}


def sale_refund(sb, route, payload):
    state, now = sb.state, sb.timestamp()
    original = _original(state, route.record_id)
    refund = Sale(state.next_id("sales"), sales._existing(state.shops, payload.get("shopID"), "shopID"),
                  sales._existing(state.registers, payload.get("registerID"), "registerID"),
                  sales._existing(state.employees, payload.get("employeeID"), "employeeID"),
                  original.customer_id, now, now, now, tax_category_id=original.tax_category_id,
                  tax1_rate=original.tax1_rate)
    refund.lines = _refund_lines(sb, original, refund, payload)
    if not refund.lines:
        raise ApiError(400, f"Refund not created. Nothing is left to refund on sale {original.sale_id}.")
    refund.payments = _refund_payments(sb, refund, payload)
    if as_bool(payload.get("completed"), True):
        if refund.paid() != refund.total():
            raise ApiError(400, f"Refund not created. Payments ({refund.paid()}) must equal the refund total "
                                f"({refund.total()}).")
        sales._complete(sb, refund, None)
    sales._store(state, refund)
    return refund, RESPONSE_RELATIONS


def refund_sale_control(sb, sale_id, payment_type_id=1):
    """Control surface: refund what is left of a completed sale at its own register, in one payment type."""
    original = _original(sb.state, sale_id)
    payload = {"employeeID": original.employee_id, "registerID": original.register_id, "shopID": original.shop_id,
               "SalePayments": {"SalePayment": {"paymentTypeID": payment_type_id}}}
    return sale_refund(sb, SimpleNamespace(record_id=sale_id), payload)[0]


def _original(state, raw_id):
    sale_id = raw_id - 220_000_000_000 if raw_id > 220_000_000_000 else raw_id  # a ticketNumber works too
    sale = state.sales.get(sale_id)
    if sale is None:
        raise ApiError(404, f"Object of type 'Sale' not found with primary ID '{raw_id}'.")
    if not sale.completed or sale.voided:
        raise ApiError(400, f"Refund not created. Sale {sale_id} is not a completed sale.")
    return sale


def refunded_quantities(state, original):
    """Sold line id → quantity already refunded (a positive number), over every refund of the sale."""
    line_ids = {line.sale_line_id for line in original.lines}
    done = {}
    for line in state.sale_lines.values():
        if line.parent_sale_line_id in line_ids and not state.sales[line.sale_id].voided:
            done[line.parent_sale_line_id] = done.get(line.parent_sale_line_id, 0) - line.unit_quantity
    return done


def _refund_lines(sb, original, refund, payload):
    by_id = {line.sale_line_id: line for line in original.lines}
    done = refunded_quantities(sb.state, original)
    entries = [as_dict(e, "SaleLine") for e in rows(payload.get("SaleLines"), "SaleLine")]
    if not entries:
        entries = [{"parentSaleLineID": line.sale_line_id} for line in original.lines
                   if line.unit_quantity - done.get(line.sale_line_id, 0) > 0]
    lines = []
    for entry in entries:
        parent = by_id.get(as_int(entry.get("parentSaleLineID"), "parentSaleLineID"))
        if parent is None:
            raise ApiError(400, f"Refund not created. SaleLine {entry.get('parentSaleLineID')} is not on sale "
                                f"{original.sale_id}.")
        left = parent.unit_quantity - done.get(parent.sale_line_id, 0)
        quantity = as_int(entry.get("unitQuantity"), "unitQuantity", -left)
        if quantity >= 0 or -quantity > left:
            raise ApiError(400, f"Refund not created. SaleLine {parent.sale_line_id} can be refunded for at most "
                                f"{left}; unitQuantity must be negative (got {quantity}).")
        lines.append(_line(sb, refund, parent, quantity))
    return lines


def _line(sb, refund, parent, quantity):
    now = sb.timestamp()
    share = Decimal(quantity) / Decimal(parent.unit_quantity)
    return SaleLine(sb.state.next_id("sale_lines"), refund.sale_id, parent.item_id, quantity, parent.unit_price,
                    parent.normal_unit_price, (parent.discount_amount * share).quantize(LINE_PLACES), parent.tax,
                    refund.shop_id, refund.employee_id, refund.customer_id, now, now, tax1_rate=parent.tax1_rate,
                    unit_cost=parent.unit_cost, parent_sale_line_id=parent.sale_line_id)


def _refund_payments(sb, refund, payload):
    entries = [as_dict(e, "SalePayment") for e in rows(payload.get("SalePayments"), "SalePayment")]
    if not entries:
        raise ApiError(400, "Refund not created. At least one SalePayment with a paymentTypeID is required.")
    payments = []
    for entry in entries:
        amount = as_decimal(entry.get("amount"), "amount")
        if amount is None:
            amount = to_cents(refund.total() - sum((p.amount for p in payments), Decimal("0")))
        payments.append(sales._payment(sb, refund, {**entry, "amount": amount}))
    return payments


def refund_parent(state, entry, line):
    """parentSaleLineID of a new line of POST Sale (the documented partial refund): only on a negative line,
    naming a line of a completed sale with that much left to refund. What the real API does when more is
    refunded than was sold is not documented: the sandbox refuses it with a 400."""
    parent_id = as_int(entry.get("parentSaleLineID"), "parentSaleLineID")
    if not parent_id:
        return 0
    parent = state.sale_lines.get(parent_id)
    if parent is None:
        raise ApiError(400, f"Sale not saved. SaleLine {parent_id} (parentSaleLineID) does not exist.")
    sold = state.sales.get(parent.sale_id)
    if sold is None or not sold.completed or sold.voided:
        raise ApiError(400, f"Sale not saved. SaleLine {parent_id} is not on a completed sale.")
    if line.unit_quantity >= 0:
        raise ApiError(400, "Sale not saved. A line with a parentSaleLineID must have a negative unitQuantity.")
    left = parent.unit_quantity - refunded_quantities(state, sold).get(parent_id, 0)
    if -line.unit_quantity > left:
        raise ApiError(400, f"Sale not saved. Only {left} of SaleLine {parent_id} can be refunded.")
    return parent_id
