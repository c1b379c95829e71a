"""A small channel registry for the owner's pages and the API.

A channel groups the jobs registered under its prefix (`miinto.orders_import` → "miinto").
Lightspeed is the source every channel reads from, listed first. A package registers its channel
with `register_channel(Channel(...))` in its jobs.py.
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


CHANNELS = {}


def register_channel(channel):
    """A package declares its channel next to its jobs (`<package>/jobs.py`, autodiscovered)."""
    CHANNELS[channel.key] = channel
    return channel


class UnknownChannel(KeyError):
    pass


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
