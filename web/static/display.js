// The waiting room's call display: the latest calls with their desks and the waiting
// count per queue, live from the location's event stream; each call chimes and is spoken
// in Danish and English.
(function () {
  "use strict";
  var root = document.getElementById("display");
  var slug = root.dataset.location;
  var soundOn = false, audio = null, seen = null;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function render(board) {
    var called = document.getElementById("called");
    called.replaceChildren();
    board.called.forEach(function (call, i) {
      if (i === 0) {
        var latest = document.getElementById("latest");
        latest.replaceChildren(el("span", "number", call.number), el("span", "arrow", " → "),
          el("span", "desk", call.desk));
        return;
      }
      var item = el("li");
      item.appendChild(el("span", "number", call.number));
      item.appendChild(el("span", "desk", call.desk));
      called.appendChild(item);
    });
    var waiting = document.getElementById("waiting");
    waiting.replaceChildren();
    Object.keys(board.waiting).forEach(function (queue) {
      waiting.appendChild(el("li", null, queue + ": " + board.waiting[queue]));
    });
  }

  // Answers may overtake each other; only the newest request's answer is shown.
  var asked = 0;
  function refresh() {
    var mine = ++asked;
    return fetch("/api/v1/locations/" + slug + "/display")
      .then(function (r) { return r.json(); })
      .then(function (board) { if (mine === asked) render(board); })
      .catch(function () {});
  }

  function chime() {
    if (!soundOn) return;
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    [660, 880].forEach(function (frequency, i) {
      var tone = audio.createOscillator(), gain = audio.createGain();
      var at = audio.currentTime + i * 0.35;
      tone.frequency.value = frequency;
      gain.gain.setValueAtTime(0.25, at);
      gain.gain.exponentialRampToValueAtTime(0.001, at + 0.6);
      tone.connect(gain).connect(audio.destination);
      tone.start(at);
      tone.stop(at + 0.6);
    });
  }

  function speak(number, desk) {
    if (!soundOn || !window.speechSynthesis) return;
    // Letters and digits one by one, so "A014" is read as "A 0 1 4".
    var spelled = number.split("").join(" ");
    [["da-DK", "Nummer " + spelled + ", gå til " + desk],
     ["en-GB", "Number " + spelled + ", please go to " + desk]].forEach(function (line) {
      var utterance = new SpeechSynthesisUtterance(line[1]);
      utterance.lang = line[0];
      window.speechSynthesis.speak(utterance);
    });
  }

  document.getElementById("sound").addEventListener("click", function (event) {
    soundOn = true;
    event.target.hidden = true;
    chime();
  });

  var handlers = {
    "ticket.called": function (event) {
      var call = JSON.parse(event.data);
      refresh().then(function () { chime(); speak(call.number, call.desk || ""); });
    },
    "ticket.recalled": function (event) {
      var call = JSON.parse(event.data);
      chime();
      speak(call.number, call.desk || "");
    }
  };
  ["ticket.issued", "ticket.finished", "ticket.no_show", "ticket.transferred", "ticket.parked",
   "ticket.returned", "ticket.started", "desk.changed"].forEach(function (kind) {
    handlers[kind] = refresh;
  });
  // What happened while the stream was down is read on each (re)open.
  window.skrankeLive(slug, handlers, refresh);
  refresh();
  window.setInterval(refresh, 60000);
})();
