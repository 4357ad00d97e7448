"""``seed_demo``: the sandbox's demo course (people, cohorts, roles, forum threads) and, with ``--base-url``,
the demo LTI platform registered in the tool at that address. Idempotent."""
from django.core.management.base import BaseCommand

from xblocks.core.settings import conf

from ... import demo, lti_platform


class Command(BaseCommand):
    help = "Seed the sandbox's demo course: two cohorts, learners, staff, an advocate and forum threads."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="", help="Register the demo LTI platform at this address, and print what to open there when done.")

    def handle(self, *args, **options):
        users, groups, forums, written = demo.seed(log=self.stdout.write)
        if not written:
            self.stdout.write(f"Demo course ready ({len(users)} people, {len(forums)} forum(s) already seeded).")
        if options["base_url"]:
            lti_platform.register(options["base_url"].rstrip("/"))  # the demo LTI platform, at this address
            self.stdout.write(self.what_to_open(options["base_url"].rstrip("/"), groups))

    @staticmethod
    def what_to_open(base, groups):
        def people(usernames):
            return ", ".join(usernames)

        cohort_lines = [
            f"    {group.name + ':':<28}{people(group.members.order_by('username').values_list('username', flat=True))}"
            for group in groups
        ]
        staff = [s[0] for s in demo.STAFF]
        advocates = [f"{a[0][0]} ({a[1]})" for a in demo.ADVOCATES]
        return "\n".join([
            "",
            f"Social Learning Suite sandbox: {conf('LOCAL_COURSE_NAME')} ({conf('LOCAL_COURSE_KEY')})",
            f"  Course unit with the cohort forum  {base}/",
            f"  Events the blocks published        {base}/sandbox/events/",
            f"  The LTI tool, in a demo platform   {base}/sandbox/lti-platform/",
            f"  All Workbench scenarios            {base}/workbench/",
            f"  Django admin                       {base}/admin/   (user {demo.ADMIN_USERNAME}, "
            f"password {demo.ADMIN_PASSWORD})",
            "  Demo people (sign in as any of them with one click on the home page):",
            *cohort_lines,
            f"    {'Staff:':<28}{people(staff)}",
            f"    {'Community advocate:':<28}{people(advocates)}",
            "",
        ])
