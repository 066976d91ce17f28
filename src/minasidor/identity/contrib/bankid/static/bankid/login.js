// Follows a BankID login: asks the portal where the order stands, refreshes the QR code, announces
// BankID's message (the message box is a polite live region) and moves on when the login is done. The page
// works without this script; it only makes it follow by itself.
//
// It asks once a second at most, and slower when the portal is busy: after a 429 or 5xx it waits as long as
// Retry-After says (or doubles its wait, up to 30 seconds, when the answer says nothing or never came), and
// after a slow answer it waits twice as long as the answer took. The QR code keeps changing every second while it is
// shown, one picture at a time (a new one only once the last has loaded).
(function () {
  "use strict";
  const root = document.querySelector("[data-bankid-status-url]");
  if (!root) {
    return;
  }
  const MIN_DELAY = 1000;
  const MAX_DELAY = 30000;
  const MAX_RETRY_AFTER = 120000;
  const statusUrl = root.dataset.bankidStatusUrl;
  const qrUrl = root.dataset.bankidQrUrl;
  const message = document.getElementById("bankid-message");
  const qrBox = document.getElementById("bankid-qr");
  const qrImage = document.getElementById("bankid-qr-image");
  let frame = 0;
  let stopped = false;
  let showQr = Boolean(qrBox && !qrBox.hidden);
  let qrLoading = false;
  let delay = MIN_DELAY;
  let handled = 0;

  // Milliseconds the answer asks us to wait (Retry-After in seconds or as a date), or null.
  function retryAfter(response) {
    const value = response.headers.get("Retry-After");
    if (!value) {
      return null;
    }
    const seconds = Number(value);
    if (Number.isFinite(seconds)) {
      return seconds * 1000;
    }
    const date = Date.parse(value);
    return Number.isNaN(date) ? null : date - Date.now();
  }

  // How long to wait before asking again: never less than a second; what Retry-After asks (up to two
  // minutes); else twice the last wait after a failure (up to MAX_DELAY), or twice the time the answer took.
  function nextDelay(previous, status, asked, took) {
    if (status === 0 || status === 429 || status >= 500) {
      if (asked !== null) {
        return Math.max(MIN_DELAY, Math.min(asked, MAX_RETRY_AFTER));
      }
      return Math.max(MIN_DELAY, Math.min(previous * 2, MAX_DELAY));
    }
    return Math.max(MIN_DELAY, Math.min(2 * took, MAX_DELAY));
  }

  function show(text) {
    if (message && text && message.textContent !== text) {
      message.textContent = text;
    }
  }

  function refreshQr() {
    if (stopped || !showQr || !qrImage || qrLoading) {
      return;
    }
    qrLoading = true;
    frame += 1;
    qrImage.src = qrUrl + "?frame=" + frame;
  }

  if (qrImage) {
    qrImage.addEventListener("load", function () { qrLoading = false; });
    qrImage.addEventListener("error", function () { qrLoading = false; });
  }

  async function tick() {
    if (stopped) {
      return;
    }
    const began = Date.now();
    let status = 0;
    let asked = null;
    try {
      const response = await fetch(statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      status = response.status;
      asked = retryAfter(response);
      if (response.ok) {
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
        showQr = Boolean(body.qr);
        if (qrBox) {
          qrBox.hidden = !showQr;
        }
      }
    } catch (error) {
      // No answer: asked again later; the page keeps its last message meanwhile.
    }
    delay = nextDelay(delay, status, asked, Date.now() - began);
    window.setTimeout(tick, delay);
    // How many answers (or failures to answer) the page has handled and timed its next question after; a
    // page whose clock a test holds still tells the test by this when it may move the clock.
    handled += 1;
    root.dataset.bankidHandled = String(handled);
  }

  window.setInterval(refreshQr, MIN_DELAY);
  window.setTimeout(tick, MIN_DELAY);
})();
