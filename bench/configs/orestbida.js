// vanilla-cookieconsent 3.1.0 (orestbida) configured like www/cookies.json:
// the same three categories, the same four services, the same cookie
// declarations (as cookie tables in the preferences modal), the same English
// texts as consent-guard's built-in ones. Written for the benchmark from the
// package's types/index.d.ts; loaded after cookieconsent.umd.js (both defer,
// at the end of <body>, as the package's docs show).
CookieConsent.run({
  // The benchmark drives Chromium through CDP, so navigator.webdriver is true;
  // with the default (true) the banner would never show.
  hideFromBots: false,
  revision: 1,
  cookie: { name: "cc_cookie", expiresAfterDays: 182 },
  guiOptions: {
    consentModal: { layout: "box", position: "bottom right", equalWeightButtons: true },
    preferencesModal: { layout: "box", equalWeightButtons: true },
  },
  categories: {
    necessary: { enabled: true, readOnly: true },
    analytics: {
      autoClear: { cookies: [{ name: "__utma" }] },
      services: { "google-analytics": { label: "Google Analytics" } },
    },
    advertising: {
      autoClear: { cookies: [{ name: "IDE" }, { name: "YSC" }, { name: "VISITOR_INFO1_LIVE" }, { name: "PREF" }, { name: "GPS" }, { name: "tfw_exp" }] },
      services: {
        doubleclick: { label: "Google Ads (DoubleClick)" },
        youtube: { label: "YouTube" },
        twitter: { label: "Twitter (X)" },
      },
    },
  },
  language: {
    default: "en",
    translations: {
      en: {
        consentModal: {
          title: "Cookies on this site",
          description:
            "We use cookies and similar technologies to run this site and, if you agree, to measure how it is used and to show and measure ads, together with the third parties listed below. “Reject all” is as easy as “Accept all”, and the site works either way. You can change your mind at any time with the “Cookie preferences” button.",
          acceptAllBtn: "Accept all",
          acceptNecessaryBtn: "Reject all",
          showPreferencesBtn: "Manage preferences",
          footer: 'Third parties: Google Analytics, Google Ads (DoubleClick), YouTube, Twitter (X). <a href="/privacy.html">Cookie policy</a>',
        },
        preferencesModal: {
          title: "Cookie preferences",
          acceptAllBtn: "Accept all",
          acceptNecessaryBtn: "Reject all",
          savePreferencesBtn: "Save choices",
          closeIconLabel: "Close",
          sections: [
            {
              description:
                "Choose which kinds of cookies we may use. Strictly necessary cookies are always on because the site cannot work without them; everything else stays off until you turn it on.",
            },
            {
              title: "Strictly necessary <span class=\"pm__badge\">Always on</span>",
              description:
                "Needed for the site to work, for example to keep your session and to remember your cookie choices. They cannot be turned off.",
              linkedCategory: "necessary",
              cookieTable: {
                headers: { name: "Name", provider: "Provider", purpose: "Purpose", duration: "Duration" },
                body: [
                  { name: "PHPSESSID", provider: "This site", purpose: "Identifies your visit to our server so that the site can remember what you did from one page to the next, such as the menu you selected.", duration: "Until you close your browser" },
                  { name: "cc_cookie", provider: "This site", purpose: "Remembers the cookie choices you made on this banner.", duration: "6 months" },
                ],
              },
            },
            {
              title: "Analytics",
              description:
                "Help us understand how visitors use the site, such as which pages are read, through identifiers stored in your browser.",
              linkedCategory: "analytics",
              cookieTable: {
                headers: { name: "Name", provider: "Provider", purpose: "Purpose", duration: "Duration" },
                body: [
                  { name: "__utma", provider: "Google Analytics", purpose: "Tells visitors and visits apart so that Google Analytics can count them and measure how the site is used. It is written by the analytics script and updated on every page view.", duration: "2 years" },
                ],
              },
            },
            {
              title: "Advertising",
              description:
                "Used by us, ad networks and embedded services such as videos and social media to show and measure ads and to build a profile of your interests.",
              linkedCategory: "advertising",
              cookieTable: {
                headers: { name: "Name", provider: "Provider", purpose: "Purpose", duration: "Duration" },
                body: [
                  { name: "IDE", provider: "Google Ads (DoubleClick)", purpose: "Records what you do after seeing or clicking an ad, to measure how well ads work and to choose the ads you are shown.", duration: "13 months" },
                  { name: "YSC", provider: "YouTube", purpose: "Set when a page with an embedded YouTube video loads; identifies your viewing session.", duration: "Until you close your browser" },
                  { name: "VISITOR_INFO1_LIVE", provider: "YouTube", purpose: "Estimates your connection speed to choose the video player to show you; YouTube also uses it for marketing.", duration: "6 months" },
                  { name: "PREF", provider: "YouTube", purpose: "Stores your YouTube preferences, such as language, the number of results per page and SafeSearch.", duration: "8 months" },
                  { name: "GPS", provider: "YouTube", purpose: "Registers an identifier on mobile devices so that YouTube can track you by your GPS location.", duration: "30 minutes" },
                  { name: "tfw_exp", provider: "Twitter (X)", purpose: "Set by the embedded Twitter timeline and share buttons to remember their settings; these widgets also set advertising cookies of their own.", duration: "2 weeks" },
                ],
              },
            },
          ],
        },
      },
    },
  },
});
