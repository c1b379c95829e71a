"""A clear message instead of a psycopg traceback when DATABASE_URL names a database that does not exist
(or a server that does not answer): what is wrong and the command that fixes it."""
import re

from django.conf import settings

MISSING = re.compile(r'database "(?P<name>[^"]+)" does not exist')


def database_problem_hint(exc):
    """The owner-readable hint for a connection error, or None when it is something else."""
    text = str(exc)
    db = settings.DATABASES.get("default", {})
    if match := MISSING.search(text):
        host, port, user = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432, db.get("USER") or "postgres"
        return (f'The database "{match["name"]}" named by DATABASE_URL does not exist on {host}:{port}.\n'
                f'Create it, then run this again:\n'
                f'    createdb -h {host} -p {port} -U {user} {match["name"]}\n'
                f'(or: psql -h {host} -p {port} -U {user} -c \'CREATE DATABASE "{match["name"]}"\')')
    if "Connection refused" in text or "could not connect" in text.lower():
        return (f"Could not reach the database server of DATABASE_URL ({db.get('HOST')}:{db.get('PORT')}). "
                f"Is PostgreSQL running? Without DATABASE_URL the demo uses SQLite under var/.")
    return None
