"""Miinto, declared to the core: its pages, API, setup, counts, hooks, public feed URLs, sandbox and demo."""
from connector.channels import Channel, Sandbox, SetupStep

from . import demo, urls
from .api import MiintoSettingsSerializer
from .feed import feed_path
from .forms import MiintoSettingsForm
from .models import MiintoSettings
from .order_view import miinto_order_view
from .selectors import CHANNEL, feed_last_fetch, miinto_identity_shared_warning, miinto_settings_get
from .services import miinto_order_retry, miinto_settings_get_or_create, miinto_switch, miinto_test_connection


def _credentials_entered(*, tenant):
    settings = miinto_settings_get(tenant)
    return bool(settings and settings.identifier and settings.secret)


def _feed_fetched(*, tenant):
    return bool((feed_last_fetch(tenant=tenant) or {}).get("status") in (200, 304))


def _public_urls(*, tenant):
    """The feed URLs Miinto fetches without a session: the secret token in the URL is the credential."""
    settings = miinto_settings_get_or_create(tenant=tenant)
    return {"channels/miinto/feed/<str:token>.tsv": feed_path(settings=settings),
            "channels/miinto/feed/<str:token>/<str:shop_id>.tsv": feed_path(settings=settings, miinto_shop_id="x")}


def _sandbox_server():
    from .sandbox import server

    return server


def _sandbox_build(*, clock=None):
    from .sandbox import MiintoSandbox

    return MiintoSandbox(clock=clock, seed=1)


def _sandbox_credentials(options):
    """The sandbox's demo channel (deterministic per seed); its shop ids are in the sandbox's banner."""
    from .sandbox import MiintoSandbox

    sandbox = MiintoSandbox(seed=options.get("seed", 1))
    return {"identifier": sandbox.identifier, "secret": sandbox.secret}


channel = Channel(
    key=CHANNEL,
    title="Miinto",
    description="Product and stock feed for Miinto, and Miinto orders into Lightspeed as open sales.",
    primary_job="miinto.orders_import",
    urls=urls.urlpatterns,
    api_urls=urls.api_urlpatterns,
    settings_model=MiintoSettings,
    settings_form=MiintoSettingsForm,
    settings_serializer=MiintoSettingsSerializer,
    setup_steps=(
        SetupStep("credentials", "Enter your Miinto credentials",
                  "The channel identifier and secret Miinto gave you.", "settings", _credentials_entered),
        SetupStep("feed", "Give Miinto the feed address",
                  "Miinto fetches your catalog from it; this step is done at its first fetch.", "settings",
                  _feed_fetched),
    ),
    count_labels={"sales_created": "sales created", "accepted": "orders accepted", "declined": "orders declined"},
    count_words={"feed_rows": "rows in the feed", "transfers": "Miinto orders found",
                 "sales_found": "sales found (created by an earlier try)", "skipped": "orders skipped",
                 "no_price": "items left out (no price)", "duplicate_gtin": "items left out (GTIN used twice)",
                 "due": "orders to update on Miinto"},
    on_switch=miinto_switch,
    test_connection=miinto_test_connection,
    order_retry=miinto_order_retry,
    order_view=miinto_order_view,
    shared_identity=miinto_identity_shared_warning,
    public_urls=_public_urls,
    base_urls={"MIINTO_AUTH_URL": "http://127.0.0.1:8102", "MIINTO_ORDER_URL": "http://127.0.0.1:8102"},
    sandbox=Sandbox(server=_sandbox_server, port=8102,
                    args=("--pending-orders", "3", "--lightspeed-seed", "1", "--lightspeed-items", "1000"),
                    build=_sandbox_build, credentials=_sandbox_credentials, login_paths=("/channels",)),
    demo_seed=demo.demo_seed,
)
