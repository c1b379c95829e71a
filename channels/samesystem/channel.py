"""SameSystem, declared to the core: its pages, API, setup, counts, hooks, public CSV URL, sandbox and demo."""
from django.urls import reverse

from connector.channels import Channel, Sandbox, SetupStep

from . import demo, urls
from .api import SameSystemSettingsSerializer
from .client import LOGIN_PATHS
from .forms import SameSystemSettingsForm
from .models import SameSystemSettings
from .selectors import CHANNEL, departments_mapped, samesystem_settings_get
from .services import samesystem_settings_get_or_create, samesystem_switch, samesystem_test_connection


def _credentials_entered(*, tenant):
    settings = samesystem_settings_get(tenant)
    return bool(settings and settings.email and settings.password)


def _departments_mapped(*, tenant):
    return bool(departments_mapped(tenant))


def _fields_mapped(*, tenant):
    settings = samesystem_settings_get(tenant)
    return bool(settings and settings.field_map)


def _public_urls(*, tenant):
    """The CSV SameSystem (or a script) fetches without a session: the secret token in the URL is the credential."""
    settings = samesystem_settings_get_or_create(tenant=tenant)
    return {"channels/samesystem/csv/<str:token>.csv": reverse("samesystem:csv", args=[settings.csv_token])}


def _sandbox_server():
    from .sandbox import server

    return server


def _sandbox_build(*, clock=None):
    from .sandbox import SameSystemSandbox

    return SameSystemSandbox(clock=clock, seed=1)


def _sandbox_credentials(options):
    from .sandbox import SameSystemSandbox

    sandbox = SameSystemSandbox(seed=options.get("seed", 1))
    return {"email": sandbox.email, "password": sandbox.password}


channel = Channel(
    key=CHANNEL,
    title="SameSystem",
    description="Hourly POS figures per department and register into SameSystem's weekly balance, every night.",
    primary_job="samesystem.nightly_export",
    urls=urls.urlpatterns,
    api_urls=urls.api_urlpatterns,
    settings_model=SameSystemSettings,
    settings_form=SameSystemSettingsForm,
    settings_serializer=SameSystemSettingsSerializer,
    setup_steps=(
        SetupStep("credentials", "Enter the SameSystem API user",
                  "Email and password of a SameSystem user with “For API usage”.", "settings", _credentials_entered),
        SetupStep("departments", "Map SameSystem departments to Lightspeed shops",
                  "Test the connection, then choose the Lightspeed shop of each department.", "settings",
                  _departments_mapped),
        SetupStep("fields", "Map the POS figures to weekly-balance fields",
                  "Gross sales, net sales, discounts, …: a figure left unmapped is not sent.", "settings",
                  _fields_mapped),
    ),
    count_labels={"days_sent": "days sent"},
    on_switch=samesystem_switch,
    test_connection=samesystem_test_connection,
    public_urls=_public_urls,
    base_urls={"SAMESYSTEM_API_URL": "http://127.0.0.1:8105/api/v1"},
    sandbox=Sandbox(server=_sandbox_server, port=8105, args=("--sftp-port", "0"), build=_sandbox_build,
                    credentials=_sandbox_credentials,
                    login_paths=LOGIN_PATHS),
    demo_seed=demo.demo_seed,
)
