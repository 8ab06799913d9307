from django.apps import AppConfig


class GalleryConfig(AppConfig):
    name = "gallery"
    verbose_name = "Gallery"

    def ready(self) -> None:
        from django.utils.translation import gettext

        from gallery import errors

        # Refusals are raised in English and read in the language of the request showing them.
        errors.translate = gettext
