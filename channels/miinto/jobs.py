"""Miinto jobs (autodiscovered by connector.registry)."""
from . import jobs_feed  # noqa: F401  miinto.feed_check
