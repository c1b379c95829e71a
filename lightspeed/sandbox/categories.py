"""Category writes: POST (name, parentID), PUT (rename or move; the subtree's fullPathName follows), DELETE
(refused while subcategories or items use it)."""
from .envelope import ApiError
from .records import Category
from .values import as_int


def category_create(sb, route, payload):
    state, now = sb.state, sb.timestamp()
    name = _name(payload)
    parent = _parent(state, payload.get("parentID"))
    category = Category(state.next_id("categories"), name, parent.category_id if parent else 0, name, 0, now, now)
    _place(state, category, parent)
    state.categories[category.category_id] = category
    return category, set()


def category_update(sb, route, payload):
    category = _existing(sb.state, route.record_id)
    if "name" in payload:
        category.name = _name(payload)
    if "parentID" in payload:
        parent = _parent(sb.state, payload["parentID"])
        if parent and category.category_id in _ancestry(sb.state, parent):
            raise ApiError(400, "Category not updated. A category cannot be moved under itself.")
        category.parent_id = parent.category_id if parent else 0
    category.time_stamp = sb.timestamp()
    _replace_subtree(sb.state, category)
    return category, set()


def category_delete(sb, route, payload):
    state = sb.state
    category = _existing(state, route.record_id)
    if any(c.parent_id == category.category_id for c in state.categories.values()):
        raise ApiError(400, "Category not deleted. A category with subcategories cannot be deleted.")
    if any(item.category_id == category.category_id for item in state.items.values()):
        raise ApiError(400, "Category not deleted. Items are still in this category.")
    del state.categories[category.category_id]
    return category, set()


def _name(payload):
    name = str(payload.get("name") or "").strip()
    if not name:
        raise ApiError(400, "name cannot be blank.")  # the recorded message (categories/create_invalid)
    return name


def _parent(state, raw):
    parent_id = as_int(raw, "parentID")
    if not parent_id:
        return None
    if parent_id not in state.categories:
        raise ApiError(400, f"Category not saved. Parent category {parent_id} does not exist.")
    return state.categories[parent_id]


def _existing(state, category_id):
    if category_id not in state.categories:
        raise ApiError(404, f"Object of type 'Category' not found with primary ID '{category_id}'.")
    return state.categories[category_id]


def _ancestry(state, category):
    ids = []
    while category is not None:
        ids.append(category.category_id)
        category = state.categories.get(category.parent_id)
    return ids


def _place(state, category, parent):
    category.node_depth = parent.node_depth + 1 if parent else 0
    category.full_path_name = f"{parent.full_path_name}/{category.name}" if parent else category.name


def _replace_subtree(state, category):
    _place(state, category, state.categories.get(category.parent_id))
    for child in [c for c in state.categories.values() if c.parent_id == category.category_id]:
        child.time_stamp = category.time_stamp
        _replace_subtree(state, child)
