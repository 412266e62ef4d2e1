// klaro 0.7.22 configured like www/cookies.json: the same three purposes, the
// same services and cookie names, the same English texts as consent-guard's
// built-in ones where klaro has a slot for them. Loaded with `defer` in <head>
// before klaro.js, as klaro's README shows (klaro reads the global
// `klaroConfig`). Written for the benchmark from the package's dist/config.js.
var klaroConfig = {
  version: 1,
  elementID: "klaro",
  storageMethod: "cookie",
  cookieName: "klaro",
  cookieExpiresAfterDays: 182,
  htmlTexts: false,
  groupByPurpose: true,
  default: false,
  mustConsent: false,
  acceptAll: true,
  hideDeclineAll: false,
  hideLearnMore: false,
  noticeAsModal: false,
  lang: "en",
  translations: {
    zz: { privacyPolicyUrl: "/privacy.html" },
    en: {
      consentNotice: {
        title: "Cookies on this site",
        description:
          "We use cookies and similar technologies to run this site and, if you agree, to measure how it is used and to show and measure ads, together with the third parties listed below. “Reject all” is as easy as “Accept all”, and the site works either way. Purposes: {purposes}.",
        learnMore: "Manage preferences",
      },
      consentModal: {
        title: "Cookie preferences",
        description:
          "Choose which kinds of cookies we may use. Strictly necessary cookies are always on because the site cannot work without them; everything else stays off until you turn it on.",
      },
      acceptAll: "Accept all",
      decline: "Reject all",
      acceptSelected: "Save choices",
      purposes: {
        "strictly-necessary": {
          title: "Strictly necessary",
          description: "Needed for the site to work, for example to keep your session and to remember your cookie choices. They cannot be turned off.",
        },
        analytics: {
          title: "Analytics",
          description: "Help us understand how visitors use the site, such as which pages are read, through identifiers stored in your browser.",
        },
        advertising: {
          title: "Advertising",
          description: "Used by us, ad networks and embedded services such as videos and social media to show and measure ads and to build a profile of your interests.",
        },
      },
      "site": { title: "This site", description: "Your session (PHPSESSID) and your cookie choices (klaro)." },
      "google-analytics": { title: "Google Analytics", description: "__utma: tells visitors and visits apart so that Google Analytics can count them (2 years)." },
      "doubleclick": { title: "Google Ads (DoubleClick)", description: "IDE: records what you do after seeing or clicking an ad (13 months)." },
      "youtube": { title: "YouTube", description: "YSC, VISITOR_INFO1_LIVE, PREF, GPS: your viewing session, player choice, preferences and location (30 minutes to 8 months)." },
      "twitter": { title: "Twitter (X)", description: "tfw_exp: settings of the embedded timeline and share buttons (2 weeks)." },
    },
  },
  services: [
    { name: "site", purposes: ["strictly-necessary"], required: true, cookies: ["PHPSESSID", "klaro"] },
    { name: "google-analytics", purposes: ["analytics"], cookies: ["__utma"] },
    { name: "doubleclick", purposes: ["advertising"], cookies: ["IDE"] },
    { name: "youtube", purposes: ["advertising"], cookies: ["YSC", "VISITOR_INFO1_LIVE", "PREF", "GPS"] },
    { name: "twitter", purposes: ["advertising"], cookies: ["tfw_exp"] },
  ],
};
