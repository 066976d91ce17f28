// Follows a BankID login: asks the portal where the order stands every second, refreshes the QR code,
// announces BankID's message (the message box is a polite live region) and moves on when the login is
// done. The page works without this script; it only makes it follow by itself.
(function () {
  "use strict";
  const root = document.querySelector("[data-bankid-status-url]");
  if (!root) {
    return;
  }
  const statusUrl = root.dataset.bankidStatusUrl;
  const qrUrl = root.dataset.bankidQrUrl;
  const message = document.getElementById("bankid-message");
  const qrBox = document.getElementById("bankid-qr");
  const qrImage = document.getElementById("bankid-qr-image");
  let frame = 0;
  let stopped = false;

  function show(text) {
    if (message && text && message.textContent !== text) {
      message.textContent = text;
    }
  }

  async function tick() {
    if (stopped) {
      return;
    }
    try {
      const response = await fetch(statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      const body = await response.json();
      if (body.next) {
        stopped = true;
        window.location.assign(body.next);
        return;
      }
      if (body.state === "failed") {
        stopped = true;
        window.location.assign(window.location.pathname);
        return;
      }
      show(body.message);
      if (qrBox && qrImage) {
        qrBox.hidden = !body.qr;
        if (body.qr) {
          frame += 1;
          qrImage.src = qrUrl + "?frame=" + frame;
        }
      }
    } catch (error) {
      // A missed answer is retried on the next tick; the page keeps its last message meanwhile.
    }
    window.setTimeout(tick, 1000);
  }

  window.setTimeout(tick, 1000);
})();
