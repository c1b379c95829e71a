"""Sellercloud, declared to the core: its pages, API, setup, counts, hooks, sandbox and demo."""
from connector.channels import Channel, Sandbox, SetupStep

from . import demo, urls
from .api import SellercloudSettingsSerializer
from .forms import SellercloudSettingsForm
from .models import SellercloudSettings
from .selectors import CHANNEL, sellercloud_settings_get, shops_mapped
from .order_view import sellercloud_order_view
from .services import sellercloud_order_retry, sellercloud_switch, sellercloud_test_connection


def _login_entered(*, tenant):
    settings = sellercloud_settings_get(tenant)
    return bool(settings and settings.username and settings.password and settings.company_id)


def _shops_mapped(*, tenant):
    return bool(shops_mapped(tenant))


def _sandbox_server():
    from .sandbox import server

    return server


def _sandbox_build(*, clock=None):
    from .sandbox import SellercloudSandbox

    return SellercloudSandbox(clock=clock, seed=1, lightspeed_seed=1, lightspeed_items=200)


def _sandbox_credentials(options):
    """The sandbox's demo employee and company (deterministic per seed)."""
    from .sandbox import SellercloudSandbox

    sandbox = SellercloudSandbox(seed=options.get("seed", 1))
    return {"username": sandbox.username, "password": sandbox.password, "company_id": str(sandbox.company_id)}


channel = Channel(
    key=CHANNEL,
    title="Sellercloud",
    description="Completed Lightspeed sales into Sellercloud as Local Store orders; stock, prices and costs from "
                "its warehouses into Lightspeed.",
    primary_job="sellercloud.orders_download",
    urls=urls.urlpatterns,
    api_urls=urls.api_urlpatterns,
    settings_model=SellercloudSettings,
    settings_form=SellercloudSettingsForm,
    settings_serializer=SellercloudSettingsSerializer,
    setup_steps=(
        SetupStep("credentials", "Enter your Sellercloud login",
                  "Server or team, an employee's username and password, and the company id; then Test connection.",
                  "settings", _login_entered),
        SetupStep("shops", "Map your Lightspeed shops to Sellercloud warehouses",
                  "Each shop takes its stock from its warehouses; a shop with none sends and receives nothing.",
                  "settings", _shops_mapped),
    ),
    count_labels={"orders_created": "orders created", "items_written": "Lightspeed items updated",
                  "items_created": "Lightspeed items created", "returns_readded": "returned units re-added"},
    count_words={"orders_found": "orders already in Sellercloud", "unknown_items": "items sent as UNKNOWN",
                 "products_read": "Sellercloud products read", "linked": "products linked to Lightspeed items",
                 "conflicts": "Lightspeed changes overwritten", "skipped": "products without a SKU"},
    test_connection=sellercloud_test_connection,
    order_view=sellercloud_order_view,
    on_switch=sellercloud_switch,
    order_retry=sellercloud_order_retry,
    base_urls={"SELLERCLOUD_API_URL": "http://127.0.0.1:8104/rest"},
    sandbox=Sandbox(server=_sandbox_server, port=8104, args=("--lightspeed-seed", "1", "--lightspeed-items", "1000"),
                    build=_sandbox_build, credentials=_sandbox_credentials, login_paths=("/api/token",)),
    demo_seed=demo.demo_seed,
)
