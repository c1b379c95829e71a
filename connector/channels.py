"""A small channel registry for the owner's pages and the API.

A channel groups the jobs registered under its prefix (`miinto.orders_import` → "miinto").
Lightspeed is the source every channel reads from, listed first; a new channel adds one entry.
"""
from dataclasses import dataclass

from .registry import jobs_of


@dataclass(frozen=True)
class Channel:
    key: str
    title: str
    description: str
    is_source: bool = False
    primary_job: str = ""  # the job "run now" starts on the channel page
    switch_hook: str = ""  # "module.function(tenant=, on=)" called when the channel is switched on/off
    page: str = ""  # URL name of the channel's own page

    @property
    def jobs(self):
        return jobs_of(self.key)


CHANNELS = {
    "lightspeed": Channel(
        key="lightspeed",
        title="Lightspeed Retail",
        description="Your POS: shops, registers, employees and the catalog mirrored every few minutes.",
        is_source=True,
        primary_job="lightspeed.catalog_sync",
        page="lightspeed:connection",
    ),
    "miinto": Channel(
        key="miinto",
        title="Miinto",
        description="Product and stock feed for Miinto, and Miinto orders into Lightspeed as open sales.",
        primary_job="miinto.orders_import",
        switch_hook="channels.miinto.web_hooks.miinto_switch",
        page="miinto_settings",
    ),
}


class UnknownChannel(KeyError):
    pass


def channel_get(key):
    try:
        return CHANNELS[key]
    except KeyError:
        raise UnknownChannel(key) from None


def channels_all():
    return list(CHANNELS.values())


def channels_selling():
    return [c for c in CHANNELS.values() if not c.is_source]
