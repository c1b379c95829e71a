"""URLs in logs carry no secrets: feed tokens in paths, OAuth codes and keys in query strings.

`url_redact` is generic: the path segment after any `/feed/` (a feed's token is its credential),
and the value of any query parameter whose name holds code, state, token, key, secret, password or
signature. Used by the gunicorn access log (`RedactingGunicornLogger`, `--logger-class`), by the
filter on Django's `django.request` logger ("Unauthorized: /channels/…/feed/<token>.tsv") and by
the console handler's RedactingFilter.
"""
import logging
import re

from gunicorn.glogging import Logger as GunicornLogger

from .redact import REDACTED, redact_text

# /feed/<token>[.ext] and /feed/<token>/<more>: keep the extension so the log still says what was fetched.
_FEED_SEGMENT = re.compile(r"(/feed/)[^/?#\s\"']+?(\.[A-Za-z0-9]{1,5})?(?=[/?#\s\"']|$)")
_SECRET_QUERY = re.compile(
    r"([?&;](?:[^=&;#\s\"']*?)(?:code|state|token|key|secret|password|signature)[^=&;#\s\"']*=)[^&;#\s\"']*", re.I)


def url_redact(text):
    if not isinstance(text, str) or not text:
        return text
    text = _FEED_SEGMENT.sub(lambda m: f"{m.group(1)}{REDACTED}{m.group(2) or ''}", text)
    if "=" in text:
        text = _SECRET_QUERY.sub(lambda m: f"{m.group(1)}{REDACTED}", text)
    return text


def log_text_redact(text):
    return url_redact(redact_text(text))


class UrlRedactingFilter(logging.Filter):
    """On a logger (django.request, django.server): the message with its URL scrubbed."""

    def filter(self, record):
        record.msg = url_redact(record.getMessage())
        record.args = ()
        return True


class RedactingGunicornLogger(GunicornLogger):
    """gunicorn's logger whose access-log atoms (request line, path, query, referer, headers) are scrubbed."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        scrubbed = {name: log_text_redact(value) if isinstance(value, str) else value for name, value in atoms.items()}
        for name in ("q", "{query_string}e"):  # a bare query string: scrub it as the query of a URL
            if atoms.get(name):
                scrubbed[name] = log_text_redact("?" + atoms[name])[1:]
        return scrubbed
