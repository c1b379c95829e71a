"""Production mode passes `manage.py check --deploy` with no warning."""
import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]


def production_env():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECRETS_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="connector.settings",
        DJANGO_PRODUCTION="1",
        DJANGO_SECRET_KEY="x" * 20 + "-production-key-" + "q9Z!kR2#vL8$wN5%tB1^" * 2,
        DJANGO_ALLOWED_HOSTS="connector.example.com",
        SECRETS_KEYS=Fernet.generate_key().decode(),
    )
    return env


def manage(*args, env):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def test_check_deploy_passes_with_no_warning_in_production_mode():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_mode_refuses_to_start_without_its_secrets():
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
