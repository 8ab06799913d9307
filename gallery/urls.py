from django.urls import path

from gallery import trash_views, views

app_name = "gallery"

urlpatterns = [
    path("", views.photo_list, name="photo_list"),
    path("mine/", views.photo_mine, name="photo_mine"),
    path("search/", views.photo_search, name="photo_search"),
    path("upload/", views.upload, name="upload"),
    path("upload/presign/", views.upload_presign, name="upload_presign"),
    path("upload/<str:photo_id>/complete/", views.upload_complete, name="upload_complete"),
    path("photos/<str:photo_id>/", views.photo_detail, name="photo_detail"),
    path("photos/<str:photo_id>/edit/", views.photo_edit, name="photo_edit"),
    path("photos/<str:photo_id>/delete/", views.photo_delete, name="photo_delete"),
    path("photos/<str:photo_id>/comments/", views.comment_create, name="comment_create"),
    path("photos/<str:photo_id>/comments/delete/", views.comment_delete, name="comment_delete"),
    path(
        "photos/<str:photo_id>/comments/<str:action>/",
        views.comment_change,
        name="comment_change",
    ),
    path("photos/<str:photo_id>/share/", views.share_create, name="share_create"),
    path("links/", views.share_list, name="share_list"),
    path("links/<str:token>/revoke/", views.share_revoke, name="share_revoke"),
    path("s/<str:token>", views.share_open, name="share_open"),
    path("s/<str:token>/file", views.share_file, name="share_file"),
    # The owner's trash (gallery.trash_views).
    path("trash/", trash_views.trash_list, name="trash"),
    path("trash/empty/", trash_views.trash_empty, name="trash_empty"),
    path("trash/<str:photo_id>/restore/", trash_views.trash_restore, name="trash_restore"),
    path("trash/<str:photo_id>/delete/", trash_views.trash_delete, name="trash_delete"),
]
