// The planner page: plan a roster through the JSON API (session cookie and CSRF token),
// then show it; publish it as the bookable capacity after a preview and a confirmation,
// or withdraw a published one.
(function () {
  "use strict";
  var root = document.getElementById("planner");
  var lang = root.dataset.lang;
  var T = JSON.parse(root.dataset.texts);
  var csrf = document.querySelector("meta[name=csrf-token]").content;
  var $ = function (id) { return document.getElementById(id); };
  var number = new Intl.NumberFormat(lang === "en" ? "en-GB" : "da-DK", { maximumFractionDigits: 2 });

  function fill(text, values) {
    return Object.keys(values).reduce(function (t, k) { return t.split("{" + k + "}").join(values[k]); }, text);
  }
  function el(tag, text) { var n = document.createElement(tag); if (text !== undefined) n.textContent = text; return n; }

  function api(method, path, body) {
    var init = { method: method, headers: { "X-CSRF-Token": csrf }, credentials: "same-origin" };
    if (body) { init.headers["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
    return fetch("/api/v1" + path, init).then(function (r) {
      return r.json().then(function (data) {
        if (!r.ok) throw new Error(data.detail || r.statusText);
        return data;
      });
    });
  }

  function say(text) { $("message").textContent = text; }

  $("plan-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    var locations = Array.prototype.map.call(form.querySelectorAll("input[name=location]:checked"), function (c) { return c.value; });
    var kind = form.querySelector("input[name=kind]:checked").value;
    var target = kind === "service_level"
      ? { service_level: Number($("service-level").value), within_minutes: Number($("within-minutes").value) }
      : { average_wait_minutes: Number($("average-wait").value) };
    say(T.planning);
    $("plan").disabled = true;
    api("POST", "/rosters", { locations: locations, period: $("week").value, target: target })
      .then(function (roster) {
        window.location.href = "/staff/planner?lang=" + lang + "&roster=" + roster.id;
      })
      .catch(function (error) { say(error.message); $("plan").disabled = false; });
  });

  function day(date) {
    return new Date(date + "T12:00:00").toLocaleDateString(lang === "en" ? "en-GB" : "da-DK",
      { weekday: "long", day: "numeric", month: "long" });
  }

  function showPreview(lines) {
    var rows = $("preview-rows");
    rows.replaceChildren();
    var outside = 0;
    lines.forEach(function (line) {
      var row = el("tr");
      [line.location_name, day(line.date), number.format(line.bookable_hours), String(line.bookings),
       String(line.outside.length)].forEach(function (text) { row.appendChild(el("td", text)); });
      outside += line.outside.length;
      rows.appendChild(row);
    });
    $("preview-warning").textContent = outside ? fill(T.outside, { n: outside }) : T.none_outside;
    $("preview").hidden = false;
    $("confirm-publish").focus();
  }

  var publish = $("publish");
  if (publish) {
    publish.addEventListener("click", function () {
      var id = $("roster").dataset.id;
      say(T.loading);
      api("GET", "/rosters/" + id + "/publish-preview?booked_share=" + encodeURIComponent($("booked-share").value))
        .then(function (lines) { say(""); showPreview(lines); })
        .catch(function (error) { say(error.message); });
    });
    $("cancel-publish").addEventListener("click", function () { $("preview").hidden = true; publish.focus(); });
    $("confirm-publish").addEventListener("click", function () {
      var id = $("roster").dataset.id;
      $("confirm-publish").disabled = true;
      api("POST", "/rosters/" + id + "/publish", { booked_share: Number($("booked-share").value) })
        .then(function () {
          window.location.href = "/staff/planner?lang=" + lang + "&roster=" + id + "&done=published";
        })
        .catch(function (error) { say(error.message); $("confirm-publish").disabled = false; });
    });
  }

  var withdraw = $("withdraw");
  if (withdraw) {
    withdraw.addEventListener("click", function () {
      var id = $("roster").dataset.id;
      withdraw.disabled = true;
      api("POST", "/rosters/" + id + "/withdraw")
        .then(function () {
          window.location.href = "/staff/planner?lang=" + lang + "&roster=" + id + "&done=withdrawn";
        })
        .catch(function (error) { say(error.message); withdraw.disabled = false; });
    });
  }

  var done = new URLSearchParams(window.location.search).get("done");
  if (done === "published") say(T.published);
  if (done === "withdrawn") say(T.withdrawn);
})();
