from django.conf import settings
from django.core.management.base import BaseCommand

from connector.crypto import secrets_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every secret at rest with the first key of SECRETS_KEYS. Rotation: put the new key first "
        "(SECRETS_KEYS=new,old), deploy, run this command, then drop the old key."
    )

    def handle(self, **options):
        self.stdout.write(f"encrypting with the first of {len(settings.SECRETS_KEYS)} key(s)")
        for label, count in secrets_rotate().items():
            self.stdout.write(f"  {label}: {count} row(s) re-encrypted")
        self.stdout.write(self.style.SUCCESS("done; keys other than the first can now be removed"))
