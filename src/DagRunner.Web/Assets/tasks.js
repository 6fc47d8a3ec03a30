// The task instance page's live log: a running attempt's pre#log carries data-stream, the URL of its
// server-sent events. "tail" replaces the log with its current end, "line" appends one line, "end"
// (the attempt is over) closes the stream. The view follows new lines while it is at the bottom.
(function () {
  "use strict";
  function start() {
    var log = document.getElementById("log");
    if (!log || !log.dataset.stream || !window.EventSource) return;
    var source = new EventSource(log.dataset.stream);
    function atBottom() {
      return log.scrollHeight - log.scrollTop - log.clientHeight < 24;
    }
    function follow(was) {
      if (was) log.scrollTop = log.scrollHeight;
    }
    source.addEventListener("tail", function (e) {
      log.textContent = JSON.parse(e.data).text;
      follow(true);
    });
    source.addEventListener("line", function (e) {
      var was = atBottom();
      log.appendChild(document.createTextNode(JSON.parse(e.data) + "\n"));
      follow(was);
    });
    source.addEventListener("end", function () {
      source.close();
      log.dataset.streamEnded = "true";
      var live = document.querySelector(".log-live");
      if (live) live.textContent = "The attempt is over; reload the page for its final state.";
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
