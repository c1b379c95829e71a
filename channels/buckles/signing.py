"""Webhook signatures (PROVISIONAL contract, docs/buckles.md): HMAC-SHA256 over "<timestamp>.<raw body>".

Headers: X-Buckles-Event, X-Buckles-Delivery (the event id: the same on every redelivery, the dedupe key),
X-Buckles-Timestamp (Unix seconds), X-Buckles-Signature: "sha256=<hex>". Signing the timestamp with the body
means a replayed delivery cannot be given a fresh timestamp.
"""
import hashlib
import hmac

REPLAY_WINDOW_SECONDS = 300
SCHEME = "sha256="


def signature_compute(*, secret, timestamp, body):
    message = str(timestamp).encode() + b"." + body
    return SCHEME + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(*, secret, event_type, delivery_id, timestamp, body):
    return {"X-Buckles-Event": event_type, "X-Buckles-Delivery": delivery_id, "X-Buckles-Timestamp": str(timestamp),
            "X-Buckles-Signature": signature_compute(secret=secret, timestamp=timestamp, body=body),
            "Content-Type": "application/json"}


class BadSignature(Exception):
    """Why a delivery is refused (401); the message is for the log, never shown with secrets."""


def signature_verify(*, secret, timestamp, signature, body, now, window=REPLAY_WINDOW_SECONDS):
    """Raise BadSignature unless `signature` is ours for this body and timestamp, and the timestamp is fresh."""
    if not secret:
        raise BadSignature("no webhook secret is set for this tenant")
    try:
        sent_at = int(timestamp)
    except (TypeError, ValueError):
        raise BadSignature("missing or malformed X-Buckles-Timestamp") from None
    expected = signature_compute(secret=secret, timestamp=sent_at, body=body)
    if not hmac.compare_digest(expected.encode(), (signature or "").encode()):
        raise BadSignature("signature mismatch")
    if abs(now - sent_at) > window:
        raise BadSignature(f"timestamp {sent_at} is outside the {window}s replay window")
