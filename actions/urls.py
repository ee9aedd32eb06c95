from django.urls import path

from . import views

app_name = "actions"

urlpatterns = [
    path("", views.action_list, name="list"),
    path("grid/", views.progress_grid, name="grid"),
    path("grid.csv", views.progress_grid_csv, name="grid-csv"),
    path("grid.xlsx", views.progress_grid_xlsx, name="grid-xlsx"),
    path("board-pack.pdf", views.board_pack, name="board-pack"),
    path("reviews/", views.review_list, name="review-list"),
    path("needs-attention/", views.needs_attention, name="needs-attention"),
    path("measures/", views.measure_list, name="measures"),
    path("measures/<slug:slug>/", views.measure_detail, name="measure"),
    path("measures/<slug:slug>/figures/new/", views.figure_create, name="figure-create"),
    path("<int:pk>/", views.action_detail, name="detail"),
    path("<int:pk>/update/", views.rating_create, name="rating-create"),
    path(
        "<int:pk>/ratings/<int:year>/<int:month>/correct/",
        views.rating_correct_view,
        name="rating-correct",
    ),
    path(
        "<int:pk>/ratings/<int:year>/<int:month>/review/",
        views.rating_review_view,
        name="rating-review",
    ),
]
