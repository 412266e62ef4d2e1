// First-party script that inserts trackers after load in every way the
// enforcement issue lists. Each URL carries `via=<way>-<phase>`, so the
// tracker log names the way that leaked. window.__insertions lists what was
// tried (with the exception, if the page saw one); insertTrackers(phase) can
// be called again by the test (after consent).
"use strict";

window.__insertions = [];

window.insertTrackers = function (phase) {
  var doc = document;
  var slot = doc.getElementById("slot");
  var realm = doc.getElementById("realm").contentWindow;
  var u = function (base, way) {
    return base + (base.indexOf("?") < 0 ? "?" : "&") + "via=" + way + "-" + phase;
  };
  var ways = {
    "script-appendChild": function () {
      var s = doc.createElement("script");
      s.src = u("https://www.google-analytics.com/analytics.js", "script-appendChild");
      doc.head.appendChild(s);
    },
    "script-insertBefore": function () {
      var s = doc.createElement("script");
      s.src = u("https://ad.doubleclick.net/ddm/tag.js", "script-insertBefore");
      doc.body.insertBefore(s, doc.body.firstChild);
    },
    "script-setAttribute-after-insert": function () {
      var s = doc.createElement("script");
      doc.body.append(s);
      s.setAttribute("src", u("https://platform.twitter.com/oct.js", "script-setAttribute-after-insert"));
    },
    "script-src-after-insert": function () {
      var s = doc.createElement("script");
      doc.body.appendChild(s);
      s.src = u("https://www.googletagmanager.com/gtag/js", "script-src-after-insert");
    },
    "img-createElement": function () {
      var i = doc.createElement("img");
      i.src = u("https://ad.doubleclick.net/pixel", "img-createElement");
      i.alt = "";
      slot.appendChild(i);
    },
    "img-srcset": function () {
      var i = doc.createElement("img");
      i.srcset = u("https://ad.doubleclick.net/pixel", "img-srcset") + " 1x";
      i.alt = "";
      slot.append(i);
    },
    "new-Image": function () {
      new Image().src = u("https://www.google-analytics.com/__utm.gif", "new-Image");
    },
    "iframe-appendChild": function () {
      var f = doc.createElement("iframe");
      f.src = u("https://www.youtube.com/embed/dynamic1", "iframe-appendChild");
      f.title = "video";
      slot.appendChild(f);
    },
    "iframe-insertAdjacentElement": function () {
      var f = doc.createElement("iframe");
      f.setAttribute("src", u("https://www.youtube-nocookie.com/embed/dynamic2", "iframe-insertAdjacentElement"));
      f.title = "video";
      slot.insertAdjacentElement("afterend", f);
    },
    "innerHTML": function () {
      var div = doc.createElement("div");
      slot.appendChild(div);
      div.innerHTML =
        '<img alt="" src="' + u("https://ad.doubleclick.net/pixel", "innerHTML") + '">' +
        '<iframe title="video" src="' + u("https://www.youtube.com/embed/dynamic3", "innerHTML") + '"></iframe>';
    },
    "insertAdjacentHTML": function () {
      slot.insertAdjacentHTML("beforeend",
        '<iframe title="post" src="' + u("https://syndication.twitter.com/srv/embed/tweet", "insertAdjacentHTML") + '"></iframe>');
    },
    "link-preload": function () {
      var l = doc.createElement("link");
      l.rel = "preload";
      l.as = "script";
      l.href = u("https://www.googletagmanager.com/gtm.js", "link-preload");
      doc.head.appendChild(l);
    },
    "fetch": function () {
      fetch(u("https://www.google-analytics.com/collect", "fetch"), { mode: "no-cors" }).catch(function () {});
    },
    "XMLHttpRequest": function () {
      var x = new XMLHttpRequest();
      x.open("GET", u("https://syndication.twitter.com/i/jot", "XMLHttpRequest"));
      x.onerror = function () {};
      x.send();
    },
    "sendBeacon": function () {
      navigator.sendBeacon(u("https://www.google-analytics.com/collect", "sendBeacon"), "v=1");
    },
    "realm-script": function () {
      var s = realm.document.createElement("script");
      s.src = u("https://www.google-analytics.com/analytics.js", "realm-script");
      realm.document.body.appendChild(s);
    },
    "realm-img": function () {
      var i = realm.document.createElement("img");
      i.src = u("https://ad.doubleclick.net/pixel", "realm-img");
      realm.document.body.appendChild(i);
    },
    "realm-fetch": function () {
      realm.fetch(u("https://www.google-analytics.com/collect", "realm-fetch"), { mode: "no-cors" }).catch(function () {});
    },
  };
  Object.keys(ways).forEach(function (way) {
    var entry = { way: way, phase: phase };
    try {
      ways[way]();
    } catch (e) {
      entry.error = String(e);
    }
    window.__insertions.push(entry);
  });
};

window.addEventListener("load", function () {
  window.insertTrackers("load");
});
