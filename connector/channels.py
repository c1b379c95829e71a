"""The channel contract: each package declares one `Channel` in its `channel.py`; the core mounts it.

    # channels/<key>/channel.py
    channel = Channel(key="<key>", title=..., description=..., urls=urls.urlpatterns, ...)

    # channels/<key>/apps.py (import the module, so Django finds one AppConfig in apps.py)
    from connector import channels

    class <Key>Config(channels.ChannelConfig):
        name = "channels.<key>"
        label = "<key>"

`ChannelConfig.ready()` imports `<package>.channel` and registers its `channel`. The core names no
channel: URLs, the API, the nav, setup, the dashboard's counts, order retry, the sandboxes and the
demo seed all loop over the registry. Jobs stay in `<package>/jobs.py`, grouped by their prefix
(`<key>.orders_import` belongs to channel "<key>").

Lightspeed declares itself the same way, as the source (`is_source=True`), and tells the core how
the tenant's connection stands through `connection_facts` (the core imports nothing from it).
"""
import os
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any, Callable

from django.apps import AppConfig
from django.conf import settings

from .registry import jobs_of


@dataclass(frozen=True)
class SetupStep:
    """One line of the owner's setup checklist; `done(tenant)` reads the data itself."""

    key: str
    title: str
    hint: str
    url_name: str
    done: Callable[..., bool]


@dataclass(frozen=True)
class Sandbox:
    """The channel's API simulator, for `manage.py sandbox <key>`, the demo and the contract test.

    - `server()`: a module with `add_arguments(parser)` and `serve(stdout, port, **options)` (imported
      late: web and worker processes never load a sandbox);
    - `build(clock=)`: an in-process instance with `.transport()` (an httpx transport) for tests;
    - `credentials(options)`: {settings field: value} that connect a tenant to the sandbox's demo
      account; the demo prints them;
    - `login_paths`: request paths that log in rather than write (a dry run may call them);
    - `listen(sandbox)`: starts what the in-process sandbox serves on a real socket (an FTP server) on free
      loopback ports; returns {setting name: URL} to point the client at, and `sandbox.close()` stops it.
    """

    server: Callable[[], Any]
    port: int
    build: Callable[..., Any]
    args: tuple = ()
    credentials: Callable[..., dict] | None = None
    login_paths: tuple = ()
    listen: Callable[..., dict] | None = None


@dataclass(frozen=True)
class OrderLine:
    title: str
    quantity: int
    unit_price: Any  # Decimal
    total: Any  # Decimal
    code: str = ""  # the channel's product code (GTIN)


@dataclass(frozen=True)
class OrderView:
    """What the owner's order page shows of one ledger order, from the channel's payload (`Channel.order_view`)."""

    lines: tuple = ()
    total: Any = None  # Decimal
    currency: str = ""
    customer_name: str = ""
    links: tuple = ()  # (label, url): the order on the channel (or its sandbox), the sale in Lightspeed


@dataclass(frozen=True)
class Channel:
    key: str
    title: str
    description: str
    is_source: bool = False
    primary_job: str = ""  # the job "run now" starts on the channel card
    page: str = "settings"  # URL name of its main page, inside its namespace
    urls: list = field(default_factory=list)  # mounted at /channels/<key>/ (namespace <key>)
    api_urls: list = field(default_factory=list)  # mounted at /api/channels/<key>/ (namespace api:<key>)
    url_prefix: str = ""  # default channels/<key>/
    settings_model: type | None = None
    settings_form: type | None = None
    settings_serializer: type | None = None
    setup_steps: tuple = ()  # SetupStep, shown once the channel is on (the source's always)
    count_labels: dict = field(default_factory=dict)  # run count key -> the owner's words; these count as records
    count_words: dict = field(default_factory=dict)  # other counts the owner sees, in their words (rows in a feed)
    on_switch: Callable[..., Any] | None = None  # (tenant=, on=); raise ValidationError to refuse
    # (tenant=, values=) -> [problem, ...] (empty: the credentials work). `values`: the settings form's cleaned
    # values, unsaved (a blank secret means the stored one). "Test connection" and the save check call it.
    test_connection: Callable[..., list] | None = None
    order_retry: Callable[..., Any] | None = None  # (order=): retry one ledger order
    order_retryable: Callable[..., bool] | None = None  # (order=) -> can a retry do something? (default: core rule)
    order_view: Callable[..., Any] | None = None  # (order=) -> OrderView | None: lines, totals, customer, links
    # (tenant=) -> a warning ("" if none) when the account this tenant connected (Lightspeed account, channel
    # identity) is also connected to another tenant: shown on its page and when it is connected or switched on.
    shared_identity: Callable[..., str] | None = None
    public_urls: Callable[..., dict] | None = None  # (tenant=) -> {url pattern: a URL of this tenant's}
    connection_facts: Callable[..., dict] | None = None  # source only: (tenant=) -> {status, reason, ...}
    base_urls: dict = field(default_factory=dict)  # setting name -> default (its sandbox); the environment wins
    sandbox: Sandbox | None = None
    demo_seed: Callable[..., Any] | None = None  # (tenant=, stdout=)

    @property
    def jobs(self):
        return jobs_of(self.key)

    @property
    def prefix(self):
        return self.url_prefix or f"channels/{self.key}/"

    @property
    def page_url_name(self):
        return f"{self.key}:{self.page}"


CHANNELS: dict[str, Channel] = {}


class UnknownChannel(KeyError):
    pass


def register_channel(channel):
    if CHANNELS.get(channel.key, channel) is not channel:
        raise ValueError(f"two channels declare the key {channel.key!r}")
    CHANNELS[channel.key] = channel
    return channel


def unregister_channel(key):
    """For tests that declare a channel of their own."""
    CHANNELS.pop(key, None)


class ChannelConfig(AppConfig):
    """AppConfig of a channel package: registers `<package>.channel.channel` when Django is ready."""

    def ready(self):
        channel = register_channel(import_module(f"{self.name}.channel").channel)
        for name, default in channel.base_urls.items():
            if not hasattr(settings, name):  # tests and settings modules may set it first
                setattr(settings, name, os.environ.get(name, default))


def channel_get(key):
    try:
        return CHANNELS[key]
    except KeyError:
        raise UnknownChannel(key) from None


def channels_all():
    """The source (Lightspeed) first, then the channels in the order they registered."""
    return sorted(CHANNELS.values(), key=lambda channel: not channel.is_source)


def channels_selling():
    return [c for c in CHANNELS.values() if not c.is_source]


def channel_source():
    return next((c for c in CHANNELS.values() if c.is_source), None)


def channel_find(key):
    """The channel, or None (e.g. for a ledger row of a channel no longer installed)."""
    return CHANNELS.get(key)


def channel_of_job(job_name):
    return channel_find(job_name.split(".", 1)[0])


def record_count_labels():
    """Every count key some channel declares as records written, with its label."""
    labels = {}
    for channel in CHANNELS.values():
        labels.update(channel.count_labels)
    return labels


def count_words_all():
    """Every count the owner sees, key -> words: records written first, then the channels' other counts.
    Counts no channel names (rate-limit drips, requests) are for support only (the run page's details)."""
    words = {}
    for channel in channels_all():
        words.update(channel.count_labels)
    for channel in channels_all():
        words.update(channel.count_words)
    return words
