// The desk console: pick a desk, call the next citizen, act on the current ticket.
// Everything goes through the JSON API with the session cookie and its CSRF token.
(function () {
  "use strict";
  var root = document.getElementById("console");
  var lang = root.dataset.lang;
  var csrf = document.querySelector("meta[name=csrf-token]").content;
  var $ = function (id) { return document.getElementById(id); };
  var location = "", desk = null, desks = [], current = null, calledAt = null, events = null;
  var T = lang === "en"
    ? { nothing: "Nobody is waiting for this desk.", done: "Done.", states: { open: "open", paused: "paused", closed: "closed" } }
    : { nothing: "Ingen venter på denne skranke.", done: "Udført.", states: { open: "åben", paused: "pause", closed: "lukket" } };

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

  function say(text) { $("message").textContent = text; }
  function fail(error) { say(error.message); }

  function el(tag, text) { var n = document.createElement(tag); n.textContent = text; return n; }

  function chooseLocation() {
    location = $("location").value;
    desk = null;
    if (events) events.close();
    if (!location) return;
    api("GET", "/locations/" + location + "/desks").then(function (list) {
      desks = list.filter(function (d) { return d.kind !== "resource"; });
      var select = $("desk");
      select.replaceChildren(el("option", "–"));
      select.firstChild.value = "";
      desks.forEach(function (d) {
        var option = el("option", d.name);
        option.value = d.id;
        select.appendChild(option);
      });
      select.disabled = false;
    }).catch(fail);
    api("GET", "/locations/" + location + "/services").then(function (services) {
      var select = $("transfer");
      select.replaceChildren(el("option", "–"));
      select.firstChild.value = "";
      services.forEach(function (s) { var o = el("option", s.name); o.value = s.slug; select.appendChild(o); });
    }).catch(fail);
    var handlers = {};
    ["ticket.issued", "ticket.called", "ticket.finished", "ticket.no_show", "ticket.transferred",
     "ticket.parked", "ticket.returned", "ticket.started", "desk.changed"].forEach(function (kind) {
      handlers[kind] = loadQueue;
    });
    events = window.skrankeLive(location, handlers, loadQueue);
    loadQueue();
  }

  function chooseDesk() {
    desk = desks.find(function (d) { return String(d.id) === $("desk").value; }) || null;
    showDesk();
  }

  function showDesk() {
    $("desk-state").textContent = desk ? (T.states[desk.state] || desk.state) : "–";
    document.querySelectorAll("[data-desk]").forEach(function (b) { b.disabled = !desk; });
    $("call-next").disabled = !desk || desk.state !== "open";
  }

  function setDeskState(action) {
    if (!desk) return;
    api("POST", "/desks/" + desk.id + "/" + action).then(function (d) { desk.state = d.state; showDesk(); }).catch(fail);
  }

  function showCurrent() {
    $("current-number").textContent = current ? current.number : "–";
    $("current-status").textContent = current ? current.status : "";
    var active = !!current && (current.status === "called" || current.status === "serving");
    document.querySelectorAll("[data-act], [data-finish]").forEach(function (b) { b.disabled = !active; });
    $("transfer").disabled = !active;
    $("transfer-go").disabled = !active;
    if (!active) { calledAt = null; $("timer").textContent = ""; }
  }

  function callNext() {
    if (!desk || desk.state !== "open") return;
    api("POST", "/desks/" + desk.id + "/call-next").then(function (ticket) {
      if (!ticket) { say(T.nothing); return; }
      current = ticket;
      calledAt = Date.now();
      say("");
      showCurrent();
    }).catch(fail);
  }

  function act(path, body) {
    if (!current) return;
    api("POST", "/tickets/" + current.id + "/" + path, body).then(function (ticket) {
      current = ticket;
      if (path === "start") calledAt = Date.now();
      showCurrent();
      say(T.done);
    }).catch(fail);
  }

  function loadQueue() {
    if (!location) return;
    api("GET", "/locations/" + location + "/queue").then(function (entries) {
      var body = $("queue");
      body.replaceChildren();
      entries.forEach(function (entry) {
        var row = document.createElement("tr");
        [entry.number, entry.service, entry.status, entry.desk || ""].forEach(function (text) {
          row.appendChild(el("td", text));
        });
        var cell = document.createElement("td");
        if (entry.status === "parked") {
          var back = el("button", lang === "en" ? "Return" : "Returnér");
          back.type = "button";
          back.addEventListener("click", function () {
            api("POST", "/tickets/" + entry.id + "/return").then(loadQueue).catch(fail);
          });
          cell.appendChild(back);
        }
        row.appendChild(cell);
        body.appendChild(row);
      });
    }).catch(fail);
  }

  setInterval(function () {
    if (!calledAt) return;
    var seconds = Math.floor((Date.now() - calledAt) / 1000);
    $("timer").textContent = Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
  }, 1000);

  $("location").addEventListener("change", chooseLocation);
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
  $("transfer-go").addEventListener("click", function () {
    if ($("transfer").value) act("transfer", { service: $("transfer").value });
  });
  $("logout").addEventListener("click", function () {
    api("POST", "/auth/logout").then(function () { window.location.href = "/staff/login"; }).catch(fail);
  });
  document.addEventListener("keydown", function (event) {
    var tag = event.target.tagName;
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA" || event.ctrlKey || event.metaKey || event.altKey) return;
    var keys = {
      n: callNext, r: function () { act("recall"); }, s: function () { act("start"); },
      f: function () { act("finish", { outcome: "resolved" }); },
      h: function () { act("finish", { outcome: "referred" }); }, x: function () { act("no-show"); }
    };
    var run = keys[event.key.toLowerCase()];
    if (run) { event.preventDefault(); run(); }
  });
})();
