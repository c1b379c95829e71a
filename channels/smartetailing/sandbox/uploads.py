"""What the POS FTP received: the last inventory file per location, and each row's mapping state.

The file format is OURS (PROVISIONAL, docs/smartetailing.md "Inventory file"): CSV, UTF-8, header row
`Location,POS SKU,UPC,EAN,MPN,Description,Brand,Category,QOH,Regular Price,Sale Price,Default Cost,MSRP`;
the file is named `inventory_<descriptor, percent-encoded>.csv` and every row's `Location` repeats the
location's Neighborhood Descriptor, matched exactly (case-sensitively). A header-only file is valid: no item
of that location is sent (every SKU goes missing).
Mapping states, as SmartEtailing's Pending Mapping shows them: mapped (a SKU the merchant mapped),
pending_gtin (its UPC/EAN matches a website item), pending_mpn (only its MPN does), unmatched, and
missing_sku (in the previous file of that location, absent now).
"""
import csv
import io
import threading
from urllib.parse import unquote

HEADER = ["Location", "POS SKU", "UPC", "EAN", "MPN", "Description", "Brand", "Category", "QOH",
          "Regular Price", "Sale Price", "Default Cost", "MSRP"]


class UploadRejected(ValueError):
    pass


class UploadStore:
    def __init__(self, locations, catalog):
        self.locations = set(locations)
        self.gtins = {g for c in catalog for g in (c.get("gtin1"), c.get("gtin2")) if g}
        self.mpns = {c["mpn"] for c in catalog if c.get("mpn")}
        self.mapped_skus = set()
        self.last = {}  # location -> {"file", "rows", "states", "missing_skus", "at"}
        self.received = []  # every file: {"file", "location", "rows", "error"}
        self.lock = threading.Lock()

    def receive(self, file_name, data, at=None):
        try:
            location, rows = parse(file_name, data, self.locations)
        except UploadRejected as exc:
            with self.lock:
                self.received.append({"file": file_name, "location": None, "rows": 0, "error": str(exc)})
            return None
        with self.lock:
            previous = self.last.get(location)
            skus = {r["POS SKU"] for r in rows}
            missing = sorted({r["POS SKU"] for r in previous["rows"]} - skus) if previous else []
            states = {r["POS SKU"]: self.state_of(r) for r in rows}
            self.last[location] = {"file": file_name, "rows": rows, "states": states, "missing_skus": missing,
                                   "at": at}
            self.received.append({"file": file_name, "location": location, "rows": len(rows), "error": ""})
        return location

    def state_of(self, row):
        if row["POS SKU"] in self.mapped_skus:
            return "mapped"
        if (row["UPC"] and row["UPC"] in self.gtins) or (row["EAN"] and row["EAN"] in self.gtins):
            return "pending_gtin"
        if row["MPN"] and row["MPN"] in self.mpns:
            return "pending_mpn"
        return "unmatched"

    def accept_pending(self):
        """The merchant ticks "Map" on every pending row."""
        with self.lock:
            for upload in self.last.values():
                for sku, state in upload["states"].items():
                    if state.startswith("pending"):
                        self.mapped_skus.add(sku)
                        upload["states"][sku] = "mapped"
        return len(self.mapped_skus)


def location_of(file_name):
    name = file_name.rsplit("/", 1)[-1]
    if not (name.startswith("inventory_") and name.endswith(".csv")):
        raise UploadRejected(f"{name!r}: inventory files are named inventory_<Neighborhood Descriptor>.csv")
    return unquote(name[len("inventory_"):-len(".csv")])


def parse(file_name, data, locations):
    location = location_of(file_name)
    if location not in locations:
        raise UploadRejected(f"no location has the Neighborhood Descriptor {location!r} (exact match)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise UploadRejected("the file is not UTF-8") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header != HEADER:
        raise UploadRejected(f"unexpected header {header!r}")
    rows = [dict(zip(HEADER, line)) for line in reader if line]
    if any(len(r) != len(HEADER) for r in rows):
        raise UploadRejected("a row has the wrong number of columns")
    others = sorted({r["Location"] for r in rows} - {location})
    if others:
        raise UploadRejected(f"the file is for {location!r} but rows name {others}")
    return location, rows
