// The site's own script (first party, not a tracker): marks the current page
// in the navigation.
//
// On the company's real site the strictly-necessary PHPSESSID cookie (the
// session that remembers the visitor's menu selection) is set by the PHP back
// end with `HttpOnly`, so no script can create, read or delete it, and this
// one does not try. The demo server (scripts/serve.mjs) serves static files
// and cannot run PHP, so `make demo` has no PHPSESSID; the end-to-end tests'
// site server (tests/e2e/lib/site.mjs) plays the back end and sets it.
"use strict";

(function () {
  var here = location.pathname.replace(/index\.html$/, "");
  var links = document.querySelectorAll(".site-header nav a");
  for (var i = 0; i < links.length; i++) {
    var target = new URL(links[i].href, location.href).pathname.replace(/index\.html$/, "");
    if (target === here) links[i].setAttribute("aria-current", "page");
  }
})();
