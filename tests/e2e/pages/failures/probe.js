// What the probe page's own (first-party, untagged) code does: once the page
// has loaded, and again whenever the test calls probe(phase), it writes a
// declared analytics cookie, a declared advertising cookie and an undeclared
// one, and inserts trackers of both categories plus a resource from another
// origin of the site itself (static.site.test), each URL tagged via=<what>-<phase>.
// window.__probe lists what it tried and any exception the page saw.
"use strict";

window.__probe = [];

window.probe = function (phase) {
  var doc = document;
  var slot = doc.getElementById("slot");
  var tag = function (url, what) {
    return url + (url.indexOf("?") < 0 ? "?" : "&") + "via=" + what + "-" + phase;
  };
  var steps = {
    cookies: function () {
      doc.cookie = "__utma=probe-" + phase + "; path=/; max-age=3600";
      doc.cookie = "IDE=probe-" + phase + "; path=/; max-age=3600";
      doc.cookie = "site_theme=" + phase + "; path=/; max-age=3600";
    },
    script: function () {
      var s = doc.createElement("script");
      s.src = tag("https://www.google-analytics.com/analytics.js", "script");
      doc.head.appendChild(s);
    },
    img: function () {
      var i = new Image(1, 1);
      i.src = tag("https://ad.doubleclick.net/pixel", "img");
      slot.appendChild(i);
    },
    iframe: function () {
      var f = doc.createElement("iframe");
      f.src = tag("https://www.youtube.com/embed/dynamic", "iframe");
      f.title = "inserted embed";
      f.width = "320";
      f.height = "180";
      slot.appendChild(f);
    },
    fetch: function () {
      return fetch(tag("https://www.google-analytics.com/collect", "fetch"), { mode: "no-cors" }).then(
        function () {},
        function () {},
      );
    },
    beacon: function () {
      navigator.sendBeacon(tag("https://ad.doubleclick.net/beacon", "beacon"), "x");
    },
    crossOrigin: function () {
      var i = doc.createElement("img");
      i.src = tag("https://static.site.test/test/failures/probe.js", "cross-origin");
      i.alt = "";
      slot.appendChild(i);
    },
  };
  for (var name in steps) {
    try {
      steps[name]();
      window.__probe.push({ phase: phase, step: name });
    } catch (e) {
      window.__probe.push({ phase: phase, step: name, error: String(e) });
    }
  }
};

window.addEventListener("load", function () {
  window.probe("load");
});
