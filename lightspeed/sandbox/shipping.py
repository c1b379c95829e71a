"""ShipTo written nested in a Sale POST/PUT (the ShipTo endpoint itself is read-only).

A PUT changes only the fields it sends, like every PUT: `{"ShipTo": {"shipped": true, "shipNote": ...}}`
marks a sale shipped and keeps its address. Work happens on copies, stored with the sale only when the
whole request validated. Whether Lightspeed accepts this on a completed sale is unverified (see
docs/lightspeed-client.md): the sandbox accepts it.
"""
import dataclasses

from .contacts import contact_from_payload
from .records import ShipTo
from .values import as_bool

TEXT_FIELDS = (("firstName", "first_name"), ("lastName", "last_name"), ("company", "company"),
               ("shipNote", "ship_note"))


def ship_to_write(sb, sale, data):
    state, now = sb.state, sb.timestamp()
    current = sale.ship_to
    if current is None:
        ship_to = ShipTo(state.next_id("ship_tos"), sale.sale_id, sale.customer_id,
                         contact_from_payload(state, data.get("Contact") or {}, now), now)
    else:
        contact = _contact_copy(current.contact)
        if isinstance(data.get("Contact"), dict):
            contact_from_payload(state, data["Contact"], now, contact)
        ship_to = dataclasses.replace(current, contact=contact, time_stamp=now)
    for key, attr in TEXT_FIELDS:
        if key in data:
            setattr(ship_to, attr, str(data[key] or ""))
    if "shipped" in data:
        ship_to.shipped = as_bool(data["shipped"])
    return ship_to


def _contact_copy(contact):
    return dataclasses.replace(contact, addresses=list(contact.addresses), phones=list(contact.phones),
                               emails=list(contact.emails), websites=list(contact.websites))
