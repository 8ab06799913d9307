"""The site's own date and time formats, by language (settings.FORMAT_MODULE_PATH)."""
