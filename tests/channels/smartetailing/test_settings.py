"""Settings: validated with messages that say what to do, secrets encrypted and write-only, the store
mapping (exact names, at least one), POS pricing, and "Test connection" naming which check failed and why."""
import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from channels.smartetailing.models import SmartEtailingLocation, SmartEtailingSettings
from channels.smartetailing.services import smartetailing_connection_test, smartetailing_settings_update

pytestmark = pytest.mark.django_db


def errors_of(tenant, **fields):
    with pytest.raises(ValidationError) as exc:
        smartetailing_settings_update(tenant=tenant, **fields)
    return exc.value.message_dict


def test_secrets_are_encrypted_at_rest_and_blank_keeps_them(ls_tenant):
    smartetailing_settings_update(tenant=ls_tenant, merchant_id="4401", url_key="KEY-123", ftp_password="pw-456")
    with connection.cursor() as cursor:
        cursor.execute("SELECT url_key, ftp_password FROM smartetailing_smartetailingsettings")
        stored = cursor.fetchone()
    assert "KEY-123" not in stored[0] and "pw-456" not in stored[1]
    smartetailing_settings_update(tenant=ls_tenant, url_key="", ftp_password="")
    config = SmartEtailingSettings.objects.for_tenant(ls_tenant).get()
    assert (config.url_key, config.ftp_password) == ("KEY-123", "pw-456")


def test_defaults_are_the_seeds(ls_tenant):
    config = smartetailing_settings_update(tenant=ls_tenant)
    assert (config.filter_on_hand, config.filter_on_order, config.filter_reorder) == (True, False, False)
    assert not config.pos_pricing and config.status_after_export == ""


def test_pos_pricing_needs_a_regular_level_from_the_mirror(ls_tenant):
    assert "regular_price_level_ls_id" in errors_of(ls_tenant, pos_pricing=True)
    assert "not in the Lightspeed data" in errors_of(ls_tenant, pos_pricing=True, regular_price_level_ls_id=99)[
        "regular_price_level_ls_id"][0]
    assert "sale_price_level_ls_id" in errors_of(ls_tenant, pos_pricing=True, regular_price_level_ls_id=1,
                                                 sale_price_level_ls_id=1)
    config = smartetailing_settings_update(tenant=ls_tenant, pos_pricing=True, regular_price_level_ls_id="1",
                                           sale_price_level_ls_id=3)
    assert (config.regular_price_level_ls_id, config.sale_price_level_ls_id) == (1, 3)


@pytest.mark.parametrize("field,value,words", [
    ("ftp_account", "12ab", "4-digit"), ("order_service_url", "not a url", "website's address"),
    ("merchant_id", "a b", "merchant id"),
])
def test_field_errors_say_what_to_do(ls_tenant, field, value, words):
    assert words in errors_of(ls_tenant, **{field: value})[field][0]


def test_switching_on_needs_both_access(ls_tenant):
    assert "before switching SmartEtailing on" in errors_of(ls_tenant, enabled=True, merchant_id="1")["merchant_id"][0]


def test_store_mapping_exact_names_at_least_one_and_one_per_shop(ls_tenant):
    assert "at least one" in errors_of(ls_tenant, locations=[])["locations"][0]
    problems = errors_of(ls_tenant, locations=[
        {"lightspeed_shop_ls_id": 1, "neighborhood_descriptor": " Newport"},
        {"lightspeed_shop_ls_id": 2, "neighborhood_descriptor": " Newport"},
        {"lightspeed_shop_ls_id": 77, "neighborhood_descriptor": "X"}])["locations"]
    assert any("exactly" in p for p in problems) and any("used twice" in p for p in problems)
    assert any("77" in p for p in problems)
    smartetailing_settings_update(tenant=ls_tenant, locations=[
        {"lightspeed_shop_ls_id": 1, "neighborhood_descriptor": "Newport, KY"},
        {"lightspeed_shop_ls_id": 2, "neighborhood_descriptor": "Cincinnati, OH"}])
    smartetailing_settings_update(tenant=ls_tenant, locations=[  # swap the names
        {"lightspeed_shop_ls_id": 1, "neighborhood_descriptor": "Cincinnati, OH"},
        {"lightspeed_shop_ls_id": 2, "neighborhood_descriptor": "Newport, KY"}])
    rows = SmartEtailingLocation.objects.for_tenant(ls_tenant).order_by("lightspeed_shop_ls_id")
    assert [r.neighborhood_descriptor for r in rows] == ["Cincinnati, OH", "Newport, KY"]


def test_connection_test_passes_against_both_sandboxes(ls_tenant, se_sandbox, ftp_port):
    checks = smartetailing_connection_test(
        tenant=ls_tenant, order_service_url="http://shop.example", merchant_id=se_sandbox.merchant,
        url_key=se_sandbox.url_key, ftp_host=f"127.0.0.1:{ftp_port}", ftp_account=se_sandbox.ftp_user,
        ftp_password=se_sandbox.ftp_password)
    assert [(c.name, c.ok) for c in checks] == [("Order service", True), ("POS FTP", True)]
    assert not SmartEtailingSettings.objects.for_tenant(ls_tenant).exclude(merchant_id="").exists(), "saves nothing"


def test_connection_test_names_what_failed_and_why(ls_tenant, se_sandbox, ftp_port):
    checks = smartetailing_connection_test(
        tenant=ls_tenant, merchant_id=se_sandbox.merchant, url_key="WRONG", ftp_host=f"127.0.0.1:{ftp_port}",
        ftp_account=se_sandbox.ftp_user, ftp_password="wrong")
    order_service, ftp = checks
    assert not order_service.ok and "refused the merchant id and URL key" in order_service.message
    assert not ftp.ok and "refused account" in ftp.message and "wrong" not in ftp.message
    se_sandbox.inject_fault("503", times=10)
    checks = smartetailing_connection_test(tenant=ls_tenant, merchant_id=se_sandbox.merchant,
                                           url_key=se_sandbox.url_key, ftp_host="127.0.0.1:1",
                                           ftp_account="1001", ftp_password="x")
    assert not checks[0].ok and "503" in checks[0].message
    assert not checks[1].ok and "could not be reached" in checks[1].message


def test_connection_test_uses_the_stored_secrets_when_left_blank(ls_tenant, se_sandbox, ftp_port):
    smartetailing_settings_update(tenant=ls_tenant, merchant_id=se_sandbox.merchant, url_key=se_sandbox.url_key,
                                  ftp_host=f"127.0.0.1:{ftp_port}", ftp_account=se_sandbox.ftp_user,
                                  ftp_password=se_sandbox.ftp_password)
    checks = smartetailing_connection_test(tenant=ls_tenant, url_key="", ftp_password="")
    assert all(c.ok for c in checks), checks


def test_the_on_order_and_reorder_filters_can_be_switched_on(ls_tenant):
    config = smartetailing_settings_update(tenant=ls_tenant, filter_on_order=True, filter_reorder=True)
    assert (config.filter_on_order, config.filter_reorder) == (True, True)
