"""The plan's pages under /actions/ (namespace "actions")."""

from django.urls import path

from .views import approvals, measures, my_actions, reports, updates, workbook

app_name = "actions"

urlpatterns = [
    path("", my_actions.action_list, name="list"),
    path("grid/", reports.progress_grid, name="grid"),
    path("grid.csv", reports.progress_grid_csv, name="grid-csv"),
    path("grid.xlsx", reports.progress_grid_xlsx, name="grid-xlsx"),
    path("board-pack.pdf", reports.board_pack, name="board-pack"),
    path("approvals/", approvals.approval_list, name="approvals"),
    path("needs-attention/", reports.needs_attention, name="needs-attention"),
    path("measures/", measures.measure_list, name="measures"),
    path("measures/<slug:slug>/", measures.measure_detail, name="measure"),
    path("measures/<slug:slug>/figures/new/", measures.figure_create, name="figure-create"),
    path("workbook/", workbook.upload, name="workbook-upload"),
    path("workbook/template.xlsx", workbook.template_download, name="workbook-template"),
    path("workbook/plans/<slug:slug>.xlsx", workbook.plan_download, name="workbook-download"),
    path("workbook/uploads/<int:pk>/", workbook.preview, name="workbook-preview"),
    path("workbook/uploads/<int:pk>/confirm/", workbook.confirm, name="workbook-confirm"),
    path("<int:pk>/", my_actions.action_detail, name="detail"),
    path("<int:pk>/update/", updates.rating_create, name="rating-create"),
    path(
        "<int:pk>/ratings/<int:year>/<int:month>/correct/",
        updates.rating_correct_view,
        name="rating-correct",
    ),
    path(
        "<int:pk>/ratings/<int:year>/<int:month>/approve/",
        approvals.rating_approve_view,
        name="rating-approve",
    ),
]
