// liftsafe: a few lines of progressive enhancement (no framework, nothing loaded from elsewhere).
(function () {
  "use strict";
  // Analysis page: poll the job until it finishes, then reload to show the report.
  var box = document.getElementById("job-progress");
  if (box) {
    var id = box.getAttribute("data-job");
    var poll = function () {
      fetch("/api/analyses/" + id, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (j) {
          if (!j || !j.status) { return; }
          document.getElementById("job-status").textContent = j.status;
          document.getElementById("job-bar").value = j.progress_pct;
          document.getElementById("job-pct").textContent = Math.round(j.progress_pct) + "%";
          if (j.status === "queued" || j.status === "running") { setTimeout(poll, 1000); } else { location.reload(); }
        })
        .catch(function () { setTimeout(poll, 3000); });
    };
    setTimeout(poll, 800);
  }
  // Today view: rest timer (buttons with data-rest="seconds").
  var out = document.getElementById("rest-left");
  if (out) {
    var timer = null, left = 0;
    var show = function () { out.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0"); };
    document.querySelectorAll("[data-rest]").forEach(function (b) {
      b.addEventListener("click", function () {
        left = parseInt(b.getAttribute("data-rest"), 10); show();
        if (timer) { clearInterval(timer); }
        timer = setInterval(function () {
          left -= 1; show();
          if (left <= 0) { clearInterval(timer); timer = null; if (navigator.vibrate) { navigator.vibrate(300); } out.textContent = "Go!"; }
        }, 1000);
      });
    });
  }
})();
// Today view: keep what was typed in this browser until the session is saved, so an expired
// sign-in or a lost connection loses nothing (restored when the page is opened again).
(function () {
  "use strict";
  var form = document.getElementById("log-form");
  if (form && window.localStorage) {
    // keyed by the signed-in user: another person signing in on this browser never sees them
    var key = "liftsafe-log-" + (document.body.getAttribute("data-user") || "0") + "-" +
      form.elements.plan_week.value + "-" + form.elements.plan_session.value;
    var saved = null;
    try { saved = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
    if (saved) {
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || el.name === "csrf_token" || !(el.name in saved)) { return; }
        if (el.type === "checkbox") { el.checked = saved[el.name]; } else { el.value = saved[el.name]; }
      });
    }
    var store = function () {
      var data = {};
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.name && el.name !== "csrf_token") { data[el.name] = el.type === "checkbox" ? el.checked : el.value; }
      });
      localStorage.setItem(key, JSON.stringify(data));
    };
    form.addEventListener("input", store);
    form.addEventListener("change", store);
  }
  // Calendar: sessions the server has stored need no local copy any more.
  document.querySelectorAll("[data-logged]").forEach(function (el) {
    if (window.localStorage) {
      localStorage.removeItem("liftsafe-log-" + (document.body.getAttribute("data-user") || "0") + "-" + el.getAttribute("data-logged"));
    }
  });
  // Signing out clears every local draft (the server also sends Clear-Site-Data: "storage").
  document.querySelectorAll("form[action='/signout']").forEach(function (f) {
    f.addEventListener("submit", function () {
      if (!window.localStorage) { return; }
      for (var i = localStorage.length - 1; i >= 0; i--) {
        var k = localStorage.key(i);
        if (k && k.indexOf("liftsafe-log-") === 0) { localStorage.removeItem(k); }
      }
    });
  });
})();
// Buttons that print the page or go back (no inline handlers: the Content-Security-Policy forbids them).
document.querySelectorAll("[data-print]").forEach(function (b) { b.addEventListener("click", function () { window.print(); }); });
document.querySelectorAll("[data-back]").forEach(function (a) {
  a.addEventListener("click", function (e) { if (history.length > 1) { e.preventDefault(); history.back(); } });
});
