"""The review queue: its page (/review/), and its API: the queue, an incident's review detail, and the
actions (confirm, reject, correct, relocate, drop a mention, split, merge, revert). A coder's token or a
session with CSRF; reviewers only for confirm, reject, merge and revert."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from rest_framework.decorators import api_view, permission_classes

from conflictmap.accounts.permissions import CanCode, CanReview, role_required
from conflictmap.accounts.roles import CAN_CODE, CAN_REVIEW
from conflictmap.rules.models import EventType
from conflictmap.versioning import api_json
from gazetteer.forms import region_choices
from gazetteer.models import Place, PlaceKind

from . import aggregates
from .forms import REPORT, IncidentFilterForm, unknown_parameters
from .models import Conflict, DatePrecision, GeoPrecision, Incident, Review
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
# What the queue page lists of each incident, beside its id.
QUEUE_ITEM_FIELDS = ("id", "date", "label_en", "label_ar", "event_type", "confidence", "review")
# The page's filters: the IncidentFilterForm parameters it offers.
PAGE_FILTERS = ("region", "start", "end", "source", "event_type", "review")

Action = Callable[[Incident, forms.Form, Any], Incident]


def errors_response(errors: dict[str, list[str]], status: int = 400) -> JsonResponse:
    return JsonResponse({"errors": errors}, status=status, json_dumps_params={"ensure_ascii": False})


def conflict_response(conflict: Conflict, request: HttpRequest) -> JsonResponse:
    """409 with the incident as it is now and each change made since the caller's version."""
    body = {
        "error": "Someone else changed this incident since you opened it; review their change and try again.",
        "version": conflict.current.version,
        "changes": conflict.changes,
        "incident": review_detail(conflict.current),
    }
    return api_json(body, request, status=409)


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
        return conflict_response(conflict, request)
    except ValidationError as exc:
        return errors_response(exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages})
    return api_json(review_detail(done), request)


@api_view(["GET"])
@permission_classes([CanCode])
def queue(request: HttpRequest) -> JsonResponse:
    """GET /api/review/queue?review=machine&<map filters>: incident ids to review, lowest confidence first."""
    form, error = filter_form(request)
    if error:
        return error
    qs = form.filter(Incident.objects.live(), unit=REPORT)
    if not form.cleaned_data["review"]:
        qs = qs.in_review(Review.MACHINE)
    offset = form.cleaned_data["offset"] or 0
    items = list(qs.review_order().values(*QUEUE_ITEM_FIELDS)[offset : offset + QUEUE_PAGE])
    return api_json(
        {"count": qs.count(), "offset": offset, "ids": [i["id"] for i in items], "items": items}, request
    )


@api_view(["GET"])
@permission_classes([CanCode])
def detail(request: HttpRequest, pk: int) -> JsonResponse:
    """GET /api/incidents/<id>/review: what the queue shows of one incident."""
    incident = get_object_or_404(Incident.objects.select_related("article", "reviewed_by"), pk=pk)
    return api_json(review_detail(incident), request)


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
        raise ValidationError({"mention": [_("The mention is not in this incident's article.")]})
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


@require_GET
@role_required(CAN_CODE)
def review_page(request: HttpRequest) -> HttpResponse:
    """/review/: the queue page; its filters are the queue API's, validated here to show what is wrong."""
    form = IncidentFilterForm(request.GET)
    unknown = unknown_parameters(request.GET)
    valid = form.is_valid() and not unknown
    context = {
        "filters": {name: request.GET.get(name, "") for name in PAGE_FILTERS},
        "filter_errors": [(name, errs[0]) for name, errs in form.errors.items()]
        + [(name, _("unknown parameter")) for name in unknown],
        "regions": region_choices(),
        "sources": Incident.objects.live().sources(),
        "event_types": aggregates.event_types(),
        "review_states": Review.choices,
        "all_states": ",".join(Review.values),
        "correctable_types": EventType.choices,
        "date_precisions": DatePrecision.choices,
        "geo_precisions": GeoPrecision.choices,
        "place_kinds": PlaceKind.choices,
        "can_review": request.user.has_perm(CAN_REVIEW),
    }
    return render(request, "incidents/review.html", context, status=200 if valid else 400)
