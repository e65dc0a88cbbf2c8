// The desk console: pick a desk, call the next citizen, act on the current ticket.
// Everything goes through the JSON API with the session cookie and its CSRF token; the
// chosen location and desk are kept in this browser for the signed-in user.
(function () {
  "use strict";
  var root = document.getElementById("console");
  var lang = root.dataset.lang;
  var T = JSON.parse(root.dataset.texts);
  var csrf = document.querySelector("meta[name=csrf-token]").content;
  var memoryKey = "skranke.console." + root.dataset.user;
  var $ = function (id) { return document.getElementById(id); };
  var location = "", desk = null, desks = [], services = [], entries = [], current = null;
  var events = null, undoTimer = null, outOfTurn = null;
  var UNDO_SECONDS = 10;

  function fill(text, values) {
    return Object.keys(values || {}).reduce(function (t, k) { return t.split("{" + k + "}").join(values[k]); }, text);
  }
  function say(text) { $("message").textContent = text; }
  function fail(error) { say(error.message); }
  function el(tag, text) { var n = document.createElement(tag); if (text !== undefined) n.textContent = text; return n; }
  function statusWord(status) { return T["status_" + status] || status; }
  function minutesSince(iso) { return Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 60000)); }
  function clock(iso) {
    return new Date(iso).toLocaleTimeString(lang === "en" ? "en-GB" : "da-DK", { hour: "2-digit", minute: "2-digit" });
  }

  function api(method, path, body) {
    var init = { method: method, headers: { "X-CSRF-Token": csrf }, credentials: "same-origin" };
    if (body) { init.headers["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
    return fetch("/api/v1" + path, init).then(function (r) {
      if (r.status === 204) return null;
      return r.json().then(function (data) {
        if (!r.ok) throw new Error(data.detail || r.statusText);
        return data;
      });
    });
  }

  function remember() {
    try { localStorage.setItem(memoryKey, JSON.stringify({ location: location, desk: desk ? desk.id : null })); } catch (e) { /* private mode */ }
  }
  function remembered() {
    try { return JSON.parse(localStorage.getItem(memoryKey) || "{}") || {}; } catch (e) { return {}; }
  }

  function serviceName(slug) {
    var s = services.find(function (x) { return x.slug === slug; });
    return s ? s.name : slug;
  }

  // A ticket's visit: every errand by name (`2 × Kørekort, Generel vejledning`), its needs
  // (the interpreter with the language), and the errands still without an outcome.
  function errandsText(entry) {
    var list = entry.services && entry.services.length ? entry.services : [{ service: entry.service, name: entry.service_name, quantity: 1 }];
    return list.map(function (e) {
      return (e.quantity > 1 ? e.quantity + " × " : "") + (e.name || serviceName(e.service));
    }).join(", ");
  }
  function needsText(entry) {
    return (entry.needs || []).map(function (n) {
      return n.detail ? fill(T.interpreter, { name: n.name, language: n.detail }) : n.name;
    }).join(", ");
  }
  function openErrands(entry) {
    return (entry.services || []).filter(function (e) { return !e.outcome; });
  }
  function several(entry) { return !!entry && openErrands(entry).length > 1; }

  function chooseLocation(wanted) {
    location = $("location").value;
    desk = null;
    current = null;
    $("queue-alerts").hidden = true;
    if (events) events.close();
    showDesk();
    showCurrent();
    remember();
    if (!location) return;
    Promise.all([
      api("GET", "/locations/" + location + "/desks"),
      api("GET", "/locations/" + location + "/services?lang=" + lang)
    ]).then(function (answers) {
      desks = answers[0].filter(function (d) { return d.kind !== "resource" && !d.out_of_order; });
      services = answers[1];
      var select = $("desk");
      select.replaceChildren(el("option", "–"));
      select.firstChild.value = "";
      desks.forEach(function (d) {
        var option = el("option", d.name + " – " + d.services.map(serviceName).join(", "));
        option.value = d.id;
        select.appendChild(option);
      });
      select.disabled = false;
      var transfer = $("transfer");
      transfer.replaceChildren(el("option", "–"));
      transfer.firstChild.value = "";
      services.filter(function (s) { return s.channel !== "online"; }).forEach(function (s) {
        var o = el("option", s.name); o.value = s.slug; transfer.appendChild(o);
      });
      if (wanted && desks.some(function (d) { return d.id === wanted; })) {
        select.value = String(wanted);
        chooseDesk();
      }
      loadQueue();
    }).catch(fail);
    var handlers = {};
    ["ticket.issued", "ticket.called", "ticket.finished", "ticket.no_show", "ticket.transferred",
     "ticket.parked", "ticket.returned", "ticket.started", "ticket.changed", "desk.changed",
     "queue.alert"].forEach(function (kind) {
      handlers[kind] = loadQueue;
    });
    events = window.skrankeLive(location, handlers, loadQueue);
  }

  function chooseDesk() {
    desk = desks.find(function (d) { return String(d.id) === $("desk").value; }) || null;
    current = null;
    remember();
    showDesk();
    showQueue();
  }

  function showDesk() {
    $("desk-state").textContent = desk ? (T["state_" + desk.state] || desk.state) : "–";
    document.querySelectorAll("[data-desk]").forEach(function (b) {
      b.disabled = !desk || (b.dataset.desk === "open" && desk.state === "open") ||
        (b.dataset.desk === "pause" && desk.state === "paused") || (b.dataset.desk === "close" && desk.state === "closed");
    });
    $("call-next").disabled = !desk || desk.state !== "open";
  }

  function setDeskState(action) {
    if (!desk) return;
    api("POST", "/desks/" + desk.id + "/" + action).then(function (d) { desk.state = d.state; showDesk(); }).catch(fail);
  }

  function showServes() {
    var list = $("serves");
    list.replaceChildren();
    $("growing").textContent = "";
    if (!desk) { list.appendChild(el("li", T.nothing_served)); return; }
    var growing = [];
    desk.services.forEach(function (slug) {
      var waiting = entries.filter(function (e) { return e.service === slug && e.status === "waiting"; }).length;
      var item = el("li");
      item.dataset.service = slug;
      item.appendChild(el("strong", serviceName(slug)));
      item.appendChild(document.createTextNode(" · " + fill(T.waiting_n, { n: waiting })));
      list.appendChild(item);
      var service = services.find(function (s) { return s.slug === slug; });
      var open = desks.filter(function (d) { return d.state === "open" && d.services.indexOf(slug) >= 0; }).length;
      if (service && waiting > 0) {
        // A newcomer waits for everyone ahead, shared among the open desks serving it.
        var estimate = Math.round(waiting * service.duration_minutes / Math.max(open, 1));
        var target = service.booking === "required" ? 4 : 2;
        if (estimate > target) growing.push(fill(T.growing, { errand: service.name, minutes: estimate, target: target }));
      }
    });
    $("growing").textContent = growing.join(" ");
  }

  function showCurrent() {
    var active = !!current && (current.status === "called" || current.status === "serving");
    $("current-number").textContent = active ? current.number : "–";
    $("current-facts").hidden = !active;
    if (active) {
      $("current-errand").textContent = errandsText(current);
      var needs = needsText(current);
      $("current-needs").textContent = needs;
      $("current-needs").hidden = $("current-needs-term").hidden = !needs;
      $("current-status").textContent = statusWord(current.status);
      var waitedUntil = current.called_at ? Date.parse(current.called_at) : Date.now();
      $("current-waited").textContent = fill(T.minutes, { n: Math.max(0, Math.round((waitedUntil - Date.parse(current.queued_at)) / 60000)) });
      $("current-booking").textContent = current.booking
        ? fill(T.booked_at, { name: current.booking.name || "–", time: clock(current.booking.starts_at) }) +
          (current.booking.kept_despite_change_at ? " – " + T.kept : "")
        : T.walk_in;
    }
    var next = { called: ["recall", "start", "no-show", "park"], serving: ["resolved", "referred", "park"] };
    var allowed = active ? next[current.status] : [];
    // A visit of several errands is finished with an outcome for each, not one for all.
    var perErrand = active && current.status === "serving" && several(current);
    document.querySelectorAll("[data-act], [data-finish]").forEach(function (b) {
      b.hidden = allowed.indexOf(b.dataset.act || b.dataset.finish) < 0 || (perErrand && !!b.dataset.finish);
    });
    $("transfer-row").hidden = !active;
    showErrandOutcomes(perErrand);
    showRestTransfer(active);
  }

  // The outcome of each open errand, drawn anew only when the ticket or its errands change,
  // so that a live update of the queue keeps what the clerk has ticked.
  var outcomesDrawn = "";
  function showErrandOutcomes(on) {
    $("errand-outcomes").hidden = !on;
    var key = on ? current.id + ":" + openErrands(current).map(function (e) { return e.service; }).join(",") : "";
    if (key === outcomesDrawn) return;
    outcomesDrawn = key;
    var list = $("errand-outcome-list");
    list.replaceChildren();
    if (!on) return;
    openErrands(current).forEach(function (errand) {
      var set = el("fieldset");
      set.dataset.service = errand.service;
      set.appendChild(el("legend", (errand.quantity > 1 ? errand.quantity + " × " : "") + errand.name));
      ["resolved", "referred"].forEach(function (outcome) {
        var box = el("div");
        box.className = "form-group-radio";
        var input = el("input");
        input.type = "radio";
        input.className = "form-radio";
        input.name = "outcome-" + errand.service;
        input.id = "outcome-" + errand.service + "-" + outcome;
        input.value = outcome;
        var label = el("label", T[outcome]);
        label.className = "form-label";
        label.htmlFor = input.id;
        box.appendChild(input);
        box.appendChild(label);
        set.appendChild(box);
      });
      list.appendChild(set);
    });
  }

  function finishVisit() {
    if (!several(current)) return;
    var outcomes = [], missing = null;
    openErrands(current).forEach(function (errand) {
      var ticked = document.querySelector("input[name='outcome-" + errand.service + "']:checked");
      if (ticked) outcomes.push({ service: errand.service, outcome: ticked.value });
      else if (!missing) missing = document.getElementById("outcome-" + errand.service + "-resolved");
    });
    if (missing) { say(T.outcome_missing); missing.focus(); return; }
    act("finish", { outcomes: outcomes });
  }

  // Where this desk serves only some of the visit's open errands: send the ticket on to the
  // queue of one it does not serve, the citizen keeping their place.
  var restDrawn = "";
  function showRestTransfer(active) {
    var rest = active && desk ? openErrands(current).filter(function (e) { return desk.services.indexOf(e.service) < 0; }) : [];
    $("rest-transfer").hidden = rest.length === 0;
    var key = rest.length ? current.id + ":" + rest.map(function (e) { return e.service; }).join(",") : "";
    if (key === restDrawn) return;
    restDrawn = key;
    $("rest-text").textContent = rest.length
      ? fill(T.not_served_here, { errands: rest.map(function (e) { return e.name; }).join(", ") }) : "";
    var buttons = $("rest-buttons");
    buttons.replaceChildren();
    rest.forEach(function (errand) {
      var b = el("button", fill(T.transfer_rest, { errand: errand.name }));
      b.type = "button";
      b.className = "button button-secondary";
      b.dataset.transfer = errand.service;
      b.addEventListener("click", function () { act("transfer", { service: errand.service }); });
      buttons.appendChild(b);
    });
  }

  function callNext() {
    if (!desk || desk.state !== "open") return;
    api("POST", "/desks/" + desk.id + "/call-next").then(function (ticket) {
      if (!ticket) {
        var others = entries.filter(function (e) { return e.status === "waiting" && desk.services.indexOf(e.service) < 0; }).length;
        say(fill(T.nothing, { errands: desk.services.map(serviceName).join(", ") }) +
          (others ? " " + fill(T.others_wait, { n: others }) : ""));
        return;
      }
      say("");
      loadQueue();
    }).catch(fail);
  }

  function offerUndo(ticket, sentence) {
    clearInterval(undoTimer);
    var left = UNDO_SECONDS;
    $("undo-text").textContent = sentence;
    $("undo-seconds").textContent = "(" + left + ")";
    $("undo-bar").hidden = false;
    $("undo").onclick = function () {
      clearInterval(undoTimer);
      $("undo-bar").hidden = true;
      api("POST", "/tickets/" + ticket.id + "/undo").then(function (t) {
        say(fill(T.undone, { number: t.number }));
        loadQueue();
      }).catch(fail);
    };
    undoTimer = setInterval(function () {
      left -= 1;
      $("undo-seconds").textContent = "(" + left + ")";
      if (left <= 0) { clearInterval(undoTimer); $("undo-bar").hidden = true; }
    }, 1000);
  }

  function act(path, body) {
    if (!current) return;
    var ticket = current;
    api("POST", "/tickets/" + ticket.id + "/" + path, body).then(function (t) {
      if (path === "no-show") { offerUndo(ticket, fill(T.no_show_marked, { number: t.number })); say(""); }
      else if (path === "finish") { offerUndo(ticket, fill(T.finished, { number: t.number })); say(""); }
      else if (path === "transfer") say(fill(T.transferred, { number: t.number, errand: serviceName(body.service) }));
      else say(T.done);
      current = Object.assign({}, ticket, t);
      if (t.status !== "called" && t.status !== "serving") current = null;
      showCurrent();
      loadQueue();
    }).catch(fail);
  }

  function askOutOfTurn(entry) {
    outOfTurn = entry;
    $("out-of-turn-heading").textContent = fill(T.out_of_turn, { number: entry.number });
    $("out-of-turn").hidden = false;
    $("reason").value = "";
    $("reason").focus();
  }

  function showQueue() {
    var body = $("queue");
    body.replaceChildren();
    // Each cell names its column, for the narrow screen where the rows read as cards.
    var titles = Array.prototype.map.call(document.querySelectorAll(".queue thead th"),
      function (th) { return th.textContent; });
    entries.forEach(function (entry) {
      var row = document.createElement("tr");
      row.dataset.ticket = entry.id;
      [entry.number, errandsText(entry), statusWord(entry.status),
       fill(T.minutes, { n: minutesSince(entry.queued_at) }), entry.desk || ""].forEach(function (text) {
        var td = el("td", text);
        if (text) td.dataset.title = titles[row.children.length];
        row.appendChild(td);
      });
      var cell = document.createElement("td");
      if (entry.status === "waiting" && desk && desk.state === "open") {
        var call = el("button", T.call_now + " " + entry.number);
        call.type = "button";
        call.className = "button button-secondary call-now";
        call.addEventListener("click", function () { askOutOfTurn(entry); });
        cell.dataset.title = titles[row.children.length];
        cell.appendChild(call);
      }
      row.appendChild(cell);
      body.appendChild(row);
    });
    // The ticket at this desk, called or being served, is the current one, also after a reload.
    if (desk) {
      var mine = entries.find(function (e) { return e.desk === desk.name && (e.status === "called" || e.status === "serving"); });
      current = mine || null;
    }
    showCurrent();
    showServes();
  }

  var asked = 0;
  function loadQueue() {
    if (!location) return;
    var mine = ++asked;
    api("GET", "/locations/" + location + "/queue?lang=" + lang).then(function (list) {
      if (mine !== asked) return;
      entries = list;
      showQueue();
    }).catch(fail);
    loadAlerts();
    if (location) {
      api("GET", "/locations/" + location + "/desks").then(function (list) {
        desks = list.filter(function (d) { return d.kind !== "resource" && !d.out_of_order; });
        if (desk) { desk = desks.find(function (d) { return d.id === desk.id; }) || desk; showDesk(); showServes(); }
      }).catch(fail);
    }
  }

  // The live alerts the server raised for this location: an errand whose expected wait has
  // stayed over its target, or whose walk-ins ran above the forecast. Read anew on every
  // change of the queue and of the alerts.
  var alertsAsked = 0;
  function loadAlerts() {
    if (!location) { $("queue-alerts").hidden = true; return; }
    var mine = ++alertsAsked;
    api("GET", "/locations/" + location + "/alerts?lang=" + lang).then(function (list) {
      if (mine !== alertsAsked) return;
      $("queue-alert-list").replaceChildren.apply($("queue-alert-list"), list.map(function (a) {
        var item = el("li", a.rule === "surge"
          ? fill(T.surge, { arrived: a.arrived, errand: a.name, expected: a.expected_arrivals })
          : fill(T.open_one_more, { waiting: a.waiting, errand: a.name, minutes: a.expected_wait_minutes }));
        item.dataset.service = a.service;
        return item;
      }));
      $("queue-alerts").hidden = list.length === 0;
    }).catch(fail);
  }

  setInterval(function () {
    if (!current || !current.called_at) { $("timer").textContent = ""; return; }
    var seconds = Math.max(0, Math.floor((Date.now() - Date.parse(current.called_at)) / 1000));
    $("timer").textContent = Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
  }, 1000);

  $("location").addEventListener("change", function () { chooseLocation(null); });
  $("desk").addEventListener("change", chooseDesk);
  document.querySelectorAll("[data-desk]").forEach(function (b) {
    b.addEventListener("click", function () { setDeskState(b.dataset.desk); });
  });
  $("call-next").addEventListener("click", callNext);
  document.querySelectorAll("[data-act]").forEach(function (b) {
    b.addEventListener("click", function () { act(b.dataset.act); });
  });
  document.querySelectorAll("[data-finish]").forEach(function (b) {
    b.addEventListener("click", function () { act("finish", { outcome: b.dataset.finish }); });
  });
  $("finish-visit").addEventListener("click", finishVisit);
  $("errand-outcome-list").addEventListener("change", function () { say(""); });
  $("transfer-go").addEventListener("click", function () {
    if ($("transfer").value) act("transfer", { service: $("transfer").value });
  });
  $("out-of-turn").addEventListener("submit", function (event) {
    event.preventDefault();
    if (!outOfTurn || !desk) return;
    var entry = outOfTurn;
    api("POST", "/tickets/" + entry.id + "/call", { desk: desk.id, reason: $("reason").value }).then(function (t) {
      $("out-of-turn").hidden = true;
      outOfTurn = null;
      say(fill(T.called_out, { number: t.number, desk: desk.name }));
      loadQueue();
    }).catch(fail);
  });
  $("out-of-turn-cancel").addEventListener("click", function () { $("out-of-turn").hidden = true; outOfTurn = null; });
  document.addEventListener("keydown", function (event) {
    var tag = event.target.tagName;
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA" || event.ctrlKey || event.metaKey || event.altKey) return;
    var keys = {
      n: callNext, r: function () { act("recall"); }, s: function () { act("start"); },
      f: function () { if (several(current)) finishVisit(); else act("finish", { outcome: "resolved" }); },
      h: function () { if (several(current)) finishVisit(); else act("finish", { outcome: "referred" }); },
      x: function () { act("no-show"); }
    };
    var run = keys[event.key.toLowerCase()];
    if (run) { event.preventDefault(); run(); }
  });

  // Back to the location and desk this user had chosen in this browser.
  var memory = remembered();
  if (memory.location && $("location").querySelector("option[value='" + memory.location + "']")) {
    $("location").value = memory.location;
    chooseLocation(memory.desk);
  }
})();
