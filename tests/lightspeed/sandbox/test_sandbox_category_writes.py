"""Category writes (POST/PUT/DELETE, 10 drips each) and the recorded error content type."""


def test_category_create_under_a_parent_builds_the_full_path(api, sb):
    response = api.post("Category.json", {"name": "Socks", "parentID": 1})
    assert response.status_code == 200, response.text
    created = response.json()["Category"]
    assert created["fullPathName"] == f"{sb.state.categories[1].name}/Socks" and created["nodeDepth"] == "1"
    assert response.headers["X-LS-Api-Request-Cost"] == "10"
    assert api.get(f"Category/{created['categoryID']}.json").json()["Category"]["name"] == "Socks"


def test_category_rename_moves_the_subtree_path(api, sb):
    child = next(c for c in sb.state.categories.values() if c.parent_id == 1)
    renamed = api.put("Category/1.json", {"name": "Clothing"}).json()["Category"]
    assert renamed["fullPathName"] == "Clothing"
    assert api.get(f"Category/{child.category_id}.json").json()["Category"]["fullPathName"] == f"Clothing/{child.name}"


def test_category_blank_name_is_refused_with_the_recorded_message(api, sb):
    count = len(sb.state.categories)
    refused = api.post("Category.json", {"name": " "})
    assert refused.status_code == 400 and refused.json()["message"] == "name cannot be blank."
    assert len(sb.state.categories) == count


def test_category_delete_refused_with_children_allowed_when_unused(api):
    assert api.delete("Category/1.json").status_code == 400
    created = api.post("Category.json", {"name": "Empty"}).json()["Category"]
    assert api.delete(f"Category/{created['categoryID']}.json").status_code == 200
    assert api.get(f"Category/{created['categoryID']}.json").status_code == 404


def test_client_errors_are_served_as_html_typed_json_like_the_recordings(api):
    missing = api.get("Item/999999.json")
    assert missing.status_code == 404
    assert missing.headers["Content-Type"] == "text/html; charset=UTF-8"
    assert missing.json()["httpCode"] == "404"
    assert api.get("Item/1.json").headers["Content-Type"] == "application/json"
