"""sales_rows: a raw Sale (all strings, one-row objects) → mirror rows, strictly; the upsert is idempotent."""
from decimal import Decimal

import pytest

from connector.errors import RecordError
from lightspeed.models import Customer, Sale, SaleLine, SalePayment, ShipTo
from lightspeed.sales_rows import sale_rows, sales_upsert

RAW = {
    "saleID": "277", "timeStamp": "2016-11-10T13:51:54+00:00", "completed": "true", "archived": "false",
    "voided": "false", "createTime": "2016-11-10T13:50:00+00:00", "updatetime": "2016-11-10T13:51:54+00:00",
    "completeTime": "2016-11-10T13:51:54+00:00", "referenceNumber": "", "ticketNumber": "220000000277",
    "calcSubtotal": "29.99", "calcDiscount": "0", "calcTax1": "1.5", "calcTax2": "2.99", "total": "34.48",
    "balance": "0", "customerID": "8", "employeeID": "2", "registerID": "5", "shopID": "1", "shipToID": "3",
    "SaleLines": {"SaleLine": [
        {"saleLineID": "269", "unitQuantity": "1", "unitPrice": "9.99", "calcTotal": "11.4860025",
         "calcSubtotal": "9.99", "calcTax1": "0.4995", "calcTax2": "0.9965", "itemID": "12", "parentSaleLineID": "0"},
        {"saleLineID": "270", "unitQuantity": "2", "unitPrice": "10", "calcTotal": "23", "itemID": "13"}]},
    "SalePayments": {"SalePayment": {"salePaymentID": "168", "amount": "34.48", "paymentTypeID": "1",
                                     "PaymentType": {"paymentTypeID": "1", "name": "Cash", "type": "cash"}}},
    "Customer": {"customerID": "8", "firstName": "Jane", "lastName": "Doe", "timeStamp": "2016-01-01T00:00:00+00:00",
                 "Contact": {"Emails": {"ContactEmail": [{"address": "old@example.com", "useType": "Secondary"},
                                                         {"address": "jane@example.com", "useType": "Primary"}]},
                             "Phones": {"ContactPhone": {"number": "360 555 2453", "useType": "Home"}},
                             "Addresses": ""}},
    "ShipTo": {"shipToID": "3", "shipped": "false", "shipNote": "", "firstName": "Jane", "lastName": "Doe",
               "company": "", "timeStamp": "2016-11-10T13:51:54+00:00",
               "Contact": {"Addresses": {"ContactAddress": {"address1": "1 Main St", "city": "Burlington",
                                                            "zip": "05401", "countryCode": "US"}}, "Phones": ""}},
}


def test_the_documented_sample_becomes_rows(tenant):
    rows = sale_rows(tenant, RAW)
    assert (rows.sale.ls_id, rows.sale.total, rows.sale.tax, rows.sale.customer_ls_id) == (
        277, Decimal("34.48"), Decimal("4.49"), 8)
    assert [(line.ls_id, line.quantity, line.total) for line in rows.lines] == [
        (269, 1, Decimal("11.4860")), (270, 2, Decimal("23"))]
    assert (rows.payments[0].payment_type_name, rows.payments[0].amount) == ("Cash", Decimal("34.48"))
    assert (rows.customer.email, rows.customer.phone) == ("jane@example.com", "360 555 2453")
    assert rows.ship_to.address == {"address1": "1 Main St", "city": "Burlington", "zip": "05401",
                                    "countryCode": "US"}


@pytest.mark.parametrize("path, value, message", [
    (("completeTime",), "yesterday", "completeTime"),
    (("total",), "12,50", "total"),
    (("SaleLines", "SaleLine", 0, "unitQuantity"), "1.5", "unitQuantity"),
    (("SaleLines", "SaleLine", 1, "unitPrice"), "1e12", "unitPrice"),
    (("ticketNumber",), "22\x00", "NUL"),
    (("saleID",), "", "saleID"),
])
def test_a_value_that_cannot_be_trusted_is_a_record_error(tenant, path, value, message):
    import copy

    raw = copy.deepcopy(RAW)
    holder = raw
    for key in path[:-1]:
        holder = holder[key]
    holder[path[-1]] = value
    with pytest.raises(RecordError, match=message):
        sale_rows(tenant, raw)


def test_the_upsert_twice_leaves_the_same_rows(tenant):
    for _ in range(2):
        counts = sales_upsert(tenant=tenant, batch=[sale_rows(tenant, RAW)])
    assert counts == {"sales": 1, "lines": 2, "payments": 1, "ship_tos": 1, "customers": 1}
    assert [m.objects.for_tenant(tenant).count() for m in (Sale, SaleLine, SalePayment, ShipTo, Customer)] == [
        1, 2, 1, 1, 1]
    without_ship_to = {**RAW, "ShipTo": "", "shipToID": "0"}
    sales_upsert(tenant=tenant, batch=[sale_rows(tenant, without_ship_to)])
    assert not ShipTo.objects.for_tenant(tenant).exists()
