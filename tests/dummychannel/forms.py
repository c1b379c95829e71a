from django import forms


class DummySettingsForm(forms.Form):
    account = forms.CharField(required=False, label="Dummy account")
    api_key = forms.CharField(required=False, label="API key", widget=forms.PasswordInput)
