"""The Sellercloud sandbox: the REST API under /rest/api (token, companies, warehouses, orders, inventory,
catalog, products) and a control surface (see core.SellercloudSandbox)."""
from .core import SellercloudSandbox

__all__ = ["SellercloudSandbox"]
