"""The plan workbook's pages, for administrators only: download the blank template or a
plan's workbook, upload one, see its preview (what will be created, changed and left alone,
or every problem by sheet, row and column), and confirm it."""

import functools

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actions import roles
from actions.models import Plan, WorkbookUpload
from actions.services import (
    PreviewOutOfDate,
    WorkbookRefused,
    workbook_confirm,
    workbook_upload,
)
from actions.workbook.export import workbook_bytes
from actions.workbook.read import kb
from wsoa_tracker.uploads import WorkbookUploadHandler

from .access import deny, role_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROBLEMS_SHOWN = 200
# The sync engine's outcomes (record.sync), by the names the preview's template reads.
OUTCOMES = {
    "created": "created",
    "updated": "updated",
    "kept": "not overwritten",
    "unchanged": "unchanged",
}
KEYS = {outcome: key for key, outcome in OUTCOMES.items()}


def administrators_only(view):
    @functools.wraps(view)
    @role_required
    def check(request, *args, **kwargs):
        if not roles.is_administrator(request.user):
            deny(request, "is not an administrator")
        return view(request, *args, **kwargs)

    return check


class UploadForm(forms.Form):
    workbook = forms.FileField(
        error_messages={
            "required": "Select a plan workbook (.xlsx) to upload",
            "empty": "The file is empty",
        }
    )

    def clean_workbook(self):
        upload = self.cleaned_data["workbook"]
        if getattr(upload, "too_large", False):
            raise ValidationError(f"The file must be {kb(settings.WORKBOOK_MAX_BYTES)} or smaller")
        return upload


def xlsx(data, name):
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@administrators_only
def template_download(request):
    return xlsx(workbook_bytes(), "plan-workbook-template.xlsx")


@require_GET
@administrators_only
def plan_download(request, slug):
    plan = get_object_or_404(Plan.objects.select_related("area"), slug=slug)
    return xlsx(workbook_bytes(plan), f"{plan.slug}-workbook.xlsx")


def page(request, form, problems=()):
    return render(
        request,
        "actions/workbook.html",
        {
            "form": form,
            "problems": problems[:PROBLEMS_SHOWN],
            "problems_left_off": max(len(problems) - PROBLEMS_SHOWN, 0),
            "plans": Plan.objects.select_related("area").order_by(
                "area__name", "first_quarter_end"
            ),
            "uploads": WorkbookUpload.objects.select_related("uploaded_by").defer("content")[:10],
            "max_size": kb(settings.WORKBOOK_MAX_BYTES),
        },
        status=400 if (problems or form.errors) else 200,
    )


@csrf_exempt  # checked by csrf_protect below, once the file's own handler is in place
@require_http_methods(["GET", "POST"])
@administrators_only
def upload(request):
    if request.method == "POST":
        request.upload_handlers = [WorkbookUploadHandler(request)]
        return csrf_protect(receive)(request)
    return page(request, UploadForm())


def receive(request):
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return page(request, form)
    file = form.cleaned_data["workbook"]
    try:
        made = workbook_upload(user=request.user, file_name=file.name, data=file.read())
    except WorkbookRefused as refused:
        return page(request, form, refused.problems)
    return redirect("actions:workbook-preview", pk=made.pk)


def preview_page(request, made, refusal="", status=200):
    changes = made.preview["changes"]
    by_outcome = {
        key: [c for c in changes if c["outcome"] == outcome] for key, outcome in OUTCOMES.items()
    }
    sheets = {}
    for change in changes:
        counts = sheets.setdefault(change["sheet"], dict.fromkeys(OUTCOMES, 0))
        counts[KEYS[change["outcome"]]] += 1
    return render(
        request,
        "actions/workbook_preview.html",
        {"upload": made, "by_outcome": by_outcome, "sheets": sheets, "refusal": refusal},
        status=status,
    )


@require_GET
@administrators_only
def preview(request, pk):
    return preview_page(request, get_object_or_404(WorkbookUpload.objects.defer("content"), pk=pk))


@require_POST
@administrators_only
def confirm(request, pk):
    made = get_object_or_404(WorkbookUpload.objects.defer("content"), pk=pk)
    try:
        workbook_confirm(upload=made, user=request.user)
    except PreviewOutOfDate:
        refusal = (
            "The tracker has changed since this preview, so nothing was saved. Check the "
            "preview below, made again now, and confirm it if it is right."
        )
    except WorkbookRefused as refused:
        refusal = f"Nothing was saved: {refused}"
    except ValidationError as error:
        refusal = f"Nothing was saved: {' '.join(error.messages)}"
    else:
        messages.success(request, "The workbook is saved")
        return redirect("actions:workbook-preview", pk=made.pk)
    made.refresh_from_db()
    return preview_page(request, made, refusal, status=409)
