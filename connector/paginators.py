"""A paginator for tables of millions of rows: it never counts the whole table.

Unfiltered lists take PostgreSQL's planner estimate (pg_class.reltuples); filtered lists
count at most CAP + 1 rows through the filter's index, so a page costs the same at 10k
or 10M rows.
"""
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

CAP = 10_000


def table_row_estimate(model, using="default"):
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table])
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] >= 0 else None


class EstimatedCountPaginator(Paginator):
    cap = CAP

    @cached_property
    def count(self):
        queryset = self.object_list
        if not queryset.query.where:
            estimate = table_row_estimate(queryset.model, queryset.db)
            if estimate is not None and estimate > self.cap:
                return estimate
        return queryset.order_by().values("pk")[: self.cap + 1].count()


class CappedLimitOffsetPagination(LimitOffsetPagination):
    """The API's pages: `limit` is capped (never more than MAX rows a request) and a huge `offset` is a 400
    (PostgreSQL's OFFSET is a bigint; a page a million rows deep is no real client's)."""

    max_limit = 200
    max_offset = 1_000_000

    def get_offset(self, request):
        raw = request.query_params.get(self.offset_query_param, "")
        if len(raw) > 12 or (raw.isdigit() and int(raw) > self.max_offset):
            raise ValidationError({"offset": f"Use an offset of at most {self.max_offset}."})
        return super().get_offset(request)
