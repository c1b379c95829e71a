"""The sandbox's in-memory data: compact slotted records in dicts keyed by int id.

Catalog records (Item, ItemShop) are kept small so 100,000 items fit in modest memory; JSON is
rendered per request. Times are integer epoch seconds (sandbox time), money is Decimal or cents.
"""
import bisect
import operator
import threading


class Table(dict):
    """A dict of records keyed by ascending int id, with a cached sorted key list for cursor seeks."""

    __slots__ = ("_keys", "_keys_len", "_indexes")

    def __init__(self):
        super().__init__()
        self._keys = []
        self._keys_len = -1
        self._indexes = {}

    def sorted_index(self, name, key, version, attrs=None):
        """Sorted [(sort value, pk)] for a non-pk sort; rebuilt when the table's version or size changed.
        `attrs` (value attribute, pk attribute) allows a C-speed build for int/time sort fields."""
        stamp = (version, len(self))
        cached = self._indexes.get(name)
        if cached is None or cached[0] != stamp:
            entries = self._index_entries(cached[1] if cached else None, key, attrs)
            entries.sort()  # timsort: near-linear when rebuilt in the previous order after a few changes
            cached = (stamp, entries)
            self._indexes[name] = cached
        return cached[1]

    def index_move(self, name, old, new):
        """Keep a cached sort index current when one record's (value, pk) changes or (old=None) is added."""
        cached = self._indexes.get(name)
        if cached is None:
            return
        stamp, entries = cached
        if old is not None:
            position = bisect.bisect_left(entries, old)
            if position == len(entries) or entries[position] != old:
                del self._indexes[name]  # out of step: rebuild on next use
                return
            entries.pop(position)
        bisect.insort(entries, new)
        self._indexes[name] = ((stamp[0], len(self)), entries)

    def _index_entries(self, previous, key, attrs):
        if previous is None:
            records = list(self.values())
        else:
            order = [entry[-1] for entry in previous]
            order += self.sorted_keys()[len(order):]  # ids only ever grow
            records = list(map(self.__getitem__, order))
        entries = list(map(operator.attrgetter(*attrs), records)) if attrs else None
        if entries is None or any(value is None for value, _ in entries):
            entries = list(map(key, records))
        return entries

    def sorted_keys(self):
        if self._keys_len != len(self):
            self._keys = sorted(self.keys())
            self._keys_len = len(self)
        return self._keys

    def keys_after(self, pk, descending=False):
        keys = self.sorted_keys()
        if descending:
            index = bisect.bisect_left(keys, pk) if pk is not None else len(keys)
            return (keys[i] for i in range(index - 1, -1, -1))
        index = bisect.bisect_right(keys, pk) if pk is not None else 0
        return (keys[i] for i in range(index, len(keys)))


TABLES = (
    "shops", "tax_categories", "employee_roles", "registers", "employees", "price_levels", "payment_types",
    "categories", "manufacturers", "item_attribute_sets", "item_matrices", "items", "item_shops", "customers", "sales",
    "sale_lines", "sale_payments", "ship_tos", "quotes",
)


class State:
    def __init__(self, account):
        self.lock = threading.RLock()
        self.account = account
        for name in TABLES:
            setattr(self, name, Table())
        self.item_shops_by_item = {}
        self.items_by_matrix = {}
        self._ids = {}
        self.version = 0
        self.table_versions = {}

    def touch(self, *tables):
        """Invalidate sort indexes of `tables` (all when none given). Every write path calls it; call it
        after mutating records directly."""
        if not tables:
            self.version += 1
        for table in tables:
            self.table_versions[table] = self.table_versions.get(table, 0) + 1

    def version_of(self, table):
        return (self.version, self.table_versions.get(table, 0))

    def next_id(self, table):
        current = self._ids.get(table)
        if current is None:
            current = max(getattr(self, table).keys(), default=0)
        self._ids[table] = current + 1
        return current + 1

    def add(self, table, record, pk):
        getattr(self, table)[pk] = record
        return record

    def add_item_shop(self, item_shop):
        self.item_shops[item_shop.item_shop_id] = item_shop
        self.item_shops.index_move("timeStamp", None, (item_shop.time_stamp, item_shop.item_shop_id))
        self.item_shops_by_item.setdefault(item_shop.item_id, []).append(item_shop)

    def price_level_ids(self):
        return list(self.price_levels.keys())
