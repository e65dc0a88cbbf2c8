// The kiosk's touch screen: the errand menu, the door's answers, check-in by scanning.
// It talks only to the kiosk process on loopback, which talks to the Skranke server.
(function () {
  "use strict";
  var TEXT = {
    da: {
      heading: "Hvad skal du i dag?", other: "English", ticket: "Dit nummer",
      printed: "Tag din billet nedenfor.", notPrinted: "Billetten kunne ikke printes. Husk dit nummer.",
      ahead: "Foran dig", wait: "Forventet ventetid", minutes: "min",
      online: "Det klarer du selv på nettet.", scanOnline: "Scan koden med din telefon:",
      help: "Jeg har brug for hjælp", bookingNeeded: "Det kræver en tidsbestilling.",
      firstFree: "Første ledige tid", scanBooking: "Scan koden for at bestille tid:",
      closed: "Vi har lukket nu.", opens: "Vi åbner igen", back: "Tilbage",
      noBooking: "Vi kan ikke finde din booking. Spørg ved skranken.",
      notNow: "Din booking kan ikke tjekkes ind nu.", unreadable: "Koden kunne ikke læses. Prøv igen.",
      trouble: "Vi kan ikke få forbindelse til systemet lige nu. Vi prøver igen af os selv – spørg ved skranken, hvis det haster.",
      checkedIn: "Du er tjekket ind.",
      actions: { ticket: "Tag nummer", self_service: "Klares på nettet", booking_required: "Kræver tidsbestilling", closed: "Lukket" }
    },
    en: {
      heading: "What is your errand today?", other: "Dansk", ticket: "Your number",
      printed: "Take your ticket below.", notPrinted: "The ticket could not be printed. Remember your number.",
      ahead: "Ahead of you", wait: "Expected wait", minutes: "min",
      online: "You can do this yourself online.", scanOnline: "Scan the code with your phone:",
      help: "I need help", bookingNeeded: "This needs a booking.",
      firstFree: "First free time", scanBooking: "Scan the code to book a time:",
      closed: "We are closed now.", opens: "We open again", back: "Back",
      noBooking: "We cannot find your booking. Please ask at the counter.",
      notNow: "Your booking cannot be checked in now.", unreadable: "The code could not be read. Please try again.",
      trouble: "We cannot reach the system right now. We keep trying by ourselves – please ask at the counter if it is urgent.",
      checkedIn: "You are checked in.",
      actions: { ticket: "Take a number", self_service: "Done online", booking_required: "Needs a booking", closed: "Closed" }
    }
  };
  var IDLE_MS = 45000, ANSWER_MS = 20000, RETRY_MS = 3000, REFRESH_MS = 60000;
  var startLang = document.body.dataset.lang === "en" ? "en" : "da";
  var lang = startLang, menu = null, idleTimer = null, answerTimer = null, retryTimer = null;
  var $ = function (id) { return document.getElementById(id); };
  var t = function () { return TEXT[lang]; };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function localTime(rfc3339) {
    // The server writes local times with their offset: the clock time is already local.
    if (!rfc3339) return "";
    var date = rfc3339.slice(8, 10) + "." + rfc3339.slice(5, 7) + ".";
    return date + " " + (lang === "da" ? "kl. " : "") + rfc3339.slice(11, 16);
  }

  function setLanguage(next) {
    lang = next;
    document.documentElement.lang = lang;
    $("language").textContent = t().other;
    $("language").lang = lang === "da" ? "en" : "da";
    $("heading").textContent = t().heading;
    if (menu) renderMenu();
  }

  function showTrouble(on) {
    $("trouble").hidden = !on;
    $("trouble").textContent = on ? t().trouble : "";
  }

  function loadMenu() {
    clearTimeout(retryTimer);
    fetch("/api/menu").then(function (r) {
      return r.json().then(function (body) { return { ok: r.ok, body: body }; });
    }).then(function (answer) {
      if (!answer.ok) throw new Error(answer.body.message);
      menu = answer.body;
      showTrouble(false);
      renderMenu();
      retryTimer = setTimeout(loadMenu, REFRESH_MS);
    }).catch(function () {
      showTrouble(true);
      retryTimer = setTimeout(loadMenu, RETRY_MS);
    });
  }

  function renderMenu() {
    $("place").textContent = menu.name;
    var root = $("menu");
    root.replaceChildren();
    menu.groups.forEach(function (group) {
      var list = el("div", "errands");
      group.services.forEach(function (service) {
        var button = el("button", "errand", lang === "da" ? service.name_da : service.name_en);
        button.type = "button";
        button.dataset.service = service.slug;
        button.dataset.action = service.action;
        button.appendChild(el("small", null, t().actions[service.action] || ""));
        button.addEventListener("click", function () { take(service.slug, false); });
        list.appendChild(button);
      });
      root.appendChild(list);
    });
  }

  function post(path, body) {
    return fetch(path, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
    }).then(function (r) { return r.json(); });
  }

  function take(service, assist) {
    post("/api/ticket", { service: service, assist: assist })
      .then(function (answer) { show(answer, service); })
      .catch(function () { showTrouble(true); });
  }

  function checkIn(text) {
    post("/api/check-in", { scan: text })
      .then(function (answer) { show(answer, null, true); })
      .catch(function () { showTrouble(true); });
  }

  function qr(svg) {
    var box = el("div", "qr");
    box.setAttribute("role", "img");
    box.setAttribute("aria-label", "QR");
    box.innerHTML = svg; // generated by the kiosk itself, never from the network
    return box;
  }

  function button(text, onClick, secondary) {
    var b = el("button", secondary ? "secondary" : null, text);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }

  function show(answer, service, checkedIn) {
    var box = $("answer");
    box.replaceChildren();
    var x = t();
    switch (answer.outcome) {
      case "ticket":
        if (checkedIn) box.appendChild(el("p", null, x.checkedIn));
        box.appendChild(el("p", null, x.ticket));
        box.appendChild(el("p", "number", answer.number));
        box.appendChild(el("p", null, answer.printed ? x.printed : x.notPrinted));
        if (answer.position !== null && answer.position !== undefined)
          box.appendChild(el("p", null, x.ahead + ": " + answer.position));
        if (answer.estimated_wait_minutes !== null && answer.estimated_wait_minutes !== undefined)
          box.appendChild(el("p", null, x.wait + ": " + answer.estimated_wait_minutes + " " + x.minutes));
        break;
      case "self_service":
        box.appendChild(el("p", null, x.online));
        if (answer.qr_svg) { box.appendChild(el("p", null, x.scanOnline)); box.appendChild(qr(answer.qr_svg)); }
        if (answer.url) box.appendChild(el("p", "link", answer.url));
        box.appendChild(button(x.help, function () { take(service, true); }));
        break;
      case "booking_required":
        box.appendChild(el("p", null, x.bookingNeeded));
        if (answer.first_free) box.appendChild(el("p", null, x.firstFree + ": " + localTime(answer.first_free)));
        if (answer.qr_svg) { box.appendChild(el("p", null, x.scanBooking)); box.appendChild(qr(answer.qr_svg)); }
        break;
      case "closed":
        box.appendChild(el("p", null, x.closed));
        if (answer.next_opening) box.appendChild(el("p", null, x.opens + " " + localTime(answer.next_opening)));
        break;
      case "no_booking": box.appendChild(el("p", null, x.noBooking)); break;
      case "not_now": box.appendChild(el("p", null, x.notNow)); box.appendChild(el("p", null, answer.message)); break;
      case "unreadable": box.appendChild(el("p", null, x.unreadable)); break;
      case "unreachable": showTrouble(true); loadMenu(); return;
      default: box.appendChild(el("p", null, answer.message || x.trouble));
    }
    showTrouble(false);
    box.appendChild(button(x.back, backToMenu, true));
    $("menu").hidden = true;
    box.hidden = false;
    clearTimeout(answerTimer);
    answerTimer = setTimeout(backToMenu, ANSWER_MS);
  }

  function backToMenu() {
    clearTimeout(answerTimer);
    $("answer").hidden = true;
    $("answer").replaceChildren();
    $("menu").hidden = false;
  }

  function resetIdle() {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(function () { backToMenu(); setLanguage(startLang); }, IDLE_MS);
  }

  // A QR scanner is a keyboard: it types the code fast and ends with Enter.
  var scanned = "";
  document.addEventListener("keydown", function (event) {
    resetIdle();
    if (event.key === "Enter" && scanned.length > 8) { checkIn(scanned); scanned = ""; return; }
    if (event.key.length === 1) scanned += event.key;
    if (scanned.length > 512) scanned = "";
  });
  ["pointerdown", "touchstart"].forEach(function (kind) { document.addEventListener(kind, resetIdle); });
  $("language").addEventListener("click", function () { setLanguage(lang === "da" ? "en" : "da"); });

  setLanguage(lang);
  loadMenu();
  resetIdle();
})();
