"""The seed's column mapping, as pure functions on plain inputs."""
import csv
import io
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from channels.miinto.feed import (
    COLUMNS, FeedItem, feed_cents, feed_gtin, feed_header, feed_id, feed_price, feed_problem, feed_render_tsv,
    feed_row, feed_stock_level, feed_text,
)


def item(**overrides):
    base = dict(ls_id=7, system_sku="210000000007", custom_sku="JKT-RED", ean="5701234567890",
                description="Rain jacket", note="Waterproof", manufacturer_name="Rains",
                category_name="Outerwear/Jackets", color="Red", size="M", price=Decimal("899.5"), qoh=3)
    base.update(overrides)
    return FeedItem(**base)


def test_header_is_the_seeds_eleven_columns_in_order():
    assert feed_header() == ("id", "gtin", "item_group_id", "title", "description", "price", "brand",
                             "product_type", "color", "size", "stock_level")
    assert feed_header(extra_columns=True, currency="sek")[11:] == (
        "c:stock_level:integer", "c:retail_price_SEK:integer", "image_link")


def test_row_maps_each_lightspeed_field_to_its_miinto_column():
    row = dict(zip(COLUMNS, feed_row(item())))
    assert row == {
        "id": "210000000007-JKT-RED", "gtin": "5701234567890", "item_group_id": "JKT-RED", "title": "Rain jacket",
        "description": "Waterproof", "price": "899.50", "brand": "Rains", "product_type": "Outerwear/Jackets",
        "color": "Red", "size": "M", "stock_level": "3",
    }


def test_extra_columns_give_stock_cents_and_empty_image():
    row = feed_row(item(price=Decimal("899.505"), qoh=-2), extra_columns=True)
    assert row[10:] == ("0", "0", "89951", "")


def test_id_is_system_sku_alone_without_custom_sku():
    assert feed_id("210000000007", "") == "210000000007"
    assert feed_id("210000000007", " A1 ") == "210000000007-A1"


def test_gtin_falls_back_to_system_sku():
    assert feed_gtin("", "210000000007") == "210000000007"
    assert feed_gtin("  ", "210000000007") == "210000000007"
    assert feed_gtin("5701234567890", "210000000007") == "5701234567890"


def test_price_has_two_decimals_rounded_half_up():
    assert feed_price(Decimal("10")) == "10.00"
    assert feed_price(Decimal("10.005")) == "10.01"
    assert feed_price(Decimal("0.0049")) == "0.00"
    assert feed_cents(Decimal("10.005")) == "1001"


def test_stock_level_is_never_negative_and_missing_is_zero():
    assert feed_stock_level(-4) == 0
    assert feed_stock_level(None) == 0
    assert feed_stock_level(12) == 12


def test_text_turns_tabs_newlines_and_controls_into_spaces():
    assert feed_text("a\tb\nc\r\nd\x00e\u2028f\x0bg") == "a b c  d e f g"
    assert feed_text(None) == ""
    assert feed_text('Say "hi" – ÆØÅ 😀') == 'Say "hi" – ÆØÅ 😀'


def test_problems_no_gtin_no_price_duplicate():
    assert feed_problem(item(ean="", system_sku=""), "", {}).kind == "no_gtin"
    assert feed_problem(item(price=None), "5701234567890", {}).kind == "no_price"
    assert feed_problem(item(price=Decimal("0.00")), "5701234567890", {}).kind == "no_price"
    dup = feed_problem(item(ls_id=9), "5701234567890", {"5701234567890": 7})
    assert dup.kind == "duplicate_gtin" and "item 7" in dup.message and "EAN" in dup.message
    assert feed_problem(item(), "5701234567890", {}) is None


def test_render_nasty_text_parses_back_with_excel_tab():
    nasty = ['tab\there', 'new\nline', 'cr\rreturn', 'quote "inside"', '"starts with quote', 'ends\\', 'æøå 日本 😀',
             "\u2028sep\u0085", "'single'", "a\t\"b\"\n c"]
    items = [item(ls_id=n, description=text, note=text, color=text, size=text, custom_sku=text)
             for n, text in enumerate(nasty)]
    feed_rows = [feed_header()] + [feed_row(i) for i in items]
    body = b"".join(feed_render_tsv(feed_rows, chunk_rows=3, first_chunk_rows=2)).decode("utf-8")
    assert "\r" not in body
    lines = body.split("\n")
    assert lines[-1] == "" and len(lines) == len(nasty) + 2  # one physical line per row, Unix newlines
    parsed = list(csv.reader(io.StringIO(body, newline=""), dialect="excel-tab"))
    assert parsed[0] == list(COLUMNS)
    assert all(len(row) == len(COLUMNS) for row in parsed)
    assert parsed[4][3] == 'quote "inside"'
    assert parsed[7][3] == "æøå 日本 😀"
    assert len(parsed) == len(nasty) + 1


def test_render_chunks_rows():
    chunks = list(feed_render_tsv([("a",), ("b",), ("c",), ("d",)], chunk_rows=2, first_chunk_rows=1))
    assert chunks == [b"a\n", b"b\nc\n", b"d\n"]


def test_row_fast_path_equals_per_field_functions():
    nasty = item(system_sku=" 21\t7 ", custom_sku="a\nb", ean="", description="x\u2028y", note=" n ")
    for it in (item(), item(custom_sku="", ean=""), nasty):
        row = feed_row(it)
        assert row[0] == feed_id(it.system_sku, it.custom_sku)
        assert row[1] == feed_gtin(it.ean, it.system_sku)
        assert row[2:5] == (feed_text(it.custom_sku), feed_text(it.description), feed_text(it.note))
    assert feed_row(nasty)[:4] == ("21 7-a b", "21 7", "a b", "x y")


def test_gzip_stream_round_trips():
    import gzip

    from channels.miinto.feed import feed_gzip

    chunks = [b"id\tgtin\n", "æøå\t1\n".encode() * 5000, b""]
    assert gzip.decompress(b"".join(feed_gzip(chunks))) == b"".join(chunks)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.one_of(st.text(), st.integers(), st.sampled_from(['"', "\t", "\n", "\r", "", " "])),
                         min_size=1, max_size=6), max_size=8))
def test_render_is_byte_for_byte_the_csv_modules(rows):
    buffer = io.StringIO()
    csv.writer(buffer, dialect="excel-tab", lineterminator="\n").writerows(rows)
    assert b"".join(feed_render_tsv(rows, chunk_rows=3, first_chunk_rows=2)) == buffer.getvalue().encode()
