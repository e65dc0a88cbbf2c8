// The waiting room's call display: the latest call very large, the last calls with their
// desks, the waiting count per errand and the time, live from the location's event
// stream. A new call blinks and chimes once, and is spoken in Danish and English. With
// ?sound=on (a screen whose browser allows autoplay) the sound is on from the start;
// where the browser refuses, the page says how to allow it.
(function () {
  "use strict";
  var root = document.getElementById("display");
  var slug = root.dataset.location;
  var lang = root.dataset.lang;
  var T = JSON.parse(root.dataset.texts);
  var soundOn = false, audio = null, latestShown = null;

  function fill(text, values) {
    return Object.keys(values).reduce(function (t, k) { return t.split("{" + k + "}").join(values[k]); }, text);
  }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function render(board) {
    var latest = document.getElementById("latest");
    var first = board.called[0];
    var key = first ? first.number + "@" + first.called_at : null;
    if (!first) {
      latest.replaceChildren(el("span", "latest-empty", "–"));
    } else if (key !== latestShown) {
      latest.replaceChildren(el("span", "number", first.number), el("span", "arrow", " → "),
        el("span", "desk", first.desk));
      if (latestShown !== null) { latest.classList.remove("blink"); void latest.offsetWidth; latest.classList.add("blink"); }
    }
    latestShown = key;
    var called = document.getElementById("called");
    called.replaceChildren();
    board.called.slice(1).forEach(function (call) {
      var row = el("tr");
      row.appendChild(el("td", "number", call.number));
      row.appendChild(el("td", "desk", call.desk));
      called.appendChild(row);
    });
    var waiting = document.getElementById("waiting");
    waiting.replaceChildren();
    if (!board.queues.length) waiting.appendChild(el("li", "nobody", T.nobody_waits));
    board.queues.forEach(function (queue) {
      var item = el("li");
      item.dataset.service = queue.service;
      item.appendChild(el("span", "errand", queue.name));
      item.appendChild(el("span", "count", fill(T.waiting_n, { n: queue.waiting })));
      waiting.appendChild(item);
    });
  }

  // Answers may overtake each other; only the newest request's answer is shown.
  var asked = 0;
  function refresh() {
    var mine = ++asked;
    return fetch("/api/v1/locations/" + slug + "/display?lang=" + lang)
      .then(function (r) { return r.json(); })
      .then(function (board) { if (mine === asked) render(board); })
      .catch(function () {});
  }

  function tick() {
    var now = new Date();
    var clock = document.getElementById("clock");
    clock.textContent = now.toLocaleTimeString(lang === "en" ? "en-GB" : "da-DK", { hour: "2-digit", minute: "2-digit" });
    clock.dateTime = now.toISOString();
  }

  function chime() {
    if (!soundOn || !audio) return;
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

  // "K002" is read "K 2": the letter, then the number as a number.
  function spoken(number) {
    var match = /^([A-Za-z]+)0*(\d+)$/.exec(number);
    return match ? match[1] + " " + match[2] : number;
  }

  function speak(number, desk) {
    if (!soundOn || !window.speechSynthesis) return;
    [["da-DK", T.say_da], ["en-GB", T.say_en]].forEach(function (line) {
      var utterance = new SpeechSynthesisUtterance(fill(line[1], { number: spoken(number), desk: desk }));
      utterance.lang = line[0];
      window.speechSynthesis.speak(utterance);
    });
  }

  function soundStarted() {
    soundOn = true;
    document.getElementById("sound").hidden = true;
    document.getElementById("sound-blocked").hidden = true;
  }

  function turnSoundOn() {
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    return audio.resume().then(function () {
      if (audio.state === "running") soundStarted();
      return audio.state === "running";
    });
  }

  document.getElementById("sound").addEventListener("click", function () {
    turnSoundOn().then(function (on) { if (on) chime(); });
  });
  if (root.dataset.sound === "on") {
    // Without a click the browser starts audio only where autoplay is allowed.
    turnSoundOn().then(function (on) {
      if (!on) document.getElementById("sound-blocked").hidden = false;
    }).catch(function () { document.getElementById("sound-blocked").hidden = false; });
    window.setTimeout(function () {
      if (!soundOn) document.getElementById("sound-blocked").hidden = false;
    }, 1000);
  }

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
   "ticket.returned", "ticket.started", "ticket.changed", "desk.changed"].forEach(function (kind) {
    handlers[kind] = refresh;
  });
  // What happened while the stream was down is read on each (re)open.
  window.skrankeLive(slug, handlers, refresh);
  refresh();
  tick();
  window.setInterval(tick, 1000);
  window.setInterval(refresh, 60000);
})();
