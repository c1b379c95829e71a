"""Members read; owners change. Support staff without a shop use the admin."""
import pytest
from django.urls import reverse

from connector.models import Schedule
from connector.channels import channels_all, channels_selling
from tests.web.conftest import CHANNEL, JOB, tenant_data

OWNER_ONLY_POSTS = [
    ("channel_switch", [CHANNEL], {"on": "1"}),
    ("channel_resume", [CHANNEL], {}),
    ("run_now", [JOB], {}),
    *[(c.page_url_name, [], {}) for c in channels_selling()],
    ("lightspeed:mappings", [], {}),
    ("lightspeed:connect", [], {}),
    ("lightspeed:disconnect", [], {}),
    ("account", [], {"email": "new@example.com", "role": "owner"}),
    ("time_zone", [], {"time_zone": "UTC"}),
]


@pytest.mark.parametrize("name,args,data", OWNER_ONLY_POSTS)
def test_members_cannot_change_anything(client, owner, member_of_owner, name, args, data):
    client.force_login(member_of_owner)
    before = owner.tenant.memberships.count()
    response = client.post(reverse(name, args=args), data)
    assert response.status_code == 403
    assert owner.tenant.memberships.count() == before
    assert not Schedule.objects.for_tenant(owner.tenant).exists()


def test_members_cannot_retry_orders_or_remove_people(client, owner, member_of_owner):
    data = tenant_data(owner.tenant, "MINE")
    client.force_login(member_of_owner)
    assert client.post(reverse("order_retry", args=[data["order"].pk])).status_code == 403
    owner_membership = owner.tenant.memberships.get(user=owner.user)
    assert client.post(reverse("member_remove", args=[owner_membership.pk])).status_code == 403


def test_members_read_every_page_without_change_buttons(client, owner, member_of_owner):
    tenant_data(owner.tenant, "MINE")
    client.force_login(member_of_owner)
    for name in ["dashboard", "orders", "account", *[c.page_url_name for c in channels_all()]]:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        html = response.content.decode()
        assert "Retry</button>" not in html and not [c for c in channels_all() if f"Switch {c.title} on</button>" in html]


def test_members_may_get_their_own_read_only_api_token(client, owner, member_of_owner):
    client.force_login(member_of_owner)
    response = client.post(reverse("api_token"))
    key = response.context["new_token"]["key"]
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    client.logout()
    assert client.get("/api/runs/", **auth).status_code == 200
    assert client.post(f"/api/channels/{CHANNEL}/switch/", {"on": True}, content_type="application/json",
                       **auth).status_code == 403
    assert client.patch(f"/api/channels/{CHANNEL}/settings/", {}, content_type="application/json",
                        **auth).status_code == 403


def test_owner_invites_a_member_who_gets_a_link_mail(client, owner, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(owner.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account"), {"email": "Helper@Example.com", "role": "member"})
    assert response.status_code == 302
    assert not owner.tenant.memberships.filter(user__username="helper@example.com").exists()  # not until accepted
    assert len(mailoutbox) == 1 and "/invite/" in mailoutbox[0].body and mailoutbox[0].to == ["helper@example.com"]


def test_last_owner_cannot_be_removed(client, owner):
    from tests.isolation import member_create
    from tenants.models import Membership

    client.force_login(owner.user)
    mine = Membership.objects.get(user=owner.user)
    response = client.post(reverse("member_remove", args=[mine.pk]), follow=True)
    assert "cannot remove yourself" in response.content.decode()
    assert Membership.objects.filter(pk=mine.pk).exists()
    assert member_create  # helper import used elsewhere


def test_user_without_a_shop_sees_an_explanation(client, db):
    from django.contrib.auth import get_user_model

    staff = get_user_model().objects.create_user(username="support", password="pw", is_staff=True)
    client.force_login(staff)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 403
    assert "not part of a shop" in response.content.decode()
    assert client.get("/api/runs/").status_code == 403


def test_owner_removes_a_member(client, owner, member_of_owner):
    from tenants.models import Membership

    client.force_login(owner.user)
    membership = Membership.objects.get(user=member_of_owner)
    response = client.post(reverse("member_remove", args=[membership.pk]), follow=True)
    assert "no longer has access" in response.content.decode()
    assert not Membership.objects.filter(pk=membership.pk).exists()
    client.force_login(member_of_owner)
    assert client.get(reverse("dashboard")).status_code == 403
