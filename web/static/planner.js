// The planner page: plan a roster through the JSON API (session cookie and CSRF token),
// then show it; publish it as the bookable capacity.
(function () {
  "use strict";
  var root = document.getElementById("planner");
  var lang = root.dataset.lang;
  var csrf = document.querySelector("meta[name=csrf-token]").content;
  var $ = function (id) { return document.getElementById(id); };
  var T = lang === "en"
    ? { planning: "Planning…", published: "Published: free times now follow this roster." }
    : { planning: "Planlægger…", published: "Offentliggjort: de ledige tider følger nu denne plan." };

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

  var publish = $("publish");
  if (publish) {
    publish.addEventListener("click", function () {
      var id = $("roster").dataset.id;
      publish.disabled = true;
      api("POST", "/rosters/" + id + "/publish", { booked_share: Number($("booked-share").value) })
        .then(function (roster) {
          $("roster").dataset.status = roster.status;
          say(T.published);
        })
        .catch(function (error) { say(error.message); publish.disabled = false; });
    });
  }
})();
