// The staff header's sign-out: ends the session through the API and returns to sign-in.
(function () {
  "use strict";
  var button = document.getElementById("logout");
  if (!button) return;
  button.addEventListener("click", function () {
    var meta = document.querySelector("meta[name=csrf-token]");
    fetch("/api/v1/auth/logout", {
      method: "POST", credentials: "same-origin",
      headers: { "X-CSRF-Token": meta ? meta.content : "" }
    }).finally(function () {
      window.location.href = "/staff/login?lang=" + document.documentElement.lang;
    });
  });
})();
