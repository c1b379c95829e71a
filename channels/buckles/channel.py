"""Buckles, declared to the core: its pages, API, setup, counts, hooks, the public webhook URL, sandbox and demo.

Everything behind it speaks a PROVISIONAL contract of ours (docs/buckles.md): Buckles publishes no API."""
from django.urls import reverse

from connector.channels import Channel, Sandbox, SetupStep

from . import demo, urls
from .api import BucklesSettingsSerializer
from .forms import BucklesSettingsForm
from .models import BucklesEvent, BucklesSettings
from .selectors import CHANNEL, buckles_settings_get, shops_mapped
from .services import buckles_settings_get_or_create, buckles_switch, buckles_test_connection


def _credentials_entered(*, tenant):
    settings = buckles_settings_get(tenant)
    return bool(settings and settings.api_token and settings.webhook_secret)


def _shops_mapped(*, tenant):
    return bool(shops_mapped(tenant))


def _webhook_received(*, tenant):
    return BucklesEvent.objects.for_tenant(tenant).filter(via="webhook").exists()


def _public_urls(*, tenant):
    """The webhook Buckles posts to without a session: the HMAC signature is the credential."""
    settings = buckles_settings_get_or_create(tenant=tenant)
    return {"channels/buckles/webhook/<str:token>/": reverse("buckles:webhook", args=[settings.webhook_token])}


def _sandbox_server():
    from .sandbox import server

    return server


def _sandbox_build(*, clock=None):
    from .sandbox import BucklesSandbox

    return BucklesSandbox(clock=clock, seed=1)


def _sandbox_credentials(options):
    from .sandbox import BucklesSandbox

    sandbox = BucklesSandbox(seed=options.get("seed", 1))
    return {"account": sandbox.account, "api_token": sandbox.token, "webhook_secret": sandbox.webhook_secret}


channel = Channel(
    key=CHANNEL,
    title="Buckles",
    description="Sales, stock, products, customers and checkouts to the Buckles hub; its stock changes, "
                "shipments and customer changes back into Lightspeed (provisional contract).",
    primary_job="buckles.orders_push",
    urls=urls.urlpatterns,
    api_urls=urls.api_urlpatterns,
    settings_model=BucklesSettings,
    settings_form=BucklesSettingsForm,
    settings_serializer=BucklesSettingsSerializer,
    setup_steps=(
        SetupStep("credentials", "Enter your Buckles connection token and webhook secret",
                  "Buckles gives both when you add the Lightspeed connection.", "settings", _credentials_entered),
        SetupStep("shops", "Choose the shops that sync with Buckles",
                  "Their sales and stock go to Buckles.", "settings", _shops_mapped),
        SetupStep("webhook", "Give Buckles the webhook address",
                  "Done at the first signed event Buckles sends.", "settings", _webhook_received),
    ),
    count_labels={"orders_sent": "orders sent", "qoh_set": "stock levels set", "stock_sent": "stock levels sent",
                  "products_sent": "products sent", "customers_sent": "customers sent",
                  "shipments_set": "shipments set", "shipments_sent": "shipments sent",
                  "checkouts_sent": "checkouts sent", "customers_updated": "customers updated"},
    on_switch=buckles_switch,
    test_connection=buckles_test_connection,
    public_urls=_public_urls,
    base_urls={"BUCKLES_API_URL": "http://127.0.0.1:8106"},
    sandbox=Sandbox(server=_sandbox_server, port=8106, build=_sandbox_build, credentials=_sandbox_credentials),
    demo_seed=demo.demo_seed,
)
