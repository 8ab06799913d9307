from django.urls import path

from gallery import (
    album_views,
    bulk_views,
    original_views,
    report_views,
    share_views,
    trash_views,
    views,
    visibility_views,
)

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
    path("links/", share_views.share_list, name="share_list"),
    path("links/<str:token>/revoke/", views.share_revoke, name="share_revoke"),
    path("s/<str:token>", share_views.share_open, name="share_open"),
    path("s/<str:token>/file", share_views.share_file, name="share_file"),
    # Share links per recipient: a selection (POSTed from My photos), one link, removal.
    path("links/new/", share_views.share_selection, name="share_selection"),
    path("links/<str:token>/", share_views.share_detail, name="share_detail"),
    path("links/<str:token>/remove/", share_views.share_remove, name="share_remove"),
    path("albums/<str:album_id>/share/", share_views.share_album, name="share_album"),
    path("photos/<str:photo_id>/original/", original_views.photo_original, name="photo_original"),
    # visibility
    path(
        "photos/<str:photo_id>/visibility/",
        visibility_views.photo_visibility,
        name="photo_visibility",
    ),
    path("settings/", visibility_views.visibility_settings, name="settings"),
    # bulk actions of "My photos"
    path("mine/bulk/", bulk_views.bulk_action, name="bulk"),
]

# Albums: the owner's pages (gallery/album_views.py).
urlpatterns += [
    path("albums/", album_views.album_list, name="album_list"),
    path("albums/choose/", album_views.album_choose, name="album_choose"),
    path("albums/<str:album_id>/", album_views.album_detail, name="album_detail"),
    path("albums/<str:album_id>/edit/", album_views.album_edit, name="album_edit"),
    path("albums/<str:album_id>/delete/", album_views.album_delete, name="album_delete"),
    path("albums/<str:album_id>/add/", album_views.album_add, name="album_add"),
    path("albums/<str:album_id>/remove/", album_views.album_remove, name="album_remove"),
    path("albums/<str:album_id>/move/", album_views.album_move, name="album_move"),
    path("albums/<str:album_id>/cover/", album_views.album_cover, name="album_cover"),
    path("photos/<str:photo_id>/report/", report_views.report_create, name="report_create"),
]

# The owner's trash (gallery/trash_views.py).
urlpatterns += [
    path("trash/", trash_views.trash_list, name="trash"),
    path("trash/empty/", trash_views.trash_empty, name="trash_empty"),
    path("trash/restore/", trash_views.trash_restore_selected, name="trash_restore_selected"),
    path("trash/<str:photo_id>/restore/", trash_views.trash_restore, name="trash_restore"),
    path("trash/<str:photo_id>/delete/", trash_views.trash_delete, name="trash_delete"),
]
