// Warns before the session ends (WCAG 2.2.1 Timing Adjustable): a modal dialog, shown `warn` seconds
// before the end, announced to screen readers, with one button to stay logged in. The server's clock
// decides: before warning and before ending, the script asks the server how much time is left (asking is
// not activity). Open tabs keep in step through a BroadcastChannel: staying logged in, or the end, in one
// tab is told to the others. At the end, a form marked `data-keep-on-timeout` is sent so the server can
// keep what it held for after the next login; otherwise the browser goes to the session-ended page.
(function () {
  "use strict";
  var dialog = document.getElementById("session-timeout");
  if (!dialog || typeof dialog.showModal !== "function") {
    return;
  }
  var config = dialog.dataset;
  var warnSeconds = Number(config.warnSeconds);
  var deadline = Date.now() + Number(config.remainingSeconds) * 1000;
  var extendForm = document.getElementById("session-timeout-extend");
  var countdown = dialog.querySelector(".session-timeout__countdown");
  var announcement = document.getElementById("session-timeout-announcement");
  var channel = "BroadcastChannel" in window ? new BroadcastChannel("minasidor-session") : null;
  var asking = false;
  var ended = false;
  var returnFocusTo = null;
  var announcedAt = null;

  function secondsLeft() {
    return Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
  }

  function describe(seconds) {
    if (seconds >= 120) {
      return config.textMinutes.replace("NUMBER", String(Math.ceil(seconds / 60)));
    }
    if (seconds >= 60) {
      return config.textOneMinute;
    }
    return config.textSeconds.replace("NUMBER", String(seconds));
  }

  function announce(seconds) {
    // Announced when the dialog opens, then once at one minute and at twenty seconds: not every second.
    var step = seconds > 60 ? "open" : seconds > 20 ? "minute" : "last";
    if (step !== announcedAt) {
      announcedAt = step;
      announcement.textContent = dialog.querySelector("#session-timeout-text").textContent.replace(
        countdown.textContent,
        describe(seconds)
      );
    }
  }

  function show() {
    if (dialog.open) {
      return;
    }
    returnFocusTo = document.activeElement;
    announcedAt = null;
    countdown.textContent = describe(secondsLeft());
    dialog.showModal();
    extendForm.querySelector("button").focus();
    announce(secondsLeft());
  }

  function hide() {
    if (!dialog.open) {
      return;
    }
    dialog.close();
    announcement.textContent = "";
    if (returnFocusTo && typeof returnFocusTo.focus === "function") {
      returnFocusTo.focus();
    }
  }

  function end(tellOthers) {
    if (ended) {
      return;
    }
    ended = true;
    if (tellOthers && channel) {
      channel.postMessage({ type: "ended" });
    }
    var keep = document.querySelector("form[data-keep-on-timeout]");
    if (keep) {
      keep.submit();
    } else {
      window.location.assign(config.endedUrl);
    }
  }

  function learn(body) {
    if (!body.active) {
      end(true);
      return;
    }
    deadline = Date.now() + body.remaining * 1000;
    if (secondsLeft() > warnSeconds) {
      hide();
    }
  }

  function ask() {
    if (asking || ended) {
      return;
    }
    asking = true;
    fetch(config.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json();
      })
      .then(function (body) {
        asking = false;
        learn(body);
        if (!ended && secondsLeft() <= warnSeconds) {
          show();
        }
      })
      .catch(function () {
        asking = false;
      });
  }

  function extend() {
    fetch(extendForm.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      body: new FormData(extendForm),
    })
      .then(function (response) {
        return response.json();
      })
      .then(function (body) {
        learn(body);
        if (body.active && channel) {
          channel.postMessage({ type: "extended", remaining: body.remaining });
        }
      })
      .catch(function () {
        extendForm.submit();
      });
  }

  function tick() {
    if (ended) {
      return;
    }
    var seconds = secondsLeft();
    if (seconds <= 0) {
      var keep = document.querySelector("form[data-keep-on-timeout]");
      if (keep) {
        end(true);
      } else {
        ask();
      }
      return;
    }
    if (seconds <= warnSeconds && !dialog.open) {
      ask();
    }
    if (dialog.open) {
      countdown.textContent = describe(seconds);
      announce(seconds);
    }
  }

  extendForm.addEventListener("submit", function (event) {
    event.preventDefault();
    extend();
  });
  // Escape means "not now": the citizen stays logged in rather than losing the dialog and the session.
  dialog.addEventListener("cancel", function (event) {
    event.preventDefault();
    extend();
  });
  if (channel) {
    channel.addEventListener("message", function (event) {
      if (event.data && event.data.type === "extended") {
        learn({ active: true, remaining: event.data.remaining });
      } else if (event.data && event.data.type === "ended") {
        end(false);
      }
    });
    // A page loaded in another tab is activity: this tab learns the new deadline.
    channel.postMessage({ type: "extended", remaining: Number(config.remainingSeconds) });
  }
  window.setInterval(tick, 1000);
})();
