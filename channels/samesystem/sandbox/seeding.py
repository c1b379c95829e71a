"""The sandbox's seeded client: departments (ctx tokens `c{client}d{dept}`, one `dpt_no` null, as the
blueprint's example) and weekly-balance fields for the eight POS figures plus the blueprint's own kinds."""

CLIENT_ID = 1
DEPARTMENTS = (  # id, name, dpt_no, register_count
    (10, "Main Street", "101", 2),
    (11, "Harbour", "102", 1),
    (12, "Pop-up", None, 1),
)
FIELDS = (  # field_id, name, field_type, summable, code, calculated, mandatory
    (5266, "Gross sales", "number", True, "A1", False, True),
    (5267, "Net sales", "number", True, "A1.1", False, False),
    (5268, "Discounts", "number", True, "A2", False, False),
    (5269, "Returns", "number", True, "A3", False, False),
    (5270, "Transactions", "number", True, "A4", False, False),
    (5271, "Number of goods sold", "number", True, "A5", False, False),
    (5272, "Number of returned goods", "number", True, "A6", False, False),
    (5273, "Visitors", "number", True, None, False, False),
    (5274, "Bank person", "text", False, "B1", False, False),
    (5275, "Average receipt", "number", False, None, True, False),
)
EXPENSE_GROUPS = ({"group_id": 1, "name": "Local expenses"}, {"group_id": 2, "name": "Outsource"})


def ctx_token(client_id, department_id):
    return f"c{client_id}d{department_id}"


def seeded_departments(client_id=CLIENT_ID):
    return {ctx_token(client_id, dept_id): {"id": dept_id, "name": name, "dpt_no": dpt_no, "register_count": count}
            for dept_id, name, dpt_no, count in DEPARTMENTS}


def seeded_fields():
    keys = ("field_id", "name", "field_type", "summable", "code", "calculated", "mandatory")
    return {row[0]: dict(zip(keys, row)) for row in FIELDS}
