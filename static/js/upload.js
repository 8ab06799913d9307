// Browser upload straight to S3, with a progress bar per file.
// Progressive enhancement: without JavaScript, or when the server cannot hand out a presigned
// POST (no Identity Pool credentials), the form posts the files to the site as usual.
(function () {
  "use strict";

  var form = document.getElementById("upload-form");
  if (!form || !form.dataset.presignUrl || !window.fetch || !window.FormData || !window.XMLHttpRequest) {
    return;
  }
  var list = document.getElementById("upload-progress");
  var input = form.querySelector("input[type=file]");
  var text = JSON.parse(document.getElementById("upload-text").textContent);
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  function stem(filename) {
    var dot = filename.lastIndexOf(".");
    return (dot > 0 ? filename.slice(0, dot) : filename).trim() || "Untitled";
  }

  // The same naming rule as gallery.forms.UploadForm.photo_names.
  function names(files, given) {
    given = given.trim();
    return files.map(function (file, i) {
      if (!given) { return stem(file.name); }
      return files.length === 1 ? given : given + " (" + (i + 1) + ")";
    });
  }

  function row(file) {
    var li = document.createElement("li");
    var label = document.createElement("span");
    label.textContent = file.name;
    var bar = document.createElement("progress");
    bar.max = 100; bar.value = 0;
    bar.setAttribute("aria-label", file.name);
    var status = document.createElement("span");
    status.className = "status";
    status.textContent = text.waiting;
    li.append(label, bar, status);
    list.append(li);
    return { li: li, bar: bar, status: status };
  }

  function postJson(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body || {})
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        data.status = response.status;
        return data;
      });
    });
  }

  function sendToS3(ticket, file, ui) {
    return new Promise(function (resolve, reject) {
      var data = new FormData();
      Object.keys(ticket.fields).forEach(function (key) { data.append(key, ticket.fields[key]); });
      data.append("file", file);  // S3 ignores every field after the file
      var xhr = new XMLHttpRequest();
      xhr.open("POST", ticket.url);
      xhr.upload.onprogress = function (event) {
        if (event.lengthComputable) { ui.bar.value = Math.round(100 * event.loaded / event.total); }
      };
      xhr.onload = function () {
        if (xhr.status >= 200 && xhr.status < 300) { resolve(); }
        else { reject(new Error(text.storageRefused + " (HTTP " + xhr.status + ")")); }
      };
      xhr.onerror = function () {
        // Storage unreachable, or the browser refused it (CORS): the site can take the files.
        var e = new Error(text.interrupted); e.fallback = true; reject(e);
      };
      xhr.send(data);
    });
  }

  // Browsers that do not know HEIC (most outside Apple's) give such a file no type: name it
  // from its extension, as the server judges the content anyway.
  function contentType(file) {
    if (file.type) { return file.type; }
    var lower = file.name.toLowerCase();
    if (/\.heic$/.test(lower)) { return "image/heic"; }
    if (/\.heif$/.test(lower)) { return "image/heif"; }
    return "";
  }

  function uploadOne(file, name, caption, ui) {
    ui.status.textContent = text.preparing;
    return postJson(form.dataset.presignUrl, {
      name: name, caption: caption, content_type: contentType(file), size: file.size,
      filename: file.name
    }).then(function (ticket) {
      if (ticket.status === 503) { var e = new Error(ticket.message); e.fallback = true; throw e; }
      if (ticket.status !== 201) { throw new Error(ticket.message || text.refused); }
      ui.status.textContent = text.uploading;
      return sendToS3(ticket, file, ui).then(function () {
        ui.status.textContent = text.checking;
        return postJson(ticket.complete_url);
      });
    }).then(function (done) {
      if (done.status !== 200) { throw new Error(done.message || text.notAccepted); }
      ui.bar.value = 100;
      ui.li.className = "done";
      ui.status.innerHTML = "";
      var link = document.createElement("a");
      link.href = done.url;
      link.textContent = text.uploaded.replace("{name}", name);
      ui.status.append(link);
      return done;
    });
  }

  // Drag and drop: files dropped anywhere on the form become the chosen files.
  function showChosen() {
    list.innerHTML = "";
    Array.prototype.forEach.call(input.files || [], function (file) { row(file).status.textContent = text.ready; });
  }
  ["dragenter", "dragover"].forEach(function (type) {
    form.addEventListener(type, function (event) {
      event.preventDefault();
      form.classList.add("dragging");
    });
  });
  ["dragleave", "drop"].forEach(function (type) {
    form.addEventListener(type, function () { form.classList.remove("dragging"); });
  });
  form.addEventListener("drop", function (event) {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      showChosen();
    }
  });
  input.addEventListener("change", showChosen);

  // A failed file: its bar turns red (CSS: li.failed), says why, and offers to try that file
  // alone again (the page keeps the File; the form itself is cleared after the batch).
  function markFailed(ui, message, retry) {
    ui.li.className = "failed";
    ui.bar.value = ui.bar.max;  // a whole red bar, whatever step it failed at
    ui.bar.setAttribute("aria-invalid", "true");
    ui.status.textContent = message;
    if (!retry) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button-small retry";
    button.textContent = text.retry;
    button.setAttribute("aria-label", text.retryFile.replace("{name}", ui.name));
    button.addEventListener("click", function () {
      button.disabled = true;  // one retry per click, however often it is pressed
      retry();
    });
    ui.status.append(" ", button);
  }

  // What a failed row's Retry does: send that one file again, in the same row.
  function retryable(file, name, caption, ui) {
    return function () {
      ui.li.className = "";
      ui.bar.value = 0;
      ui.bar.removeAttribute("aria-invalid");
      uploadOne(file, name, caption, ui).then(function () {
        var link = ui.status.querySelector("a");
        if (link) { link.focus(); }  // the Retry button is gone: keyboard focus goes to the result
      }, function (error) {
        markFailed(ui, error.message, retryable(file, name, caption, ui));
        ui.status.querySelector("button").focus();  // the new Retry, where the old one was
      });
    };
  }

  // After a batch the form is cleared: pressing Upload again must not send the same files.
  var batchDone = false;
  input.addEventListener("change", function () { batchDone = false; });

  form.addEventListener("submit", function (event) {
    var files = Array.prototype.slice.call(input.files || []);
    if (!files.length && batchDone) {
      event.preventDefault();
      input.focus();
      return;
    }
    if (!files.length) { return; }  // let the server say a file is required
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    list.innerHTML = "";
    var caption = form.querySelector("[name=caption]").value;
    var fileNames = names(files, form.querySelector("[name=name]").value);
    var rows = files.map(function (file, i) {
      var ui = row(file);
      ui.name = fileNames[i];
      return ui;
    });
    var results = [];
    var fallback = false;
    // One file at a time keeps progress readable and memory flat on phones.
    files.reduce(function (chain, file, i) {
      return chain.then(function () {
        if (fallback) { return; }
        return uploadOne(file, fileNames[i], caption, rows[i]).then(function (done) {
          results.push(done);
        }, function (error) {
          if (error.fallback && !results.length) { fallback = true; return; }
          markFailed(rows[i], error.message, retryable(file, fileNames[i], caption, rows[i]));
        });
      });
    }, Promise.resolve()).then(function () {
      if (fallback) {
        // The site takes a request of at most data-server-max-bytes (files, fields and
        // framing); the slack covers the name, caption and framing. Past it, say so here.
        var total = files.reduce(function (sum, file) { return sum + file.size; }, 16384);
        if (total > Number(form.dataset.serverMaxBytes)) {
          rows.forEach(function (ui) { ui.li.className = "failed"; ui.status.textContent = text.tooLargeForSite; });
          button.disabled = false;
          return;
        }
        list.innerHTML = "";
        HTMLFormElement.prototype.submit.call(form);  // the server path, without this handler
        return;
      }
      button.disabled = false;
      if (results.length === files.length && results.length === 1) {
        window.location.href = results[0].url;
        return;
      }
      // The rows stay as the batch's report; the chosen files, name and caption are cleared.
      form.reset();
      batchDone = true;
    });
  });
}());
