"""The invitation pages and sign-up never reveal whether an email has an account; invitees accept by link."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tenants.models import Membership, SignUpRequest, Tenant

SIGN_UP = {"shop_name": "Nordic Shoes", "password": "a-long-pass-phrase", "time_zone": "Europe/Oslo"}


def sign_up(client, email, capture):
    with capture(execute=True):
        return client.post(reverse("signup"), {**SIGN_UP, "email": email})


def normalised(html):
    """The page without its per-request parts (CSRF token, the address typed in)."""
    html = re.sub(r'(name="csrfmiddlewaretoken" value|name="csrf-token" content|content)="[\w-]{32,}"', "", html)
    return re.sub(r"[\w.+-]+@[\w.-]+", "EMAIL", html)


def test_sign_up_answers_the_same_whether_or_not_the_email_has_an_account(client, owner, mailoutbox,
                                                                         django_capture_on_commit_callbacks):
    known = sign_up(client, owner.user.email, django_capture_on_commit_callbacks)
    unknown = sign_up(client, "nobody-yet@example.com", django_capture_on_commit_callbacks)
    assert known.status_code == unknown.status_code == 200
    assert normalised(known.content.decode()) == normalised(unknown.content.decode())
    assert [m.to for m in mailoutbox] == [[owner.user.email], ["nobody-yet@example.com"]]
    assert "/login/" in mailoutbox[0].body and "/signup/confirm/" not in mailoutbox[0].body
    assert "/signup/confirm/" in mailoutbox[1].body
    assert not Tenant.objects.filter(name="Nordic Shoes").exists()  # nothing before the link is used


def test_the_confirmation_link_makes_the_shop_once(client, db, mailoutbox, django_capture_on_commit_callbacks):
    sign_up(client, "Anna@Example.com", django_capture_on_commit_callbacks)
    link = re.search(r"http://testserver(/signup/confirm/\S+/)", mailoutbox[0].body).group(1)
    assert client.get(link).status_code == 200 and not Tenant.objects.filter(name="Nordic Shoes").exists()
    assert client.post(link).status_code == 302
    user = get_user_model().objects.get(username="anna@example.com")
    assert user.check_password("a-long-pass-phrase")
    assert Membership.objects.get(user=user).role == "owner"
    client.logout()
    assert client.get(link).status_code == 404 and client.post(link).status_code == 404
    assert not SignUpRequest.objects.filter(digest__contains="Anna").exists()


def test_the_invite_form_answers_the_same_for_any_address(owner_client, owner, mailoutbox,
                                                          django_capture_on_commit_callbacks):
    other_shop_user = Membership.objects.exclude(tenant=owner.tenant).first()
    addresses = ["free@example.com", owner.user.email]
    if other_shop_user:
        addresses.append(other_shop_user.user.email)
    get_user_model().objects.create_user(username="free@example.com", email="free@example.com", password="pw")
    answers = []
    for email in addresses:
        with django_capture_on_commit_callbacks(execute=True):
            response = owner_client.post(reverse("account"), {"email": email, "role": "member"}, follow=True)
        answers.append((response.status_code, "We emailed an invitation to" in response.content.decode()))
    assert set(answers) == {(200, True)}
    assert not Membership.objects.filter(user__username="free@example.com").exists()


def test_a_signed_in_invitee_accepts(client, owner, mailoutbox, django_capture_on_commit_callbacks):
    invitee = get_user_model().objects.create_user(username="helper@example.com", email="helper@example.com",
                                                   password="pw")
    owner_client_post(client, owner, "Helper@Example.com", django_capture_on_commit_callbacks)
    link = re.search(r"http://testserver(/invite/\S+/)", mailoutbox[-1].body).group(1)
    client.force_login(invitee)
    page = client.get(link)
    assert page.status_code == 200 and "Accept and join" in page.content.decode()
    assert client.post(link).status_code == 302
    assert Membership.objects.get(user=invitee).tenant == owner.tenant
    assert client.get(link).status_code == 404


def test_an_anonymous_invitee_chooses_a_password(client, owner, mailoutbox, django_capture_on_commit_callbacks):
    owner_client_post(client, owner, "new@example.com", django_capture_on_commit_callbacks)
    link = re.search(r"http://testserver(/invite/\S+/)", mailoutbox[-1].body).group(1)
    client.logout()
    assert "Create my account and join" in client.get(link).content.decode()
    assert client.post(link, {"password": "123"}).status_code == 400
    assert client.post(link, {"password": "a-long-pass-phrase"}).status_code == 302
    assert Membership.objects.get(user__username="new@example.com").tenant == owner.tenant


def test_the_owner_sees_and_revokes_pending_invites(client, owner, mailoutbox, django_capture_on_commit_callbacks):
    owner_client_post(client, owner, "pending@example.com", django_capture_on_commit_callbacks)
    link = re.search(r"http://testserver(/invite/\S+/)", mailoutbox[-1].body).group(1)
    html = client.get(reverse("account")).content.decode()
    assert "Invited, not accepted yet" in html and "pending@example.com" in html
    pk = int(re.search(r"/account/invites/(\d+)/revoke/", html).group(1))
    assert client.post(reverse("invite_revoke", args=[pk])).status_code == 302
    assert "Invited, not accepted yet" not in client.get(reverse("account")).content.decode()
    client.logout()
    assert client.get(link).status_code == 404


@pytest.mark.parametrize("token", ["nope", "x" * 300])
def test_unknown_links_are_404(client, db, token):
    assert client.get(f"/invite/{token}/").status_code == 404
    assert client.get(f"/signup/confirm/{token}/").status_code == 404


def owner_client_post(client, owner, email, capture):
    client.force_login(owner.user)
    with capture(execute=True):
        assert client.post(reverse("account"), {"email": email, "role": "member"}).status_code == 302


def test_a_different_signed_in_account_is_told_and_cannot_accept(client, owner, mailoutbox,
                                                                 django_capture_on_commit_callbacks):
    owner_client_post(client, owner, "ann@example.com", django_capture_on_commit_callbacks)
    link = re.search(r"http://testserver(/invite/\S+/)", mailoutbox[-1].body).group(1)
    bob = get_user_model().objects.create_user(username="bob@example.com", email="bob@example.com", password="pw")
    client.force_login(bob)
    assert "This invitation is for ann@example.com" in client.get(link).content.decode()
    assert client.post(link).status_code == 400 and not Membership.objects.filter(user=bob).exists()
