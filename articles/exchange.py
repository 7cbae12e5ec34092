"""Translation jobs as XLIFF 2.0, XLIFF 1.2 and PO files for translators' own tools, and their return as revisions."""

import dataclasses
import re
import xml.etree.ElementTree as ET

import polib
from defusedxml import ElementTree as SafeET
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import workflow
from .models import Translation, localized
from .rendering import split_paragraphs

XLIFF2_NS = "urn:oasis:names:tc:xliff:document:2.0"
XLIFF12_NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
FORMATS = {
    "xliff2": ("application/xliff+xml", "xlf"),
    "xliff12": ("application/x-xliff+xml", "xliff"),
    "po": ("text/x-gettext-translation", "po"),
}
# techflow:<article key>:<language>:v<source version>:r<base revision number, 0 for none>
_JOB = re.compile(r"^techflow:(?P<key>[^:]+):(?P<language>[^:]+):v(?P<source>\d+):r(?P<base>\d+)$")


class ExchangeError(Exception):
    """A file or a job that cannot be exchanged; the message says what is wrong."""


@dataclasses.dataclass
class Unit:
    id: str
    source: str
    target: str = ""
    note: str = ""


@dataclasses.dataclass
class Job:
    """One translation at one source version: what a file is exported from and must come back to."""

    version: Translation
    source_version: int
    base: int
    source: tuple  # (title, standfirst, body) of the original at `source_version`

    @property
    def ident(self):
        return f"techflow:{self.version.article.key}:{self.version.language}:v{self.source_version}:r{self.base}"

    def units(self):
        title, standfirst, body = self.source
        version = self.version
        units = [Unit("title", title, version.title, _("Title"))]
        if standfirst.strip():
            units.append(Unit("standfirst", standfirst.strip(), version.standfirst, _("Standfirst")))
        sources, targets = split_paragraphs(body), split_paragraphs(version.body)
        # Existing text is offered only when it lines up paragraph for paragraph.
        aligned = len(sources) == len(targets)
        for index, paragraph in enumerate(sources):
            units.append(Unit(
                f"p{index + 1}", paragraph, targets[index] if aligned else "",
                _("Paragraph %(n)s of %(total)s") % {"n": index + 1, "total": len(sources)},
            ))
        return units

    def context(self):
        article = self.version.article
        lines = [
            _("Article: %(title)s (%(key)s)") % {"title": article.original_title or article.key, "key": article.key},
            _("Translation into %(language)s of source version %(n)s") % {
                "language": self.version.language, "n": self.source_version},
        ]
        if article.section_id:
            # The section as readers of the target language know it.
            name = localized(article.section.names, self.version.language) or article.section.slug
            lines.append(_("Section: %(name)s") % {"name": name})
        if article.source_url:
            lines.append(_("Original: %(url)s") % {"url": article.source_url})
        if article.source_outlet:
            lines.append(_("First published by %(outlet)s") % {"outlet": article.source_outlet})
        return lines


def source_text(article, number):
    """(title, standfirst, body) of the original at version `number`, or None when it is not known."""
    snapshot = article.source_versions.filter(number=number).first()
    if snapshot:
        return snapshot.title, snapshot.standfirst, snapshot.body
    original = article.translations.filter(language=article.original_language).first()
    if original and number == article.source_version:
        return original.title, original.standfirst, original.body
    return None


def job_for(version):
    """The job to export now: the current source, on top of the current revision."""
    article = version.article
    if version.language == article.original_language:
        raise ExchangeError(_("This is the original text; only translations are exchanged."))
    source = source_text(article, article.source_version)
    if source is None:
        raise ExchangeError(_("The original text is not held here, so there is nothing to translate from."))
    base = version.current_revision.number if version.current_revision_id else 0
    return Job(version, article.source_version, base, source)


# --- Writing ---------------------------------------------------------------------------------------


def _xml(root):
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def export_xliff2(job):
    ET.register_namespace("", XLIFF2_NS)
    n = f"{{{XLIFF2_NS}}}"
    article = job.version.article
    root = ET.Element(n + "xliff", {"version": "2.0", "srcLang": article.original_language,
                                    "trgLang": job.version.language})
    file = ET.SubElement(root, n + "file", {"id": f"{article.key}.{job.version.language}", "original": job.ident})
    notes = ET.SubElement(file, n + "notes")
    for line in job.context():
        ET.SubElement(notes, n + "note", {"category": "context"}).text = line
    for unit in job.units():
        element = ET.SubElement(file, n + "unit", {"id": unit.id, XML_SPACE: "preserve"})
        ET.SubElement(ET.SubElement(element, n + "notes"), n + "note", {"category": "location"}).text = unit.note
        segment = ET.SubElement(element, n + "segment", {"state": "translated" if unit.target else "initial"})
        ET.SubElement(segment, n + "source").text = unit.source
        if unit.target:
            ET.SubElement(segment, n + "target").text = unit.target
    return _xml(root)


def export_xliff12(job):
    ET.register_namespace("", XLIFF12_NS)
    n = f"{{{XLIFF12_NS}}}"
    article = job.version.article
    root = ET.Element(n + "xliff", {"version": "1.2"})
    file = ET.SubElement(root, n + "file", {
        "original": job.ident, "source-language": article.original_language,
        "target-language": job.version.language, "datatype": "plaintext",
    })
    header = ET.SubElement(file, n + "header")
    for line in job.context():
        ET.SubElement(header, n + "note").text = line
    body = ET.SubElement(file, n + "body")
    for unit in job.units():
        element = ET.SubElement(body, n + "trans-unit", {"id": unit.id, XML_SPACE: "preserve"})
        ET.SubElement(element, n + "source").text = unit.source
        if unit.target:
            ET.SubElement(element, n + "target", {"state": "translated"}).text = unit.target
        ET.SubElement(element, n + "note").text = unit.note
    return _xml(root)


def export_po(job):
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": f"TechFlow {job.version.article.key}",
        "Language": job.version.language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-TechFlow-Job": job.ident,
        "X-TechFlow-Source-Language": job.version.article.original_language,
    }
    po.header = "\n".join(job.context())
    for unit in job.units():
        po.append(polib.POEntry(msgctxt=unit.id, msgid=unit.source, msgstr=unit.target, comment=unit.note))
    return str(po).encode("utf-8")


EXPORTERS = {"xliff2": export_xliff2, "xliff12": export_xliff12, "po": export_po}


def export_job(version, fmt):
    """(bytes, content type, file name) of the job for `version` in `fmt`."""
    if fmt not in EXPORTERS:
        raise ExchangeError(_("Unknown format %(format)s.") % {"format": fmt})
    job = job_for(version)
    content_type, extension = FORMATS[fmt]
    return EXPORTERS[fmt](job), content_type, f"{version.article.key}.{version.language}.{extension}"


# --- Reading ---------------------------------------------------------------------------------------


@dataclasses.dataclass
class ParsedFile:
    format: str
    ident: str
    source_language: str | None
    target_language: str | None
    units: dict  # id -> (source, target)


def _text(element):
    return "".join(element.itertext()) if element is not None else ""


def _units_from(elements, parse):
    units = {}
    for element in elements:
        unit_id = element.get("id")
        if not unit_id:
            raise ExchangeError(_("A unit in the file has no id."))
        if unit_id in units:
            raise ExchangeError(_("The unit %(id)s appears twice.") % {"id": unit_id})
        units[unit_id] = parse(element)
    return units


def _parse_xliff(data):
    try:
        root = SafeET.fromstring(data)
    except SafeET.ParseError as error:
        raise ExchangeError(_("The file is not well-formed XML (%(error)s).") % {"error": error}) from None
    except Exception as error:  # defusedxml refuses entities and DTDs with its own exceptions
        raise ExchangeError(_("The file holds XML constructs that are not accepted (%(error)s).")
                            % {"error": type(error).__name__}) from None
    if root.tag == f"{{{XLIFF2_NS}}}xliff":
        n = f"{{{XLIFF2_NS}}}"
        files = root.findall(n + "file")
        if len(files) != 1:
            raise ExchangeError(_("The file must hold exactly one <file> element."))

        def parse(unit):
            segments = unit.findall(n + "segment")
            return ("".join(_text(s.find(n + "source")) for s in segments),
                    "".join(_text(s.find(n + "target")) for s in segments))

        return ParsedFile("xliff2", files[0].get("original", ""), root.get("srcLang"), root.get("trgLang"),
                          _units_from(files[0].iter(n + "unit"), parse))
    if root.tag == f"{{{XLIFF12_NS}}}xliff":
        n = f"{{{XLIFF12_NS}}}"
        files = root.findall(n + "file")
        if len(files) != 1:
            raise ExchangeError(_("The file must hold exactly one <file> element."))
        file = files[0]
        return ParsedFile(
            "xliff12", file.get("original", ""), file.get("source-language"), file.get("target-language"),
            _units_from(file.iter(n + "trans-unit"),
                        lambda u: (_text(u.find(n + "source")), _text(u.find(n + "target")))),
        )
    raise ExchangeError(_("This XML file is not XLIFF 2.0 or 1.2."))


def _parse_po(text):
    try:
        # A trailing newline keeps polib from taking a one-line upload for a path on the server.
        po = polib.pofile(text + "\n")
    except (OSError, ValueError) as error:
        raise ExchangeError(_("The file is not a readable PO file (%(error)s).") % {"error": error}) from None
    units = {}
    for entry in po:
        if entry.obsolete:
            continue
        if not entry.msgctxt:
            raise ExchangeError(_("A PO entry has no context (msgctxt); it did not come from this site."))
        if entry.msgctxt in units:
            raise ExchangeError(_("The unit %(id)s appears twice.") % {"id": entry.msgctxt})
        units[entry.msgctxt] = (entry.msgid, "" if "fuzzy" in entry.flags else entry.msgstr)
    return ParsedFile("po", po.metadata.get("X-TechFlow-Job", ""), po.metadata.get("X-TechFlow-Source-Language"),
                      po.metadata.get("Language"), units)


def parse_file(data):
    """Read an uploaded XLIFF 2.0, XLIFF 1.2 or PO file (bytes)."""
    if len(data) > settings.MAX_BODY_CHARS * 8:
        raise ExchangeError(_("The file is too large to be a translation of one article."))
    if not data.strip():
        raise ExchangeError(_("The file is empty."))
    if data.lstrip().startswith((b"<", b"\xef\xbb\xbf<")):
        return _parse_xliff(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ExchangeError(_("The file is neither XLIFF nor UTF-8 PO text.")) from None
    if "\x00" in text:
        raise ExchangeError(_("The file is not text."))
    return _parse_po(text)


@dataclasses.dataclass
class ImportReport:
    revision: object
    format: str
    changed_units: list


def _same(a, b):
    return (a or "").strip() == (b or "").strip()


def check_file(version, parsed):
    """The job a parsed file belongs to, after every check; raises ExchangeError naming the problem."""
    match = _JOB.match(parsed.ident or "")
    if not match:
        raise ExchangeError(_("This file was not exported by this site (it names no TechFlow translation job)."))
    article = version.article
    if match["key"] != article.key or match["language"] != version.language:
        raise ExchangeError(
            _("This file belongs to article “%(key)s” in %(language)s, not to this translation "
              "(“%(this_key)s” in %(this_language)s).")
            % {"key": match["key"], "language": match["language"], "this_key": article.key,
               "this_language": version.language})
    for stated, expected in ((parsed.source_language, article.original_language),
                             (parsed.target_language, version.language)):
        if stated and stated != expected:
            raise ExchangeError(_("The file's languages (%(source)s → %(target)s) do not match this job "
                                  "(%(expected_source)s → %(expected_target)s).")
                                % {"source": parsed.source_language, "target": parsed.target_language,
                                   "expected_source": article.original_language,
                                   "expected_target": version.language})
    number, base = int(match["source"]), int(match["base"])
    source = source_text(article, number)
    if source is None:
        raise ExchangeError(_("Source version %(n)s of this article is unknown here.") % {"n": number})
    job = Job(version, number, base, source)
    expected = {unit.id: unit for unit in job.units()}
    missing = [uid for uid in expected if uid not in parsed.units]
    extra = sorted(uid for uid in parsed.units if uid not in expected)
    if missing or extra:
        parts = []
        if missing:
            parts.append(_("missing units: %(ids)s") % {"ids": ", ".join(missing)})
        if extra:
            parts.append(_("unknown units: %(ids)s") % {"ids": ", ".join(extra)})
        raise ExchangeError(_("The file's units do not match the text it was exported from (%(details)s).")
                            % {"details": "; ".join(parts)})
    altered = [uid for uid, unit in expected.items() if not _same(parsed.units[uid][0], unit.source)]
    if altered:
        raise ExchangeError(_("The source text of %(ids)s differs from source version %(n)s: the file was "
                              "edited outside its targets, or belongs to another text.")
                            % {"ids": ", ".join(altered), "n": number})
    empty = [uid for uid in expected if not parsed.units[uid][1].strip()]
    if empty:
        raise ExchangeError(_("Some units have no translation: %(ids)s. Nothing was imported.")
                            % {"ids": ", ".join(empty)})
    return job


def changed_since(job):
    """Unit ids whose source differs between the file's source version and the current one."""
    article = job.version.article
    if job.source_version == article.source_version:
        return []
    current = source_text(article, article.source_version)
    if current is None:
        return []
    now = {unit.id: unit.source for unit in Job(job.version, article.source_version, 0, current).units()}
    return [unit.id for unit in job.units() if not _same(now.get(unit.id), unit.source)] + [
        uid for uid in now if uid not in {u.id for u in job.units()}]


def import_file(version, data, *, by, filename=""):
    """Check an uploaded file against its job and store its targets as a new submitted revision."""
    parsed = parse_file(data)
    job = check_file(version, parsed)
    targets = {uid: target.strip() for uid, (_source, target) in parsed.units.items()}
    paragraphs = [targets[f"p{i}"] for i in range(1, len(split_paragraphs(job.source[2])) + 1)]
    changed = changed_since(job)
    note = _("Imported from %(name)s (%(format)s), made from source version %(n)s.") % {
        "name": filename or _("an uploaded file"), "format": parsed.format, "n": job.source_version}
    if changed:
        note += " " + _("The source has changed since, in: %(ids)s.") % {"ids": ", ".join(changed)}
    base = version.revisions.filter(number=job.base).first() if job.base else None
    revision = workflow.submit_revision(
        version, by=by, title=targets["title"], standfirst=targets.get("standfirst", ""),
        body="\n\n".join(paragraphs), base=base, source_version=job.source_version, note=note,
    )
    return ImportReport(revision, parsed.format, changed)


# --- Views: download a job, upload it back ----------------------------------------------------------


def get_translation_for_exchange(request, pk):
    """The translation, if the user may work on it (editors, or its assigned translators); else 404/403."""
    version = get_object_or_404(Translation.objects.select_related("article__section", "current_revision"), pk=pk)
    if not workflow.can_translate(request.user, version):
        raise PermissionDenied(_("You cannot work on this translation."))
    return version


@login_required
def exchange_download(request, pk, fmt):
    version = get_translation_for_exchange(request, pk)
    try:
        data, content_type, name = export_job(version, fmt)
    except ExchangeError as error:
        return HttpResponse(str(error), status=409, content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def exchange_page(request, pk):
    """Download links and the upload form; an upload becomes a revision or is refused with the reason."""
    version = get_translation_for_exchange(request, pk)
    error, status = None, 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error, status = _("Choose a file to upload."), 400
        else:
            try:
                report = import_file(version, upload.read(), by=request.user, filename=upload.name)
            except ExchangeError as problem:
                error, status = str(problem), 400
            except workflow.InvalidTransition as problem:
                error, status = str(problem), 400
            else:
                messages.success(request, _("Revision %(n)s was created from %(name)s.")
                                 % {"n": report.revision.number, "name": upload.name})
                if report.changed_units:
                    messages.warning(request, _("The source has changed since this file was exported, in: "
                                                "%(ids)s. Check those paragraphs.")
                                     % {"ids": ", ".join(report.changed_units)})
                return redirect("translation_exchange", pk=version.pk)
    try:
        job_for(version)
        unavailable = None
    except ExchangeError as problem:
        unavailable = str(problem)
    return render(request, "exchange/translation_files.html", {
        "version": version, "error": error, "unavailable": unavailable,
        "formats": [("xliff2", "XLIFF 2.0"), ("xliff12", "XLIFF 1.2"), ("po", "PO (gettext)")],
    }, status=status)
