// Full-size view of the photo in a dialog, with zoom; Escape or the Close button returns to
// the page. Without JavaScript (or <dialog>), the link simply opens the full-size image.
//
// Zoom: on a desktop, click the picture (or press +/-, 0 to fit) and scroll the wheel over it;
// drag or use the arrow keys to move around a zoomed picture. On a phone, pinch with two
// fingers, drag with one, double-tap to zoom in or back. The dialog's `data-zoom` says the
// current scale (1 = fitted to the screen).
(function () {
  "use strict";

  var link = document.querySelector("a[data-lightbox]");
  if (!link || typeof HTMLDialogElement !== "function") { return; }
  var MAX = 8;

  var dialog = document.createElement("dialog");
  dialog.className = "lightbox";
  dialog.setAttribute("aria-label", link.querySelector("img").alt);
  var form = document.createElement("form");
  form.method = "dialog";
  form.className = "lightbox-bar";
  function button(label, type) {
    var b = document.createElement("button");
    b.type = type || "button";
    b.textContent = label;
    return b;
  }
  var zoomOut = button(link.dataset.zoomOutLabel || "Zoom out");
  var zoomIn = button(link.dataset.zoomInLabel || "Zoom in");
  var close = button(link.dataset.closeLabel || "Close", "submit");
  form.append(zoomOut, zoomIn, close);
  var stage = document.createElement("div");
  stage.className = "lightbox-stage";
  var image = document.createElement("img");
  image.alt = link.querySelector("img").alt;
  image.draggable = false;
  stage.append(image);
  var hint = document.createElement("p");
  hint.className = "lightbox-hint";
  hint.textContent = link.dataset.zoomHint || "";
  dialog.append(form, stage, hint);
  document.body.append(dialog);

  var scale = 1, x = 0, y = 0;

  function clamp() {
    // Keep the zoomed picture covering the stage: no panning off into the void.
    var spareX = Math.max(0, (image.offsetWidth * scale - stage.clientWidth) / 2);
    var spareY = Math.max(0, (image.offsetHeight * scale - stage.clientHeight) / 2);
    x = Math.min(spareX, Math.max(-spareX, x));
    y = Math.min(spareY, Math.max(-spareY, y));
  }
  function render() {
    if (scale <= 1) { scale = 1; x = 0; y = 0; }
    clamp();
    image.style.transform = "translate(" + x + "px, " + y + "px) scale(" + scale + ")";
    dialog.dataset.zoom = scale.toFixed(2);
    dialog.classList.toggle("zoomed", scale > 1);
    zoomOut.disabled = scale <= 1;
    zoomIn.disabled = scale >= MAX;
  }
  // Zoom to `next` keeping the point (px, py) of the stage (relative to its centre) still.
  function zoomTo(next, px, py) {
    next = Math.min(MAX, Math.max(1, next));
    var ratio = next / scale;
    x = px - (px - x) * ratio;
    y = py - (py - y) * ratio;
    scale = next;
    render();
  }
  function centre(event) {
    var box = stage.getBoundingClientRect();
    return [event.clientX - box.left - box.width / 2, event.clientY - box.top - box.height / 2];
  }
  // One click's zoom: to the picture's own pixels (at least twice the fitted size).
  function detailScale() {
    var natural = image.naturalWidth / Math.max(1, image.offsetWidth);
    return Math.min(MAX, Math.max(2, natural));
  }

  link.addEventListener("click", function (event) {
    event.preventDefault();
    scale = 1; x = 0; y = 0;
    image.src = link.href;
    dialog.showModal();
    render();
    close.focus();
  });
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) { dialog.close(); }  // a click on the backdrop
  });
  dialog.addEventListener("close", function () { link.focus(); });
  zoomIn.addEventListener("click", function () { zoomTo(scale * 1.5, 0, 0); });
  zoomOut.addEventListener("click", function () { zoomTo(scale / 1.5, 0, 0); });

  dialog.addEventListener("keydown", function (event) {
    var step = 80, handled = true;
    if (event.key === "+" || event.key === "=") { zoomTo(scale * 1.5, 0, 0); }
    else if (event.key === "-" || event.key === "_") { zoomTo(scale / 1.5, 0, 0); }
    else if (event.key === "0") { zoomTo(1, 0, 0); }
    else if (event.key === "ArrowLeft") { x += step; render(); }
    else if (event.key === "ArrowRight") { x -= step; render(); }
    else if (event.key === "ArrowUp") { y += step; render(); }
    else if (event.key === "ArrowDown") { y -= step; render(); }
    else { handled = false; }
    if (handled) {
      // The page's own arrow keys (previous and next photo) stay out of the open dialog.
      event.preventDefault();
      event.stopPropagation();
    }
  });

  stage.addEventListener("wheel", function (event) {
    event.preventDefault();
    var point = centre(event);
    zoomTo(scale * Math.pow(1.0015, -event.deltaY), point[0], point[1]);
  }, { passive: false });

  // Pointers: a click toggles zoom, one pointer drags, two pinch.
  var pointers = {}, pinch = null, drag = null, moved = false, lastTap = 0;
  function list() { return Object.keys(pointers).map(function (k) { return pointers[k]; }); }
  function distance(a, b) { return Math.hypot(a.clientX - b.clientX, a.clientY - b.clientY); }

  stage.addEventListener("pointerdown", function (event) {
    pointers[event.pointerId] = event;
    stage.setPointerCapture(event.pointerId);
    var all = list();
    if (all.length === 2) {
      var mid = centre({
        clientX: (all[0].clientX + all[1].clientX) / 2,
        clientY: (all[0].clientY + all[1].clientY) / 2
      });
      pinch = { distance: distance(all[0], all[1]), scale: scale, mid: mid };
      drag = null;
    } else if (all.length === 1) {
      drag = { x: event.clientX - x, y: event.clientY - y };
      moved = false;
    }
  });
  stage.addEventListener("pointermove", function (event) {
    if (!pointers[event.pointerId]) { return; }
    pointers[event.pointerId] = event;
    var all = list();
    if (pinch && all.length === 2) {
      zoomTo(pinch.scale * distance(all[0], all[1]) / pinch.distance, pinch.mid[0], pinch.mid[1]);
      moved = true;
    } else if (drag && scale > 1) {
      var nx = event.clientX - drag.x, ny = event.clientY - drag.y;
      if (Math.abs(nx - x) + Math.abs(ny - y) > 2) { moved = true; }
      x = nx; y = ny;
      render();
    }
  });
  function lift(event) {
    if (!pointers[event.pointerId]) { return; }
    delete pointers[event.pointerId];
    if (list().length < 2) { pinch = null; }
    if (event.type === "pointerup" && !moved && list().length === 0 && drag) {
      var point = centre(event);
      var now = Date.now();
      if (event.pointerType === "mouse" || now - lastTap < 350) {
        zoomTo(scale > 1 ? 1 : detailScale(), point[0], point[1]);
        lastTap = 0;
      } else {
        lastTap = now;
      }
    }
    if (list().length === 0) { drag = null; }
  }
  stage.addEventListener("pointerup", lift);
  stage.addEventListener("pointercancel", lift);
}());
