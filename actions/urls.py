from django.urls import path

from . import views

app_name = "actions"

urlpatterns = [
    path("", views.action_list, name="list"),
    path("<int:pk>/", views.action_detail, name="detail"),
    path("<int:pk>/update/", views.rating_create, name="rating-create"),
    path(
        "<int:pk>/ratings/<int:year>/<int:month>/correct/",
        views.rating_correct_view,
        name="rating-correct",
    ),
]
