"""Create (or reset) local editor and translator accounts for development, and print their credentials."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from articles.models import Author

ACCOUNTS = [
    # username, password, group, staff, Author credited for their work
    ("editor", "techflow-local-editor", "Editor", True, None),
    ("camille", "techflow-local-translator", "Translator", False, "Camille Martin"),
]


class Command(BaseCommand):
    help = "Local development only: an 'editor' and a French translator 'camille', with known passwords."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Refusing to create a known-password account with DJANGO_DEBUG off.")
        for username, password, group, is_staff, author_name in ACCOUNTS:
            user, _ = get_user_model().objects.get_or_create(username=username)
            user.is_staff, user.is_active = is_staff, True
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get(name=group))
            if author_name:
                author, _ = Author.objects.get_or_create(name=author_name, defaults={"languages": ["fr"]})
                if author.user_id != user.pk:
                    author.user = user
                    author.save(update_fields=["user"])
            self.stdout.write(self.style.SUCCESS(
                f"Local {group.lower()} account (development only): "
                f"username '{username}', password '{password}'"
            ))
