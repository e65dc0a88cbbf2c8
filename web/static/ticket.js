// Keeps a ticket's status page current: whenever something happens in the location's
// queue, the page fetches itself again and swaps in the new status. Without JavaScript
// the page still works, with its refresh link.
(function () {
  "use strict";
  var section = document.getElementById("ticket");
  if (!section || !window.fetch) return;
  var note = document.querySelector(".live-note");
  if (note) note.hidden = false;

  // One fetch at a time; news that arrives during one asks for one more after it, so the
  // page never settles on a state older than the last event.
  var pending = false, again = false;
  function refresh() {
    if (pending) { again = true; return; }
    pending = true;
    fetch(window.location.href, { headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var next = new DOMParser().parseFromString(html, "text/html").getElementById("ticket");
        // Only a real change is written, so that screen readers announce changes only.
        if (next && next.innerHTML !== section.innerHTML) section.innerHTML = next.innerHTML;
      })
      .catch(function () {})
      .then(function () {
        pending = false;
        if (again) { again = false; refresh(); }
      });
  }

  if (window.EventSource && window.skrankeLive) {
    var handlers = {};
    ["ticket.issued", "ticket.called", "ticket.recalled", "ticket.started", "ticket.finished",
     "ticket.no_show", "ticket.transferred", "ticket.parked", "ticket.returned", "desk.changed"]
      .forEach(function (kind) { handlers[kind] = refresh; });
    // What happened before the stream opened (or while it was down) is read on (re)open.
    window.skrankeLive(section.dataset.location, handlers, refresh);
  }
  // The stream can drop behind proxies; a slow poll keeps the estimate honest anyway.
  window.setInterval(refresh, 60000);
})();
