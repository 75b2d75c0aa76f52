from django.conf import settings
from django.core.management.base import BaseCommand

from tools.demo import load_demo


class Command(BaseCommand):
    help = "Charge le contenu de démonstration (sans rien modifier de ce qui existe déjà)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-accounts", action="store_true", help="Ne pas créer les comptes de démonstration."
        )

    def handle(self, *args, **options):
        with_accounts = settings.DEMO_MODE and not options["no_accounts"]
        result = load_demo(with_accounts=with_accounts)
        self.stdout.write(f"Articles de démonstration créés : {result['created']}")
        if result["live"]:
            self.stdout.write(
                f"Direct de démonstration : {result['live'].article.get_absolute_url()}"
            )
        for username, password, role in result["accounts"]:
            self.stdout.write(f"  {role} — identifiant : {username} / mot de passe : {password}")
