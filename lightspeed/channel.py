"""Lightspeed, declared to the core as the source every channel reads from."""
from connector.channels import Channel, Sandbox, SetupStep
from connector.models import SyncRun

from . import demo, urls
from .models import Connection
from .selectors import connection_for, pos_choice_complete
from .web_selectors import account_shared_warning, connection_facts


def _connected(*, tenant):
    connection = connection_for(tenant)
    return bool(connection and connection.status == Connection.Status.CONNECTED)


def _synced(*, tenant):
    return SyncRun.objects.for_tenant(tenant).filter(
        job="lightspeed.catalog_sync", status__in=[SyncRun.Status.SUCCEEDED, SyncRun.Status.PARTIAL], dry_run=False,
    ).exists()


def _sandbox_server():
    from .sandbox import server

    return server


def _sandbox_build(*, clock=None):
    from .sandbox import LightspeedSandbox

    return LightspeedSandbox(clock=clock, items=200, shops=2, registers=3, seed=1)


def _sandbox_credentials(options):
    """The OAuth app's settings (the demo's LIGHTSPEED_CLIENT_ID / _SECRET) of the sandbox."""
    from .sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

    return {"LIGHTSPEED_CLIENT_ID": DEMO_CLIENT_ID, "LIGHTSPEED_CLIENT_SECRET": DEMO_CLIENT_SECRET}


channel = Channel(
    key="lightspeed",
    title="Lightspeed",
    description="Your POS: shops, registers, employees and the catalog mirrored every few minutes.",
    is_source=True,
    primary_job="lightspeed.catalog_sync",
    page="connection",
    url_prefix="lightspeed/",
    urls=urls.urlpatterns,
    setup_steps=(
        SetupStep("connect", "Connect Lightspeed", "Approve access in Lightspeed; you come straight back here.",
                  "connection", _connected),
        SetupStep("choose", "Choose the shop, register and employee",
                  "The shop whose stock you sell, and the register and employee your channel orders are booked on.",
                  "mappings", pos_choice_complete),
        SetupStep("sync", "First catalog sync done",
                  "Runs by itself once Lightspeed is connected; or start it from the Lightspeed page.",
                  "connection", _synced),
    ),
    count_words={"items.read": "items read", "stock.read": "stock levels read", "items.changed": "items changed",
                 "stock.changed": "stock levels changed", "items.written": "items updated",
                 "stock.written": "stock levels updated"},
    connection_facts=connection_facts,
    shared_identity=account_shared_warning,
    base_urls={"LIGHTSPEED_API_URL": "http://127.0.0.1:8101", "LIGHTSPEED_AUTH_URL": "http://127.0.0.1:8101"},
    sandbox=Sandbox(server=_sandbox_server, port=8101, build=_sandbox_build, credentials=_sandbox_credentials,
                    login_paths=("/auth/oauth/token", "/oauth/access_token.php")),
    demo_seed=demo.demo_seed,
)
