"""Contacts written nested in Customer and ShipTo bodies."""
from .records import Contact
from .values import as_bool, as_dict, rows


def contact_from_payload(state, data, now, contact=None):
    data = data if isinstance(data, dict) else {}
    contact = contact or Contact(_next_contact_id(state), now)
    lists = (("Addresses", "ContactAddress", "addresses"), ("Phones", "ContactPhone", "phones"),
             ("Emails", "ContactEmail", "emails"), ("Websites", "ContactWebsite", "websites"))
    for container, element, attr in lists:
        if container in data:
            setattr(contact, attr, [{k: str(v) for k, v in as_dict(e, element).items()}
                                    for e in rows(data[container], element)])
    for key, attr in (("noEmail", "no_email"), ("noPhone", "no_phone"), ("noMail", "no_mail")):
        if key in data:
            setattr(contact, attr, as_bool(data[key]))
    if "custom" in data:
        contact.custom = str(data["custom"] or "")
    contact.time_stamp = now
    return contact


def _next_contact_id(state):
    state._ids["contacts"] = state._ids.get("contacts", 100_000) + 1
    return state._ids["contacts"]
