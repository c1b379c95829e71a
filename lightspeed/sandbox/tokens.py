"""Authorization codes, access tokens (RS256 JWTs carrying `acct`) and rotating refresh tokens.

Refresh rotation follows the 2026.01.15 rule: a used refresh token stays valid until an access
token minted from it is first used on the API; until then it may be replayed, at most 5 times a
minute. The access token issued together with the used refresh token is revoked at once.
"""
import base64
import hashlib
import json
import re
import secrets
from dataclasses import dataclass, field
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

KID = "RT_OAUTH2_2024_07_08"
ISSUER = "https://cloud.lightspeedapp.com"
CODE_TTL = 60
REFRESH_IDLE_TTL = 30 * 24 * 3600
REPLAYS_PER_MINUTE = 5
VERIFIER_RE = re.compile(r"^[A-Za-z0-9_\-]{43,128}$")


@lru_cache(maxsize=1)
def signing_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt_encode(claims):
    header = b64url(json.dumps({"typ": "JWT", "alg": "RS256", "kid": KID}).encode())
    payload = b64url(json.dumps(claims).encode())
    signature = signing_key().sign(f"{header}.{payload}".encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{header}.{payload}.{b64url(signature)}"


def jwks():
    numbers = signing_key().public_key().public_numbers()

    def as_b64(n):
        return b64url(n.to_bytes((n.bit_length() + 7) // 8, "big"))

    return {"keys": [{"kty": "RSA", "use": "sig", "alg": "RS256", "kid": KID,
                      "n": as_b64(numbers.n), "e": as_b64(numbers.e)}]}


def pkce_matches(challenge, method, verifier):
    if not verifier or not VERIFIER_RE.match(verifier):
        return False
    if method == "plain":
        return secrets.compare_digest(challenge, verifier)
    return secrets.compare_digest(challenge, b64url(hashlib.sha256(verifier.encode()).digest()))


@dataclass
class OAuthClient:
    client_id: str
    secret: str
    redirect_uri: str
    numeric_id: int
    public: bool = False


@dataclass
class AuthCode:
    code: str
    client_id: str
    scope: str
    employee_id: int
    expires_at: float
    challenge: str | None = None
    method: str | None = None
    used: bool = False


@dataclass
class AccessToken:
    token: str
    client_id: str
    employee_id: int
    scope: str
    expires_at: float
    parent_refresh: str | None = None  # the refresh token used to mint it
    used: bool = False
    revoked: bool = False


@dataclass
class RefreshToken:
    token: str
    client_id: str
    employee_id: int
    scope: str
    last_used: float
    access_token: str  # minted together with this refresh token
    revoked: bool = False
    uses: list = field(default_factory=list)  # times it was exchanged (for the replay limit)


class TokenStore:
    def __init__(self, *, account_id, access_ttl):
        self.account_id = account_id
        self.access_ttl = access_ttl
        self.codes, self.access, self.refresh = {}, {}, {}

    def issue_code(self, *, client_id, scope, employee_id, now, challenge=None, method=None):
        code = "def50200" + secrets.token_hex(40)
        self.codes[code] = AuthCode(code, client_id, scope, employee_id, now + CODE_TTL, challenge,
                                    method or ("S256" if challenge else None))
        return code

    def mint(self, *, client_id, employee_id, scope, now, parent_refresh=None):
        claims = {"jti": secrets.token_hex(20), "iss": ISSUER, "aud": client_id, "sub": str(employee_id),
                  "acct": str(self.account_id), "scope": scope, "iat": now, "nbf": now, "exp": now + self.access_ttl}
        access = AccessToken(jwt_encode(claims), client_id, employee_id, scope, now + self.access_ttl, parent_refresh)
        refresh = RefreshToken("def50200" + secrets.token_hex(96), client_id, employee_id, scope, now, access.token)
        self.access[access.token] = access
        self.refresh[refresh.token] = refresh
        return access, refresh

    def first_use(self, access):
        """The deferred revocation: using a new access token retires the refresh token that minted it."""
        access.used = True
        parent = self.refresh.get(access.parent_refresh) if access.parent_refresh else None
        if parent is not None:
            parent.revoked = True

    def revoke_refresh(self, refresh):
        refresh.revoked = True
        if refresh.access_token in self.access:
            self.access[refresh.access_token].revoked = True
