"""The SameSystem settings form and the historical import form. They only convert input; the services
validate and write.

    form = SameSystemSettingsForm(request.POST or None, tenant=request.tenant)
    if request.method == "POST" and form.is_valid() and form.save_via_service(): ...

The password is write-only (never filled back; blank keeps it). The mappings are fields named
`figure-<key>` (weekly-balance field id), `department-<pk>` (Lightspeed shopID) and `register-<registerID>`
(SameSystem register number); `form.figure_rows`, `form.department_rows` and `form.register_rows` give them
to the template.
"""
from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction

from lightspeed.models import Shop

from .models import FIGURES
from .selectors import departments_all, departments_mapped, register_numbers, registers_of_multi_departments
from .services import departments_map, registers_map, samesystem_settings_get_or_create, samesystem_settings_update


def _shop_choices(tenant):
    return [("", "— not sent —")] + [(str(s.ls_id), s.name) for s in
                                     Shop.objects.for_tenant(tenant).filter(archived=False).order_by("ls_id")]


def _field_choices(settings):
    usable = [f for f in settings.fields_seen if f.get("field_type") == "number" and not f.get("calculated")]
    return [("", "— not sent —")] + [(str(f["field_id"]), f"{f['field_id']} {f.get('name', '')}") for f in usable]


class SameSystemSettingsForm(forms.Form):
    enabled = forms.BooleanField(required=False, label="Send POS figures to SameSystem")
    email = forms.CharField(required=False, max_length=200, label="API user's email",
                            help_text="A SameSystem user with “For API usage” ticked.")
    password = forms.CharField(required=False, widget=forms.PasswordInput(render_value=False), label="Password",
                               help_text="Leave blank to keep the stored password.")
    vat_included = forms.BooleanField(required=False, label="Gross and net sales include VAT")
    auto_confirm = forms.BooleanField(required=False, label="Confirm each day after sending it",
                                      help_text="SameSystem uses the numbers only once every register's day is "
                                                "confirmed.")

    sftp_host = forms.CharField(required=False, max_length=200, label="SFTP server (optional)",
                                help_text="Also upload each day's CSV there. Blank: no upload.")
    sftp_port = forms.IntegerField(required=False, min_value=1, max_value=65535, label="SFTP port")
    sftp_user = forms.CharField(required=False, max_length=100, label="SFTP user")
    sftp_password = forms.CharField(required=False, widget=forms.PasswordInput(render_value=False),
                                    label="SFTP password", help_text="Leave blank to keep the stored password.")
    sftp_directory = forms.CharField(required=False, max_length=200, label="SFTP directory")
    sftp_host_key = forms.CharField(required=False, label="SFTP host key (recommended)",
                                    widget=forms.Textarea(attrs={"rows": 2}),
                                    help_text="The server's public key, “ssh-ed25519 AAAA…”; checked at each upload.")

    def __init__(self, data=None, *, tenant, **kwargs):
        self.tenant = tenant
        self.settings = samesystem_settings_get_or_create(tenant=tenant)
        self.departments = departments_all(tenant)
        self.multi = registers_of_multi_departments(tenant)
        kwargs.setdefault("initial", self._initial())
        super().__init__(data, **kwargs)
        field_choices = _field_choices(self.settings)
        for key, label in FIGURES:
            self.fields[f"figure-{key}"] = forms.ChoiceField(required=False, choices=field_choices, label=label)
        shops = _shop_choices(tenant)
        for department in self.departments:
            self.fields[f"department-{department.pk}"] = forms.ChoiceField(
                required=False, choices=shops, label=f"{department.name} ({department.dpt_no or 'no number'})")
        for department, registers in self.multi:
            numbers = [("", "— not sent —")] + [(str(n), f"#{n}") for n in range(1, department.register_count + 1)]
            for register in registers:
                self.fields[f"register-{register.ls_id}"] = forms.ChoiceField(
                    required=False, choices=numbers, label=f"{register.name} ({department.name})")

    def _initial(self):
        s = self.settings
        initial = {name: getattr(s, name) for name in ("enabled", "email", "vat_included", "auto_confirm", "sftp_host",
                                                        "sftp_port", "sftp_user", "sftp_directory", "sftp_host_key")}
        initial.update({f"figure-{key}": str(s.field_map.get(key) or "") for key, _ in FIGURES})
        initial.update({f"department-{d.pk}": str(d.lightspeed_shop_ls_id or "") for d in self.departments})
        initial.update({f"register-{ls_id}": str(n) for ls_id, n in register_numbers(self.tenant).items()})
        return initial

    @property
    def figure_rows(self):
        return [self[f"figure-{key}"] for key, _ in FIGURES]

    @property
    def department_rows(self):
        return [(d, self[f"department-{d.pk}"]) for d in self.departments]

    @property
    def register_rows(self):
        return [self[f"register-{r.ls_id}"] for _, registers in self.multi for r in registers]

    def service_kwargs(self):
        data = dict(self.cleaned_data)
        field_map = {key: data.pop(f"figure-{key}") for key, _ in FIGURES}
        shops = {d.pk: data.pop(f"department-{d.pk}") for d in self.departments}
        numbers = {r.ls_id: data.pop(f"register-{r.ls_id}") for _, registers in self.multi for r in registers}
        data["sftp_port"] = data.get("sftp_port") or 22
        return {**data, "field_map": {k: v for k, v in field_map.items() if v}}, shops, numbers

    def save_via_service(self):
        """Call the services; their errors land on the fields (or the form). Returns the settings or None."""
        fields, shops, numbers = self.service_kwargs()
        try:
            with transaction.atomic():
                settings = samesystem_settings_update(tenant=self.tenant, **fields)
                departments_map(tenant=self.tenant, shops=shops)
                registers_map(tenant=self.tenant, numbers=numbers)
            return settings
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
            return None


class ImportForm(forms.Form):
    """A historical import: departments, the first and last day, and "overwrite approved numbers"."""

    department_ids = forms.MultipleChoiceField(label="Departments", widget=forms.CheckboxSelectMultiple)
    date_from = forms.DateField(label="From (first day)", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="Until (last day)", widget=forms.DateInput(attrs={"type": "date"}))
    overwrite_approved = forms.BooleanField(required=False, initial=True, label="Overwrite approved numbers",
                                            help_text="SameSystem's guide says: always enable it.")

    def __init__(self, data=None, *, tenant, **kwargs):
        super().__init__(data, **kwargs)
        departments = departments_mapped(tenant)
        self.fields["department_ids"].choices = [(str(d.pk), d.name) for d in departments]
        self.fields["department_ids"].initial = [str(d.pk) for d in departments]
