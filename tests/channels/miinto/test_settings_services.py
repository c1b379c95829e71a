"""Miinto settings services: defaults from the mirror, validation with fixing hints, write-only secrets."""
import pytest
from django.core.exceptions import ValidationError

from channels.miinto.models import MiintoSettings, MiintoShop
from channels.miinto.services import (
    miinto_feed_rotate_token, miinto_settings_get_or_create, miinto_settings_update,
)
from lightspeed.models import Category, Employee, Register

from .feed_mirror import mirror_basics

pytestmark = pytest.mark.django_db


@pytest.fixture
def mirror(tenant):
    mirror_basics(tenant)
    Register.unscoped.bulk_create([Register(tenant=tenant, ls_id=1, name="Main"),
                                   Register(tenant=tenant, ls_id=2, name="Miinto")])
    Employee.unscoped.bulk_create([Employee(tenant=tenant, ls_id=1, first_name="Ann", last_name="Shop"),
                                   Employee(tenant=tenant, ls_id=5, first_name="Miinto", last_name="")])
    Category.unscoped.bulk_create([Category(tenant=tenant, ls_id=10, name="Shoes")])
    return tenant


def test_orders_book_on_the_register_and_employee_named_miinto_by_default(mirror):
    from channels.miinto.selectors import employee_for_orders, register_for_orders

    assert (register_for_orders(mirror, 1), employee_for_orders(mirror)) == (2, 5)
    assert miinto_settings_get_or_create(tenant=mirror).pk == miinto_settings_get_or_create(tenant=mirror).pk
    assert MiintoSettings.objects.for_tenant(mirror).count() == 1


def test_the_lightspeed_choice_wins_over_the_miinto_named_ones(mirror):
    from channels.miinto.selectors import employee_for_orders, register_for_orders
    from lightspeed.services import pos_choice_set

    pos_choice_set(tenant=mirror, register_ls_id=1, employee_ls_id=1)
    assert (register_for_orders(mirror, 1), employee_for_orders(mirror)) == (1, 1)
    pos_choice_set(tenant=mirror, channel="miinto", register_ls_id=2)  # Miinto's own override
    assert register_for_orders(mirror, 1) == 2 and employee_for_orders(mirror) == 1


def test_pos_fields_are_no_miinto_settings_any_more(mirror):
    with pytest.raises(ValidationError) as exc:
        miinto_settings_update(tenant=mirror, register_ls_id=1, feed_shop_ls_id=1)
    assert set(exc.value.message_dict) == {"register_ls_id", "feed_shop_ls_id"}


def test_update_saves_fields_and_shops(mirror):
    settings = miinto_settings_update(
        tenant=mirror, identifier="chan-1", secret="top", enabled=True, feed_price_level_ls_id=2,
        feed_category_ls_ids=[10], order_prefix="MNT-", shipping_method_map={"gls": "GLS Parcel"},
        unfulfillable_policy="leave_pending", void_policy="leave", feed_currency=" sek ",
        shops=[{"shop_id": "1-m!i!s-045-1", "country": "dk", "lightspeed_shop_ls_id": 1},
               {"shop_id": "1-m!i!s-046-1", "country": "SE", "lightspeed_shop_ls_id": 2}],
    )
    settings.refresh_from_db()
    assert (settings.identifier, settings.secret, settings.enabled,
            settings.feed_currency) == ("chan-1", "top", True, "SEK")
    assert settings.shipping_method_map == {"gls": "GLS Parcel"}
    shops = MiintoShop.objects.for_tenant(mirror).order_by("shop_id")
    assert [(s.shop_id, s.country, s.lightspeed_shop_ls_id) for s in shops] == [
        ("1-m!i!s-045-1", "DK", 1), ("1-m!i!s-046-1", "SE", 2)]
    miinto_settings_update(tenant=mirror,
                           shops=[{"shop_id": "1-m!i!s-046-1", "country": "SE", "lightspeed_shop_ls_id": 1}])
    remaining = MiintoShop.objects.for_tenant(mirror).values_list("shop_id", "lightspeed_shop_ls_id")
    assert list(remaining) == [("1-m!i!s-046-1", 1)]


def test_blank_secret_keeps_the_stored_one(mirror):
    miinto_settings_update(tenant=mirror, identifier="chan", secret="first", feed_basic_user="u",
                           feed_basic_password="pw")
    miinto_settings_update(tenant=mirror, secret="", feed_basic_password="")
    settings = miinto_settings_get_or_create(tenant=mirror)
    assert (settings.secret, settings.feed_basic_password) == ("first", "pw")


def test_errors_name_the_field_and_say_how_to_fix(mirror):
    with pytest.raises(ValidationError) as exc:
        miinto_settings_update(
            tenant=mirror, feed_price_level_ls_id=99,
            feed_category_ls_ids=[10, 404], order_prefix="has space", feed_currency="kr", unfulfillable_policy="x",
            void_policy="y", shipping_method_map={"gls": ""}, feed_basic_user="user", enabled=True,
            shops=[{"shop_id": "A", "country": "DK", "lightspeed_shop_ls_id": 1},
                   {"shop_id": "B", "country": "DK", "lightspeed_shop_ls_id": 42},
                   {"shop_id": "C", "country": "SE", "lightspeed_shop_ls_id": None}],
        )
    errors = exc.value.message_dict
    assert "Pick one from the list" in errors["feed_price_level_ls_id"][0]
    assert "404" in errors["feed_category_ls_ids"][0]
    assert "at most 20 letters" in errors["order_prefix"][0]
    assert "DKK" in errors["feed_currency"][0]
    assert "Decline" in errors["unfulfillable_policy"][0] and "void_policy" in errors
    assert "one per line" in errors["shipping_method_map"][0]
    assert "Set a password" in errors["feed_basic_password"][0]
    assert "identifier and secret" in errors["identifier"][0]
    shops = " ".join(errors["shops"])
    assert "one shop per country" in shops and "Lightspeed shop 42" in shops and "Miinto shop C: choose" in shops
    assert MiintoShop.objects.for_tenant(mirror).count() == 0  # nothing half-saved
    assert miinto_settings_get_or_create(tenant=mirror).feed_price_level_ls_id is None


def test_unknown_setting_is_refused(mirror):
    with pytest.raises(ValidationError) as exc:
        miinto_settings_update(tenant=mirror, feed_token="mine")
    assert "feed_token" in exc.value.message_dict


def test_rotate_token_changes_it(mirror):
    before = miinto_settings_get_or_create(tenant=mirror).feed_token
    after = miinto_feed_rotate_token(tenant=mirror).feed_token
    assert before != after and len(after) >= 40


def test_settings_are_per_tenant(mirror, make_tenant):
    other = make_tenant("other")
    miinto_settings_update(tenant=mirror, order_prefix="A-")
    assert miinto_settings_get_or_create(tenant=other).order_prefix == "MIINTO-"


def test_ids_from_strings_are_stored_as_ints(mirror):
    settings = miinto_settings_update(tenant=mirror, feed_price_level_ls_id="1", feed_category_ls_ids=["10", 10])
    settings.refresh_from_db()
    assert (settings.feed_price_level_ls_id, settings.feed_category_ls_ids) == (1, [10])
    settings = miinto_settings_update(tenant=mirror, feed_price_level_ls_id="")
    assert settings.feed_price_level_ls_id is None
    with pytest.raises(ValidationError) as exc:
        miinto_settings_update(tenant=mirror, feed_price_level_ls_id="bob", feed_category_ls_ids=["shoes"])
    assert "not a Lightspeed id" in exc.value.message_dict["feed_price_level_ls_id"][0]
    assert "feed_category_ls_ids" in exc.value.message_dict


def test_feed_path_contains_the_token(mirror):
    from channels.miinto.feed import feed_path

    settings = miinto_settings_get_or_create(tenant=mirror)
    assert feed_path(settings=settings) == f"/channels/miinto/feed/{settings.feed_token}.tsv"
