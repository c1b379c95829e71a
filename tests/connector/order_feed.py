"""A stand-in channel for the order-pipeline tests: orders come from `FEED` (dicts as a channel would send
them) and go through lightspeed.order_import.order_import (ledger row first, the per-order claim, then
lightspeed.order_sales.sale_from_order). Two job names, so two runs can race without the run lock between
them."""
from datetime import timedelta
from decimal import Decimal

import pytest

from connector.registry import register_job
from lightspeed.channel_order import ChannelOrder, OrderAddress, OrderCustomer, OrderLine, OrderPayment
from connector.runs import run_job
from lightspeed.client import lightspeed_client
from lightspeed.models import Item
from lightspeed.order_import import order_import
from tests.lightspeed_sandbox import connect, sandbox_routed

CHANNEL = "testfeed"
OBJECT = "testfeed_order"
FEED = []  # raw orders: {"id", "lines": [[itemID or None, qty, "price"]], "email", "completed", "payments", "shipping"}
PREFIX = ["T-"]  # the "settings": the order prefix, changeable mid-flight


def channel_order_of(raw, *, register_id=1, employee_id=1):
    lines = tuple(OrderLine(item_ls_id=item, quantity=qty, unit_price=Decimal(price), sku=f"sku-{n}",
                            external_id=str(n)) for n, (item, qty, price) in enumerate(raw["lines"]))
    address = OrderAddress(name="Anna Maria Jensen", line1="Vestergade 3", city="Aarhus C", zip="8000",
                           country="DK", country_name="Denmark")
    payments = tuple(OrderPayment(amount=Decimal(a), method=m) for a, m in raw.get("payments", ()))
    return ChannelOrder(reference=f"{PREFIX[0]}{raw['id']}", lines=lines, shop_ls_id=1, register_ls_id=register_id,
                        employee_ls_id=employee_id, customer=OrderCustomer(email=raw.get("email", ""),
                                                                           first_name="Anna", last_name="Jensen",
                                                                           address=address),
                        ship_to=address, shipping=Decimal(raw.get("shipping", "0")), payments=payments,
                        completed=bool(raw.get("completed")), reference_source="Testfeed")


def feed_import(ctx):
    with lightspeed_client(ctx.tenant, clock=ctx.clock) as client:
        for raw in list(FEED):
            external_id = raw.get("id") if isinstance(raw, dict) else None
            order_import(ctx=ctx, client=client, channel=CHANNEL, object_type=OBJECT, external_id=external_id,
                         payload=raw, reference=f"{PREFIX[0]}{external_id}",
                         to_order=lambda raw, ledger: channel_order_of(raw))


@register_job("test.feed_import", interval=timedelta(minutes=1))
def feed_import_job(ctx):
    feed_import(ctx)


@register_job("test.feed_import_twin", interval=timedelta(minutes=1))
def feed_import_twin(ctx):
    feed_import(ctx)


# Fixtures (tests/connector/conftest.py): a connected tenant, synced mirror, a feed of 3 orders.
@pytest.fixture
def ls_sandbox(clock, settings):
    settings.HTTP_DEADLINE_SECONDS, settings.HTTP_TIMEOUT_SECONDS = 120.0, 30.0
    yield from sandbox_routed(clock, settings, items=40)


@pytest.fixture
def ls_tenant(tenant, ls_sandbox, clock):
    connect(tenant, ls_sandbox, clock)
    for job in ("lightspeed.reference_sync", "lightspeed.catalog_sync"):
        assert run_job(tenant=tenant, job=job, clock=clock).status == "succeeded"
    return tenant


@pytest.fixture
def items(ls_tenant):
    return list(Item.objects.for_tenant(ls_tenant).filter(archived=False).order_by("ls_id")
                .values_list("ls_id", flat=True)[:10])


@pytest.fixture
def feed(items):
    FEED[:] = [{"id": str(700 + n), "email": "anna@example.com",
                "lines": [[items[n], 1, "100.00"], [items[n + 1], 2, "15.2055"]]} for n in range(3)]
    PREFIX[:] = ["T-"]
    yield FEED
    FEED.clear()
