"""Gazetteer pages (placeholder until the search page lands)."""

from django.http import HttpRequest, HttpResponse


def search(request: HttpRequest) -> HttpResponse:
    return HttpResponse("gazetteer")


def place_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse(str(pk))
