"""A date-time column that reads a stored date outside the portal's range as no date.

New dates are checked where they are read (``articles.dates.in_range``:
feeds, files, the admin form), but a row may already hold one: an older
import stored 9999-12-31 (which overflows when turned into local time) or
year 1 (stored by PostgreSQL as a BC date, which psycopg cannot load at all,
so any query selecting the row failed).  This field selects the column as
``CASE WHEN col in range THEN col END``, so every page, feed, API, the admin
and indexing see such an article as undated, and saving it again stores no
date.  Filters and ordering still use the column itself.
"""

import datetime as dt

from django.db import models

from .dates import EARLIEST, LATEST


class InRangeDateTimeField(models.DateTimeField):
    """``DateTimeField`` whose values outside ``EARLIEST``..``LATEST`` (by UTC day) read as ``None``."""

    def select_format(self, compiler, sql, params):
        sql, params = super().select_format(compiler, sql, params)
        ops = compiler.connection.ops
        low = ops.adapt_datetimefield_value(dt.datetime.combine(EARLIEST, dt.time(), dt.UTC))
        high = ops.adapt_datetimefield_value(dt.datetime.combine(LATEST + dt.timedelta(days=1), dt.time(), dt.UTC))
        return f"CASE WHEN {sql} >= %s AND {sql} < %s THEN {sql} END", (*params, low, *params, high, *params)

    def deconstruct(self):
        # Stored exactly as a DateTimeField: migrations need not know the difference.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateTimeField", args, kwargs
