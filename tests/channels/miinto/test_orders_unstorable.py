"""Issue 10 §1: a transfer that cannot be stored (a NUL character) or carries an impossible quantity is a FAILED
ledger row with a clear message, and the orders after it import in the same run."""
from connector.models import OrderLedger

from .test_orders_e2e import CUSTOMER, add_order, ledger_of, messages_of, run, sales_with


def test_nul_in_one_transfer_fails_that_order_only(miinto_tenant, miinto_sandbox, ls_sandbox, eans, clock):
    poisoned = add_order(miinto_sandbox, eans[:1], quantities=(1,), prices=(100,),
                         customer={**CUSTOMER, "name": "Anna\x00 Jensen"})
    after = add_order(miinto_sandbox, eans[1:2], quantities=(1,), prices=(100,))
    assert run(miinto_tenant, "orders_import", clock).status == "partial"
    ledger = ledger_of(miinto_tenant, poisoned)
    assert ledger.state == OrderLedger.State.FAILED
    assert "contains a NUL character" in ledger.last_error and "could not be stored as received" in ledger.last_error
    assert "Anna\\u0000 Jensen" in ledger.payload["unstorable"]  # kept, escaped
    assert sales_with(ls_sandbox, f"MIINTO-{poisoned}") == []
    assert len(sales_with(ls_sandbox, f"MIINTO-{after}")) == 1  # the same run went on
    assert run(miinto_tenant, "orders_import", clock).status == "succeeded"  # next run: nothing new, no error


def test_a_quantity_of_ten_to_the_twelfth_is_refused_with_a_message(miinto_tenant, miinto_sandbox, ls_sandbox, eans,
                                                                    clock):
    huge = add_order(miinto_sandbox, eans[:1], quantities=(10 ** 12,), prices=(100,))
    after = add_order(miinto_sandbox, eans[1:2], quantities=(1,), prices=(100,))
    run(miinto_tenant, "orders_import", clock)
    ledger = ledger_of(miinto_tenant, huge)
    assert ledger.state == OrderLedger.State.FAILED and "no usable positions" in ledger.last_error
    assert any("has quantity 1000000000000 (more than 100000" in m for m in messages_of(miinto_tenant, huge))
    assert sales_with(ls_sandbox, f"MIINTO-{huge}") == [] and len(sales_with(ls_sandbox, f"MIINTO-{after}")) == 1
