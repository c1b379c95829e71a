import httpx
import pytest

from connector.clock import FakeClock
from lightspeed.sandbox import LightspeedSandbox

BASE = "https://api.lightspeedapp.test"


def token_pair(sb, http, scope="employee:all"):
    code = sb.issue_code(scope=scope)
    response = http.post("/auth/oauth/token", data={"client_id": sb.client_id, "client_secret": sb.client_secret,
                                                    "grant_type": "authorization_code", "code": code})
    assert response.status_code == 200, response.text
    return response.json()


class Api:
    """A tiny authenticated client for the tests; each request lets `tick` seconds of fake time pass
    first, so long walks stay under the burst limiter the way a polite client would."""

    def __init__(self, sb, http, access_token, tick=0.05):
        self.sb, self.http, self.token, self.tick = sb, http, access_token, tick
        self.prefix = f"/API/V3/Account/{sb.account_id}/"

    def headers(self):
        self.sb.clock.advance(self.tick)
        return {"Authorization": f"Bearer {self.token}"}

    def get(self, path, **params):
        url = path if path.startswith("http") else self.prefix + path
        return self.http.get(url, params=params or None, headers=self.headers())

    def post(self, path, body):
        return self.http.post(self.prefix + path, json=body, headers=self.headers())

    def put(self, path, body):
        return self.http.put(self.prefix + path, json=body, headers=self.headers())

    def delete(self, path):
        return self.http.delete(self.prefix + path, headers=self.headers())


@pytest.fixture
def fake_clock():
    return FakeClock()


@pytest.fixture
def sb(fake_clock):
    return LightspeedSandbox(items=300, shops=2, registers=3, seed=7, clock=fake_clock)


@pytest.fixture
def http(sb):
    with httpx.Client(transport=sb.transport(), base_url=BASE) as client:
        yield client


@pytest.fixture
def api(sb, http):
    return Api(sb, http, token_pair(sb, http)["access_token"])
