"""The SmartEtailing sandbox speaks feeds.cfc as channels-deep.md §1.2/§1.5 describe it, and its POS FTP is
a real FTP server that keeps what it receives."""
import ftplib
import io
import xml.etree.ElementTree as ET

import httpx
import pytest

from channels.smartetailing.sandbox import SmartEtailingSandbox, seeding
from channels.smartetailing.sandbox import server as sandbox_server

PATH = "/webservices/xml/feeds.cfc"


@pytest.fixture
def sb(clock):
    sandbox = SmartEtailingSandbox(clock=clock, seed=1)
    yield sandbox
    sandbox.ftp_stop()


def client(sb):
    return httpx.Client(transport=sb.transport(), base_url="http://www.example-bikes.com")


def params(sb, **over):
    return {"method": "Orders", "ver": "2.00", "merchant": sb.merchant, "URLkey": sb.url_key, "OrderNumber": "",
            "OrderStatus": "", **over}


def test_orders_lists_unconfirmed_orders_in_the_v2_document(sb):
    sb.add_order(**seeding.demo_export_order())
    response = client(sb).get(PATH, params=params(sb))
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/xml")
    text = response.text
    assert "<Category>Catalog &amp;gt; Accessories &amp;gt; Lighting &amp;gt; Headlights</Category>" in text
    assert '<Line name="Tax" type="Tax">25.14</Line>' in text and "<Expiration>/</Expiration>" in text
    order = ET.fromstring(response.content).find("WebOrder/Order")
    assert order.find("OrderId").text == "011521-031915-526"
    assert [line.get("type") for line in order.findall("OrderTotal/Line")] == [
        "Subtotal", "Discount", "Shipping", "Tax", "Total"]
    assert order.find("OrderTotal/Line[@type='Total']").text == "444.13"
    assert order.find("PaymentInfo/CreditCardInfo/CardAuthInfo/Amount").text == "444.13"
    assert order.find("Items/Item[@num='1']/Option").attrib == {"name": "Size", "type": "Normal"}
    assert ET.fromstring(response.content).find("WebOrder/WebComment").text.startswith("SmartEtailing Order on ")


def test_time_uses_the_feeds_format(sb, clock):
    sb.add_order()
    order = ET.fromstring(client(sb).get(PATH, params=params(sb)).content).find("WebOrder/Order")
    import time

    assert time.strptime(order.find("Time").text, "%a %b %d %H:%M:%S %Y")
    assert int(order.find("CustomerId").text) > 0


def test_paypal_order_has_an_empty_bill_to(sb):
    sb.add_order(method="PayPal", bill_to_empty=True)
    order = ET.fromstring(client(sb).get(PATH, params=params(sb)).content).find("WebOrder/Order")
    bill = order.find("AddressBillTo")
    assert [bill.find(k).text for k in ("Address1", "City", "Email", "Name/Full")] == [None, None, None, None]
    assert order.find("AddressShipTo/Email").text


@pytest.mark.parametrize("over,status,message", [
    ({"URLkey": "WRONG"}, 401, "Invalid merchant or URL key"),
    ({"merchant": "1"}, 401, "Invalid merchant or URL key"),
    ({"ver": "1.00"}, 400, "Unsupported version"),
    ({"method": "Delete"}, 400, "Unknown method"),
    ({"method": "UpdateOrder", "OrderNumber": "nope"}, 404, "not found"),
    ({"method": "UpdateOrder"}, 400, "OrderNumber is required"),
])
def test_errors(sb, over, status, message):
    response = client(sb).get(PATH, params=params(sb, **over))
    assert response.status_code == status and message in response.text and "<Error>" in response.text


def test_every_parameter_must_be_sent_with_its_exact_spelling(sb):
    query = params(sb)
    query["urlkey"] = query.pop("URLkey")
    response = client(sb).get(PATH, params=query)
    assert response.status_code == 400 and "URLkey" in response.text


def test_update_order_confirms_once_and_applies_the_status_after_export(sb):
    order_id = sb.add_order()
    http = client(sb)
    for _ in range(2):  # idempotent
        response = http.get(PATH, params=params(sb, method="UpdateOrder", OrderNumber=order_id))
        assert response.status_code == 200 and "<Result>OK</Result>" in response.text
    assert sb.orders[order_id]["confirmed"] and sb.orders[order_id]["status"] == "Being Processed"
    assert "<WebOrder>" not in http.get(PATH, params=params(sb)).text
    http.get(PATH, params=params(sb, method="UpdateStatus", OrderNumber=order_id, OrderStatus="Completed"))
    assert sb.orders[order_id]["status"] == "Completed"
    assert [a["action"] for a in sb.actions] == ["confirm", "confirm", "status"]


def test_faults(sb):
    sb.add_order()
    http = client(sb)
    sb.inject_fault("503")
    assert http.get(PATH, params=params(sb)).status_code == 503
    sb.inject_fault("malformed_xml")
    with pytest.raises(ET.ParseError):
        ET.fromstring(http.get(PATH, params=params(sb)).content)
    sb.inject_fault("timeout")
    with pytest.raises(httpx.ReadTimeout):
        http.get(PATH, params=params(sb))
    order_id = next(iter(sb.orders))
    sb.inject_fault("drop_after_commit", path_contains="feeds.cfc")
    with pytest.raises(httpx.RemoteProtocolError):
        http.get(PATH, params=params(sb, method="UpdateOrder", OrderNumber=order_id))
    assert sb.orders[order_id]["confirmed"], "the confirmation happened; only the answer was lost"


def test_control_surface_adds_orders_of_each_kind(sb):
    http = client(sb)
    for kind in ("paid", "unpaid", "partly_fulfilled", "unknown_item", "offline_payment"):
        assert http.post("/sandbox/orders", json={"kind": kind}).status_code == 201
    orders = http.get("/sandbox/orders").json()
    paid, unpaid, partly, unknown, offline = orders
    assert paid["payments"][0]["amount"] == paid["totals"]["Total"]
    assert unpaid["payments"][0]["amount"] == "0.00"
    assert [i["fulfilled"] for i in partly["items"]][0] is False
    assert unknown["items"][-1]["gtin1"] == "000000000000"
    assert [p["method"] for p in offline["payments"]] == ["Stripe", "Manual"]
    page = http.get("/sandbox/", headers={"Accept": "text/html"})
    assert "SmartEtailing sandbox" in page.text and sb.url_key in page.text


def upload(port, sb, name, text):
    ftp = ftplib.FTP()
    ftp.connect("127.0.0.1", port, timeout=10)
    ftp.login(sb.ftp_user, sb.ftp_password)
    ftp.storbinary(f"STOR {name}", io.BytesIO(text.encode()))
    ftp.quit()


HEADER = "Location,POS SKU,UPC,EAN,MPN,Description,Brand,Category,QOH,Regular Price,Sale Price,Default Cost,MSRP\r\n"


def test_ftp_keeps_the_last_file_per_location_with_mapping_states(sb):
    port = sb.ftp_start(0)
    name = "inventory_Newport%2C%20KY.csv"
    rows = ('"Newport, KY",2100000001,888818539079,,X,Headlight,Specialized,Lights,3,39.99,,,\r\n'
            '"Newport, KY",2100000002,,,T222B,Rack,Kuat,Racks,1,379.00,,,\r\n'
            '"Newport, KY",2100000003,,,,Bell,,,1,5.00,,,\r\n')
    upload(port, sb, name, HEADER + rows)
    last = sb.uploads_last["Newport, KY"]
    assert last["states"] == {"2100000001": "pending_gtin", "2100000002": "pending_mpn", "2100000003": "unmatched"}
    assert sb.uploads.accept_pending() == 2
    upload(port, sb, name, HEADER + rows.splitlines(keepends=True)[0])
    last = sb.uploads_last["Newport, KY"]
    assert last["states"] == {"2100000001": "mapped"} and last["missing_skus"] == ["2100000002", "2100000003"]
    assert (sb.ftp.root / name).read_text().startswith("Location,POS SKU")


def test_ftp_rejects_an_unknown_location_and_a_wrong_password(sb):
    port = sb.ftp_start(0)
    upload(port, sb, "inventory_newport%2C%20ky.csv", HEADER)  # case matters
    assert sb.uploads.received[-1]["error"].startswith("no location has the Neighborhood Descriptor")
    assert not sb.uploads_last
    ftp = ftplib.FTP()
    ftp.connect("127.0.0.1", port, timeout=10)
    with pytest.raises(ftplib.error_perm):
        ftp.login(sb.ftp_user, "wrong")
    ftp.close()


def test_server_prints_the_contract_lines(monkeypatch):
    printed = io.StringIO()
    monkeypatch.setattr(sandbox_server, "wsgi_serve", lambda app, *, port, banner, stdout: stdout.write(banner))
    sandbox_server.serve(printed, 9141, seed=1, ftp_port=0, orders=2)
    lines = dict(line.split(": ", 1) for line in printed.getvalue().splitlines() if ": " in line)
    sb = SmartEtailingSandbox(seed=1)
    assert lines["merchant"] == sb.merchant and lines["url_key"] == sb.url_key
    assert lines["ftp_user"] == sb.ftp_user and lines["ftp_password"] == sb.ftp_password
    assert int(lines["ftp_port"]) > 0 and lines["open orders"] == "2"
