"""Issue 15 §13: the mappings page right after connecting says the first sync is on its way (not "connect
Lightspeed"), offers to run it, reloads itself until the lists are there; counts leave archived rows out."""
import pytest
from django.urls import reverse
from django.utils import timezone

from lightspeed.models import Connection, Employee, Register, Shop
from lightspeed.services import pos_choice_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def connected(owner):
    Connection.objects.for_tenant(owner.tenant).create(tenant=owner.tenant, account_id="1", account_name="Shop",
                                                       status="connected", access_token="a", refresh_token="r",
                                                       connected_at=timezone.now())
    return owner


def test_right_after_connecting_the_page_waits_for_the_first_sync(owner_client, connected):
    html = owner_client.get(reverse("lightspeed:mappings")).content.decode()
    assert "Connect Lightspeed;" not in html and 'data-mirror="syncing"' in html
    assert 'data-waiting-for-sync' in html and 'hx-trigger="every 3s"' in html
    assert 'data-run-job="lightspeed.reference_sync"' in html


def test_before_connecting_it_says_connect_first(owner_client, owner):
    html = owner_client.get(reverse("lightspeed:mappings")).content.decode()
    assert 'data-mirror="not-connected"' in html and "data-waiting-for-sync" not in html


def test_once_mirrored_it_lists_them_and_stops_reloading(owner_client, connected):
    Employee.objects.for_tenant(connected.tenant).create(tenant=connected.tenant, ls_id=1, first_name="Ann")
    html = owner_client.get(reverse("lightspeed:mappings")).content.decode()
    assert "Ann" in html and "data-waiting-for-sync" not in html


def test_employee_count_leaves_archived_ones_out(owner_client, connected):
    tenant = connected.tenant
    for n, archived in enumerate([False, False, False, True], 1):
        Employee.objects.for_tenant(tenant).create(tenant=tenant, ls_id=n, first_name=f"E{n}", archived=archived)
    html = owner_client.get(reverse("lightspeed:connection")).content.decode()
    assert "3 employees" in html and "4 employees" not in html


def test_the_connection_page_names_where_channel_orders_are_booked(owner_client, connected):
    tenant = connected.tenant
    Shop.objects.for_tenant(tenant).create(tenant=tenant, ls_id=1, name="Main Store")
    Register.objects.for_tenant(tenant).create(tenant=tenant, ls_id=2, shop_ls_id=1, name="Front desk")
    Employee.objects.for_tenant(tenant).create(tenant=tenant, ls_id=3, first_name="Ann", last_name="Lee")
    url = reverse("lightspeed:connection")
    assert "Choose them" in owner_client.get(url).content.decode()
    pos_choice_set(tenant=tenant, shop_ls_id=1, register_ls_id=2, employee_ls_id=3)
    html = owner_client.get(url).content.decode()
    assert "booked on Main Store, register “Front desk”, by Ann Lee" in html and "Choose them" not in html
