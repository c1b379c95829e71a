"""The sandbox's in-memory data: compact slotted records in dicts keyed by int id.

Catalog records (Item, ItemShop) are kept small so 100,000 items fit in modest memory; JSON is
rendered per request. Times are integer epoch seconds (sandbox time), money is Decimal or cents.
"""
import bisect
import threading


class Table(dict):
    """A dict of records keyed by ascending int id, with a cached sorted key list for cursor seeks."""

    __slots__ = ("_keys", "_keys_len", "_indexes")

    def __init__(self):
        super().__init__()
        self._keys = []
        self._keys_len = -1
        self._indexes = {}

    def sorted_index(self, name, key, version):
        """Sorted [(sort value, pk)] for a non-pk sort; rebuilt when the state version or size changed."""
        stamp = (version, len(self))
        cached = self._indexes.get(name)
        if cached is None or cached[0] != stamp:
            cached = (stamp, sorted(key(record) for record in self.values()))
            self._indexes[name] = cached
        return cached[1]

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
    "shops", "registers", "employees", "price_levels", "payment_types", "categories", "manufacturers",
    "item_matrices", "items", "item_shops", "customers", "sales", "sale_lines", "sale_payments", "ship_tos",
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

    def touch(self):
        """Invalidate sort indexes. Every write path calls it; call it after mutating records directly."""
        self.version += 1

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
        self.version += 1
        self.item_shops[item_shop.item_shop_id] = item_shop
        self.item_shops_by_item.setdefault(item_shop.item_id, []).append(item_shop)

    def price_level_ids(self):
        return list(self.price_levels.keys())
