// "My photos": the bulk-action bar. Counts the ticked cards, ticks or clears every card shown
// at once (cards "Load more" appended included), and keeps the action buttons off while
// nothing is ticked. The form works without it: the checkboxes are plain form fields
// (form="bulk-form") and "select all" is then a link to the page with every box ticked.
(function () {
  "use strict";

  var form = document.getElementById("bulk-form");
  if (!form) { return; }
  var count = form.querySelector(".bulk-count");
  var toggle = form.querySelector(".bulk-toggle");
  var buttons = form.querySelectorAll("button[type=submit]");

  function boxes() {
    return Array.prototype.slice.call(document.querySelectorAll("input.bulk-check"));
  }

  // Only a real change touches the text: the observer below would see every write.
  function setText(node, text) {
    if (node.textContent !== text) { node.textContent = text; }
  }

  function update() {
    var all = boxes();
    var ticked = all.filter(function (box) { return box.checked; });
    all.forEach(function (box) {
      var card = box.closest("li.card");
      if (card) { card.classList.toggle("card-selected", box.checked); }
    });
    setText(count, ticked.length
      ? form.dataset.countText.replace("{n}", ticked.length)
      : form.dataset.noneText);
    Array.prototype.forEach.call(buttons, function (button) { button.disabled = !ticked.length; });
    var everything = all.length > 0 && ticked.length === all.length;
    setText(toggle, everything ? form.dataset.clearText : form.dataset.selectAllText);
  }

  // A button in place of the link: it acts here instead of loading the page again.
  toggle.setAttribute("role", "button");
  toggle.addEventListener("click", function (event) {
    event.preventDefault();
    var all = boxes();
    var tick = !all.every(function (box) { return box.checked; });
    all.forEach(function (box) { box.checked = tick; });
    update();
  });
  toggle.addEventListener("keydown", function (event) {
    if (event.key === " ") { event.preventDefault(); toggle.click(); }
  });
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("input.bulk-check")) { update(); }
  });
  // Cards "Load more" appends arrive later: count them too. (update() changes no element
  // list and text only when it differs, so it does not wake the observer again.)
  new MutationObserver(update).observe(document.querySelector("main") || document.body, {
    childList: true, subtree: true
  });
  update();
}());
