from django.core.management.base import BaseCommand, CommandError

from connector.health import health_problems


class Command(BaseCommand):
    help = "Exit 0 when the database and cache answer (and, with --tick-max-age, the scheduler ticked lately)."

    def add_arguments(self, parser):
        parser.add_argument("--tick-max-age", type=int, default=None, metavar="SECONDS",
                            help="also fail when the beat tick has not run for this long (beat's health check)")

    def handle(self, tick_max_age, **options):
        problems = health_problems(tick_max_age=tick_max_age)
        if problems:
            raise CommandError("; ".join(problems))
        self.stdout.write("ok")
