"""ACLED's events in the admin: read-only (they change only by importing ACLED's CSV again), with the page
that uploads a CSV for the worker to import ("Import ACLED CSV" on the changelist) and its job's progress."""

from __future__ import annotations

from django.contrib.gis import admin
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from gazetteer.admin import OfflineMapWidget

from .forms import AcledUploadForm
from .models import AcledEvent, ImportJob


@admin.register(AcledEvent)
class AcledEventAdmin(admin.GISModelAdmin):
    gis_widget = OfflineMapWidget
    change_list_template = "admin/acled/acledevent/change_list.html"
    list_display = (
        "event_id_cnty", "event_date", "event_type", "sub_event_type", "location", "admin1_pcode",
        "admin2_pcode", "fatalities", "imported_at",
    )  # fmt: skip
    list_filter = ("event_type", "admin1_pcode", "geo_precision")
    search_fields = ("event_id_cnty", "location", "actor1", "actor2", "notes")
    date_hierarchy = "event_date"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AcledEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AcledEvent | None = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view  # admins only, as the whole admin
        return [
            path("import/", wrap(self.import_view), name="acled_import"),
            path("import/<int:job_id>/", wrap(self.job_view), name="acled_import_job"),
            path("import/<int:job_id>/status", wrap(self.job_status), name="acled_import_status"),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Take an ACLED CSV; save it and queue its import, then follow the job on its page."""
        form = AcledUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            job = ImportJob.objects.start(
                form.cleaned_data["file"], form.cleaned_data["skip_bad"], request.user
            )
            return redirect("admin:acled_import_job", job.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import ACLED CSV"),
            "opts": self.model._meta,
            "form": form,
            "jobs": ImportJob.objects.all()[:10],
        }
        return TemplateResponse(
            request, "admin/acled/import.html", context, status=400 if form.errors else 200
        )

    def job_view(self, request: HttpRequest, job_id: int) -> HttpResponse:
        """The job's page: its status and progress, polled from job_status until it ends."""
        job = get_object_or_404(ImportJob, pk=job_id)
        context = {
            **self.admin_site.each_context(request),
            "title": _("ACLED import #%(id)s") % {"id": job.pk},
            "opts": self.model._meta,
            "job": job,
        }
        return TemplateResponse(request, "admin/acled/import_job.html", context)

    def job_status(self, request: HttpRequest, job_id: int) -> JsonResponse:
        """The job as JSON: status, rows done of the total, counts and errors."""
        return JsonResponse(get_object_or_404(ImportJob, pk=job_id).to_dict())


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """The past uploads, read-only."""

    list_display = (
        "id",
        "original_name",
        "status",
        "created",
        "updated",
        "skipped",
        "created_by",
        "created_at",
    )
    list_filter = ("status",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ImportJob | None = None) -> bool:
        return False
