"""PaymentType writes (channels-deep §5): API-created types come back as "user defined", whatever `type` was
sent (INFERENCE from the doc's own sample); reserved types cannot be changed."""
from .envelope import ApiError
from .records import PaymentType
from .values import as_bool


def payment_type_create(sb, route, payload):
    name = str(payload.get("name") or "").strip()
    if not name:
        raise ApiError(400, "PaymentType not created. name cannot be blank.")
    state = sb.state
    record = PaymentType(state.next_id("payment_types"), name, "user defined",
                         require_customer=as_bool(payload.get("requireCustomer")))
    state.payment_types[record.payment_type_id] = record
    return record, set()
