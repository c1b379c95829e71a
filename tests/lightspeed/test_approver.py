"""Who approved the Lightspeed connection, and their EmployeeRole, read by the reference sync."""
import pytest

from connector.runs import run_job
from lightspeed.models import Employee
from lightspeed.selectors import connection_approver_role


def reference_sync(tenant, clock):
    run = run_job(tenant=tenant, job="lightspeed.reference_sync", clock=clock)
    assert run.status == "succeeded", run.error or run.traceback


@pytest.mark.parametrize("role_id,name,managing", [(1, "Admin", True), (3, "Manager", True), (2, "Employee", False)])
def test_the_approver_and_their_role_come_from_the_session_and_employee_role(connected, tenant, sandbox, clock,
                                                                             role_id, name, managing):
    sandbox.state.employees[1].employee_role_id = role_id  # the fixture's grant was approved by employee 1
    reference_sync(tenant, clock)
    approver = connection_approver_role(tenant)
    assert (approver.employee_ls_id, approver.role_name, approver.is_admin_or_manager) == (1, name, managing)
    assert Employee.objects.for_tenant(tenant).get(ls_id=1).employee_role_ls_id == role_id


def test_every_employee_gets_its_role_name(connected, tenant, sandbox, clock):
    reference_sync(tenant, clock)
    roles = dict(Employee.objects.for_tenant(tenant).values_list("ls_id", "employee_role_name"))
    expected = {e.employee_id: sandbox.state.employee_roles[e.employee_role_id].name
                for e in sandbox.state.employees.values()}
    assert roles == expected and "Employee" in roles.values()


def test_no_approver_before_a_reference_sync(connected, tenant):
    assert connection_approver_role(tenant) is None


def test_an_account_without_session_json_still_syncs_and_leaves_the_approver_unknown(
        connected, tenant, sandbox, clock, monkeypatch):
    """Session.json is an INFERENCE: if Lightspeed answers 404, the reference sync goes on without it."""
    from connector.http import NotFound
    from lightspeed import resources

    def missing(client):
        raise NotFound("GET Session.json: 404")

    monkeypatch.setattr(resources, "session_employee_id", missing)
    reference_sync(tenant, clock)
    assert connection_approver_role(tenant) is None
    assert Employee.objects.for_tenant(tenant).exists()
