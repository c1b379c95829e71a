from zoneinfo import available_timezones

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm


def time_zone_choices():
    return [(name, name.replace("_", " ")) for name in sorted(available_timezones()) if "/" in name or name == "UTC"]


class TimeZoneField(forms.ChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Time zone")
        kwargs.setdefault("help_text", "Times on your dashboard are shown in this zone.")
        super().__init__(choices=time_zone_choices, **kwargs)


class SignUpForm(forms.Form):
    shop_name = forms.CharField(label="Shop name", max_length=200)
    email = forms.EmailField(label="Email")
    password = forms.CharField(label="Password", widget=forms.PasswordInput, strip=False,
                               help_text="At least 8 characters; not only digits, not a common password.")
    time_zone = TimeZoneField(initial="Europe/Copenhagen")

    def clean_email(self):
        return self.cleaned_data["email"].lower()  # whether it has an account is never said here

    def clean_password(self):
        password = self.cleaned_data["password"]
        password_validation.validate_password(password)
        return password


class InviteAcceptForm(forms.Form):
    """An invitee without an account chooses a password."""

    password = forms.CharField(label="Choose a password", widget=forms.PasswordInput, strip=False,
                               help_text="At least 8 characters; not only digits, not a common password.")

    def __init__(self, *args, email="", **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_password(self):
        password = self.cleaned_data["password"]
        user = get_user_model()(username=self.email, email=self.email)
        password_validation.validate_password(password, user)
        return password


class MemberInviteForm(forms.Form):
    email = forms.EmailField(label="Email of the person to invite")
    role = forms.ChoiceField(label="Role", choices=[("member", "Member — sees everything, changes nothing"),
                                                    ("owner", "Owner — can change settings and members")])


class TimeZoneForm(forms.Form):
    time_zone = TimeZoneField()


class EmailLoginForm(AuthenticationForm):
    """Sign in with the email address the account was created with (it is the username, in lower case)."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        field = self.fields["username"]
        field.label = "Email"
        field.widget.input_type = "email"
        field.widget.attrs.update({"autocomplete": "email", "inputmode": "email"})

    def clean_username(self):
        return (self.cleaned_data.get("username") or "").strip().lower()
