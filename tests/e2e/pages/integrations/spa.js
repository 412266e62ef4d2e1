// A client-side router as a framework would have one: each view replaces the
// content of <main> (innerHTML for the markup, createElement + appendChild for
// the scripts a component adds), history.pushState changes the URL, nothing
// calls consent-guard. The trackers are plain, unmarked tags: only their
// hosts tell consent-guard what they are.
(function () {
  var app = document.getElementById("app");

  var views = {
    home: function () {
      app.innerHTML = "<h1>Home</h1><p>Welcome.</p>";
    },
    video: function (n) {
      app.innerHTML =
        "<h1>Film</h1>" +
        '<figure class="video"><iframe src="https://www.youtube.com/embed/spa-' + n + '" width="560" height="315" ' +
        'title="Film (YouTube)"></iframe><figcaption>The harvest.</figcaption></figure>' +
        '<img src="https://ad.doubleclick.net/spa/pixel-' + n + '" width="1" height="1" alt="">';
      var ga = document.createElement("script");
      ga.src = "https://www.google-analytics.com/ga.js?spa=" + n;
      app.appendChild(ga);
      var widgets = document.createElement("script");
      widgets.async = true;
      widgets.src = "https://platform.twitter.com/widgets.js?spa=" + n;
      document.head.appendChild(widgets);
    },
    privacy: function () {
      // A component that renders an empty declaration container, as React would.
      app.innerHTML = '<h1>Privacy</h1><div data-consent-guard="cookie-table"></div>';
    },
  };

  // How often each view was rendered: the n-th film view embeds video spa-n.
  var renders = {};
  function render() {
    var view = new URLSearchParams(location.search).get("view") || "home";
    if (!views[view]) view = "home";
    renders[view] = (renders[view] || 0) + 1;
    views[view](renders[view]);
    window.__spa = { view: view, renders: renders };
  }

  window.spaNavigate = function (view) {
    history.pushState({ view: view }, "", "?view=" + view);
    render();
  };
  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest("a[data-view]");
    if (!link) return;
    e.preventDefault();
    window.spaNavigate(link.getAttribute("data-view"));
  });
  window.addEventListener("popstate", render);
  render();
})();
