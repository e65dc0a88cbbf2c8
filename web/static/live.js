// The location's event stream, for the pages that follow it live. The browser reconnects
// by itself when the server ends a stream (it does after a while, and when it stops);
// but a refused stream (the server's limits: 429, 503) or an unreachable server closes
// the EventSource for good, so it is opened again here, after a pause that grows with
// each failure in a row and is spread a little, so that many screens do not return at once.
window.skrankeLive = function (location, handlers, onOpen) {
  "use strict";
  var source = null, timer = null, stopped = false, failures = 0;

  function open() {
    timer = null;
    source = new EventSource("/api/v1/locations/" + encodeURIComponent(location) + "/events");
    source.addEventListener("open", function () {
      failures = 0;
      if (onOpen) onOpen();
    });
    source.addEventListener("error", function () {
      if (stopped || source.readyState !== EventSource.CLOSED) return;
      failures += 1;
      var pause = Math.min(5000 * Math.pow(2, failures - 1), 300000);
      timer = window.setTimeout(open, pause * (0.75 + Math.random() / 2));
    });
    Object.keys(handlers).forEach(function (kind) {
      source.addEventListener(kind, handlers[kind]);
    });
  }

  open();
  return {
    close: function () {
      stopped = true;
      if (timer) window.clearTimeout(timer);
      if (source) source.close();
    }
  };
};
