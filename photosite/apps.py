from django.apps import AppConfig


class PhotositeConfig(AppConfig):
    name = "photosite"
    verbose_name = "photosite"
