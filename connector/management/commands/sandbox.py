"""`python manage.py sandbox <channel> --port PORT ...` serves one channel's API simulator on 127.0.0.1.

Each channel declares its sandbox (`Channel.sandbox`): a server module with `add_arguments(parser)`
and `serve(stdout, port, **options)`.
"""
import sys

from django.core.management.base import BaseCommand

from connector.channels import channels_all


def sandboxes():
    return {c.key: c.sandbox for c in channels_all() if c.sandbox is not None}


def _name_from_argv():
    try:
        i = sys.argv.index("sandbox")
        return sys.argv[i + 1]
    except (ValueError, IndexError):
        return None


class Command(BaseCommand):
    help = "Serve a channel's API sandbox on 127.0.0.1"

    def add_arguments(self, parser):
        specs = sandboxes()
        parser.add_argument("name", choices=sorted(specs))
        parser.add_argument("--port", type=int, required=True)
        name = _name_from_argv()
        if name in specs:
            specs[name].server().add_arguments(parser)

    def handle(self, name, **options):
        sandboxes()[name].server().serve(stdout=self.stdout, **options)
