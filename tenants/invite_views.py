"""Pages behind the mailed links: confirm a sign-up, accept an invitation (no shop membership needed)."""
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .forms import InviteAcceptForm
from .invites import invite_accept, invite_accept_new_account, invite_for_token
from .signup import sign_up_confirm, sign_up_request_for_token

BACKEND = "django.contrib.auth.backends.ModelBackend"


@require_http_methods(["GET", "POST"])
def sign_up_confirm_view(request, token):
    """GET shows a button (mail scanners that open links create nothing); POST creates the shop."""
    pending = sign_up_request_for_token(token)
    if pending is None:
        return render(request, "tenants/sign_up_confirm.html", {"pending": None}, status=404)
    error = None
    if request.method == "POST":
        try:
            _, user = sign_up_confirm(pending=pending)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            login(request, user, backend=BACKEND)
            messages.success(request, "Welcome! A few short steps connect your shop; the checklist shows what is left.")
            return redirect("onboarding")
    return render(request, "tenants/sign_up_confirm.html", {"pending": pending, "error": error},
                  status=400 if error else 200)


@require_http_methods(["GET", "POST"])
def invite_view(request, token):
    invite = invite_for_token(token)
    if invite is None:
        return render(request, "tenants/invite.html", {"invite": None}, status=404)
    form = InviteAcceptForm(request.POST if request.method == "POST" and not request.user.is_authenticated else None,
                            email=invite.email)
    error = None
    if request.method == "POST":
        try:
            if request.user.is_authenticated:
                invite_accept(invite=invite, user=request.user)
            elif form.is_valid():
                membership = invite_accept_new_account(invite=invite, password=form.cleaned_data["password"])
                login(request, membership.user, backend=BACKEND)
            else:
                raise ValidationError("")
        except ValidationError as exc:
            error = " ".join(m for m in exc.messages if m) or None
        else:
            messages.success(request, f"You have joined {invite.tenant.name}.")
            return redirect("dashboard")
    elif request.user.is_authenticated and (request.user.email or request.user.username).lower() != invite.email:
        error = f"This invitation is for {invite.email}. Sign out, then open the link again."
    failed = request.method == "POST"
    return render(request, "tenants/invite.html", {"invite": invite, "form": form, "error": error},
                  status=400 if failed else 200)
