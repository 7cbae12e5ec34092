"""Forms of the editors' desk: ordered credits, action pages, the status matrix filter, the import page."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from markdownx.widgets import AdminMarkdownxWidget

from .importer import (
    ArticleImportError, ParsedAcknowledgement, ParsedArticle, ParsedLink, parse_file_text,
)
from .models import Section
from .rendering import split_paragraphs


def _content_language_choices(blank=None):
    choices = list(settings.CONTENT_LANGUAGES)
    return [("", blank), *choices] if blank is not None else choices


class OrderedInlineForm(forms.ModelForm):
    """An inline row with an "order" number; the admin renumbers `position` from it on save."""

    # Not `position` itself: validating that against the database would refuse a simple swap.
    order = forms.IntegerField(
        label=_("order"), min_value=1, max_value=999, required=False,
        widget=forms.NumberInput(attrs={"class": "vIntegerField"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["order"].initial = self.instance.position + 1


class ScheduleForm(forms.Form):
    """The time chosen on the "schedule" action page, in the newsroom’s time zone."""

    publish_at = forms.DateTimeField(
        label=_("publish at"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publish_at"].help_text = gettext(
            "Date and time in the newsroom’s time zone (%(zone)s)."
        ) % {"zone": settings.TIME_ZONE}

    def clean_publish_at(self):
        value = self.cleaned_data["publish_at"]
        if value <= timezone.now():
            raise ValidationError(_("Choose a time in the future."))
        return value


class DuplicateForm(forms.Form):
    """The language the copy of a translation is made in."""

    language = forms.ChoiceField(label=_("new language"), choices=_content_language_choices)


class MatrixFilterForm(forms.Form):
    """The status matrix's filters; every field may stay empty."""

    STATES = [
        ("missing", _("missing")),
        ("draft", _("draft")),
        ("in_review", _("in review")),
        ("scheduled", _("scheduled")),
        ("published", _("published")),
        ("outdated", _("outdated")),
        ("archived", _("archived")),
    ]

    section = forms.ModelChoiceField(
        label=_("section"), queryset=Section.objects.all(), to_field_name="slug", required=False,
        empty_label=_("All sections"),
    )
    language = forms.ChoiceField(
        label=_("language"), required=False, choices=lambda: _content_language_choices(_("All languages")),
    )
    state = forms.ChoiceField(
        label=_("state"), required=False, choices=[("", _("Any state")), *STATES],
    )


# --- Paste and import ------------------------------------------------------------------------------

def _max_file_bytes():
    # As the importer's own limit: up to four bytes a character, plus room for the header and footer.
    return settings.MAX_BODY_CHARS * 4 + 65_536


class ImportSourceForm(forms.Form):
    """Step one: the pasted text or an uploaded file, with optional hints for the parser."""

    text = forms.CharField(
        label=_("article text"), required=False, strip=False,
        widget=forms.Textarea(attrs={"rows": 20, "cols": 100, "class": "vLargeTextField"}),
        help_text=_("Paste the whole article: plain text as published, or Markdown with a front matter."),
    )
    file = forms.FileField(
        label=_("or a file"), required=False,
        help_text=_("A UTF-8 text (.txt) or Markdown (.md) file."),
    )
    language = forms.ChoiceField(
        label=_("language"), required=False,
        choices=lambda: _content_language_choices(_("Recognise it")),
    )
    section = forms.CharField(label=_("section"), required=False, max_length=200)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        if upload.size > _max_file_bytes():
            raise ValidationError(_("The file is too large to be an article."))
        try:
            return upload.name, upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError(_("The file is not UTF-8 text.")) from None

    def clean(self):
        data = super().clean()
        text, upload = data.get("text", ""), data.get("file")
        if upload and text.strip():
            raise ValidationError(_("Paste a text or choose a file, not both."))
        if not upload and not text.strip() and not self.errors:
            raise ValidationError(_("Paste the article’s text or choose a file."))
        return data

    def source(self):
        """(text, is_markdown) of what was given; None for is_markdown lets front matter decide."""
        upload = self.cleaned_data.get("file")
        if upload:
            name, text = upload
            return text, (True if name.lower().endswith((".md", ".markdown")) else None)
        return self.cleaned_data["text"], None

    def parse(self):
        text, markdown = self.source()
        return parse_file_text(
            text, language=self.cleaned_data.get("language") or None,
            section=self.cleaned_data.get("section") or None, markdown=markdown,
        )


def _lines(value):
    return [line.strip() for line in value.splitlines() if line.strip()]


def _ack_line(item):
    parts = [item.name, item.reason, item.note]
    while len(parts) > 1 and not parts[-1]:
        parts.pop()
    return " | ".join(parts)


class ImportReviewForm(forms.Form):
    """Step two: what was recognised, for the editor to correct before confirming."""

    source = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)
    is_markdown = forms.BooleanField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("title"), max_length=300, widget=forms.TextInput(attrs={"class": "vLargeTextField"}))
    language = forms.ChoiceField(label=_("language"), choices=lambda: _content_language_choices(""))
    section = forms.CharField(
        label=_("section"), max_length=200, required=False, widget=forms.TextInput(attrs={"class": "vTextField"}),
    )
    standfirst = forms.CharField(
        label=_("standfirst"), required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 100})
    )
    authors = forms.CharField(
        label=_("authors"), required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("One name per line, in byline order."),
    )
    translators = forms.CharField(
        label=_("translators"), required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("One name per line, in byline order."),
    )
    acknowledgements = forms.CharField(
        label=_("acknowledgements"), required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 100}),
        help_text=_("One per line: name | reason | note (reason and note may be left out)."),
    )
    community_links = forms.CharField(
        label=_("community links"), required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 100}),
        help_text=_("One per line: label | https://address"),
    )
    body = forms.CharField(
        label=_("body"), strip=False,
        # The same editor as the translation page: live preview through the project's renderer.
        widget=AdminMarkdownxWidget(attrs={"rows": 24, "cols": 100}),
        help_text=_("Markdown; paragraphs are separated by a blank line."),
    )
    publish = forms.BooleanField(label=_("publish now"), required=False)

    @classmethod
    def initial_from(cls, parsed, source, is_markdown):
        return {
            "source": source,
            "is_markdown": bool(is_markdown),
            "title": parsed.title,
            "language": parsed.language,
            "section": parsed.section,
            "standfirst": parsed.standfirst,
            "authors": "\n".join(parsed.authors),
            "translators": "\n".join(parsed.translators),
            "acknowledgements": "\n".join(_ack_line(a) for a in parsed.acknowledgements),
            "community_links": "\n".join(f"{link.label} | {link.url}" for link in parsed.community_links),
            "body": parsed.body,
        }

    def clean_body(self):
        body = self.cleaned_data["body"].replace("\r\n", "\n").strip("\n")
        if len(body) > settings.MAX_BODY_CHARS:
            raise ValidationError(
                _("The body is too long (%(n)s characters; the limit is %(max)s).")
                % {"n": len(body), "max": settings.MAX_BODY_CHARS}
            )
        return body

    def clean_acknowledgements(self):
        items = []
        for number, line in enumerate(_lines(self.cleaned_data["acknowledgements"]), start=1):
            parts = [part.strip() for part in line.split("|")]
            if len(parts) > 3 or not parts[0]:
                raise ValidationError(
                    _("Line %(n)s: write “name | reason | note”.") % {"n": number}
                )
            items.append(ParsedAcknowledgement(*parts))
        return items

    def clean_community_links(self):
        links, check = [], URLValidator(schemes=["http", "https"])
        for number, line in enumerate(_lines(self.cleaned_data["community_links"]), start=1):
            label, _bar, url = (part.strip() for part in line.rpartition("|"))
            if not label or not url:
                raise ValidationError(_("Line %(n)s: write “label | https://address”.") % {"n": number})
            try:
                check(url)
            except ValidationError:
                raise ValidationError(
                    _("Line %(n)s: “%(url)s” is not a web address.") % {"n": number, "url": url}
                ) from None
            links.append(ParsedLink(label, url))
        return links

    def _original(self):
        """What the source itself holds beyond the form: front-matter data, other languages' thanks."""
        source = self.cleaned_data.get("source") or ""
        if not source.strip():
            return ParsedArticle()
        try:
            return parse_file_text(source, markdown=self.cleaned_data.get("is_markdown") or None)
        except ArticleImportError:
            return ParsedArticle()

    def to_parsed(self):
        """A ParsedArticle from the corrected fields, keeping what only the source file states."""
        data = self.cleaned_data
        original = self._original()
        by_name = {a.name.casefold(): a for a in original.acknowledgements}
        acknowledgements = []
        for item in data["acknowledgements"]:
            known = by_name.get(item.name.casefold())
            if known:
                item.reasons, item.notes = dict(known.reasons), dict(known.notes)
            acknowledgements.append(item)
        return ParsedArticle(
            title=data["title"],
            language=data["language"],
            section=data["section"],
            standfirst=data["standfirst"].strip(),
            authors=_lines(data["authors"]),
            translators=_lines(data["translators"]),
            acknowledgements=acknowledgements,
            community_links=data["community_links"],
            welcome=original.welcome,
            paragraphs=split_paragraphs(data["body"]),
            warnings=list(original.warnings),
            meta=dict(original.meta),
            verbatim_body=data["body"],
        )
