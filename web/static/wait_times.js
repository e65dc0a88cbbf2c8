// Keeps the waiting times page current: every so often it fetches itself again and swaps
// in the new figures. Without JavaScript the page still works, with its refresh link.
(function () {
  "use strict";
  var section = document.getElementById("wait-times");
  if (!section || !window.fetch) return;
  var seconds = parseInt(section.getAttribute("data-refresh-seconds"), 10) || 60;
  var note = document.querySelector(".live-note");
  if (note) note.hidden = false;
  function refresh() {
    fetch(window.location.href, { headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var next = new DOMParser().parseFromString(html, "text/html").getElementById("wait-times");
        if (next && next.innerHTML !== section.innerHTML) section.innerHTML = next.innerHTML;
      })
      .catch(function () {});
  }
  window.setInterval(refresh, seconds * 1000);
})();
