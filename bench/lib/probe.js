// Init script the benchmark injects into every page before any of the page's
// own scripts run (playwright addInitScript). It is the same in every
// variant, the baseline included, so its own cost cancels out of the
// "extra over baseline" figures. It records, relative to navigation start
// (performance.now()):
//
//   visibleAt   the first animation frame at which the consent banner is in
//               the DOM, rendered (checkVisibility with opacity and
//               visibility), with a non-zero box, and so is its "Accept all"
//               button. Found through a MutationObserver on the document and
//               on every shadow root (attachShadow is wrapped so closed roots
//               are seen too); checked in requestAnimationFrame, and polled
//               frame by frame while a banner exists but is not visible yet
//               (fade-in transitions do not mutate the DOM).
//   CLS         sum of layout-shift values without recent input.
//   LCP         the last largest-contentful-paint entry and whether its
//               element lies inside the banner (shadow-including; an entry
//               from a shadow tree has no element, and counts as the banner's
//               where the banner lives in a shadow root).
//   click       for the first trusted click: event.timeStamp and the time of
//               the first animation frame after its handlers (INP-like), and
//               Event Timing durations (>= 16 ms only).
//
// When the banner becomes visible or a click's frame has run, it calls the
// binding window.__benchReport (exposed by the driver), so the driver never
// polls the page (polling would add script time of its own).
//
// `spec` (JSON, set by the driver): null for no banner, or
//   { banner: CSS selector, accept: CSS selector }             light DOM
//   { shadow: true, acceptText: "Accept all" }                 in a shadow root
(function (spec) {
  "use strict";
  var state = {
    spec: spec,
    visibleAt: null,
    candidateAt: null,
    bannerEl: null,
    acceptEl: null,
    cls: 0,
    shifts: 0,
    lcp: null,
    click: null,
    events: [],
    longtasks: [],
  };
  Object.defineProperty(window, "__bench", { value: state, enumerable: false });
  var roots = [];
  state.roots = roots;
  var report = function (what) {
    try {
      if (typeof window.__benchReport === "function") window.__benchReport(what);
    } catch (e) {}
  };

  var attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function () {
    var root = attach.apply(this, arguments);
    roots.push(root);
    if (observer && state.visibleAt === null) observer.observe(root, OPTIONS);
    schedule();
    return root;
  };

  function visible(el) {
    if (!el || !el.isConnected) return false;
    if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return false;
    var r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  }

  function findAcceptByText(root, text) {
    var buttons = root.querySelectorAll("button, [role=button], a");
    for (var i = 0; i < buttons.length; i++) {
      if (buttons[i].textContent.trim().toLowerCase() === text) return buttons[i];
    }
    return null;
  }

  function find() {
    if (!spec) return null;
    if (spec.shadow) {
      var text = (spec.acceptText || "Accept all").toLowerCase();
      for (var i = 0; i < roots.length; i++) {
        var accept = findAcceptByText(roots[i], text);
        if (!accept) continue;
        var top = accept;
        while (top.parentNode && top.parentNode !== roots[i]) top = top.parentNode;
        return { banner: top, accept: accept, root: roots[i] };
      }
      return null;
    }
    var banner = document.querySelector(spec.banner);
    if (!banner) return null;
    return { banner: banner, accept: document.querySelector(spec.accept) };
  }

  var pending = false;
  var stopped = false;
  function schedule() {
    if (pending || stopped || state.visibleAt !== null) return;
    pending = true;
    requestAnimationFrame(tick);
  }
  function tick() {
    pending = false;
    var now = performance.now();
    var found = find();
    if (!found) return;
    if (state.candidateAt === null) state.candidateAt = now;
    if (visible(found.banner) && visible(found.accept)) {
      state.visibleAt = now;
      state.bannerEl = found.banner;
      state.acceptEl = found.accept;
      observer.disconnect();
      report({ type: "banner", at: now });
      return;
    }
    schedule(); // in the DOM but not visible yet: look again next frame
  }
  state.stop = function () {
    stopped = true;
    observer.disconnect();
  };

  var OPTIONS = { childList: true, subtree: true, attributes: true };
  var observer = spec ? new MutationObserver(schedule) : null;
  if (observer) observer.observe(document, OPTIONS);

  function observe(type, callback) {
    try {
      new PerformanceObserver(function (list) {
        list.getEntries().forEach(callback);
      }).observe({ type: type, buffered: true, durationThreshold: type === "event" ? 16 : undefined });
    } catch (e) {}
  }
  observe("layout-shift", function (e) {
    if (!e.hadRecentInput) {
      state.cls += e.value;
      state.shifts++;
    }
  });
  observe("largest-contentful-paint", function (e) {
    state.lcp = e;
  });
  observe("event", function (e) {
    state.events.push({ name: e.name, start: e.startTime, duration: e.duration, interactionId: e.interactionId });
  });
  observe("longtask", function (e) {
    state.longtasks.push({ start: e.startTime, duration: e.duration });
  });

  // Is `node` inside `container`, crossing shadow boundaries?
  function within(node, container) {
    for (var n = node; n; n = n.parentNode || n.host) if (n === container) return true;
    return false;
  }
  state.summary = function () {
    var lcp = state.lcp;
    var el = lcp && lcp.element;
    var banner = state.bannerEl;
    var lcpInfo = lcp
      ? {
          at: lcp.startTime,
          size: lcp.size,
          tag: el ? el.localName + (el.id ? "#" + el.id : "") : null,
          inShadow: !!(el && el.getRootNode() instanceof ShadowRoot),
          // Chromium does not expose elements inside shadow trees (element is
          // null); the only shadow roots on these pages are the banner's.
          isBanner: el
            ? !!(banner && (within(el, banner) || (banner.getRootNode().host && within(el, banner.getRootNode().host))))
            : !!(spec && spec.shadow && roots.length > 0),
        }
      : null;
    return {
      visibleAt: state.visibleAt,
      candidateAt: state.candidateAt,
      cls: state.cls,
      shifts: state.shifts,
      lcp: lcpInfo,
      shadowRoots: roots.length,
      longtasks: state.longtasks.slice(),
    };
  };
  state.acceptCenter = function () {
    var el = state.acceptEl;
    if (!el || !visible(el)) return null;
    var r = el.getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  };

  addEventListener(
    "click",
    function (e) {
      if (state.click || !e.isTrusted) return;
      var click = (state.click = { at: e.timeStamp, frame: null });
      // rAF callbacks of the next frame run after every handler of this
      // event; the frame's paint follows them.
      requestAnimationFrame(function () {
        click.frame = performance.now();
        setTimeout(function () {
          report({ type: "click", at: click.at, frame: click.frame });
        }, 0);
      });
    },
    true,
  );
})(__BENCH_SPEC__);
