"""OAuth endpoints: authorize page, token (code + refresh grants), revoke, introspect, legacy .php.

Token problems answer in the league/oauth2-server shape {error, error_description, hint}.
"""
import html
import secrets
from urllib.parse import urlencode

from werkzeug.utils import redirect
from werkzeug.wrappers import Response

from .envelope import json_response, oauth_error_body
from .tokens import REFRESH_IDLE_TTL, REPLAYS_PER_MINUTE, pkce_matches

SCOPES = {f"employee:{s}" for s in (
    "all admin admin_employees admin_inventory admin_purchases admin_shops admin_void_sale categories customers "
    "customers_read customers_view_gift_card_numbers inventory inventory_counts inventory_counts_reconcile "
    "inventory_read manufacturers product_cost product_edit purchase_orders register register_layaway "
    "register_read register_refund reports special_orders tags transfers vendors vendor_returns workbench cfd "
    "inventory_base").split()}
DESCRIPTIONS = {
    "invalid_request": "The request is missing a required parameter, includes an invalid parameter value, "
                       "includes a parameter more than once, or is otherwise malformed.",
    "invalid_client": "Client authentication failed",
    "invalid_grant": "The provided authorization grant (e.g., authorization code, resource owner credentials) or "
                     "refresh token is invalid, expired, revoked, does not match the redirection URI used in the "
                     "authorization request, or was issued to another client.",
    "invalid_scope": "The requested scope is invalid, unknown, or malformed",
    "unsupported_grant_type": "The authorization grant type is not supported by the authorization server.",
    "unsupported_response_type": "The authorization server does not support obtaining an authorization code "
                                 "using this method.",
    "too_many_requests": "Too many requests.",
}
STATUS = {"invalid_client": 401, "too_many_requests": 429}
BAD_CREDENTIALS_PER_MINUTE = 10  # then the client is refused for a while (threshold inferred)


class OAuthError(Exception):
    def __init__(self, error, hint=None, status=None):
        super().__init__(error)
        self.error, self.hint = error, hint
        self.status = status or STATUS.get(error, 400)

    def response(self):
        return json_response(oauth_error_body(self.error, DESCRIPTIONS[self.error], self.hint), self.status)


def request_fields(request):
    if request.mimetype == "application/json":
        data = request.get_json(silent=True)
        fields = {k: str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    else:
        fields = request.form.to_dict()
    auth = request.authorization
    if auth is not None and auth.type == "basic":
        fields.setdefault("client_id", auth.username)
        fields.setdefault("client_secret", auth.password)
    return fields


class OAuthServer:
    def __init__(self, sandbox):
        self.sb = sandbox
        self.bad_credentials = {}  # client_id -> times of failed client authentication

    # -- authorize -----------------------------------------------------------------------------------
    def authorize(self, request):
        params = request.form if request.method == "POST" else request.args
        try:
            client = self._authorize_params(params)
        except OAuthError as exc:
            return exc.response()
        if request.method == "GET":
            return Response(self._approval_page(params, client), content_type="text/html; charset=utf-8")
        back = {"state": params["state"]} if params.get("state") else {}
        if params.get("decision") != "approve":
            return redirect(_with_query(client.redirect_uri, {"error": "access_denied", **back}))
        employee = self.sb.state.employees.get(_int(params.get("employee_id")))
        if employee is None or employee.archived:
            return OAuthError("invalid_request", "Choose an active employee").response()
        code = self.sb.issue_code(scope=params.get("scope", ""), employee_id=employee.employee_id,
                                  client_id=client.client_id, code_challenge=params.get("code_challenge"),
                                  code_challenge_method=params.get("code_challenge_method"))
        return redirect(_with_query(client.redirect_uri, {"code": code, **back}))

    def _authorize_params(self, params):
        client = self.sb.oauth_clients.get(params.get("client_id", ""))
        if client is None:
            raise OAuthError("invalid_client", "Unknown client_id", status=400)
        if params.get("response_type") != "code":
            raise OAuthError("unsupported_response_type")
        scopes = params.get("scope", "").replace("+", " ").split()
        if not scopes or any(s not in SCOPES for s in scopes):
            raise OAuthError("invalid_scope", "Check the `scope` parameter")
        if params.get("redirect_uri") and params["redirect_uri"] != client.redirect_uri:
            raise OAuthError("invalid_request", "redirect_uri does not match the registered redirect URI")
        method = params.get("code_challenge_method")
        if params.get("code_challenge") and method not in (None, "", "S256", "plain"):
            raise OAuthError("invalid_request", "Code challenge method must be `plain` or `S256`")
        if client.public and not params.get("code_challenge"):
            raise OAuthError("invalid_request", "Code challenge must be provided for public clients")
        return client

    def _approval_page(self, params, client):
        hidden = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                         for k, v in params.items(multi=True) if k != "employee_id")
        options = "".join(f'<option value="{e.employee_id}">{html.escape(e.first_name)} {html.escape(e.last_name)}'
                          f'</option>' for e in self.sb.state.employees.values() if not e.archived)
        scopes = html.escape(params.get("scope", "").replace("+", " "))
        return (f"<!doctype html><html><head><title>Lightspeed sandbox – authorize</title></head><body>"
                f"<h1>Authorize {html.escape(client.client_id)}</h1>"
                f"<p>Account {self.sb.account_id} ({html.escape(self.sb.state.account.name)})</p>"
                f"<p>Requested access: <code id=\"scopes\">{scopes}</code></p>"
                f"<form method=\"post\" action=\"/auth/oauth/authorize\">{hidden}"
                f"<label>Employee <select name=\"employee_id\" id=\"employee\">{options}</select></label> "
                f"<button type=\"submit\" name=\"decision\" value=\"approve\" id=\"approve\">Authorize</button> "
                f"<button type=\"submit\" name=\"decision\" value=\"deny\" id=\"deny\">Deny</button>"
                f"</form></body></html>")

    # -- token ---------------------------------------------------------------------------------------
    def token(self, request, legacy=False):
        try:
            if request.method != "POST":
                raise OAuthError("invalid_request", "Use POST", status=405)
            fields = request_fields(request)
            client = self._client(fields)
            grant = fields.get("grant_type")
            if grant == "authorization_code":
                access, refresh = self._code_grant(client, fields)
            elif grant == "refresh_token":
                access, refresh = self._refresh_grant(client, fields)
            elif not grant:
                raise OAuthError("invalid_request", "Check the `grant_type` parameter")
            else:
                raise OAuthError("unsupported_grant_type", "Check that all required parameters have been provided")
        except OAuthError as exc:
            return exc.response()
        body = {"token_type": "Bearer", "expires_in": self.sb.access_token_ttl, "access_token": access.token,
                "refresh_token": refresh.token}
        if legacy:
            body["scope"] = f"{access.scope} systemuserid:{access.employee_id}".strip()
        return json_response(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})

    def _client(self, fields):
        client_id = fields.get("client_id", "")
        client = self.sb.oauth_clients.get(client_id)
        if not client_id:
            raise OAuthError("invalid_request", "Check the `client_id` parameter")
        now = self.sb.now()
        failures = [t for t in self.bad_credentials.get(client_id, []) if now - t < 60]
        self.bad_credentials[client_id] = failures
        if len(failures) >= BAD_CREDENTIALS_PER_MINUTE:
            raise OAuthError("too_many_requests", "Too many failed client authentications; wait a minute")
        if client is None or (not client.public and not secrets.compare_digest(
                fields.get("client_secret", ""), client.secret)):
            failures.append(now)
            raise OAuthError("invalid_client")
        return client

    def _code_grant(self, client, fields):
        store, now = self.sb.tokens, self.sb.now()
        if not fields.get("code"):
            raise OAuthError("invalid_request", "Check the `code` parameter")
        code = store.codes.get(fields["code"])
        if code is None or code.client_id != client.client_id:
            raise OAuthError("invalid_grant", "Cannot decrypt the authorization code")
        if code.used:
            raise OAuthError("invalid_grant", "Authorization code has been revoked")
        if now > code.expires_at:
            raise OAuthError("invalid_grant", "Authorization code has expired")
        verifier = fields.get("code_verifier")
        if code.challenge:
            if not verifier:
                raise OAuthError("invalid_request", "Check the `code_verifier` parameter")
            if not pkce_matches(code.challenge, code.method, verifier):
                raise OAuthError("invalid_grant", "Failed to verify `code_verifier`.")
        elif verifier:
            raise OAuthError("invalid_request", "Failed to verify `code_verifier`.")
        if client.public and not code.challenge:
            raise OAuthError("invalid_request", "Public clients must use PKCE")
        code.used = True
        return store.mint(client_id=client.client_id, employee_id=code.employee_id, scope=code.scope, now=now)

    def _refresh_grant(self, client, fields):
        store, now = self.sb.tokens, self.sb.now()
        if not fields.get("refresh_token"):
            raise OAuthError("invalid_request", "Check the `refresh_token` parameter")
        if "scope" in fields:
            raise OAuthError("invalid_grant", "The scope parameter is not accepted on a refresh_token grant")
        old = store.refresh.get(fields["refresh_token"])
        if old is None:
            raise OAuthError("invalid_grant", "Cannot decrypt the refresh token")
        if old.client_id != client.client_id:
            raise OAuthError("invalid_grant", "Token is not linked to client")
        if old.revoked:
            raise OAuthError("invalid_grant", "Token has been revoked")
        if now - old.last_used > REFRESH_IDLE_TTL:
            raise OAuthError("invalid_grant", "Token has expired")
        recent = [t for t in old.uses if now - t < 60]
        if len(recent) >= REPLAYS_PER_MINUTE:
            raise OAuthError("too_many_requests", "Refresh token replayed too often; wait a minute")
        old.uses = recent + [now]
        old.last_used = now
        if old.access_token in store.access:
            store.access[old.access_token].revoked = True
        return store.mint(client_id=client.client_id, employee_id=old.employee_id, scope=old.scope, now=now,
                          parent_refresh=old.token)

    # -- revoke / introspect -------------------------------------------------------------------------
    def revoke(self, request):
        try:
            if request.method != "POST":
                raise OAuthError("invalid_request", "Use POST", status=405)
            fields = request_fields(request)
            client = self._client(fields)
            token = fields.get("refresh_token") or fields.get("token")
            if not token:
                raise OAuthError("invalid_request", "Check the `refresh_token` parameter")
        except OAuthError as exc:
            return exc.response()
        store = self.sb.tokens
        refresh = store.refresh.get(token)
        if refresh is not None and refresh.client_id == client.client_id:
            store.revoke_refresh(refresh)
        access = store.access.get(token)
        if access is not None and access.client_id == client.client_id:
            access.revoked = True
        return json_response({})

    def introspect(self, request):
        access = self.sb.tokens.access.get(_bearer(request) or "")
        now = self.sb.now()
        if access is None or access.revoked or now >= access.expires_at:
            return json_response({"active": False})
        return json_response({"active": True, "client_id": access.client_id, "sub": str(access.employee_id),
                              "acct": str(self.sb.account_id), "scope": access.scope, "exp": access.expires_at,
                              "token_type": "Bearer"})


def _bearer(request):
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() in ("bearer", "oauth") else None


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _with_query(url, params):
    return url + ("&" if "?" in url else "?") + urlencode(params)
