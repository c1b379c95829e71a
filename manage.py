#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "connector.settings")
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError

    try:
        execute_from_command_line(sys.argv)
    except OperationalError as exc:  # e.g. DATABASE_URL names a database that does not exist: say how to fix it
        from connector.db_hint import database_problem_hint

        hint = database_problem_hint(exc)
        if hint is None:
            raise
        sys.stderr.write(f"{hint}\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
