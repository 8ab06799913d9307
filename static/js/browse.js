// Previous/next photo on the detail page, in the order of the grid the visitor came from.
// The grid page remembers its photos in sessionStorage; the detail page then offers links and
// the ← and → keys. No extra request to the site; without JavaScript the grid is the way back.
(function () {
  "use strict";

  var KEY = "photosite:sequence";
  var grid = document.querySelector("ul.grid");
  if (grid) {
    var links = grid.querySelectorAll("li.card > a");
    var sequence = Array.prototype.map.call(links, function (a) {
      return { url: a.pathname, name: a.querySelector("img").alt };
    });
    try { sessionStorage.setItem(KEY, JSON.stringify(sequence)); } catch (e) { /* private mode */ }
    return;
  }

  var article = document.querySelector("article.photo[data-photo-path]");
  if (!article) { return; }
  var stored;
  try { stored = JSON.parse(sessionStorage.getItem(KEY) || "[]"); } catch (e) { return; }
  var here = stored.findIndex(function (item) { return item.url === article.dataset.photoPath; });
  if (here < 0) { return; }
  var previous = stored[here - 1], next = stored[here + 1];
  if (!previous && !next) { return; }

  var nav = document.createElement("nav");
  nav.className = "photo-nav";
  nav.setAttribute("aria-label", article.dataset.navLabel);
  function link(item, text, rel) {
    var a = document.createElement("a");
    if (!item) { return document.createElement("span"); }
    a.href = item.url; a.rel = rel;
    a.textContent = text;
    return a;
  }
  var hint = document.createElement("span");
  hint.className = "help";
  hint.textContent = article.dataset.keysLabel;
  // The labels are whole translated phrases with the name in them ("Previous photo: {name}"),
  // so each language keeps its own punctuation.
  function label(template, item) { return template.replace("{name}", item.name); }
  nav.append(link(previous, previous && "← " + label(article.dataset.previousLabel, previous), "prev"), hint,
             link(next, next && label(article.dataset.nextLabel, next) + " →", "next"));
  article.insertBefore(nav, article.firstChild);

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    var target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable], dialog[open]")) { return; }
    if (document.querySelector("dialog[open]")) { return; }
    var item = event.key === "ArrowLeft" ? previous : event.key === "ArrowRight" ? next : null;
    if (item) { window.location.href = item.url; }
  });
}());
