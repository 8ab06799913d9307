// Full-size view of the photo in a dialog; Escape or the Close button returns to the page.
// Without JavaScript (or <dialog>), the link simply opens the image.
(function () {
  "use strict";

  var link = document.querySelector("a[data-lightbox]");
  if (!link || typeof HTMLDialogElement !== "function") { return; }

  var dialog = document.createElement("dialog");
  dialog.className = "lightbox";
  dialog.setAttribute("aria-label", link.querySelector("img").alt);
  var form = document.createElement("form");
  form.method = "dialog";
  var close = document.createElement("button");
  close.textContent = link.dataset.closeLabel || "Close";
  form.append(close);
  var image = document.createElement("img");
  image.alt = link.querySelector("img").alt;
  dialog.append(form, image);
  document.body.append(dialog);

  link.addEventListener("click", function (event) {
    event.preventDefault();
    image.src = link.href;
    dialog.showModal();
    close.focus();
  });
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) { dialog.close(); }  // a click on the backdrop
  });
  dialog.addEventListener("close", function () { link.focus(); });
}());
