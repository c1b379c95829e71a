"""Refunds: `POST /Sale/{id}/refund.json` and refund lines (negative quantity + parentSaleLineID) [LS:t-sales].

The refund is a new completed sale with negative lines pointing at the lines they return and a negative
payment. What the real API does when more is refunded than was sold is not documented: the sandbox
refuses it (a refund line beyond the quantity still refundable is a 400).
"""
from decimal import Decimal

from .envelope import ApiError
from .values import as_dict, as_int, rows

REFUND_COST = 10.0  # POST Sale/{id}/Refund: base 10 (cost table)
REFUND_PATHS = {"refund", "Refund"}


def refund_parent(state, entry, line):
    """parentSaleLineID of a new line: only on a negative line, naming a line of a completed sale."""
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
    left = refundable(state, parent)
    if -line.unit_quantity > left:
        raise ApiError(400, f"Sale not saved. Only {left} of SaleLine {parent_id} can be refunded.")
    return parent_id


def refundable(state, parent):
    returned = sum(-line.unit_quantity for line in state.sale_lines.values()
                   if line.parent_sale_line_id == parent.sale_line_id and not _voided(state, line))
    return parent.unit_quantity - returned


def _voided(state, line):
    sale = state.sales.get(line.sale_id)
    return sale is None or sale.voided


def sale_refund(sb, sale, payload):
    """Refund whatever is still refundable of `sale` as one new completed sale, paid back with the given type."""
    from . import sales

    state = sb.state
    if not sale.completed or sale.voided:
        raise ApiError(400, f"Sale {sale.sale_id} is not a completed sale and cannot be refunded.")
    lines = [_refund_line(state, line) for line in sale.lines if line.unit_quantity > 0]
    lines = [line for line in lines if line]
    if not lines:
        raise ApiError(400, f"Sale {sale.sale_id} has nothing left to refund.")
    payments = rows(payload.get("SalePayments"), "SalePayment")
    if not payments:
        raise ApiError(400, "Refund not created. SalePayments.SalePayment.paymentTypeID is required.")
    payment = as_dict(payments[0], "SalePayment")
    body = {"employeeID": payload.get("employeeID") or sale.employee_id,
            "registerID": payload.get("registerID") or sale.register_id,
            "shopID": payload.get("shopID") or sale.shop_id, "customerID": sale.customer_id,
            "taxCategoryID": sale.tax_category_id, "SaleLines": {"SaleLine": lines}}
    refund = sales.sale_create(sb, body)
    amount = payment.get("amount")
    try:
        return sales.sale_complete(sb, refund, [{"paymentTypeID": payment.get("paymentTypeID"),
                                                 "amount": refund.total() if amount in (None, "") else amount}])
    except ApiError:
        _forget(state, refund)
        raise


def _refund_line(state, line):
    quantity = refundable(state, line)
    if quantity <= 0:
        return None
    discount = line.discount_amount * quantity / line.unit_quantity if line.unit_quantity else Decimal("0")
    return {"itemID": line.item_id, "unitQuantity": -quantity, "unitPrice": line.unit_price,
            "discountAmount": -discount, "tax": line.tax, "parentSaleLineID": line.sale_line_id}


def _forget(state, sale):
    """A refund that could not be completed leaves nothing behind."""
    state.sales.pop(sale.sale_id, None)
    for line in sale.lines:
        state.sale_lines.pop(line.sale_line_id, None)
    for payment in sale.payments:
        state.sale_payments.pop(payment.sale_payment_id, None)


def refund_handle(sb, route, payload):
    """The write handler: (new sale, relations to render)."""
    from .writes import SALE_RESPONSE_RELATIONS

    sale = sb.state.sales.get(route.record_id)
    if sale is None:
        raise ApiError(404, f"Object of type 'Sale' not found with primary ID '{route.record_id}'.")
    refund = sale_refund(sb, sale, payload)
    sb.state.touch("sales", "sale_lines", "sale_payments", "ship_tos", "customers")
    return refund, SALE_RESPONSE_RELATIONS
