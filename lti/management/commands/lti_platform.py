"""``manage.py lti_platform``: register an LTI 1.3 platform and its deployments by hand.

    manage.py lti_platform add --name "Our Moodle" --issuer https://moodle.example.org \
        --client-id AbC123 --auth-url https://moodle.example.org/mod/lti/auth.php \
        --token-url https://moodle.example.org/mod/lti/token.php \
        --keyset-url https://moodle.example.org/mod/lti/certs.php --deployment 1
    manage.py lti_platform deployment --issuer ... --client-id ... --deployment 2 [--inactive]
    manage.py lti_platform list
"""
import requests
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator
from django.db import transaction
from lti_tool.models import LtiDeployment, LtiRegistration

from lti import safe_fetch


class Command(BaseCommand):
    help = "Register LTI 1.3 platforms and deployments, or list them."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="Add or update a platform registration.")
        add.add_argument("--name", required=True)
        add.add_argument("--issuer", required=True)
        add.add_argument("--client-id", required=True)
        add.add_argument("--auth-url", required=True, help="The platform's OIDC authentication URL.")
        add.add_argument("--token-url", required=True, help="The platform's OAuth2 access token URL.")
        add.add_argument("--keyset-url", required=True, help="The platform's public keyset (JWKS) URL.")
        add.add_argument("--audience", default="", help="The token endpoint's audience, when not its URL.")
        add.add_argument("--deployment", action="append", default=[], help="A deployment ID (repeatable).")
        dep = sub.add_parser("deployment", help="Add, activate or deactivate a deployment.")
        dep.add_argument("--issuer", required=True)
        dep.add_argument("--client-id", required=True)
        dep.add_argument("--deployment", required=True)
        dep.add_argument("--inactive", action="store_true", help="Deactivate it instead.")
        sub.add_parser("list", help="List registrations and their deployments.")

    def handle(self, *args, **options):
        getattr(self, "do_" + options["action"])(options)

    def do_add(self, options):
        validate = URLValidator(schemes=["http", "https"])
        for name in ("issuer", "auth_url", "token_url", "keyset_url"):
            try:
                validate(options[name])
            except ValidationError as err:
                raise CommandError(f"--{name.replace('_', '-')}: {options[name]!r} is not an http(s) URL.") from err
        with transaction.atomic():
            registration, created = LtiRegistration.objects.update_or_create(
                issuer=options["issuer"], client_id=options["client_id"],
                defaults={"name": options["name"], "auth_url": options["auth_url"], "token_url": options["token_url"],
                          "keyset_url": options["keyset_url"], "audience": options["audience"], "is_active": True})
            for deployment_id in options["deployment"]:
                LtiDeployment.objects.update_or_create(registration=registration, deployment_id=deployment_id,
                                                       defaults={"is_active": True})
        verb = "Registered" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(
            f"{verb} {registration.name} (issuer {registration.issuer}, client ID {registration.client_id}) "
            f"with {len(options['deployment'])} active deployment(s)."))
        self.warn_about_refused_urls(options)

    def warn_about_refused_urls(self, options):
        """Say now, not at the first launch, when the tool will refuse to call the platform's keys or tokens."""
        for option in ("token_url", "keyset_url"):
            try:
                safe_fetch.check_url(options[option], safe_fetch.own_hosts(), resolve=True)
            except safe_fetch.Refused as err:
                self.stderr.write(self.style.WARNING(
                    f"--{option.replace('_', '-')} ({err.code}): {err.message} If this platform is yours, add "
                    f"\"{err.host}\" to SOCIAL_LEARNING_LTI[\"ALLOWED_PLATFORM_HOSTS\"]."))
            except requests.RequestException:
                pass  # not resolvable from here now: the call at launch time says so if it lasts

    def do_deployment(self, options):
        registration = LtiRegistration.objects.filter(issuer=options["issuer"], client_id=options["client_id"]).first()
        if registration is None:
            raise CommandError("No registration with that issuer and client ID; add it first.")
        deployment, _created = LtiDeployment.objects.update_or_create(
            registration=registration, deployment_id=options["deployment"],
            defaults={"is_active": not options["inactive"]})
        state = "active" if deployment.is_active else "inactive"
        self.stdout.write(self.style.SUCCESS(f"Deployment {deployment.deployment_id} is {state}."))

    def do_list(self, options):  # pylint: disable=unused-argument
        for registration in LtiRegistration.objects.order_by("name"):
            flag = "" if registration.is_active else " (inactive)"
            self.stdout.write(f"{registration.name}{flag}: issuer {registration.issuer}, client ID {registration.client_id}")
            for deployment in registration.deployments.order_by("deployment_id"):
                state = "active" if deployment.is_active else "inactive"
                self.stdout.write(f"  deployment {deployment.deployment_id} ({state})")
