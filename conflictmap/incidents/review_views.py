"""The review API: the queue, an incident's review detail, and the actions (confirm, reject, correct,
relocate, drop a mention, split, merge, revert). A coder's token or a session with CSRF; reviewers only
for confirm, reject, merge and revert."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from rest_framework.decorators import api_view, permission_classes

from conflictmap.accounts.permissions import CanCode, CanReview
from gazetteer.models import Place

from .models import Conflict, Incident, Review
from .review_forms import (
    CorrectionForm,
    MentionForm,
    MergeForm,
    RejectForm,
    RelocateForm,
    RevertForm,
    SplitForm,
    VersionForm,
)
from .serializers import review_detail
from .views import filter_form

# How many ids the queue hands out at once (the page asks again for more).
QUEUE_PAGE = 500

Action = Callable[[Incident, forms.Form, Any], Incident]


def errors_response(errors: dict[str, list[str]], status: int = 400) -> JsonResponse:
    return JsonResponse({"errors": errors}, status=status, json_dumps_params={"ensure_ascii": False})


def conflict_response(conflict: Conflict) -> JsonResponse:
    """409 with the incident as it is now and each change made since the caller's version."""
    body = {
        "error": "Someone else changed this incident since you opened it; review their change and try again.",
        "version": conflict.current.version,
        "changes": conflict.changes,
        "incident": review_detail(conflict.current),
    }
    return JsonResponse(body, status=409, json_dumps_params={"ensure_ascii": False})


def act(request: Any, pk: int, form_class: type[forms.Form], action: Action) -> JsonResponse:
    """Validate the request body with the form, run the action, answer the incident's review detail."""
    incident = get_object_or_404(Incident, pk=pk)
    form = form_class(request.data if isinstance(request.data, dict) else {})
    if not form.is_valid():
        return errors_response({name: [str(e) for e in errs] for name, errs in form.errors.items()})
    try:
        with transaction.atomic():  # an action that fails half-way leaves nothing behind
            done = action(incident, form, request.user)
    except Conflict as conflict:
        return conflict_response(conflict)
    except ValidationError as exc:
        return errors_response(exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages})
    return JsonResponse(review_detail(done), json_dumps_params={"ensure_ascii": False})


@api_view(["GET"])
@permission_classes([CanCode])
def queue(request: HttpRequest) -> JsonResponse:
    """GET /api/review/queue?review=machine&<map filters>: incident ids to review, lowest confidence first."""
    form, error = filter_form(request)
    if error:
        return error
    qs = form.filter(Incident.objects.live())
    if not form.cleaned_data["review"]:
        qs = qs.in_review(Review.MACHINE)
    ordered = qs.order_by("confidence", "-date", "id")
    offset = form.cleaned_data["offset"] or 0
    ids = list(ordered.values_list("id", flat=True)[offset : offset + QUEUE_PAGE])
    return JsonResponse({"count": qs.count(), "offset": offset, "ids": ids})


@api_view(["GET"])
@permission_classes([CanCode])
def detail(request: HttpRequest, pk: int) -> JsonResponse:
    """GET /api/incidents/<id>/review: what the queue shows of one incident."""
    incident = get_object_or_404(Incident.objects.select_related("article", "reviewed_by"), pk=pk)
    return JsonResponse(review_detail(incident), json_dumps_params={"ensure_ascii": False})


@api_view(["POST"])
@permission_classes([CanReview])
def confirm(request: HttpRequest, pk: int) -> JsonResponse:
    """POST /api/incidents/<id>/confirm {version}."""
    return act(request, pk, VersionForm, lambda i, f, u: i.confirm(u, f.cleaned_data["version"]))


@api_view(["POST"])
@permission_classes([CanReview])
def reject(request: HttpRequest, pk: int) -> JsonResponse:
    """POST /api/incidents/<id>/reject {version, note?}."""
    return act(
        request,
        pk,
        RejectForm,
        lambda i, f, u: i.reject(u, f.cleaned_data["version"], f.cleaned_data["note"]),
    )


@api_view(["POST"])
@permission_classes([CanCode])
def correct(request: HttpRequest, pk: int) -> JsonResponse:
    """POST /api/incidents/<id>/correct {version, date?, date_precision?, geo_precision?, event_type?, …}."""
    return act(
        request, pk, CorrectionForm, lambda i, f, u: i.correct(u, f.cleaned_data["version"], f.changes())
    )


def _relocate(incident: Incident, form: RelocateForm, user: Any) -> Incident:
    """Pick the place (creating the analyst's place for a clicked point), teach the mention, move the incident."""
    data = form.cleaned_data
    place = data["place"] or Place.objects.create_analyst(
        data["name"].strip(), form.point(), data["kind"] or "community", user, data["note"]
    )
    mention = data["mention"]
    if mention is not None and mention.article_id != incident.article_id:
        raise ValidationError({"mention": ["The mention is not in this incident's article."]})
    moved = incident.relocate(user, data["version"], place)
    if mention is not None:
        mention.choose_place(place, user)
    return moved


@api_view(["POST"])
@permission_classes([CanCode])
def relocate(request: HttpRequest, pk: int) -> JsonResponse:
    """POST /api/incidents/<id>/place {version, place | lat+lon+name[+kind, note], mention?}."""
    return act(request, pk, RelocateForm, _relocate)


def _drop(incident: Incident, form: MentionForm, user: Any) -> Incident:
    mention = form.cleaned_data["mention"]
    done = incident.drop_mention(user, form.cleaned_data["version"], mention)
    if form.cleaned_data["not_place"]:
        mention.mark_not_place(user)
    return done


@api_view(["POST"])
@permission_classes([CanCode])
def drop_mention(request: HttpRequest, pk: int) -> JsonResponse:
    """POST /api/incidents/<id>/drop-mention {version, mention, not_place?}: "not this event" / "not a place"."""
    return act(request, pk, MentionForm, _drop)


@api_view(["POST"])
@permission_classes([CanCode])
def split(request: HttpRequest, pk: int) -> JsonResponse:
    """POST /api/incidents/<id>/split {version, mentions: [ids]}: answers the new incident."""
    return act(
        request,
        pk,
        SplitForm,
        lambda i, f, u: i.split(u, f.cleaned_data["version"], list(f.cleaned_data["mentions"])),
    )


@api_view(["POST"])
@permission_classes([CanReview])
def merge(request: HttpRequest, pk: int) -> JsonResponse:
    """POST /api/incidents/<id>/merge {version, other, other_version}: the other is archived into this one."""
    return act(
        request,
        pk,
        MergeForm,
        lambda i, f, u: i.merge(
            u, f.cleaned_data["version"], f.cleaned_data["other"], f.cleaned_data["other_version"]
        ),
    )


@api_view(["POST"])
@permission_classes([CanReview])
def revert(request: HttpRequest, pk: int) -> JsonResponse:
    """POST /api/incidents/<id>/revert {version, history_id}."""
    return act(
        request,
        pk,
        RevertForm,
        lambda i, f, u: i.revert(u, f.cleaned_data["version"], f.cleaned_data["history_id"]),
    )
