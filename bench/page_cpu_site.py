"""The site's settings with one more page, for bench/bench_page_cpu.py (DJANGO_SETTINGS_MODULE).

Only the root URLconf differs: page_cpu_urls adds the plain page to the site's own URLs, so
every request goes through exactly the site's middleware. bench/ must be on the path.
"""

from photosite.settings import *  # noqa: F403  (the site's settings, unchanged)

ROOT_URLCONF = "page_cpu_urls"
