"""Pages of visibility: an owner changes who may see a photo, and chooses the default of new
photos in Settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gallery import services
from gallery.errors import GalleryError, NotFound
from gallery.forms import VisibilityForm


@require_POST
@login_required
def photo_visibility(request: HttpRequest, photo_id: str) -> HttpResponse:
    """Change who may see a photo (its owner only), then show its page again."""
    form = VisibilityForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose public, unlisted or private."))
        return redirect("gallery:photo_detail", photo_id=photo_id)
    try:
        photo = services.photo_visibility_set(
            photo_id=photo_id, actor=request.user, visibility=form.cleaned_data["visibility"]
        )
    except NotFound as exc:
        raise Http404(exc.message) from None
    except GalleryError as exc:
        return render(request, "gallery/error.html", {"message": exc.message}, status=exc.status)
    messages.success(
        request,
        _("Visibility saved: %(visibility)s.")
        % {"visibility": services.VISIBILITY_NAMES[photo.audience]},
    )
    return redirect("gallery:photo_detail", photo_id=photo_id)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def visibility_settings(request: HttpRequest) -> HttpResponse:
    """Show and change the visibility the user's new photos get."""
    owner_sub = request.user.get_username()
    if request.method == "POST":
        form = VisibilityForm(request.POST)
        if form.is_valid():
            services.visibility_default_set(
                owner_sub=owner_sub,
                owner_name=request.user.get_full_name() or owner_sub,
                visibility=form.cleaned_data["visibility"],
            )
            messages.success(request, _("Settings saved."))
            return redirect("gallery:settings")
        status = 400
    else:
        form = VisibilityForm(
            initial={"visibility": services.visibility_default(owner_sub=owner_sub)}
        )
        status = 200
    form.fields["visibility"].label = _("New photos are")
    return render(request, "gallery/settings.html", {"form": form}, status=status)
