"""Fixtures of the order-pipeline tests (tests/connector/order_feed.py): a tenant connected to the Lightspeed
sandbox with its mirror synced, and a feed of three orders."""
from .order_feed import feed, items, ls_sandbox, ls_tenant  # noqa: F401
