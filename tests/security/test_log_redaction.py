"""No feed token, OAuth code or key reaches a log line: the access log, Django's request log, the console."""
import io
import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from channels.miinto.models import MiintoSettings
from connector.logs import RedactingGunicornLogger, url_redact

TOKEN = "Zq3xSecretFeedToken0123456789abcdef"


@pytest.mark.parametrize("url", [
    f"/channels/miinto/feed/{TOKEN}.tsv",
    f"/channels/miinto/feed/{TOKEN}/DK-1.tsv",
    f"/channels/other/feed/{TOKEN}",
    f"/lightspeed/callback/?code={TOKEN}&state=abc{TOKEN}",
    f"/x/?api_key={TOKEN}", f"/x/?a=1&client_secret={TOKEN}#frag", f"/x/?access_token={TOKEN}",
])
def test_url_redact_scrubs_tokens_anywhere(url):
    scrubbed = url_redact(url)
    assert TOKEN not in scrubbed and "[redacted]" in scrubbed


def test_url_redact_keeps_what_support_needs():
    assert url_redact(f"/channels/miinto/feed/{TOKEN}.tsv") == "/channels/miinto/feed/[redacted].tsv"
    assert url_redact("/runs/?job=miinto.orders&status=failed") == "/runs/?job=miinto.orders&status=failed"


def test_gunicorn_access_log_is_redacted():
    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("access_log_format", '%(h)s "%(r)s" %(s)s "%(f)s" %(U)s?%(q)s')
    logger = RedactingGunicornLogger(cfg)
    stream = io.StringIO()
    logger.access_log.handlers = [logging.StreamHandler(stream)]
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": f"/channels/miinto/feed/{TOKEN}.tsv?code={TOKEN}",
               "SERVER_PROTOCOL": "HTTP/1.1", "PATH_INFO": f"/channels/miinto/feed/{TOKEN}.tsv",
               "QUERY_STRING": f"code={TOKEN}", "HTTP_REFERER": f"https://x.example/?state={TOKEN}",
               "REMOTE_ADDR": "127.0.0.1"}
    resp = SimpleNamespace(status="200 OK", headers=[], sent=10)
    req = SimpleNamespace(headers=[("REFERER", f"https://x.example/?state={TOKEN}")])
    logger.access(resp, req, environ, timedelta(seconds=0))
    line = stream.getvalue()
    assert "GET /channels/miinto/feed/[redacted].tsv" in line
    assert TOKEN not in line


def test_django_request_log_has_no_feed_token(client, tenant, caplog):
    settings = MiintoSettings.objects.for_tenant(tenant).create(tenant=tenant, identifier="i", secret="s",
                                                                feed_basic_user="miinto", feed_basic_password="pw")
    token = settings.feed_token
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(f"/channels/miinto/feed/{token}.tsv")
    assert response.status_code == 401
    messages = [r.getMessage() for r in caplog.records if r.name == "django.request"]
    assert messages and all(token not in m for m in messages)
    assert any("/channels/miinto/feed/[redacted].tsv" in m for m in messages)
