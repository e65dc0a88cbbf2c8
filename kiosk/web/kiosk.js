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
  var lang = startLang, menu = null, shown = null, visit = null;
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
    if (visit) renderVisit();
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
        button.addEventListener("click", function () { take({ service: service.slug }); });
        list.appendChild(button);
      });
      section.appendChild(list);
      root.appendChild(section);
    });
    $("scan").hidden = !!shown || !!visit;
    $("several").textContent = t("kiosk_visit.entry");
    $("several").hidden = !!shown || !!visit || !offersVisits();
  }

  // A visit of several errands, or with needs: the errands a ticket may combine here are
  // those the door gives a ticket for (or helps with at a desk when they are done online);
  // one that needs a booking cannot join a ticket.
  function combinable() {
    var list = [];
    (menu ? menu.groups : []).forEach(function (group) {
      group.services.forEach(function (service) {
        if (service.action === "ticket" || service.action === "self_service") list.push(service);
      });
    });
    return list;
  }

  function offersVisits() {
    return menu && menu.open && (combinable().length > 1 || (menu.needs || []).length > 0);
  }

  // The interpreter's languages as the screen names them, and as staff read them (Danish).
  function languages(which) {
    var texts = (menu && menu.texts && menu.texts[which || lang]) || {};
    return (texts["kiosk_visit.languages"] || "").split("\n").filter(Boolean);
  }

  function openVisit() {
    visit = { errands: {}, needs: {}, language: null, problem: null };
    $("menu").hidden = true;
    $("heading").hidden = true;
    $("scan").hidden = true;
    $("several").hidden = true;
    $("visit").hidden = false;
    renderVisit();
    $("visit-heading").focus();
  }

  function choice(type, name, id, checked, text, onChange) {
    var label = el("label", "choice");
    var input = el("input");
    input.type = type;
    input.name = name;
    input.id = id;
    input.checked = checked;
    input.addEventListener("change", function () { onChange(input.checked); });
    label.appendChild(input);
    label.appendChild(el("span", null, text));
    return label;
  }

  function group(legend, hint) {
    var set = el("fieldset", "choices");
    set.appendChild(el("legend", null, legend));
    if (hint) set.appendChild(el("p", "hint", hint));
    return set;
  }

  // Draws the choice of errands and needs from `visit`; called again on every change, the
  // focus kept where the citizen touched.
  function renderVisit() {
    var focused = document.activeElement && document.activeElement.id;
    var box = $("visit");
    box.replaceChildren();
    var heading = el("h2", null, t("kiosk_visit.heading"));
    heading.id = "visit-heading";
    heading.tabIndex = -1;
    box.appendChild(heading);
    var problem = el("p", "trouble", visit.problem);
    problem.id = "visit-problem";
    problem.setAttribute("role", "alert");
    problem.tabIndex = -1;
    problem.hidden = !visit.problem;
    box.appendChild(problem);

    var errands = group(t("kiosk_visit.heading"), t("kiosk_visit.errands_hint", { max: menu.max_errands }));
    errands.querySelector("legend").className = "visually-hidden";
    combinable().forEach(function (service) {
      var row = el("div", "choice-row");
      var name = lang === "da" ? service.name_da : service.name_en;
      var ticked = visit.errands[service.slug] !== undefined;
      row.appendChild(choice("checkbox", "errand", "errand-" + service.slug, ticked, name, function (on) {
        if (on) visit.errands[service.slug] = 1; else delete visit.errands[service.slug];
        renderVisit();
      }));
      var max = Math.min(service.max_per_visit || 1, menu.max_errands || 1);
      if (ticked && max > 1) {
        var how = el("div", "quantity");
        var label = el("label", null, t("kiosk_visit.how_many", { errand: name }));
        label.htmlFor = "quantity-" + service.slug;
        var select = el("select");
        select.id = "quantity-" + service.slug;
        for (var n = 1; n <= max; n++) {
          var option = el("option", null, String(n));
          option.value = String(n);
          option.selected = n === visit.errands[service.slug];
          select.appendChild(option);
        }
        select.addEventListener("change", function () { visit.errands[service.slug] = +select.value; });
        how.appendChild(label);
        how.appendChild(select);
        row.appendChild(how);
      }
      errands.appendChild(row);
    });
    box.appendChild(errands);

    var offered = menu.needs || [];
    if (offered.length) {
      var needs = group(t("kiosk_visit.needs"), t("kiosk_visit.needs_hint"));
      // The interpreter first: the one a citizen who reads little Danish looks for.
      offered.slice().sort(function (a, b) { return (b.detail ? 1 : 0) - (a.detail ? 1 : 0); }).forEach(function (need) {
        var ticked = !!visit.needs[need.kind];
        var text = need.kind === "interpreter" ? t("kiosk_visit.interpreter") : (lang === "da" ? need.name_da : need.name_en);
        needs.appendChild(choice("checkbox", "need", "need-" + need.kind, ticked, text, function (on) {
          if (on) visit.needs[need.kind] = true; else delete visit.needs[need.kind];
          renderVisit();
        }));
        if (ticked && need.detail) {
          var which = group(t("kiosk_visit.language"));
          which.classList.add("languages");
          languages().forEach(function (name, i) {
            which.appendChild(choice("radio", "language", "language-" + i, visit.language === i, name, function () {
              visit.language = i;
            }));
          });
          needs.appendChild(which);
        }
      });
      box.appendChild(needs);
    }

    var actions = el("div", "actions");
    actions.appendChild(button(t("kiosk_visit.take"), takeVisit));
    actions.appendChild(button(t("kiosk.back"), backToMenu, true));
    box.appendChild(actions);
    if (focused && $(focused) && box.contains($(focused))) $(focused).focus();
  }

  // What the citizen chose, as the server takes it; `null` with the reason when it is not
  // complete yet.
  function chosenVisit() {
    // In the order they were ticked: the first leads, and its queue is the ticket's.
    var offered = combinable().map(function (s) { return s.slug; });
    var services = Object.keys(visit.errands).filter(function (slug) { return offered.indexOf(slug) >= 0; })
      .map(function (slug) { return { service: slug, quantity: visit.errands[slug] }; });
    if (!services.length) return { problem: t("kiosk_visit.error_none") };
    var staffNames = languages("da");
    var needs = [];
    Object.keys(visit.needs).forEach(function (kind) {
      var need = (menu.needs || []).find(function (n) { return n.kind === kind; });
      if (!need) return;
      needs.push(need.detail ? { kind: kind, detail: staffNames[visit.language] } : { kind: kind });
    });
    if (needs.some(function (n) { return n.kind === "interpreter" && !n.detail; }))
      return { problem: t("kiosk_visit.error_language") };
    return { request: { services: services, needs: needs } };
  }

  // The server's refusal of the visit, by the fields it named, in the citizen's words.
  function refusalWords(fields) {
    var said = [];
    (fields || []).forEach(function (field) {
      var key = field === "services" ? "kiosk_visit.error_errands"
        : /^services\[\d+\]\.quantity$/.test(field) ? "kiosk_visit.error_quantity"
        : /^needs\[\d+\]\.detail$/.test(field) ? "kiosk_visit.error_language"
        : /^needs/.test(field) ? "kiosk_visit.error_need"
        : "kiosk_visit.error_errand";
      var text = t(key, { max: menu.max_errands });
      if (said.indexOf(text) < 0) said.push(text);
    });
    return said.join(" ") || t("kiosk.unknown");
  }

  function takeVisit() {
    var chosen = chosenVisit();
    if (chosen.problem) {
      visit.problem = chosen.problem;
      renderVisit();
      $("visit-problem").focus();
      return;
    }
    take(Object.assign({ visit: visit }, chosen.request));
  }

  // The errands and needs of a ticket for a visit, named in the screen's language.
  function visitLines(request, answer) {
    var lines = [];
    var services = (answer.services && answer.services.length) ? answer.services : request.services;
    if (services.length > 1 || services.some(function (e) { return e.quantity > 1; })) {
      lines.push(t("kiosk_visit.errands_chosen", { errands: services.map(function (e) {
        return (e.quantity > 1 ? e.quantity + " × " : "") + errandName(e.service);
      }).join(", ") }));
    }
    var needs = (request.needs || []).map(function (n) {
      var need = (menu.needs || []).find(function (x) { return x.kind === n.kind; });
      if (!need) return "";
      if (need.detail) return t("kiosk_visit.interpreter_in", { language: languages()[request.visit.language] || n.detail });
      return lang === "da" ? need.name_da : need.name_en;
    }).filter(Boolean);
    if (needs.length) lines.push(t("kiosk_visit.needs_chosen", { needs: needs.join(", ") }));
    return lines;
  }

  function post(path, body) {
    return fetch(path, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
    }).then(function (r) { return r.json(); });
  }

  // Takes a ticket for one errand (`service`) or a visit (`services`, `needs`, and the
  // screen's `visit` it was chosen on); a visit the server refuses goes back to its screen.
  function take(request) {
    var body = { service: request.service, services: request.services, needs: request.needs,
                 assist: !!request.assist, lang: lang };
    post("/api/ticket", body)
      .then(function (answer) {
        if (answer.outcome === "invalid" && request.visit) {
          visit = request.visit;
          visit.problem = refusalWords(answer.fields);
          renderVisit();
          $("visit-problem").focus();
          return;
        }
        show({ answer: answer, request: request,
               service: request.service || (request.services && request.services[0].service) });
      })
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
  function help(actions, request) {
    actions.appendChild(el("p", "help", t("kiosk.help_how")));
    actions.appendChild(button(t("kiosk.help"), function () {
      take(Object.assign({}, request, { assist: true }));
    }));
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
        if (what.request && what.request.services)
          visitLines(what.request, answer).forEach(function (line) { box.appendChild(el("p", "visit-line", line)); });
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
        help(actions, what.request);
        break;
      case "self_service":
        box.appendChild(el("h2", null, t("kiosk.online", { errand: errand })));
        if (answer.qr_svg) {
          box.appendChild(qr(answer.qr_svg, t("kiosk.qr_online")));
          box.appendChild(el("p", null, t("kiosk.scan_online")));
        }
        help(actions, what.request);
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
    visit = null;
    showTrouble(false);
    $("menu").hidden = true;
    $("heading").hidden = true;
    $("scan").hidden = true;
    $("several").hidden = true;
    $("visit").hidden = true;
    $("visit").replaceChildren();
    $("answer").hidden = false;
    clearTimeout(answerTimer);
    answerTimer = setTimeout(backToMenu, ANSWER_MS);
  }

  function backToMenu() {
    clearTimeout(answerTimer);
    shown = null;
    visit = null;
    $("answer").hidden = true;
    $("answer").replaceChildren();
    $("visit").hidden = true;
    $("visit").replaceChildren();
    $("menu").hidden = false;
    $("heading").hidden = false;
    $("scan").hidden = !menu;
    $("several").hidden = !offersVisits();
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
  $("several").addEventListener("click", openVisit);
  $("logo").addEventListener("load", function () { $("logo").hidden = false; });
  $("logo").addEventListener("error", function () { $("logo").hidden = true; });

  setLanguage(lang);
  loadMenu();
  resetIdle();
})();
