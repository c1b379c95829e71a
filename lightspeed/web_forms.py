from django import forms

from .models import Employee, Register, Shop


def _choices(rows, label, blank):
    return [("", blank)] + [(row.ls_id, label(row)) for row in rows]


def _register_label(shop_names):
    return lambda register: f"{register} — {shop_names.get(register.shop_ls_id, 'no shop')}"


class PosChoiceForm(forms.Form):
    """The default choice (every field required) or a channel's override (blank = the default)."""

    shop_ls_id = forms.TypedChoiceField(
        label="Shop", coerce=int, empty_value=None,
        help_text="The shop whose stock your channels sell, and where their orders are booked.")
    register_ls_id = forms.TypedChoiceField(
        label="Register", coerce=int, empty_value=None,
        help_text="Channel orders are booked on this register; a register kept for online orders is the usual choice.")
    employee_ls_id = forms.TypedChoiceField(
        label="Employee", coerce=int, empty_value=None, help_text="The employee recorded on channel orders.")

    def __init__(self, *args, tenant, override=False, **kwargs):
        super().__init__(*args, **kwargs)
        blank = "— same as the default —" if override else "— choose —"
        live = {"archived": False}
        shops = list(Shop.objects.for_tenant(tenant).filter(**live).order_by("name"))
        self.fields["shop_ls_id"].choices = _choices(shops, str, blank)
        registers = Register.objects.for_tenant(tenant).filter(**live).order_by("name")
        self.fields["register_ls_id"].choices = _choices(registers, _register_label({s.ls_id: s.name for s in shops}),
                                                         blank)
        employees = Employee.objects.for_tenant(tenant).filter(**live).order_by("first_name", "last_name")
        self.fields["employee_ls_id"].choices = _choices(employees, lambda e: str(e) or f"Employee {e.ls_id}", blank)
        for field in self.fields.values():
            field.required = not override
            if len(field.choices) == 1:
                field.help_text = ("Nothing here yet: the list fills in after the first Lightspeed sync. "
                                   + field.help_text)
