from django.contrib.auth import login
from django.shortcuts import redirect, render

from .forms import SignUpForm
from .services import tenant_sign_up


def sign_up(request):
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _, user = tenant_sign_up(
            shop_name=form.cleaned_data["shop_name"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("dashboard")
    return render(request, "tenants/sign_up.html", {"form": form})
