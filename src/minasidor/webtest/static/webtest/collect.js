// The web test: fills the form's hidden fields with what only the browser knows (decision 0132).
(function () {
  "use strict";
  var form = document.getElementById("webtest-form");
  if (!form) { return; }
  function set(name, value) { var field = form.elements[name]; if (field) { field.value = String(value); } }
  var storage = "0";
  try { window.localStorage.setItem("webtest", "1"); window.localStorage.removeItem("webtest"); storage = "1"; } catch (e) { storage = "0"; }
  set("js", "1");
  set("screen_w", window.screen.width); set("screen_h", window.screen.height);
  set("window_w", window.innerWidth); set("window_h", window.innerHeight);
  try { set("time_zone", Intl.DateTimeFormat().resolvedOptions().timeZone || ""); } catch (e) { set("time_zone", ""); }
  set("local_storage", storage);
  set("cookies", navigator.cookieEnabled ? "1" : "0");
  form.addEventListener("submit", function () { set("clock_ms", Date.now()); });
  var link = document.getElementById("bankid-link");
  if (link) {
    link.addEventListener("click", function () {
      var left = function () { set("bankid_left_page", "1"); };
      window.addEventListener("blur", left, { once: true });
      document.addEventListener("visibilitychange", left, { once: true });
    });
  }
})();
