"""Formatting helpers for article templates; no queries here."""

from django import template
from django.conf import settings
from django.utils.http import urlencode
from django.utils.translation import get_language

from ..models import localized

register = template.Library()


@register.filter
def names(people):
    """"A, B et C" in the interface language."""
    people = [str(p) for p in people]
    if len(people) < 2:
        return "".join(people)
    word = {"fr": "et", "en": "and"}.get((get_language() or "en")[:2], "&")
    return f"{', '.join(people[:-1])} {word} {people[-1]}"


@register.filter
def language_name(code):
    """A language's name in that language (endonym), e.g. "Français"."""
    return dict(settings.CONTENT_LANGUAGES).get(code, code)


@register.filter
def in_language(values, language=None):
    """The entry of a {language: text} dict for the interface language, with fallbacks."""
    return localized(values, language)


@register.simple_tag
def reason_in(acknowledgement, language):
    return acknowledgement.reason(language)


@register.simple_tag
def note_in(acknowledgement, language):
    return acknowledgement.note(language)


@register.filter
def switch_query(link):
    """The language switcher's query string for {"code": ..., "url": ...}."""
    return urlencode({"language": link["code"], "next": link["url"]})
