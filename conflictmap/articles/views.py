"""Article pages (paste form, article with highlighted mentions) and the articles API.

Adding an article needs a coder: the paste form a logged-in one, the API a token or a session with CSRF.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import ParseError
from rest_framework.request import Request
from rest_framework.response import Response

from conflictmap.accounts.permissions import CanAddArticle, role_required
from conflictmap.accounts.roles import CAN_ADD_ARTICLE

from .forms import ArticleForm, form_errors
from .models import Article


@dataclass
class Segment:
    text: str
    mention: Any = None  # a Mention row of the incidents app, read through article.mentions


def segments(body: str, mentions: list[Any]) -> list[Segment]:
    """Split the body into plain and mention segments; overlapping mentions keep the first."""
    out: list[Segment] = []
    pos = 0
    for mention in sorted(mentions, key=lambda m: (m.start, -m.end)):
        if mention.start < pos or mention.end > len(body) or mention.end <= mention.start:
            continue
        if mention.start > pos:
            out.append(Segment(body[pos : mention.start]))
        out.append(Segment(body[mention.start : mention.end], mention))
        pos = mention.end
    if pos < len(body):
        out.append(Segment(body[pos:]))
    return out


def status_payload(article: Article) -> dict:
    return {
        "id": article.pk,
        "status": article.status,
        "attempts": article.attempts,
        "error": article.error,
        "warnings": article.warnings,
        "incidents": article.incidents.live().count(),
        "mentions": article.mentions.count(),
        "url": reverse("articles:detail", args=[article.pk]),
    }


@require_http_methods(["GET", "POST"])
@role_required(CAN_ADD_ARTICLE)
def new(request: HttpRequest) -> HttpResponse:
    """Paste an article; on success go to its page, which follows its geocoding."""
    form = ArticleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = form.save()
        return redirect(outcome.article)
    return render(request, "articles/new.html", {"form": form}, status=400 if form.errors else 200)


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    mentions = list(article.mentions.select_related("place"))
    # Archived incidents (dropped by a re-run, merged) are not shown as the article's: only counted.
    incidents = list(article.incidents.live().select_related("article").prefetch_related("place_links"))
    context = {
        "article": article,
        "segments": segments(article.body, mentions),
        "mentions": mentions,
        "incidents": incidents,
        "incident_points": [i.to_dict() for i in incidents],
        "archived_count": article.incidents.exclude(archived_at=None).count(),
        "status_url": reverse("articles:api-detail", args=[article.pk]),
    }
    return render(request, "articles/detail.html", context)


@api_view(["POST"])
@permission_classes([CanAddArticle])
def api_create(request: Request) -> Response:
    """POST /api/articles: 201 with id and status URL, 200 for a duplicate, 400 with field errors."""
    try:
        payload = request.data
    except ParseError as exc:
        reason = str(exc.detail).removeprefix("JSON parse error - ")
        return Response({"errors": {"__all__": [f"request body is not valid JSON: {reason}"]}}, status=400)
    if not isinstance(payload, dict):
        return Response({"errors": {"__all__": ["request body must be a JSON object"]}}, status=400)
    wrong_type = [k for k, v in payload.items() if v is not None and not isinstance(v, str)]
    if wrong_type:
        return Response({"errors": {k: ["must be a string"] for k in wrong_type}}, status=400)
    form = ArticleForm({k: v for k, v in payload.items() if v is not None})
    if not form.is_valid():
        return Response({"errors": form_errors(form)}, status=400)
    outcome = form.save()
    article = outcome.article
    body = {
        "id": article.pk,
        "status": article.status,
        "status_url": request.build_absolute_uri(reverse("articles:api-detail", args=[article.pk])),
        "url": request.build_absolute_uri(article.get_absolute_url()),
        "duplicate": not outcome.created,
        "warnings": article.warnings,
    }
    return Response(body, status=201 if outcome.created else 200)


@require_GET
def api_detail(request: HttpRequest, pk: int) -> JsonResponse:
    """GET /api/articles/<id>: the article's geocoding status."""
    article = Article.objects.filter(pk=pk).first()
    if article is None:
        return JsonResponse({"error": f"no article with id {pk}"}, status=404)
    return JsonResponse(status_payload(article))
