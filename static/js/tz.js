// Tell the server the browser's time zone (cookie `tz`), so times render in local time.
// Without JavaScript the site shows UTC, and says so in the footer.
(function () {
  "use strict";
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone) { return; }
  var current = (document.cookie.match(/(?:^|; )tz=([^;]*)/) || [])[1];
  if (current !== encodeURIComponent(zone)) {
    document.cookie = "tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; samesite=lax";
  }
}());
