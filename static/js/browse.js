// Grid pages: "Load more" in place. Detail page: previous/next photo, in the order of the grid
// the visitor came from.
// The grid page remembers its photos in sessionStorage; the detail page then offers links and
// the ← and → keys. No extra request to the site; without JavaScript the grid is the way back.
(function () {
  "use strict";

  var KEY = "photosite:sequence";

  function remember() {
    var links = document.querySelectorAll("ul.grid li.card > a");
    var sequence = Array.prototype.map.call(links, function (a) {
      return { url: a.pathname, name: a.querySelector("img").alt };
    });
    try { sessionStorage.setItem(KEY, JSON.stringify(sequence)); } catch (e) { /* private mode */ }
  }

  // "Load more" appends the next page to this one. The link stays a plain link: without
  // JavaScript, or if the fetch fails, it opens the next page as before.
  function appendCards(from, to) {
    var added = Array.prototype.slice.call(from.querySelectorAll(":scope > li.card"));
    added.forEach(function (card) { to.append(document.adoptNode(card)); });
    return added;
  }

  function loadMore(link) {
    var more = link.closest(".more");
    link.setAttribute("aria-busy", "true");
    fetch(link.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, "text/html");
        var added = [];
        var hidden = next.querySelector("ul.grid-hidden");
        var hiddenHere = document.querySelector("ul.grid-hidden");
        if (hidden && hiddenHere) {
          added = added.concat(appendCards(hidden, hiddenHere));
        }
        var grid = next.querySelector("ul.grid:not(.grid-hidden)");
        var gridHere = document.querySelector("ul.grid:not(.grid-hidden)");
        if (grid && gridHere) {
          added = added.concat(appendCards(grid, gridHere));
        } else if (grid) {
          more.before(document.adoptNode(grid));
          added = added.concat(Array.prototype.slice.call(grid.children));
        }
        var nextMore = next.querySelector("p.more");
        if (nextMore) { more.replaceWith(document.adoptNode(nextMore)); } else { more.remove(); }
        remember();
        // Keyboard and screen reader users carry on from the first new photo.
        var first = added.length && added[0].querySelector("a");
        if (first) { first.focus(); }
      })
      .catch(function () { window.location.href = link.href; });
  }

  if (document.querySelector("ul.grid")) {
    remember();
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("p.more a[rel=next]");
      if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
        return;
      }
      event.preventDefault();
      if (link.getAttribute("aria-busy") !== "true") { loadMore(link); }
    });
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
