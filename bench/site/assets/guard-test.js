// Guard-overhead workloads, run by the benchmark on /v/<variant>/guard.html
// (the demo article plus this script), timed with performance.now() in the
// page, so a consent manager's prototype hooks are on the measured path.
// __benchCookies returns the milliseconds of its loop; __benchInsert resolves
// to { loopMs, withObserversMs }: the loop alone, and the loop plus the
// mutation-observer callbacks it triggers (a blocker that watches the DOM
// does its work there).
(function () {
  "use strict";
  var GIF = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";
  // Tracker URLs: hosts of www/cookies.json's services (Chromium maps every
  // host to 127.0.0.1, so an unblocked one reaches the bench server's 204).
  var TRACKERS = {
    script: ["www.googletagmanager.com/gtag/js?id=G-1", "www.google-analytics.com/analytics.js", "platform.twitter.com/widgets.js"],
    img: ["stats.g.doubleclick.net/r/collect?v=1", "www.google-analytics.com/collect?v=1", "pagead2.googlesyndication.com/pagead/1x1.gif"],
    iframe: ["www.youtube.com/embed/aqz-KE-bpKQ", "www.youtube-nocookie.com/embed/aqz-KE-bpKQ", "platform.twitter.com/embed/Tweet.html"],
  };

  // 1,000 elements: 600 images, 350 scripts, 50 iframes; every tenth is a
  // tracker. Non-trackers are cheap: data: images, same-origin 204 scripts
  // and iframes. Insertion and src-setting methods rotate, as on real pages.
  // (Iframes are few because each one costs milliseconds to create even
  // without a guard; 150 of them drowned everything else in noise.)
  window.__benchInsert = function (count) {
    count = count || 1000;
    var port = location.port ? ":" + location.port : "";
    var sink = document.createElement("div");
    sink.id = "bench-sink";
    sink.style.cssText = "position:absolute;left:-10000px;top:0;width:1px;height:1px;overflow:hidden";
    document.body.appendChild(sink);
    var seen = { img: 0, script: 0, iframe: 0 };
    // Mutation observers run at the microtask checkpoint right after the
    // loop, in the order they were created; this one is created last, so when
    // it runs every other observer (a blocker's) has done its work for these
    // insertions.
    var observed = null;
    var done;
    var result = new Promise(function (resolve) { done = resolve; });
    var observer = new MutationObserver(function () {
      if (observed !== null) return;
      observed = performance.now();
      observer.disconnect();
      done({ loopMs: t1 - t0, withObserversMs: observed - t0 });
    });
    observer.observe(sink, { childList: true, subtree: true });
    var t0 = performance.now();
    for (var i = 0; i < count; i++) {
      var slot = i % 20;
      var kind = slot < 12 ? "img" : slot < 19 ? "script" : "iframe";
      var n = seen[kind]++;
      var el = document.createElement(kind);
      var url;
      if (n % 10 === 9) {
        // every tenth element of each kind is a tracker
        var list = TRACKERS[kind];
        var t = list[((n / 10) | 0) % list.length];
        url = "http://" + t.replace("/", port + "/") + (t.indexOf("?") < 0 ? "?" : "&") + "n=" + i;
      } else if (kind === "img") {
        url = GIF;
      } else {
        url = "/204?" + kind + "=" + i;
      }
      if (kind === "img") { el.width = 1; el.height = 1; el.alt = ""; }
      if (kind === "script") el.async = true;
      if (kind === "iframe") { el.width = 1; el.height = 1; el.title = "embed " + i; }
      if (i % 2) el.setAttribute("src", url);
      else el.src = url;
      switch (i % 4) {
        case 0: sink.appendChild(el); break;
        case 1: sink.append(el); break;
        case 2: sink.insertBefore(el, sink.firstChild); break;
        default: sink.insertAdjacentElement("beforeend", el);
      }
    }
    var t1 = performance.now();
    return result;
  };

  // 10,000 document.cookie writes: 60 % a declared strictly-necessary name,
  // 30 % a declared analytics name (refused before consent), 10 % a name the
  // table does not declare.
  window.__benchCookies = function (count) {
    count = count || 10000;
    var t0 = performance.now();
    for (var i = 0; i < count; i++) {
      var slot = i % 10;
      var name = slot < 6 ? "PHPSESSID" : slot < 9 ? "__utma" : "site_theme";
      document.cookie = name + "=v" + i + "; path=/; max-age=3600; samesite=lax";
    }
    return performance.now() - t0;
  };
})();
