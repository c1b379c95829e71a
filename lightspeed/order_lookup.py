"""Which sales carrying an order's reference are ours, and the look-again after every create and in the
periodic reconcile: a second sale of ours is archived when still open, flagged when completed."""
from connector.http import ApiError, Invalid, Transient
from connector.orders import ledger_attention, ledger_claim, ledger_details_update, ledger_sale_extra

from . import resources as ls


def _quiet(level, message, **data):
    pass


def sales_ours(client, ledger, reference, carrying=None):
    """The sales with this reference that this ledger row made: named in `sale_ids`, or, once it has POSTed,
    tagged with its source and not among the sales that carried the reference just before its first POST."""
    mine = {str(s) for s in ledger.sale_ids or []}
    foreign = {str(s) for s in ledger.details.get("foreign_sale_ids") or []}
    source = ledger.details.get("reference_source")
    ours = []
    for sale in ls.sales_by_reference(client, reference) if carrying is None else carrying:
        sale_id = str(sale.sale_id)
        if sale_id in mine:
            ours.append(sale)
        elif sale_id in foreign or ledger.pending_since is None:
            continue
        elif source is not None and sale.reference_number_source != source:
            continue
        else:
            ours.append(sale)
    return ours


def _live(sale):
    return not (sale.voided or sale.archived)


def sale_ours_kept(client, ledger, reference):
    """(the live sale of ours the ledger keeps: the one it names, else the first made; every sale carrying
    the reference). One request."""
    carrying = ls.sales_by_reference(client, reference)
    live = [s for s in sales_ours(client, ledger, reference, carrying) if _live(s)]
    named = [s for s in live if str(s.sale_id) == ledger.sale_id]
    return (named or live or [None])[0], carrying


def sale_reconcile(client, ledger, *, note=_quiet):
    """Look the reference up again: every live sale of ours but the kept one is archived when still open,
    flagged on the row (attention + an error event) when completed. Returns how many extras it found."""
    if not ledger.reference or not ledger.sale_id:
        return 0
    live = [s for s in sales_ours(client, ledger, ledger.reference) if _live(s)]
    extras = [s for s in live if str(s.sale_id) != ledger.sale_id]
    for sale in extras:
        ledger_sale_extra(ledger, sale.sale_id)
        if not sale.completed and _archived(client, sale):
            _extra_note(ledger, sale, "archived")
            note("warning", f"a second Lightspeed sale {sale.sale_id} with reference {ledger.reference} was made "
                            f"by a late request: archived (it was still open); sale {ledger.sale_id} is the order's")
            continue
        _extra_note(ledger, sale, "flagged")
        message = (f"a second, completed Lightspeed sale {sale.sale_id} has reference {ledger.reference}: sale "
                   f"{ledger.sale_id} is the order's; refund or void {sale.sale_id} in Lightspeed")
        ledger_attention(ledger, message)
        note("error", message, sale_id=sale.sale_id)
    return len(extras)


def _archived(client, sale):
    try:
        ls.sale_archive(client, sale.sale_id)
    except Invalid:  # completed meanwhile: a completed sale cannot be archived
        return False
    except ApiError as exc:
        if isinstance(exc, Transient):
            raise
        return False
    return True


def _extra_note(ledger, sale, action):
    extras = [e for e in ledger.details.get("extra_sales") or [] if e.get("sale_id") != str(sale.sale_id)]
    ledger_details_update(ledger, extra_sales=[*extras, {"sale_id": str(sale.sale_id), "action": action,
                                                         "completed": sale.completed}])


def orders_reconcile(*, ctx, client, ledgers):
    """The periodic look-again, for every channel's orders: each ledger row watched after an ambiguous POST has
    its reference looked up; a late second sale is archived or flagged (sale_reconcile). Dry runs only count.
    An order an import is working on right now (its claim is held) is left for the next run."""
    for ledger in ledgers:
        object_type = f"{ledger.channel}_order"
        with ctx.record(object_type, ledger.external_id):
            ctx.count("orders_checked")
            if ctx.dry_run or not ledger.sale_id:
                continue
            with ledger_claim(ledger) as claimed:
                if claimed:
                    ledger.refresh_from_db()
                    extras = sale_reconcile(client, ledger, note=_note_on(ctx, object_type, ledger))
                    if extras:
                        ctx.count("extra_sales", extras)


def _note_on(ctx, object_type, ledger):
    def note(level, message, **data):
        getattr(ctx, level)(message, object_type=object_type, object_id=ledger.external_id, data=data or None)
    return note
