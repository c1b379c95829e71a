"""Secrets never reach events or logs.

Two nets: values under secret-looking keys are replaced, and every secret value a
client has registered (tokens, keys) is scrubbed from any text.
"""
import logging
import re
import threading

REDACTED = "[redacted]"
_SECRET_KEY = re.compile(
    r"(token|secret|password|passwd|authorization|api[-_]?key|signature|code_verifier|cookie|credential)", re.I
)
_BEARER = re.compile(r"(Bearer|Basic|Token token=)\s*\"?[A-Za-z0-9._~+/=-]+\"?", re.I)
_known = set()
_known_lock = threading.Lock()
_MIN_SECRET_LEN = 8
_MAX_KNOWN = 10_000


def secret_register(value):
    """Remember a secret value so it is scrubbed wherever it appears later."""
    if value and isinstance(value, str) and len(value) >= _MIN_SECRET_LEN:
        with _known_lock:
            if len(_known) >= _MAX_KNOWN:
                _known.clear()
            _known.add(value)


def redact_text(text):
    if not isinstance(text, str) or not text:
        return text
    for secret in tuple(_known):
        if secret in text:
            text = text.replace(secret, REDACTED)
    return _BEARER.sub(lambda m: f"{m.group(1)} {REDACTED}", text)


def redact(value, key=None):
    """A copy of value (dicts, lists, strings) with secrets replaced."""
    if key is not None and _SECRET_KEY.search(str(key)) and value not in (None, ""):
        return REDACTED
    if isinstance(value, dict):
        return {k: redact(v, k) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact(v) for v in value]
    if isinstance(value, str):
        return redact_text(value)
    return value


class RedactingFilter(logging.Filter):
    """On a handler: scrubs the message, the formatted traceback and the stack of every record."""

    _formatter = logging.Formatter()

    def filter(self, record):
        from .logs import url_redact  # feed tokens and OAuth codes in URLs

        record.msg = url_redact(redact_text(record.getMessage()))
        record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        record.exc_text = redact_text(record.exc_text)
        record.stack_info = redact_text(record.stack_info)
        return True
