"""OAuth: authorize page, code grant (3 encodings), PKCE, expiry, rotation with deferred revocation."""
import base64
import hashlib
import json
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from lightspeed.sandbox.oauth import SCOPES

from .conftest import token_pair


def creds(sb, **extra):
    return {"client_id": sb.client_id, "client_secret": sb.client_secret, **extra}


def account(http, token):
    return http.get("/API/V3/Account.json", headers={"Authorization": f"Bearer {token}"})


def test_authorize_page_then_redirect_with_code_and_state(sb, http):
    params = {"response_type": "code", "client_id": sb.client_id, "scope": "employee:register employee:inventory",
              "state": "xyz"}
    page = http.get("/auth/oauth/authorize", params=params)
    assert page.status_code == 200 and "Miinto" in page.text and 'name="employee_id"' in page.text
    approved = http.post("/auth/oauth/authorize", data={**params, "employee_id": "2", "decision": "approve"})
    assert approved.status_code == 302
    location = urlsplit(approved.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == sb.redirect_uri
    query = parse_qs(location.query)
    assert query["state"] == ["xyz"]
    token = http.post("/auth/oauth/token", json=creds(sb, grant_type="authorization_code", code=query["code"][0]))
    assert token.status_code == 200
    claims = json.loads(base64.urlsafe_b64decode(token.json()["access_token"].split(".")[1] + "=="))
    assert claims["acct"] == str(sb.account_id) and claims["sub"] == "2"
    assert claims["scope"] == "employee:register employee:inventory"


def test_authorize_denied_and_bad_requests(sb, http):
    params = {"response_type": "code", "client_id": sb.client_id, "scope": "employee:all", "state": "s"}
    denied = http.post("/auth/oauth/authorize", data={**params, "employee_id": "1", "decision": "deny"})
    assert parse_qs(urlsplit(denied.headers["Location"]).query)["error"] == ["access_denied"]
    assert http.get("/auth/oauth/authorize", params={**params, "client_id": "nope"}).json()["error"] == "invalid_client"
    assert http.get("/auth/oauth/authorize",
                    params={**params, "scope": "employee:nope"}).json()["error"] == "invalid_scope"
    assert "employee:register" in SCOPES


def test_token_response_has_exactly_four_fields_in_every_encoding(sb, http):
    for send in ("data", "json", "files"):
        fields = creds(sb, grant_type="authorization_code", code=sb.issue_code())
        kwargs = {"files": {k: (None, v) for k, v in fields.items()}} if send == "files" else {send: fields}
        body = http.post("/auth/oauth/token", **kwargs).json()
        assert set(body) == {"token_type", "expires_in", "access_token", "refresh_token"}, send
        assert body["token_type"] == "Bearer" and body["expires_in"] == 3600


def test_basic_client_auth_is_accepted(sb, http):
    response = http.post("/auth/oauth/token", auth=(sb.client_id, sb.client_secret),
                         data={"grant_type": "authorization_code", "code": sb.issue_code()})
    assert response.status_code == 200


def test_token_errors(sb, http):
    bad_secret = http.post("/auth/oauth/token", data=creds(sb, client_secret="x", grant_type="authorization_code",
                                                           code=sb.issue_code()))
    assert bad_secret.status_code == 401 and bad_secret.json()["error"] == "invalid_client"
    missing = http.post("/auth/oauth/token", data=creds(sb, grant_type="authorization_code"))
    assert missing.status_code == 400 and missing.json()["error"] == "invalid_request"
    assert http.get("/auth/oauth/token").status_code == 405
    code = sb.issue_code()
    assert http.post("/auth/oauth/token", data=creds(sb, grant_type="authorization_code", code=code)).status_code == 200
    reused = http.post("/auth/oauth/token", data=creds(sb, grant_type="authorization_code", code=code))
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"


def test_code_expires_after_60_seconds(sb, http, fake_clock):
    code = sb.issue_code()
    fake_clock.advance(61)
    response = http.post("/auth/oauth/token", data=creds(sb, grant_type="authorization_code", code=code))
    assert response.status_code == 400 and response.json()["hint"] == "Authorization code has expired"


def test_pkce_s256_and_plain(sb, http):
    verifier = "v" * 43 + "_-A9"
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    code = sb.issue_code(code_challenge=challenge, code_challenge_method="S256")
    wrong = http.post("/auth/oauth/token", data=creds(sb, grant_type="authorization_code", code=code,
                                                      code_verifier="w" * 43))
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    code = sb.issue_code(code_challenge=challenge, code_challenge_method="S256")
    missing = http.post("/auth/oauth/token", data=creds(sb, grant_type="authorization_code", code=code))
    assert missing.status_code == 400
    code = sb.issue_code(code_challenge=challenge, code_challenge_method="S256")
    good = http.post("/auth/oauth/token", data=creds(sb, grant_type="authorization_code", code=code,
                                                     code_verifier=verifier))
    assert good.status_code == 200
    code = sb.issue_code(code_challenge=verifier, code_challenge_method="plain")
    plain = http.post("/auth/oauth/token", data=creds(sb, grant_type="authorization_code", code=code,
                                                      code_verifier=verifier))
    assert plain.status_code == 200


def test_access_token_expires_then_oauth_style_401(sb, http, fake_clock):
    pair = token_pair(sb, http)
    assert account(http, pair["access_token"]).status_code == 200
    fake_clock.advance(pair["expires_in"])
    expired = account(http, pair["access_token"])
    assert expired.status_code == 401
    assert expired.json() == {"error": "access_denied", "hint": "Access token could not be verified",
                              "error_description": "The resource owner or authorization server denied the request."}
    assert http.get("/API/V3/Account.json").status_code == 401


def test_refresh_rotates_with_deferred_revocation(sb, http):
    first = token_pair(sb, http)
    def refresh(token):
        return http.post("/auth/oauth/token", data=creds(sb, grant_type="refresh_token", refresh_token=token))

    second = refresh(first["refresh_token"])
    assert second.status_code == 200
    second = second.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert account(http, first["access_token"]).status_code == 401  # the old access token is gone at once
    replay = refresh(first["refresh_token"])  # response "lost": the old refresh token still works...
    assert replay.status_code == 200
    assert account(http, replay.json()["access_token"]).status_code == 200  # ...until a new token is used
    again = refresh(first["refresh_token"])
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    assert refresh(second["refresh_token"]).status_code == 200  # the sibling chain still works


def test_refresh_replay_limit_is_five_per_minute(sb, http, fake_clock):
    token = token_pair(sb, http)["refresh_token"]
    statuses = [http.post("/auth/oauth/token", data=creds(sb, grant_type="refresh_token", refresh_token=token)
                          ).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    fake_clock.advance(61)
    assert http.post("/auth/oauth/token", data=creds(sb, grant_type="refresh_token",
                                                     refresh_token=token)).status_code == 200


def test_scope_on_refresh_is_invalid_grant(sb, http):
    token = token_pair(sb, http)["refresh_token"]
    response = http.post("/auth/oauth/token", json=creds(sb, grant_type="refresh_token", refresh_token=token,
                                                         scope="employee:all"))
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_revoke_invalidates_both_tokens(sb, http):
    pair = token_pair(sb, http)
    assert http.post("/auth/oauth/revoke", data=creds(sb, refresh_token=pair["refresh_token"])).status_code == 200
    assert account(http, pair["access_token"]).json()["hint"] == "Access token has been revoked"
    refreshed = http.post("/auth/oauth/token", data=creds(sb, grant_type="refresh_token",
                                                          refresh_token=pair["refresh_token"]))
    assert refreshed.json()["error"] == "invalid_grant"


def test_legacy_token_endpoint_includes_scope(sb, http):
    response = http.post("/oauth/access_token.php", data=creds(sb, grant_type="authorization_code",
                                                               code=sb.issue_code(scope="employee:inventory")))
    body = response.json()
    assert response.status_code == 200 and body["scope"] == "employee:inventory systemuserid:1"
    assert account(http, body["access_token"]).status_code == 200


def test_http_code_shortcut(sb, http):
    code = http.post("/sandbox/oauth/code", json={"scope": "employee:all"}).json()["code"]
    assert http.post("/auth/oauth/token", data=creds(sb, grant_type="authorization_code", code=code)).status_code == 200


def test_scope_is_enforced(sb, http):
    token = token_pair(sb, http, scope="employee:inventory")["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert http.get(f"/API/V3/Account/{sb.account_id}/Item.json", headers=headers).status_code == 200
    assert http.get(f"/API/V3/Account/{sb.account_id}/Sale.json", headers=headers).status_code == 403
    assert http.get(f"/API/V3/Account/{sb.account_id + 1}/Item.json", headers=headers).status_code == 403


def test_repeated_bad_client_credentials_get_the_client_rate_limited(sb, http, fake_clock):
    bad = creds(sb, client_secret="wrong", grant_type="authorization_code", code="x")
    statuses = [http.post("/auth/oauth/token", data=bad).status_code for _ in range(11)]
    assert statuses == [401] * 10 + [429]
    good = creds(sb, grant_type="authorization_code", code=sb.issue_code())
    assert http.post("/auth/oauth/token", data=good).status_code == 429
    fake_clock.advance(61)
    assert http.post("/auth/oauth/token", data=creds(sb, grant_type="authorization_code",
                                                     code=sb.issue_code())).status_code == 200


def test_lost_refresh_response_is_recovered_by_replaying_the_old_refresh_token(sb, http):
    pair = token_pair(sb, http)
    sb.inject_fault("drop_after_commit", method="POST", path_contains="/auth/oauth/token")
    body = creds(sb, grant_type="refresh_token", refresh_token=pair["refresh_token"])
    with pytest.raises(httpx.RemoteProtocolError):
        http.post("/auth/oauth/token", data=body)
    retried = http.post("/auth/oauth/token", data=body)
    assert retried.status_code == 200
    assert account(http, retried.json()["access_token"]).status_code == 200
