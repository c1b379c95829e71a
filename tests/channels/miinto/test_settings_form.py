"""MiintoSettingsForm: choices from the mirror, write-only secrets, shop rows, service errors on fields."""
import pytest

from channels.miinto.forms import MiintoSettingsForm
from channels.miinto.models import MiintoShop
from channels.miinto.services import miinto_settings_get_or_create, miinto_settings_update
from lightspeed.models import Register

from .feed_mirror import mirror_basics

pytestmark = pytest.mark.django_db


def post_data(form, **changes):
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value in (None, False):
            continue
        data[name] = value
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def mirror(tenant):
    mirror_basics(tenant)
    Register.unscoped.bulk_create([Register(tenant=tenant, ls_id=3, name="Miinto")])
    return tenant


def test_choices_come_from_the_mirror_and_pos_fields_are_gone(mirror, make_tenant):
    other = make_tenant("other")
    Register.unscoped.create(tenant=other, ls_id=8, name="Other's till")
    form = MiintoSettingsForm(tenant=mirror)
    # asked on the Lightspeed page
    assert not {"register_ls_id", "employee_ls_id", "feed_shop_ls_id"} & set(form.fields)
    assert [c[0] for c in form.fields["feed_price_level_ls_id"].choices] == ["", "1", "2"]
    assert len(form.shop_rows) == 1  # the spare row to add a shop


def test_secret_is_never_rendered_and_blank_keeps_it(mirror):
    miinto_settings_update(tenant=mirror, identifier="chan", secret="hidden-secret")
    form = MiintoSettingsForm(tenant=mirror)
    assert "hidden-secret" not in form.as_div()
    bound = MiintoSettingsForm(post_data(form, secret=""), tenant=mirror)
    assert bound.is_valid(), bound.errors
    assert bound.save_via_service() is not None
    assert miinto_settings_get_or_create(tenant=mirror).secret == "hidden-secret"


def test_save_maps_shops_and_shipping_lines(mirror):
    form = MiintoSettingsForm(tenant=mirror)
    data = post_data(form, **{"shops-0-shop_id": "1-m!i!s-045-1", "shops-0-country": "dk",
                              "shops-0-lightspeed_shop_ls_id": "2", "feed_price_level_ls_id": "2",
                              "shipping_method_map": "gls = GLS Parcel\n\npostnord=PostNord"})
    bound = MiintoSettingsForm(data, tenant=mirror)
    assert bound.is_valid(), bound.errors
    settings = bound.save_via_service()
    assert settings.feed_price_level_ls_id == 2
    assert settings.shipping_method_map == {"gls": "GLS Parcel", "postnord": "PostNord"}
    assert list(MiintoShop.objects.for_tenant(mirror).values_list("shop_id", "country", "lightspeed_shop_ls_id")) == [
        ("1-m!i!s-045-1", "DK", 2)]
    assert len(MiintoSettingsForm(tenant=mirror).shop_rows) == 2


def test_bad_shipping_line_is_a_field_error(mirror):
    form = MiintoSettingsForm(tenant=mirror)
    bound = MiintoSettingsForm(post_data(form, shipping_method_map="gls GLS"), tenant=mirror)
    assert not bound.is_valid()
    assert "Line 1" in bound.errors["shipping_method_map"][0]


def test_service_errors_land_on_fields(mirror):
    form = MiintoSettingsForm(tenant=mirror)
    data = post_data(form, order_prefix="bad prefix", enabled="on",
                     **{"shops-0-shop_id": "X", "shops-0-lightspeed_shop_ls_id": ""})
    bound = MiintoSettingsForm(data, tenant=mirror)
    assert bound.is_valid(), bound.errors
    assert bound.save_via_service() is None
    assert "at most 20 letters" in bound.errors["order_prefix"][0]
    assert "identifier and secret" in bound.errors["identifier"][0]
    assert any("Miinto shop X" in e for e in bound.errors["shops"])
