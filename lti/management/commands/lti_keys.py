"""``manage.py lti_keys [rotate|retire|show]``: the tool's signing keys (the JWKS platforms read)."""
from django.core.management.base import BaseCommand

from lti import keys


class Command(BaseCommand):
    help = "Show, rotate or retire the LTI tool's signing keys."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["show", "rotate", "retire"], nargs="?", default="show")

    def handle(self, *args, **options):
        if options["action"] == "rotate":
            new_key, retired = keys.rotate()
            self.stdout.write(self.style.SUCCESS(f"New signing key {new_key}; {retired} retired."))
        elif options["action"] == "retire":
            self.stdout.write(f"{keys.retire_superseded()} keys retired.")
        keys.current_key()
        for jwk in keys.jwks()["keys"]:
            self.stdout.write(f"active key {jwk['kid']}")
