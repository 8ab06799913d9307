"""Gallery pages: parse the request, call one selector or service, render."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import sessions
from accounts.identity import IdentityUnavailable, identity_credentials
from gallery import camera_display, grid, policy, selectors, services, share_views, storage
from gallery.bulk_views import bulk_context
from gallery.cursors import BadCursor
from gallery.errors import GalleryError, Invalid, NotFound, Unavailable, error_body
from gallery.forms import (
    CommentChangeForm,
    CommentForm,
    PhotoEditForm,
    SearchForm,
    ShareForm,
    UploadForm,
    VisibilityForm,
)
from gallery.hide_reasons import hide_reason_label
from gallery.models import Comment, Photo
from gallery.paging import Page
from gallery.selectors import PhotoCard
from gallery.services import originals


def _actor(request: HttpRequest) -> dict[str, object]:
    return {"actor": request.user}


def _display_name(user: AbstractBaseUser) -> str:
    return user.get_full_name() or user.get_username()


def _grid(
    request: HttpRequest,
    page: Page[PhotoCard],
    *,
    title: str,
    hidden_cards: list[PhotoCard] | None = None,
    select: str = "",
    trash_url: str = "",
) -> HttpResponse:
    order = selectors.photo_order_of(request.GET.get("order"))
    context = {
        "title": title,
        "cards": grid.cards_html(cards=page.items, select=select),
        "cursor": page.cursor,
        "hidden_cards": (
            grid.cards_html(cards=hidden_cards, select=select) if hidden_cards else ""
        ),
        # "My photos": the cards carry checkboxes of the bulk-action bar (gallery/bulk_views.py).
        "bulk": bulk_context(request) if select else None,
        "trash_url": trash_url,
        # The order switch (upload time or date taken); "Load more" keeps the order.
        "order": order,
        "query": "order=taken" if order == selectors.ORDER_TAKEN else "",
    }
    return render(request, "gallery/photo_list.html", context)


@require_safe
def photo_list(request: HttpRequest) -> HttpResponse:
    """Show the gallery: visible photos, newest first, one page at a time."""
    by_taken = selectors.photo_order_of(request.GET.get("order")) == selectors.ORDER_TAKEN
    listing = selectors.photo_card_list_feed_taken if by_taken else selectors.photo_card_list_feed
    try:
        page = listing(cursor=request.GET.get("cursor"))
    except BadCursor as exc:
        messages.error(request, exc.message)
        return redirect("gallery:photo_list")
    return _grid(request, page, title=_("Gallery"))


@require_safe
@login_required
def photo_mine(request: HttpRequest) -> HttpResponse:
    """Show the signed-in user's own photos, newest first."""
    by_taken = selectors.photo_order_of(request.GET.get("order")) == selectors.ORDER_TAKEN
    listing = selectors.photo_card_list_owner_taken if by_taken else selectors.photo_card_list_owner
    try:
        page = listing(owner_sub=request.user.username, cursor=request.GET.get("cursor"))
    except BadCursor as exc:
        messages.error(request, exc.message)
        return redirect("gallery:photo_mine")
    # A photo a moderator hid stays the owner's: listed apart, with a badge, still openable.
    hidden = [card for card in page.items if policy.is_hidden(card)]
    shown = Page(items=[card for card in page.items if card not in hidden], cursor=page.cursor)
    # Without JavaScript, "select all on this page" is this page again with every box ticked.
    select = grid.SELECTED if request.GET.get("select") == "all" else grid.SELECT
    return _grid(
        request,
        shown,
        title=_("My photos"),
        hidden_cards=hidden,
        select=select,
        trash_url=reverse("gallery:trash"),
    )


@require_safe
def photo_search(request: HttpRequest) -> HttpResponse:
    """Search by photo name and/or upload time range."""
    form = SearchForm(request.GET or None)
    if not request.GET:
        return render(request, "gallery/search.html", {"form": form})
    if not form.is_valid():
        return render(request, "gallery/search.html", {"form": form}, status=400)
    data = form.cleaned_data
    try:
        page = selectors.photo_search_taken(
            q=data["q"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            taken_from=data["taken_from"],
            taken_to=data["taken_to"],
            cursor=request.GET.get("cursor"),
        )
    except BadCursor as exc:
        form.add_error(None, exc.message)
        return render(request, "gallery/search.html", {"form": form}, status=400)
    query = request.GET.copy()
    query.pop("cursor", None)
    return render(
        request,
        "gallery/search.html",
        {
            "form": form,
            "cards": grid.cards_html(cards=[PhotoCard.of(photo) for photo in page.items]),
            "cursor": page.cursor,
            "query": query.urlencode(),
            "searched": True,
        },
    )


@dataclass(frozen=True)
class CommentRow:
    """A comment as this viewer sees it: its IP by the site's rule, whether they may change it."""

    comment: Comment
    ip: str
    can_change: bool


def _visible_photo(photo_id: str, request: HttpRequest) -> Photo:
    """The photo if it is not hidden and this viewer may see it (a private one: its owner and
    moderators), else 404."""
    try:
        return selectors.photo_get_visible(photo_id=photo_id, viewer=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from None


def _viewable_photo(request: HttpRequest, photo_id: str) -> Photo:
    """The photo if this viewer may open it (a hidden one: its owner and moderators), else 404."""
    try:
        return selectors.photo_get_for_viewer(photo_id=photo_id, viewer=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from None


def _detail(request: HttpRequest, photo: Photo, *, status: int = 200, **forms) -> HttpResponse:
    try:
        comments = selectors.comment_list_timeline(
            photo_id=photo.photo_id, cursor=request.GET.get("comments")
        )
    except BadCursor:
        comments = selectors.comment_list_timeline(photo_id=photo.photo_id)
    can_change = policy.user_may_change(user=request.user, item=photo)
    # One BatchGetItem for the full addresses this viewer may see (none for most viewers).
    retained = selectors.ip_retained_for(viewer=request.user, items=[photo, *comments.items])
    context = {
        "photo": photo,
        "hidden": policy.is_hidden(photo),
        # Why a moderator hid it, in the viewer's language (the owner's page says).
        "hidden_reason": _(hide_reason_label(photo.hidden_reason)) if photo.hidden_reason else "",
        "display_url": storage.object_url(
            photo.display_key, expires_in=settings.PHOTOSITE_URL_EXPIRY
        ),
        "uploader_ip": policy.ip_visible(viewer=request.user, item=photo, retained=retained),
        "comments": [
            CommentRow(
                comment=comment,
                ip=policy.ip_visible(viewer=request.user, item=comment, retained=retained),
                can_change=policy.user_may_change(user=request.user, item=comment),
            )
            for comment in comments.items
        ],
        "comments_cursor": comments.cursor,
        "can_change": can_change,
        "comment_form": forms.get("comment_form") or CommentForm(),
        "edit_form": forms.get("edit_form")
        or (
            PhotoEditForm(
                initial={"name": photo.name, "caption": photo.caption, "version": photo.version}
            )
            if can_change
            else None
        ),
        # Sharing follows the rule of changing the photo: its owner, or a moderator; a private
        # photo is not shared (its page says how to change that).
        "share_form": (
            (forms.get("share_form") or ShareForm())
            if can_change and policy.may_share(photo=photo)
            else None
        ),
        # Who may see it: its owner chooses (gallery/visibility_views.py).
        "visibility_name": services.VISIBILITY_NAMES[photo.audience],
        "visibility_form": (
            VisibilityForm(initial={"visibility": photo.audience})
            if photo.owner_sub == request.user.get_username()
            else None
        ),
        "comment_limit": settings.PHOTOSITE_COMMENT_MAX_CHARS,
        "login_url": settings.LOGIN_URL,
        "camera_rows": camera_display.camera_rows(photo),
        # The lightbox's full-size copy (no GPS) for everyone; the original for its owner.
        "full_url": originals.full_size_url(photo),
        "original_download": originals.original_may_download(actor=request.user, photo=photo),
    }
    return render(request, "gallery/photo_detail.html", context, status=status)


@require_safe
def photo_detail(request: HttpRequest, photo_id: str) -> HttpResponse:
    """Show one photo with its name, uploader, upload time, uploader IP and comments."""
    return _detail(request, _viewable_photo(request, photo_id))


@require_POST
@login_required
def photo_edit(request: HttpRequest, photo_id: str) -> HttpResponse:
    """Rename and re-caption a photo (its owner or a moderator), refusing a stale edit."""
    photo = _visible_photo(photo_id, request)
    form = PhotoEditForm(request.POST)
    if not form.is_valid():
        return _detail(request, photo, status=400, edit_form=form)
    data = form.cleaned_data
    try:
        services.photo_update(
            photo_id=photo_id,
            name=data["name"],
            caption=data["caption"],
            expected_version=data["version"],
            **_actor(request),
        )
    except GalleryError as exc:
        return _refused(request, exc, photo=photo, form=form, slot="edit_form")
    messages.success(request, _("Saved."))
    return redirect("gallery:photo_detail", photo_id=photo_id)


@require_http_methods(["GET", "POST"])
@login_required
def photo_delete(request: HttpRequest, photo_id: str) -> HttpResponse:
    """Ask first (GET: a confirmation page), then delete a photo with everything that belongs
    to it (POST; its owner or a moderator, a hidden photo included)."""
    if request.method == "GET":
        photo = _viewable_photo(request, photo_id)
        try:
            policy.change_check(item=photo, actor=request.user)
        except GalleryError as exc:
            return _refused(request, exc)
        thumbnail = storage.object_url(photo.grid_key, expires_in=settings.PHOTOSITE_URL_EXPIRY)
        return render(
            request,
            "gallery/photo_delete.html",
            {
                "photo": photo,
                "thumbnail_url": thumbnail,
                # The owner's deletion goes to their trash; a moderator's is for good.
                "to_trash": not policy.is_moderation(actor=request.user, item=photo),
                "trash_days": settings.PHOTOSITE_TRASH_DAYS,
            },
        )
    try:
        trashed = services.photo_delete(photo_id=photo_id, **_actor(request))
    except NotFound:
        # A double click or a retry: the first request deleted it. Nothing is left to refuse.
        messages.info(request, _("That photo is already gone."))
        return redirect("gallery:photo_mine")
    except GalleryError as exc:
        return _refused(request, exc)
    if trashed is None:
        messages.success(request, _("The photo was deleted."))
    else:
        messages.success(
            request,
            _("The photo was moved to the trash; you can restore it for %(days)d days.")
            % {"days": settings.PHOTOSITE_TRASH_DAYS},
        )
    return redirect("gallery:photo_mine")


def _act(
    request: HttpRequest, action: Callable[[], object], *, done: str, then: str
) -> HttpResponse:
    """Run a service action; on success say `done` and go to the `then` page, else refuse."""
    try:
        action()
    except GalleryError as exc:
        return _refused(request, exc)
    messages.success(request, done)
    return redirect(then)


def _refused(
    request: HttpRequest,
    exc: GalleryError,
    *,
    photo: Photo | None = None,
    form: Form | None = None,
    slot: str = "",
    field: str | None = None,
) -> HttpResponse:
    """Render a refused action, the one way every gallery page does.

    A missing item is Django's 404. With the photo at hand, its page shows the refusal: on the
    form that was sent (`form`, shown in the page's `slot`, error on `field`), or else as a
    message. Without a photo, the error page.
    """
    if exc.status == 404:
        raise Http404(exc.message) from None
    if photo is None:
        return render(request, "gallery/error.html", {"message": exc.message}, status=exc.status)
    if form is None:
        messages.error(request, exc.message)
        return _detail(request, photo, status=exc.status)
    form.add_error(field, exc.message)
    return _detail(request, photo, status=exc.status, **{slot: form})


# --- upload ------------------------------------------------------------------------------------


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    """Upload one or several photos through the site (the path without JavaScript)."""
    browser_upload = bool(sessions.id_token_read(session=request.session))
    if request.method != "POST":
        # The owner's default visibility, preselected (one GetItem of their profile).
        default = services.visibility_default(owner_sub=request.user.username)
        return render(
            request,
            "gallery/upload.html",
            {"form": UploadForm(initial={"visibility": default}), "browser_upload": browser_upload},
        )
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(
            request,
            "gallery/upload.html",
            {"form": form, "browser_upload": browser_upload},
            status=400,
        )
    created: list[Photo] = []
    failures: list[tuple[str, str]] = []
    status = 200
    for upload_file, name in zip(form.cleaned_data["files"], form.photo_names(), strict=True):
        try:
            services.upload_admit(owner_sub=request.user.username)
            # Judge by the size Django already knows, before reading it into memory.
            policy.server_upload_size_check(size=upload_file.size)
            photo = services.photo_create(
                owner_sub=request.user.username,
                owner_name=_display_name(request.user),
                name=name,
                caption=form.cleaned_data["caption"],
                data=upload_file.read(),
                uploader_ip=request.client_ip,
                visibility=form.cleaned_data["visibility"] or None,
                filename=upload_file.name or "",
            )
        except GalleryError as exc:
            if not failures:
                status = exc.status
            failures.append((upload_file.name, exc.message))
            continue
        created.append(photo)
    if not failures:
        if len(created) == 1:
            messages.success(request, _("Your photo was uploaded."))
            return redirect("gallery:photo_detail", photo_id=created[0].photo_id)
        messages.success(request, _("%(count)d photos were uploaded.") % {"count": len(created)})
        return redirect("gallery:photo_mine")
    for filename, message in failures:
        form.add_error("files", f"{filename}: {message}")
    return render(
        request,
        "gallery/upload.html",
        {"form": form, "created": created, "browser_upload": browser_upload},
        status=200 if created else status,
    )


def is_upload_page(request: HttpRequest) -> bool:
    """Tell whether the request is for the upload page (the server-side form)."""
    return request.path == reverse("gallery:upload")


def upload_refused(request: HttpRequest, exc: GalleryError) -> HttpResponse:
    """Show the upload page again with why the upload, never read, was refused."""
    messages.error(request, exc.message)
    user = request.user
    default = services.visibility_default(owner_sub=user.username) if user.is_authenticated else ""
    context = {
        "form": UploadForm(initial={"visibility": default}),
        "browser_upload": bool(sessions.id_token_read(session=request.session)),
    }
    return render(request, "gallery/upload.html", context, status=exc.status)


# A declared size beyond this is no file anyone uploads; it also keeps DynamoDB's numbers sane.
JSON_SIZE_MAX = 2**53


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"{text} does not fit in a number")
    return number


def json_object(raw: bytes) -> dict:
    """Parse a JSON object body; Invalid (400) for malformed, non-finite or too deeply nested."""
    try:
        body = json.loads(raw, parse_constant=_reject_constant, parse_float=_finite_float)
    except RecursionError:
        # The parser recurses per level of nesting: past Python's limit it is no request.
        raise Invalid(_("The JSON is nested too deeply."), code="malformed_json") from None
    except (ValueError, UnicodeDecodeError):
        raise Invalid(
            _("The request body is not valid JSON (numbers must be finite)."), code="malformed_json"
        ) from None
    if not isinstance(body, dict):
        raise Invalid(_("The request body must be a JSON object."), code="malformed_json")
    return body


def _json_text(body: dict, field: str) -> str:
    value = body.get(field, "")
    if not isinstance(value, str):
        raise Invalid(_("%(field)s must be a string.") % {"field": field}, code="invalid")
    return value


def _json_size(value: object) -> int:
    # bool is an int in Python; a size of `true` is a client bug, not one byte.
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise Invalid(_("size must be a whole number of bytes."), code="invalid")
    if not 0 <= value <= JSON_SIZE_MAX:
        raise Invalid(_("size is out of range."), code="invalid")
    return int(value)


def _json_error(exc: GalleryError) -> JsonResponse:
    return JsonResponse(error_body(exc), status=exc.status)


@require_POST
@login_required
def upload_presign(request: HttpRequest) -> JsonResponse:
    """Start a browser upload: a pending photo and a presigned POST. Never sees the file."""
    try:
        body = json_object(request.body or b"{}")
        content_type, name, caption, filename, visibility = (
            _json_text(body, "content_type"),
            _json_text(body, "name"),
            _json_text(body, "caption"),
            _json_text(body, "filename"),
            _json_text(body, "visibility"),
        )
        size = _json_size(body.get("size", 0))
    except GalleryError as exc:
        return _json_error(exc)
    try:
        credentials = identity_credentials(
            user_key=request.user.username, id_token=sessions.id_token_read(session=request.session)
        )
    except IdentityUnavailable:
        return _json_error(
            Unavailable(_("Direct upload is not available; the form will send the file."))
        )
    try:
        services.upload_admit(owner_sub=request.user.username)
        ticket = services.upload_start(
            owner_sub=request.user.username,
            owner_name=_display_name(request.user),
            name=name,
            caption=caption,
            content_type=content_type,
            size=size,
            uploader_ip=request.client_ip,
            credentials=credentials,
            visibility=visibility or None,
            filename=filename,
        )
    except GalleryError as exc:
        return _json_error(exc)
    return JsonResponse(
        {
            "photo_id": ticket.photo.photo_id,
            "url": ticket.url,
            "fields": ticket.fields,
            "complete_url": reverse("gallery:upload_complete", args=[ticket.photo.photo_id]),
        },
        status=201,
    )


@require_POST
@login_required
def upload_complete(request: HttpRequest, photo_id: str) -> JsonResponse:
    """Finish a browser upload: validate the stored file and publish the photo."""
    try:
        photo = services.upload_complete(photo_id=photo_id, owner_sub=request.user.username)
    except GalleryError as exc:
        return _json_error(exc)
    return JsonResponse(
        {
            "photo_id": photo.photo_id,
            "url": reverse("gallery:photo_detail", args=[photo.photo_id]),
            "duplicate_of": photo.duplicate_of,
        }
    )


# --- comments ----------------------------------------------------------------------------------


@require_POST
@login_required
def comment_create(request: HttpRequest, photo_id: str) -> HttpResponse:
    """Add a comment to a photo."""
    photo = _visible_photo(photo_id, request)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _detail(request, photo, status=400, comment_form=form)
    try:
        services.comment_create(
            photo_id=photo_id,
            author_sub=request.user.username,
            author_name=_display_name(request.user),
            body=form.cleaned_data["body"],
            ip=request.client_ip,
        )
    except GalleryError as exc:
        return _refused(request, exc, photo=photo, form=form, slot="comment_form", field="body")
    return redirect(reverse("gallery:photo_detail", args=[photo_id]) + "#comments")


@require_POST
@login_required
def comment_change(request: HttpRequest, photo_id: str, action: str) -> HttpResponse:
    """Edit one's own comment (a moderator: anyone's, audited); deleting is comment_delete."""
    if action != "edit":
        raise Http404(_("No such action."))
    photo = _visible_photo(photo_id, request)
    form = CommentChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That comment change could not be understood."))
        return redirect("gallery:photo_detail", photo_id=photo_id)
    data = form.cleaned_data
    try:
        services.comment_update(
            photo_id=photo_id,
            created_key=data["key"],
            body=data["body"],
            expected_version=data["version"] or 0,
            **_actor(request),
        )
    except GalleryError as exc:
        return _refused(request, exc, photo=photo)
    messages.success(request, _("The comment was saved."))
    return redirect(reverse("gallery:photo_detail", args=[photo_id]) + "#comments")


@require_http_methods(["GET", "POST"])
@login_required
def comment_delete(request: HttpRequest, photo_id: str) -> HttpResponse:
    """Ask first (GET `?key=`: a confirmation page showing the comment), then delete it (POST;
    its author, or a moderator, audited)."""
    try:
        photo = selectors.photo_get_for_viewer(photo_id=photo_id, viewer=request.user)
    except NotFound as exc:
        if request.method == "GET":
            raise Http404(exc.message) from None
        # The photo went, and its comments with it: a repeated deletion has nothing left to do.
        messages.info(request, _("That comment is already gone."))
        return redirect("gallery:photo_mine")
    form = CommentChangeForm(request.GET if request.method == "GET" else request.POST)
    form.fields["body"].required = False
    if not form.is_valid():
        messages.error(request, _("That comment change could not be understood."))
        return redirect("gallery:photo_detail", photo_id=photo_id)
    key = form.cleaned_data["key"]
    try:
        if request.method == "GET":
            comment = selectors.comment_get_latest(photo_id=photo_id, created_key=key)
            policy.change_check(item=comment, actor=request.user)
            return render(
                request, "gallery/comment_delete.html", {"photo": photo, "comment": comment}
            )
        services.comment_delete(photo_id=photo_id, created_key=key, **_actor(request))
    except NotFound:
        if request.method == "GET":
            raise Http404(_("No such comment.")) from None
        # A double click or a retry: the first request deleted it.
        messages.info(request, _("That comment is already gone."))
    except GalleryError as exc:
        return _refused(request, exc, photo=photo)
    else:
        messages.success(request, _("The comment was deleted."))
    return redirect(reverse("gallery:photo_detail", args=[photo_id]) + "#comments")


# --- share links -------------------------------------------------------------------------------


@require_POST
@login_required
def share_create(request: HttpRequest, photo_id: str) -> HttpResponse:
    """Make a share link to one's photo (a moderator: to anyone's, audited) and show it."""
    photo = _visible_photo(photo_id, request)
    form = ShareForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how long the link should work."))
        return _detail(request, photo, status=400, share_form=form)
    try:
        link = services.share_link_create(
            photo_id=photo_id, **form.share_options(), **_actor(request)
        )
    except GalleryError as exc:
        return _refused(request, exc, photo=photo)
    return share_views.share_created(request, link=link, photo=photo)


@require_POST
@login_required
def share_revoke(request: HttpRequest, token: str) -> HttpResponse:
    """Revoke a link to one of the user's photos (a moderator: any link, audited)."""
    return _act(
        request,
        lambda: services.share_link_revoke(token=token, **_actor(request)),
        done=_("The link was revoked."),
        then="gallery:share_list",
    )
