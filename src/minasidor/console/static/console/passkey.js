// Passkeys in the console: register one, or answer the second step's challenge with one (decision 0131).
(function () {
  "use strict";
  var form = document.querySelector("form[data-passkey]");
  if (!form || !window.PublicKeyCredential) { return; }
  var button = form.querySelector("button");
  var mode = form.getAttribute("data-passkey");
  form.hidden = false;
  button.addEventListener("click", function (event) {
    event.preventDefault();
    fetch(form.getAttribute("data-options"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (options) {
        if (mode === "register") {
          return navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) });
        }
        return navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) });
      })
      .then(function (credential) {
        form.elements.credential.value = JSON.stringify(credential.toJSON());
        form.submit();
      })
      .catch(function (error) {
        if (window.console) { window.console.warn("passkey", error && error.name, error && error.message); }
        form.elements.credential.value = "";
        form.submit();
      });
  });
})();
