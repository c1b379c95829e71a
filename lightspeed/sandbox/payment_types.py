"""PaymentType writes. API-created types are always "user defined" whatever `type` is sent (the docs'
own sample sends "credit card" and gets "user defined" back); reserved types cannot be changed."""
from .envelope import ApiError
from .records import PaymentType
from .values import as_bool, as_int

USER_DEFINED = "user defined"


def payment_type_create(sb, route, payload):
    state = sb.state
    name = _name(payload, "created")
    payment_type = PaymentType(state.next_id("payment_types"), name, USER_DEFINED,
                               require_customer=as_bool(payload.get("requireCustomer")),
                               refund_as_payment_type_id=_refund_as(state, payload, 0))
    state.payment_types[payment_type.payment_type_id] = payment_type
    return payment_type, set()


def payment_type_update(sb, route, payload):
    payment_type = _changeable(sb, route)
    if "name" in payload:
        payment_type.name = _name(payload, "updated")
    if "requireCustomer" in payload:
        payment_type.require_customer = as_bool(payload["requireCustomer"])
    if "archived" in payload and not as_bool(payload["archived"]):
        payment_type.archived = False
    payment_type.refund_as_payment_type_id = _refund_as(sb.state, payload, payment_type.refund_as_payment_type_id)
    return payment_type, set()


def payment_type_delete(sb, route, payload):
    payment_type = _changeable(sb, route)
    payment_type.archived = True
    return payment_type, set()


def _changeable(sb, route):
    payment_type = sb.state.payment_types.get(route.record_id)
    if payment_type is None:
        raise ApiError(404, f"Object of type 'PaymentType' not found with primary ID '{route.record_id}'.")
    if payment_type.internal_reserved:
        raise ApiError(400, f"PaymentType {payment_type.payment_type_id} is a reserved system type and cannot be "
                            "changed.")
    return payment_type


def _name(payload, verb):
    name = str(payload.get("name") or "").strip()
    if not name:
        raise ApiError(400, f"PaymentType not {verb}. name cannot be blank.")
    return name


def _refund_as(state, payload, current):
    if "refundAsPaymentTypeID" not in payload:
        return current
    refund_as = as_int(payload["refundAsPaymentTypeID"], "refundAsPaymentTypeID")
    if refund_as and refund_as not in state.payment_types:
        raise ApiError(400, f"PaymentType not saved. refundAsPaymentTypeID {refund_as} does not exist.")
    return refund_as
