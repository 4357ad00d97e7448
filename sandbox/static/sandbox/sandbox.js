/* The events panel on the sandbox home page: shows what blocks publish as it happens. */
(function () {
  "use strict";
  var list = document.getElementById("sb-events");
  if (!list || !window.fetch) { return; }
  var after = parseInt(list.getAttribute("data-after"), 10) || 0;
  var url = list.getAttribute("data-url");
  var kinds = {tracking: "Tracking", completion: "Completion", grade: "Grade"};

  function item(event) {
    var li = document.createElement("li");
    li.className = "sb-event sb-kind-" + event.kind;
    var badge = document.createElement("span");
    badge.className = "sb-badge";
    badge.textContent = kinds[event.kind] || event.kind;
    var code = document.createElement("code");
    code.textContent = event.event_type;
    var meta = document.createElement("span");
    meta.className = "sb-event-meta";
    var time = document.createElement("time");
    time.dateTime = event.created;
    time.textContent = event.created.slice(11, 19);
    meta.textContent = (event.username || "anonymous") + " · ";
    meta.appendChild(time);
    li.appendChild(badge);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(code);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(meta);
    return li;
  }

  function poll() {
    if (document.hidden) { return; }
    fetch(url + "?after=" + after, {credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : {events: []}; })
      .then(function (body) {
        if (!body.events.length) { return; }
        var empty = list.querySelector(".sb-empty");
        if (empty) { empty.remove(); }
        body.events.forEach(function (event) {
          list.insertBefore(item(event), list.firstChild);
          after = Math.max(after, event.id);
        });
        while (list.children.length > 8) { list.removeChild(list.lastChild); }
      })
      .catch(function () { /* the panel is a convenience; the events page has everything */ });
  }
  window.setInterval(poll, 2500);
}());
