// The forecast without a full page load: the form is sent as usual (post, redirect, get), the new
// results replace the old ones, and a live region says so. Without JavaScript the form works the same way
// with a full page load. On any problem the browser simply submits the form itself.
(function () {
  "use strict";
  var form = document.getElementById("forecast-form");
  var status = document.getElementById("forecast-status");
  if (!form || !status || !window.fetch || !window.DOMParser) {
    return;
  }
  var sending = false;
  form.addEventListener("submit", function (event) {
    if (sending) {
      event.preventDefault();
      return;
    }
    event.preventDefault();
    sending = true;
    status.textContent = form.getAttribute("data-updating") || "";
    fetch(form.action || window.location.pathname, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      redirect: "follow",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        if (!response.ok || response.redirected === false) {
          throw new Error("show the full page");
        }
        return response.text();
      })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, "text/html");
        var fresh = next.getElementById("resultat");
        var current = document.getElementById("resultat");
        if (!fresh || !current) {
          throw new Error("no results");
        }
        current.replaceWith(fresh);
        status.textContent = form.getAttribute("data-updated") || "";
        sending = false;
      })
      .catch(function () {
        sending = false;
        form.submit();
      });
  });
})();
