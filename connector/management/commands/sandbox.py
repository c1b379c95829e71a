"""`python manage.py sandbox <name> --port PORT ...` serves one API simulator on 127.0.0.1.

Each sandbox package has a `server` module with `add_arguments(parser)` and `serve(**options)`.
"""
import sys
from importlib import import_module

from django.core.management.base import BaseCommand, CommandError

SANDBOXES = {
    "lightspeed": "lightspeed.sandbox.server",
    "miinto": "channels.miinto.sandbox.server",
}


def _name_from_argv():
    try:
        i = sys.argv.index("sandbox")
        return sys.argv[i + 1]
    except (ValueError, IndexError):
        return None


class Command(BaseCommand):
    help = "Serve an API sandbox on 127.0.0.1: " + ", ".join(SANDBOXES)

    def add_arguments(self, parser):
        parser.add_argument("name", choices=sorted(SANDBOXES))
        parser.add_argument("--port", type=int, required=True)
        name = _name_from_argv()
        if name in SANDBOXES:
            import_module(SANDBOXES[name]).add_arguments(parser)

    def handle(self, name, **options):
        try:
            server = import_module(SANDBOXES[name])
        except ModuleNotFoundError as exc:
            raise CommandError(f"sandbox {name!r} is not available: {exc}") from None
        server.serve(stdout=self.stdout, **options)
