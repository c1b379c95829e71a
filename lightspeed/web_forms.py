from django import forms

from .models import Employee, Register, Shop


def _choices(rows, label):
    return [("", "— choose —")] + [(row.ls_id, label(row)) for row in rows]


class PosChoiceForm(forms.Form):
    shop_ls_id = forms.TypedChoiceField(
        label="Shop", coerce=int, help_text="The shop whose stock your channels sell, and where their orders are booked.")
    register_ls_id = forms.TypedChoiceField(
        label="Register", coerce=int, help_text='Channel orders are booked on this register; a register named "Miinto" is the usual choice.')
    employee_ls_id = forms.TypedChoiceField(
        label="Employee", coerce=int, help_text="The employee recorded on channel orders.")

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        live = {"archived": False}
        self.fields["shop_ls_id"].choices = _choices(Shop.objects.for_tenant(tenant).filter(**live).order_by("name"), str)
        registers = Register.objects.for_tenant(tenant).filter(**live).order_by("name")
        self.fields["register_ls_id"].choices = _choices(registers, str)
        employees = Employee.objects.for_tenant(tenant).filter(**live).order_by("first_name", "last_name")
        self.fields["employee_ls_id"].choices = _choices(employees, lambda e: str(e) or f"Employee {e.ls_id}")
        for name, field in self.fields.items():
            if len(field.choices) == 1:
                field.help_text = "Nothing here yet: the list fills in after the first Lightspeed sync. " + field.help_text
