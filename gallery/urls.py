from django.urls import path

from gallery import views

app_name = "gallery"

urlpatterns = [
    path("", views.photo_list, name="photo_list"),
    path("photos/<str:photo_id>/", views.photo_detail, name="photo_detail"),
]
