from django.core.management.base import BaseCommand, CommandError

from motcua.portal.services import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the demo commune, accounts, catalogue and news (needs DEMO=1; safe to run again)."

    def handle(self, *args, **options):
        try:
            logins = load_demo()
        except RuntimeError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Tài khoản dùng thử (mật khẩu: {DEMO_PASSWORD}):")
        for line in logins:
            self.stdout.write("  " + line)
