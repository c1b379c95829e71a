"""SmartEtailing, declared to the core: its pages, API, setup, counts, hooks, base URLs, sandbox and demo."""
from connector.channels import Channel, Sandbox, SetupStep

from . import demo, urls
from .api import SmartEtailingSettingsSerializer
from .forms import SmartEtailingSettingsForm
from .models import SmartEtailingSettings
from .selectors import CHANNEL, TITLE, credentials_complete, locations_mapped, smartetailing_settings_get
from .services import smartetailing_order_retry, smartetailing_switch, smartetailing_test_connection


def _credentials_entered(*, tenant):
    return credentials_complete(smartetailing_settings_get(tenant))


def _stores_connected(*, tenant):
    return bool(locations_mapped(tenant))


def _sandbox_server():
    from .sandbox import server

    return server


def _sandbox_build(*, clock=None):
    from .sandbox import SmartEtailingSandbox

    return SmartEtailingSandbox(clock=clock, seed=1)


def _sandbox_listen(sandbox):
    return {"SMARTETAILING_FTP_URL": f"ftp://127.0.0.1:{sandbox.ftp_start(port=0)}"}


def _sandbox_credentials(options):
    """The sandbox's demo merchant (deterministic per seed); the FTP port is in the sandbox's banner."""
    from .sandbox import SmartEtailingSandbox

    sandbox = SmartEtailingSandbox(seed=options.get("seed", 1))
    return {"merchant_id": sandbox.merchant, "url_key": sandbox.url_key, "ftp_account": sandbox.ftp_user,
            "ftp_password": sandbox.ftp_password}


channel = Channel(
    key=CHANNEL,
    title=TITLE,
    description="Inventory and prices to each SmartEtailing location by POS FTP, and paid web orders into "
                "Lightspeed as completed sales.",
    primary_job="smartetailing.inventory_upload",
    urls=urls.urlpatterns,
    api_urls=urls.api_urlpatterns,
    settings_model=SmartEtailingSettings,
    settings_form=SmartEtailingSettingsForm,
    settings_serializer=SmartEtailingSettingsSerializer,
    setup_steps=(
        SetupStep("credentials", "Enter your SmartEtailing access",
                  "The merchant id and URL key of the order export, and the POS FTP account and password.",
                  "settings", _credentials_entered),
        SetupStep("stores", "Connect stores",
                  "Map at least one Lightspeed shop to a SmartEtailing location (its Neighborhood Descriptor).",
                  "settings", _stores_connected),
    ),
    count_labels={"files_uploaded": "inventory files uploaded", "confirmed": "orders confirmed"},
    on_switch=smartetailing_switch,
    test_connection=smartetailing_test_connection,
    order_retry=smartetailing_order_retry,
    base_urls={"SMARTETAILING_ORDER_URL": "http://127.0.0.1:8103", "SMARTETAILING_FTP_URL": "ftp://127.0.0.1:2121"},
    sandbox=Sandbox(server=_sandbox_server, port=8103,
                    args=("--ftp-port", "2121", "--orders", "3", "--lightspeed-seed", "1",
                          "--lightspeed-items", "1000"),
                    build=_sandbox_build, credentials=_sandbox_credentials, listen=_sandbox_listen),
    demo_seed=demo.demo_seed,
)
