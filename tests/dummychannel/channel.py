"""A channel that lives only in the tests: it proves a package plus one settings line is all a channel needs."""
from django.urls import reverse

from connector.channels import Channel, Sandbox, SetupStep

from . import urls
from .api import DummySettingsSerializer
from .forms import DummySettingsForm
from .models import DummySettings
from .services import dummy_settings_get, dummy_switch


def _credentials(*, tenant):
    settings = dummy_settings_get(tenant=tenant)
    return bool(settings.account and settings.api_key)


def _public_urls(*, tenant):
    token = dummy_settings_get(tenant=tenant).webhook_token
    return {"channels/dummy/hook/<str:token>/": reverse("dummy:webhook", args=[token])}


def _sandbox_build(*, clock=None):
    from .sandbox import DummySandbox

    return DummySandbox(clock=clock)


def _sandbox_credentials(options):
    from .sandbox import DummySandbox

    return {"account": DummySandbox.account, "api_key": DummySandbox.api_key}


def _no_server():
    raise NotImplementedError("the dummy sandbox runs in-process only")


channel = Channel(
    key="dummy",
    title="Dummy",
    description="A test-only channel.",
    primary_job="dummy.sync",
    urls=urls.urlpatterns,
    api_urls=urls.api_urlpatterns,
    settings_model=DummySettings,
    settings_form=DummySettingsForm,
    settings_serializer=DummySettingsSerializer,
    setup_steps=(SetupStep("credentials", "Enter the dummy account", "Account and API key.", "settings",
                           _credentials),),
    count_labels={"pushed": "items pushed"},
    on_switch=dummy_switch,
    public_urls=_public_urls,
    sandbox=Sandbox(server=_no_server, port=8199, build=_sandbox_build, credentials=_sandbox_credentials,
                    login_paths=("/login",)),
)
