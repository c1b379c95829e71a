"""Miinto's request signature, MNT-HMAC-SHA256-1-0 (docs: channel-apis.md §1.3).

Shared by the client (to sign) and the sandbox (to verify): the algorithm is one pure function.
Host is the host name without the port (what PSR-7 `getHost()` gives the PHP clients); path and
query are signed exactly as sent on the wire (percent-encoded, query without `?`).
"""
import hashlib
import hmac

AUTH_TYPE = "MNT-HMAC-SHA256-1-0"
CONTROL_FLAVOUR = "Miinto-Generic"
CONTROL_VERSION = "2.6"


def _sha256(data):
    if isinstance(data, str):
        data = data.encode()
    return hashlib.sha256(data).hexdigest()


def signature_compute(*, method, host, path, query, body, channel_id, token, timestamp, seed):
    resource_sig = _sha256("\n".join([method.upper(), host, path, query]))
    header_sig = _sha256("\n".join([channel_id, str(timestamp), str(seed), AUTH_TYPE]))
    payload_sig = _sha256(body or b"")
    message = "\n".join([resource_sig, header_sig, payload_sig]).encode()
    return hmac.new(token.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(*, method, host, path, query, body, channel_id, token, timestamp, seed):
    """The headers Miinto expects on every resource call."""
    return {
        "Miinto-Api-Auth-ID": channel_id,
        "Miinto-Api-Auth-Timestamp": str(timestamp),
        "Miinto-Api-Auth-Seed": str(seed),
        "Miinto-Api-Auth-Type": AUTH_TYPE,
        "Miinto-Api-Auth-Signature": signature_compute(
            method=method, host=host, path=path, query=query, body=body,
            channel_id=channel_id, token=token, timestamp=timestamp, seed=seed,
        ),
        "Miinto-Api-Control-Flavour": CONTROL_FLAVOUR,
        "Miinto-Api-Control-Version": CONTROL_VERSION,
    }
