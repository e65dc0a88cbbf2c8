// The kiosk's touch screen: the errand menu, the door's answers, check-in by scanning.
// It talks only to the kiosk process on loopback, which talks to the Skranke server. Its
// words come with the menu from the server's catalogue, in both languages, so that the
// language switch changes everything on the screen at once, the answer shown included.
(function () {
  "use strict";
  // Until the server has answered once, the screen can only say that it cannot reach it.
  var FALLBACK = {
    da: { "kiosk.other_language": "English",
          "kiosk.trouble": "Vi kan ikke få forbindelse til systemet lige nu. Spørg ved skranken." },
    en: { "kiosk.other_language": "Dansk",
          "kiosk.trouble": "We cannot reach the system right now. Please ask at the desk." }
  };
  var IDLE_MS = 45000, ANSWER_MS = 30000, RETRY_MS = 3000, REFRESH_MS = 60000;
  var startLang = document.body.dataset.lang === "en" ? "en" : "da";
  var lang = startLang, menu = null, shown = null;
  var idleTimer = null, answerTimer = null, retryTimer = null;
  var $ = function (id) { return document.getElementById(id); };

  function t(key, args) {
    var texts = (menu && menu.texts && menu.texts[lang]) || {};
    var text = texts[key] || FALLBACK[lang][key] || "";
    Object.keys(args || {}).forEach(function (name) {
      text = text.split("{" + name + "}").join(String(args[name]));
    });
    return text;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  // The server writes times with the location's offset, so their clock time is already
  // the local time: only the words around it are the screen's.
  function when(rfc3339) {
    var m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(rfc3339 || "");
    if (!m) return "";
    var time = m[4] + ":" + m[5];
    if (menu && menu.today === m[1] + "-" + m[2] + "-" + m[3]) return t("kiosk.today_at", { time: time });
    var sunday0 = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).getUTCDay();
    return t("kiosk.day_time", {
      weekday: t("date.weekdays").split("\n")[(sunday0 + 6) % 7],
      day: +m[3],
      month: t("date.months").split("\n")[+m[2] - 1],
      time: time
    });
  }

  function errandName(slug) {
    var found = null;
    (menu ? menu.groups : []).forEach(function (group) {
      group.services.forEach(function (service) { if (service.slug === slug) found = service; });
    });
    if (!found) return "";
    return lang === "da" ? found.name_da : found.name_en;
  }

  function setLanguage(next) {
    lang = next;
    document.documentElement.lang = lang;
    $("language").textContent = t("kiosk.other_language");
    $("language").lang = lang === "da" ? "en" : "da";
    $("heading").textContent = t("kiosk.heading");
    $("scan-heading").textContent = t("kiosk.scan_heading");
    $("scan-how").textContent = t("kiosk.scan_how");
    if (!$("trouble").hidden) $("trouble").textContent = t("kiosk.trouble");
    if (menu) renderMenu();
    if (shown) render(shown);
  }

  function showTrouble(on) {
    $("trouble").hidden = !on;
    $("trouble").textContent = on ? t("kiosk.trouble") : "";
  }

  function loadMenu() {
    clearTimeout(retryTimer);
    fetch("/api/menu").then(function (r) {
      return r.json().then(function (body) { return { ok: r.ok, body: body }; });
    }).then(function (answer) {
      if (!answer.ok) throw new Error(answer.body.message);
      var first = !menu;
      menu = answer.body;
      showTrouble(false);
      if (first) setLanguage(lang); else renderMenu();
      retryTimer = setTimeout(loadMenu, REFRESH_MS);
    }).catch(function () {
      showTrouble(true);
      retryTimer = setTimeout(loadMenu, RETRY_MS);
    });
  }

  function renderIdentity() {
    var who = menu.municipality;
    $("place").textContent = menu.name;
    $("municipality").textContent = who ? who.name : "";
    document.title = who ? who.name + " – " + menu.name : menu.name;
    if (who && who.brand_colour) document.documentElement.style.setProperty("--brand", who.brand_colour);
    if (who && !$("logo").getAttribute("src")) $("logo").src = "/logo";
  }

  function renderMenu() {
    renderIdentity();
    var closed = $("closed");
    closed.hidden = menu.open;
    closed.textContent = menu.open ? "" : [t("kiosk.closed"),
      menu.next_opening ? t("kiosk.opens", { when: when(menu.next_opening) }) : ""].join(" ");
    var root = $("menu");
    root.replaceChildren();
    menu.groups.forEach(function (group) {
      var section = el("section", "group");
      section.style.flexGrow = String(group.services.length);
      if (group.name) {
        var heading = el("h2", null, group.name);
        heading.id = "group-" + group.department;
        section.setAttribute("aria-labelledby", heading.id);
        section.appendChild(heading);
      }
      var list = el("div", "errands");
      group.services.forEach(function (service) {
        var button = el("button", "errand");
        button.type = "button";
        button.dataset.service = service.slug;
        button.dataset.action = service.action;
        button.appendChild(el("span", "errand-name", lang === "da" ? service.name_da : service.name_en));
        button.appendChild(el("span", "errand-action", t("kiosk.action_" + service.action)));
        button.addEventListener("click", function () { take(service.slug, false); });
        list.appendChild(button);
      });
      section.appendChild(list);
      root.appendChild(section);
    });
    $("scan").hidden = !!shown;
  }

  function post(path, body) {
    return fetch(path, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
    }).then(function (r) { return r.json(); });
  }

  function take(service, assist) {
    post("/api/ticket", { service: service, assist: assist, lang: lang })
      .then(function (answer) { show({ answer: answer, service: service }); })
      .catch(function () { showTrouble(true); });
  }

  function checkIn(text) {
    post("/api/check-in", { scan: text, lang: lang })
      .then(function (answer) { show({ answer: answer, checkedIn: true }); })
      .catch(function () { showTrouble(true); });
  }

  function qr(svg, label) {
    var box = el("div", "qr");
    box.setAttribute("role", "img");
    box.setAttribute("aria-label", label);
    box.innerHTML = svg; // drawn by the kiosk process itself, never taken from the network
    return box;
  }

  function button(text, onClick, secondary) {
    var b = el("button", secondary ? "button secondary" : "button", text);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }

  // The way out for a citizen who cannot book or go online: an assisted ticket.
  function help(actions, service) {
    actions.appendChild(el("p", "help", t("kiosk.help_how")));
    actions.appendChild(button(t("kiosk.help"), function () { take(service, true); }));
  }

  // Draws an answer in the current language; called again when the language changes.
  function render(what) {
    var answer = what.answer, errand = errandName(what.service || answer.service);
    var box = $("answer"), actions = el("div", "actions");
    box.replaceChildren();
    switch (answer.outcome) {
      case "ticket":
        if (what.checkedIn) box.appendChild(el("h2", null, t("kiosk.checked_in")));
        box.appendChild(el("p", null, t("kiosk.your_number")));
        box.appendChild(el("p", "number", answer.number));
        box.appendChild(el("p", "remember", t({ printed: "kiosk.printed", failed: "kiosk.not_printed" }[answer.print] || "kiosk.no_printer")));
        if (answer.position !== null && answer.position !== undefined)
          box.appendChild(el("p", null, t("kiosk.ahead", { n: answer.position })));
        if (answer.estimated_wait_minutes !== null && answer.estimated_wait_minutes !== undefined)
          box.appendChild(el("p", null, t("kiosk.wait", { minutes: answer.estimated_wait_minutes })));
        break;
      case "booking_required":
        box.appendChild(el("h2", null, t("kiosk.booking_needed", { errand: errand })));
        if (answer.next_free && answer.next_free.length) {
          box.appendChild(el("p", null, t("kiosk.next_free")));
          var times = el("ul", "times");
          answer.next_free.forEach(function (start) { times.appendChild(el("li", null, when(start))); });
          box.appendChild(times);
        } else {
          box.appendChild(el("p", null, t("kiosk.no_free")));
        }
        if (answer.qr_svg && answer.qr_svg[lang]) {
          box.appendChild(qr(answer.qr_svg[lang], t("kiosk.qr_book")));
          box.appendChild(el("p", null, t("kiosk.scan_to_book", { errand: errand })));
        }
        help(actions, what.service);
        break;
      case "self_service":
        box.appendChild(el("h2", null, t("kiosk.online", { errand: errand })));
        if (answer.qr_svg) {
          box.appendChild(qr(answer.qr_svg, t("kiosk.qr_online")));
          box.appendChild(el("p", null, t("kiosk.scan_online")));
        }
        help(actions, what.service);
        break;
      case "closed":
        box.appendChild(el("h2", null, t("kiosk.closed")));
        if (answer.next_opening) box.appendChild(el("p", null, t("kiosk.opens", { when: when(answer.next_opening) })));
        break;
      case "not_now":
        box.appendChild(el("h2", null, answer.reason === "too_early" && answer.from
          ? t("kiosk.too_early", { when: when(answer.from) })
          : t(answer.reason === "too_late" ? "kiosk.too_late" : "kiosk.not_booked")));
        break;
      case "no_booking": box.appendChild(el("h2", null, t("kiosk.no_booking"))); break;
      case "unreadable": box.appendChild(el("h2", null, t("kiosk.unreadable"))); break;
      case "unreachable": showTrouble(true); loadMenu(); return false;
      default: box.appendChild(el("h2", null, t("kiosk.unknown")));
    }
    actions.appendChild(button(t("kiosk.back"), backToMenu, true));
    box.appendChild(actions);
    return true;
  }

  function show(what) {
    if (!render(what)) return;
    shown = what;
    showTrouble(false);
    $("menu").hidden = true;
    $("heading").hidden = true;
    $("scan").hidden = true;
    $("answer").hidden = false;
    clearTimeout(answerTimer);
    answerTimer = setTimeout(backToMenu, ANSWER_MS);
  }

  function backToMenu() {
    clearTimeout(answerTimer);
    shown = null;
    $("answer").hidden = true;
    $("answer").replaceChildren();
    $("menu").hidden = false;
    $("heading").hidden = false;
    $("scan").hidden = !menu;
  }

  function resetIdle() {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(function () { backToMenu(); setLanguage(startLang); }, IDLE_MS);
  }

  // A QR scanner is a keyboard: it types the code fast and ends with Enter.
  var scanned = "";
  document.addEventListener("keydown", function (event) {
    resetIdle();
    if (event.key === "Enter" && scanned.length > 8) {
      // The Enter ends the scan; it must not also press a button that has the focus.
      event.preventDefault();
      checkIn(scanned);
      scanned = "";
      return;
    }
    if (event.key.length === 1) scanned += event.key;
    if (scanned.length > 512) scanned = "";
  });
  ["pointerdown", "touchstart"].forEach(function (kind) { document.addEventListener(kind, resetIdle); });
  $("language").addEventListener("click", function () { setLanguage(lang === "da" ? "en" : "da"); });
  $("logo").addEventListener("load", function () { $("logo").hidden = false; });
  $("logo").addEventListener("error", function () { $("logo").hidden = true; });

  setLanguage(lang);
  loadMenu();
  resetIdle();
})();
