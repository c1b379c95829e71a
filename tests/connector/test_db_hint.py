"""Issue 15 §19: a DATABASE_URL naming a database that does not exist gives a hint to create it, not a
psycopg traceback."""
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def test_a_missing_database_gives_a_hint_to_create_it():
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/no_such_db_issue15"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "connector.settings"}
    result = subprocess.run([sys.executable, "manage.py", "migrate", "--check"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert 'The database "no_such_db_issue15" named by DATABASE_URL does not exist' in result.stderr
    assert "createdb" in result.stderr and "no_such_db_issue15" in result.stderr
    assert "Traceback" not in result.stderr
