"""Events: one real-world event and its reports (GET), and a reviewer's decisions on it (POST): merge two
events, split reports off, unlink one report, choose the report the location comes from, set the toll."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_GET
from rest_framework.decorators import api_view, permission_classes

from conflictmap.accounts.permissions import CanReview
from conflictmap.versioning import api_json

from .models import Event
from .review_forms import EventFatalitiesForm, EventMergeForm, EventReportForm, EventSplitForm
from .review_views import errors_response

EventAction = Callable[[Event, dict[str, Any], Any], Event]


def event_response(event: Event, request: HttpRequest) -> JsonResponse:
    return api_json(event.to_dict(), request)


@require_GET
def event_detail(request: HttpRequest, pk: int) -> JsonResponse:
    """GET /api/events/<id>: the event and its reports; 410 with where it went if it was archived."""
    event = Event.objects.filter(pk=pk).first()
    if event is None:
        return JsonResponse({"error": f"no event {pk}", "parameter": "id"}, status=404)
    if event.archived_at is not None:
        target = event.successor()
        return api_json(
            {
                "error": f"event {pk} was archived: {event.archive_reason}",
                "id": pk,
                "archived_at": event.archived_at.isoformat(),
                "archive_reason": event.archive_reason,
                "moved_to": target.pk if target else None,
                "moved_to_url": reverse("incidents:event", args=[target.pk]) if target else None,
            },
            request,
            status=410,
        )
    return event_response(event, request)


def decide(request: Any, pk: int, form_class: type[forms.Form], action: EventAction) -> JsonResponse:
    """Validate the body with the form, run the reviewer's action on the live event, answer the event."""
    event = get_object_or_404(Event.objects.live(), pk=pk)
    form = form_class(request.data if isinstance(request.data, dict) else {})
    if not form.is_valid():
        return errors_response({name: [str(e) for e in errs] for name, errs in form.errors.items()})
    try:
        with transaction.atomic():
            done = action(event, form.cleaned_data, request.user)
    except ValidationError as exc:
        return errors_response(exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages})
    return event_response(done, request)


@api_view(["POST"])
@permission_classes([CanReview])
def merge(request: HttpRequest, pk: int) -> JsonResponse:
    """POST /api/events/<id>/merge {other}: move the other event's reports here."""
    return decide(request, pk, EventMergeForm, lambda e, d, u: e.merge(u, d["other"]))


@api_view(["POST"])
@permission_classes([CanReview])
def split(request: HttpRequest, pk: int) -> JsonResponse:
    """POST /api/events/<id>/split {reports: [ids]}: move these reports to a new event (answered)."""
    return decide(request, pk, EventSplitForm, lambda e, d, u: e.split(u, [r.pk for r in d["reports"]]))


@api_view(["POST"])
@permission_classes([CanReview])
def unlink(request: HttpRequest, pk: int) -> JsonResponse:
    """POST /api/events/<id>/unlink {report}: take one report out into an event of its own (answered)."""
    return decide(request, pk, EventReportForm, lambda e, d, u: e.unlink(u, d["report"]))


@api_view(["POST"])
@permission_classes([CanReview])
def lead(request: HttpRequest, pk: int) -> JsonResponse:
    """POST /api/events/<id>/lead {report}: take the event's location from this report."""
    return decide(request, pk, EventReportForm, lambda e, d, u: e.choose_lead(u, d["report"]))


@api_view(["POST"])
@permission_classes([CanReview])
def fatalities(request: HttpRequest, pk: int) -> JsonResponse:
    """POST /api/events/<id>/fatalities {fatalities}: the reviewer's toll (null: back to the rule)."""
    return decide(request, pk, EventFatalitiesForm, lambda e, d, u: e.set_fatalities(u, d["fatalities"]))
