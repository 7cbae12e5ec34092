"""Create (or reset) a local editor account for development and print its credentials."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

USERNAME = "editor"
PASSWORD = "techflow-local-editor"


class Command(BaseCommand):
    help = "Local development only: an 'editor' account in the Editor group, with a known password."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Refusing to create a known-password account with DJANGO_DEBUG off.")
        user, _ = get_user_model().objects.get_or_create(username=USERNAME)
        user.is_staff = True
        user.is_active = True
        user.set_password(PASSWORD)
        user.save()
        group = Group.objects.filter(name="Editor").first()
        if group:
            user.groups.add(group)
        self.stdout.write(self.style.SUCCESS(
            f"Local editor account (development only): username '{USERNAME}', password '{PASSWORD}'"
        ))
