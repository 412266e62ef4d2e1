// Osano cookieconsent 3.1.1 configured as close to www/cookies.json as it
// can be: it has no categories or services, only a notice with allow/deny
// ("opt-in": nothing non-essential until "Accept all"). Same English texts as
// consent-guard's built-in ones. Initialised on the window load event, as the
// snippet from Osano's download wizard does; this file and the library sit at
// the end of <body>, the stylesheet in <head>. Written for the benchmark from
// the package's src/cookieconsent.js defaults.
window.addEventListener("load", function () {
  window.cookieconsent.initialise({
    type: "opt-in",
    position: "bottom",
    revokable: true,
    cookie: { name: "cookieconsent_status", expiryDays: 182 },
    palette: {
      popup: { background: "#1d232a", text: "#ffffff" },
      button: { background: "#0b5cad", text: "#ffffff" },
    },
    content: {
      header: "Cookies on this site",
      message:
        "We use cookies and similar technologies to run this site and, if you agree, to measure how it is used and to show and measure ads, together with the third parties Google Analytics, Google Ads (DoubleClick), YouTube and Twitter (X). “Reject all” is as easy as “Accept all”, and the site works either way.",
      allow: "Accept all",
      deny: "Reject all",
      link: "Cookie policy",
      href: "/privacy.html",
      target: "_self",
      policy: "Cookie preferences",
    },
  });
});
