"""Endpoints behind the Markdown editor, open only to signed-in users who may edit translations."""

import uuid
import warnings
from io import BytesIO

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from markdownx.views import MarkdownifyView
from PIL import Image, ImageOps, UnidentifiedImageError

_markdownify = MarkdownifyView.as_view()

# What the editor may upload: the decoded format decides, and it must agree with the extension.
FORMATS = {"JPEG": ("jpg", {"jpg", "jpeg"}), "PNG": ("png", {"png"}), "WEBP": ("webp", {"webp"}),
           "GIF": ("png", {"gif"})}
MAX_SIDE = 2400


@require_POST
@login_required
@permission_required("articles.change_translation", raise_exception=True)
def markdownify(request):
    """The live preview, rendered by the same sanitising renderer as the public site."""
    return _markdownify(request)


def _refuse(message, status=400):
    # markdownx's own error shape: the form's errors by field.
    return JsonResponse({"image": [message]}, status=status)


def _decode(upload):
    """Open, bound-check and fully decode the image; return (Pillow image, format) or raise ValueError."""
    max_pixels = settings.UPLOAD_MAX_PIXELS
    with warnings.catch_warnings():
        # Pillow only warns between its limit and twice it; we refuse both.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(upload)
            image_format = image.format
            width, height = image.size
            if width * height > max_pixels or max(width, height) > 30_000:
                raise ValueError(_("The image is too large: %(w)s × %(h)s pixels (the limit is %(max)s million pixels).")
                                 % {"w": width, "h": height, "max": max_pixels // 1_000_000})
            if image_format not in FORMATS:
                raise ValueError(_("Only JPEG, PNG, WebP and GIF images are accepted."))
            image.load()
        except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ValueError(_("This file is not an image this site accepts.")) from None
        except (OSError, SyntaxError, EOFError):
            raise ValueError(_("This image is damaged and cannot be read.")) from None
    return image, image_format


def _encode(image, image_format):
    """Re-encode from pixels only: no metadata, no trailing bytes, a format of our choosing."""
    image = ImageOps.exif_transpose(image)
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    extension = FORMATS[image_format][0]
    out = BytesIO()
    if extension == "jpg":
        image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    elif extension == "webp":
        image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB").save(out, "WEBP", quality=85)
    else:
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        image.save(out, "PNG", optimize=True)
    return out.getvalue(), extension


@require_POST
@login_required
@permission_required("articles.change_translation", raise_exception=True)
def upload_image(request):
    """An image for a body: decoded and re-encoded by Pillow, stored under a name the server makes."""
    limit = settings.UPLOAD_MAX_BYTES
    if int(request.META.get("CONTENT_LENGTH") or 0) > limit + 65_536:
        return _refuse(_("The file is too large (the limit is %(mb)s MB).") % {"mb": limit // 1_048_576}, 413)
    upload = request.FILES.get("image")
    if upload is None:
        return _refuse(_("Choose an image to upload."))
    if upload.size > limit:
        return _refuse(_("The file is too large (the limit is %(mb)s MB).") % {"mb": limit // 1_048_576}, 413)
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in {ext for _ext, allowed in FORMATS.values() for ext in allowed}:
        return _refuse(_("Only .jpg, .jpeg, .png, .webp and .gif files are accepted."))
    try:
        image, image_format = _decode(upload)
    except ValueError as problem:
        return _refuse(str(problem))
    if extension not in FORMATS[image_format][1]:
        return _refuse(_("The file’s extension does not match its content (%(format)s).") % {"format": image_format})
    data, stored_extension = _encode(image, image_format)
    name = f"{settings.MARKDOWNX_MEDIA_PATH.rstrip('/')}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{stored_extension}"
    stored = default_storage.save(name, ContentFile(data))
    return JsonResponse({"image_code": f"![]({default_storage.url(stored)})"})
