"""OAuth with Lightspeed's auth server (authlib): authorize URL, code exchange, refresh, revoke.

Token requests are form-encoded with client_id/client_secret in the body; the code
exchange carries no redirect_uri and a refresh no scope (both caused invalid_grant for
other integrators: docs/lightspeed-retail-api.md §1.3, §8.3).
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from django.conf import settings

from connector.errors import ConfigError, TransientError
from connector.http import transport_overrides
from connector.redact import secret_register

AUTHORIZE_PATH = "/auth/oauth/authorize"
TOKEN_PATH = "/auth/oauth/token"
REVOKE_PATH = "/auth/oauth/revoke"
CLIENT_NAME = "lightspeed"
RECONNECT_REASON = "Reconnect Lightspeed: access was revoked or has expired. An owner must connect the account again."


class ReconnectRequired(ConfigError):
    """The grant is gone (invalid_grant): only the owner can fix it, so every job of the tenant pauses."""

    def __init__(self, detail=""):
        super().__init__(RECONNECT_REASON, pause_tenant=True)
        self.detail = detail


@dataclass
class TokenSet:
    access_token: str
    refresh_token: str
    expires_at: datetime


def _raise_for_server_error(response):
    if response.status_code >= 500 or response.status_code == 429:
        raise TransientError(f"Lightspeed auth server: HTTP {response.status_code}",
                             retry_after=_retry_after(response))
    return response


def _retry_after(response):
    try:
        return float(response.headers.get("Retry-After"))
    except (TypeError, ValueError):
        return None


def oauth_client(**kwargs):
    from authlib.integrations.httpx_client import OAuth2Client  # imported when used: it is slow to import

    client = OAuth2Client(
        client_id=settings.LIGHTSPEED_CLIENT_ID,
        client_secret=settings.LIGHTSPEED_CLIENT_SECRET,
        token_endpoint_auth_method="client_secret_post",
        code_challenge_method="S256",
        base_url=settings.LIGHTSPEED_AUTH_URL,
        transport=transport_overrides.get(CLIENT_NAME),
        timeout=settings.HTTP_TIMEOUT_SECONDS,
        **kwargs,
    )
    client.register_compliance_hook("access_token_response", _raise_for_server_error)
    client.register_compliance_hook("refresh_token_response", _raise_for_server_error)
    return client


def authorize_url():
    """(url, state, code_verifier) for the owner's browser."""
    from authlib.common.security import generate_token

    verifier = generate_token(64)
    with oauth_client(scope=settings.LIGHTSPEED_SCOPES) as client:
        url, state = client.create_authorization_url(settings.LIGHTSPEED_AUTH_URL + AUTHORIZE_PATH,
                                                     code_verifier=verifier)
    return url, state, verifier


def _token_set(token, now):
    if "access_token" not in token or "refresh_token" not in token:
        raise TransientError("Lightspeed auth server answered without tokens")
    secret_register(token["access_token"])
    secret_register(token["refresh_token"])
    expires_in = float(token.get("expires_in") or 3600)
    return TokenSet(token["access_token"], token["refresh_token"], now + timedelta(seconds=expires_in))


def _call(fn, *, now):
    from authlib.integrations.base_client.errors import OAuthError

    try:
        return _token_set(fn(), now)
    except OAuthError as exc:
        if exc.error == "invalid_grant":
            raise ReconnectRequired(exc.description or "") from None
        if exc.error in ("invalid_client", "unauthorized_client", "invalid_scope"):
            raise ConfigError(f"Lightspeed refused this app ({exc.error}): check LIGHTSPEED_CLIENT_ID/SECRET") from None
        raise TransientError(f"Lightspeed auth server: {exc.error}") from None
    except httpx.TransportError as exc:
        raise TransientError(f"Lightspeed auth server unreachable ({type(exc).__name__})") from None
    except ValueError as exc:  # not JSON
        raise TransientError(f"Lightspeed auth server sent an unreadable answer ({exc})") from None


def code_exchange(*, code, code_verifier, now):
    def fetch():
        with oauth_client() as client:
            return client.fetch_token(settings.LIGHTSPEED_AUTH_URL + TOKEN_PATH, grant_type="authorization_code",
                                      code=code, code_verifier=code_verifier or None)

    return _call(fetch, now=now)


def token_refresh(*, refresh_token, now):
    def fetch():
        with oauth_client() as client:  # no scope on the client: authlib would send it on refresh
            return client.refresh_token(settings.LIGHTSPEED_AUTH_URL + TOKEN_PATH, refresh_token=refresh_token)

    return _call(fetch, now=now)


def token_revoke(*, refresh_token):
    """Best effort: the connection is cleared locally whatever the server says."""
    data = {"client_id": settings.LIGHTSPEED_CLIENT_ID, "client_secret": settings.LIGHTSPEED_CLIENT_SECRET,
            "refresh_token": refresh_token}
    try:
        with oauth_client() as client:
            response = client.request("POST", settings.LIGHTSPEED_AUTH_URL + REVOKE_PATH, data=data,
                                      withhold_token=True)
        return response.is_success
    except httpx.HTTPError:
        return False
