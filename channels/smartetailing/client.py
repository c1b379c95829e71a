"""SmartEtailing's two endpoints: the XML order service (feeds.cfc, on connector.http) and the POS FTP.

    with order_service(settings) as service:
        xml = service.orders()                      # bytes of the WebOrders document
        service.update_order("011521-031915-526")   # confirm receipt: not listed again
        service.update_status("011521-031915-526", "Being Processed")
    pos_ftp_upload(settings, "inventory_Newport%2C%20KY.csv", data)

Every feeds.cfc call is a GET with all six parameters (empty ones as empty strings), exactly as the
public client sends them. The URL key travels in the query string, so it is registered for redaction.
"""
import ftplib
import io
import socket
from urllib.parse import urlsplit

from django.conf import settings as django_settings

from connector.http import BadResponse, BaseApiClient, Misconfigured, Transient, Unauthorized
from connector.redact import secret_register

FEED_PATH = "/webservices/xml/feeds.cfc"
VERSION = "2.00"
FTP_TIMEOUT_SECONDS = 30
DEFAULT_FTP_PORT = 21


def feed_url(base):
    """The owner may paste the site's address or the whole feeds.cfc URL (with or without a query)."""
    base = (base or django_settings.SMARTETAILING_ORDER_URL).strip().split("?", 1)[0].rstrip("/")
    return base if base.endswith(".cfc") else base + FEED_PATH


class OrderServiceClient(BaseApiClient):
    name = "smartetailing"

    def __init__(self, *, base_url, merchant, url_key, clock=None, transport=None):
        self.url = feed_url(base_url)
        parts = urlsplit(self.url)
        super().__init__(base_url=f"{parts.scheme}://{parts.netloc}", transport=transport, clock=clock)
        self.path = parts.path
        self.merchant, self.url_key = merchant, url_key
        secret_register(url_key)

    def call(self, method, *, order_number="", order_status=""):
        params = {"method": method, "ver": VERSION, "merchant": self.merchant, "URLkey": self.url_key,
                  "OrderNumber": order_number, "OrderStatus": order_status}
        try:
            return self.request("GET", self.path, params=params)
        except Unauthorized as exc:
            raise Misconfigured("SmartEtailing refused the merchant id and URL key (HTTP 401). Copy both again "
                                "from Site Manager's order export settings.", status=exc.status) from None

    def orders(self):
        response = self.call("Orders")
        if not response.content.lstrip().startswith(b"<"):
            raise BadResponse(f"smartetailing Orders: the answer is not XML: {response.text[:200]!r}",
                              status=response.status_code)
        return response.content

    def update_order(self, order_id):
        """Confirm receipt: SmartEtailing marks the order exported and stops listing it."""
        self.call("UpdateOrder", order_number=order_id)

    def update_status(self, order_id, status):
        self.call("UpdateStatus", order_number=order_id, order_status=status)


def order_service(config, *, clock=None):
    return OrderServiceClient(base_url=config.order_service_url, merchant=config.merchant_id,
                              url_key=config.url_key, clock=clock)


# --- the POS FTP -----------------------------------------------------------------------------------

def ftp_address(host):
    """(host, port) from "host[:port]" or "ftp://host[:port]"; blank = the configured default."""
    value = (host or django_settings.SMARTETAILING_FTP_URL).strip()
    parts = urlsplit(value if "://" in value else f"ftp://{value}")
    return parts.hostname or "", parts.port or DEFAULT_FTP_PORT


class FtpRefused(Misconfigured):
    pass


def _ftp_connect(config):
    host, port = ftp_address(config.ftp_host)
    secret_register(config.ftp_password)
    ftp = ftplib.FTP(timeout=FTP_TIMEOUT_SECONDS)
    try:
        ftp.connect(host, port)
        ftp.login(config.ftp_account, config.ftp_password)
    except ftplib.error_perm as exc:
        ftp.close()
        reason = str(exc).rstrip(".")
        raise FtpRefused(f"The POS FTP {host}:{port} refused account {config.ftp_account}: {reason}. Check the FTP "
                         f"account number and password (Settings > POS Sync > FTP Account Information).") from None
    except (OSError, EOFError, ftplib.Error) as exc:
        ftp.close()
        raise Transient(f"The POS FTP {host}:{port} could not be reached: {exc or type(exc).__name__}") from None
    return ftp


def pos_ftp_check(config):
    """Log in and out; raises FtpRefused (wrong account/password) or Transient (unreachable)."""
    ftp = _ftp_connect(config)
    try:
        ftp.voidcmd("NOOP")
    finally:
        _quit(ftp)


def pos_ftp_upload(config, file_name, data):
    """Store one file (binary mode) under `file_name`."""
    ftp = _ftp_connect(config)
    try:
        ftp.storbinary(f"STOR {file_name}", io.BytesIO(data))
    except ftplib.error_perm as exc:
        raise FtpRefused(f"The POS FTP refused the file {file_name}: {exc}") from None
    except (OSError, EOFError, ftplib.Error) as exc:
        raise Transient(f"The POS FTP upload of {file_name} failed: {exc or type(exc).__name__}") from None
    finally:
        _quit(ftp)


def _quit(ftp):
    try:
        ftp.quit()
    except (OSError, EOFError, ftplib.Error, socket.timeout):
        ftp.close()
