"""A trivial Django view: the floor that every real page is compared with."""

from django.http import HttpResponse


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")
