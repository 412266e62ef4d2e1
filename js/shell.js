// consent-guard shell: the hand-written JS half of the runtime.
//
// scripts/assemble.mjs puts this file inside the IIFE of pkg/consent-guard.js,
// after the wasm-bindgen no-modules glue. In scope:
//   wasm_bindgen  the glue (initSync and the #[wasm_bindgen] exports)
//   WASM_BYTES    the optimised wasm, one character per byte
//   CONFIG        null, or the cookie table the CLI's `bundle` command inlined
//
// The contract with the engine is ARCHITECTURE.md "Shell <-> engine". This
// file owns what must be plain JS: prototype hooks (they need `this`), holding
// and releasing elements, window.consentGuard and its events. Every decision
// is asked of the engine; an exception from it means hold / drop, never allow.
// What each hook catches, and why it is done this way, is measured in
// shared/BROWSER-FACTS.md.

const W = window;
const D = document;
const ME = D.currentScript;
const LOG = 'consent-guard: ';
const HTML_NS = 'http://www.w3.org/1999/xhtml';
const HOLD = {}; // guard() result: do not let the native setter run

// Natives of this (top) realm, saved before any page script can touch them.
// The helpers call them on nodes of any same-origin realm: Web IDL methods
// accept objects of another realm.
const EP = Element.prototype;
const nSetAttr = EP.setAttribute;
const nSetAttrNS = EP.setAttributeNS;
const nGetAttr = EP.getAttribute;
const nRemAttr = EP.removeAttribute;
const nInsert = Node.prototype.insertBefore;
const nReplace = Node.prototype.replaceChild;
const nCreate = Document.prototype.createElement;
const nListen = EventTarget.prototype.addEventListener;
const nInner = Object.getOwnPropertyDescriptor(EP, 'innerHTML').set;
const nText = Object.getOwnPropertyDescriptor(Node.prototype, 'textContent').set;
const nFetch = W.fetch;
const nCookie = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');

// Elements that can load something, and the attributes that hold their URLs.
const URL_ATTRS = {
  script: ['src'],
  iframe: ['src'],
  img: ['src', 'srcset'],
  source: ['src', 'srcset'],
  link: ['href', 'imagesrcset'],
  embed: ['src'],
  object: ['data'],
  video: ['src', 'poster'],
  audio: ['src'],
};
const SELECTOR = Object.keys(URL_ATTRS).join();
// Marked-up content that loads nothing itself (a tweet's blockquote that a
// widget script turns into an embed): a placeholder stands in for it while
// its category is refused (see visitBlock).
const SCAN = SELECTOR + ',[data-category]';
// Held behind a placeholder (they take room in the page).
const FRAMED = { iframe: 1, embed: 1, object: 1 };
// A string worth parsing before the browser sees it: it has a loading tag.
const RISKY = /<(?:script|iframe|img|source|link|embed|object|video|audio)[\s/>]/i;
const PRELOAD = /(^|\s)(preload|prefetch|modulepreload)(\s|$)/i;
// Contexts whose innerHTML is text, not markup.
const RAW = /^(script|style|textarea|title|xmp|iframe|noembed|noframes|noscript|plaintext|template)$/;
// Attributes not copied onto a released script (consent-guard's markers; the
// nonce is copied as a property, its attribute reads empty).
const SKIP = /^(type|data-type|data-category|data-service|nonce)$/i;

const wb = wasm_bindgen;
let live = false; // the engine runs; false = fail-closed mode
let trapped = false;
let settled = false; // the table is loaded or known missing
let settle;
const ready = new Promise((done) => (settle = () => { settled = true; done(); }));

// ---------------------------------------------------------------- decisions

// Calls an engine export; an exception (a trap) gives `dflt`, which every
// caller chooses to be the holding answer.
function ask(name, args, dflt) {
  if (!live) return dflt;
  try {
    return wb[name].apply(wb, args);
  } catch (e) {
    if (!trapped) {
      trapped = true;
      console.error(LOG + name + ' failed, holding everything it decides', e);
    }
    return dflt;
  }
}

// A relative URL that cannot name another host: a path ("/a", "a/b", "a.gif").
// The URL parser drops tabs and newlines and reads "\\" as "/", so "/\t/x"
// and "/\\x" are protocol-relative: those take the slow path.
const LOCAL = /^(\/(?![/\\\t\n\r])|[\w.-]+(\/|$))/;
let baseSeen = '';
let baseLocal = false;

// Answers of decide_url by URL string: an element's URL is checked when it
// is set and again when the element is inserted, and parsing a URL is the
// dearest part of a check. Cleared whenever the answers can change (a table,
// every refresh()); undecided answers are never kept.
const cache = new Map();

// Services the visitor loaded "once" on this page (a held block's "Load this
// content once"): what their scripts insert while the page lives loads too.
// Not a consent: nothing is recorded, and the next page holds them again.
const once = new Set();

// -1 allow; -2 hold (undecided); n >= 0 hold, service n not granted.
function verdict(u) {
  u = String(u);
  // Same-origin is allowed by the contract whatever the table says: skip
  // parsing and the engine for the common relative URL.
  if (LOCAL.test(u)) {
    const b = D.baseURI;
    if (b !== baseSeen) {
      baseSeen = b;
      baseLocal = b.startsWith(location.origin + '/');
    }
    if (baseLocal) return -1;
  }
  if (/^(data|blob|about|javascript):/i.test(u)) return -1; // nothing remote
  let n = cache.get(u);
  if (n !== undefined) return n;
  let url;
  try {
    url = new URL(u, D.baseURI);
  } catch (e) {
    return -1; // the browser cannot request it either
  }
  if (!/^https?:$/.test(url.protocol)) return -1;
  if (!live) return url.origin === location.origin ? -1 : -2;
  n = ask('decide_url', [url.href], -2);
  if (typeof n !== 'number' || n < -1) return -2;
  if (n >= 0 && once.size && once.has(serviceInfo(n)[0])) n = -1;
  if (cache.size > 500) cache.clear();
  cache.set(u, n);
  return n;
}

// srcset: hold when any candidate is held. Splitting on every comma may cut a
// URL in two; the host is in the first piece, so that only ever holds more.
function attrVerdict(attr, value) {
  if (!/srcset$/.test(attr)) return verdict(value);
  for (const part of String(value).split(',')) {
    const n = verdict(part.trim().split(/\s/)[0]);
    if (n !== -1) return n;
  }
  return -1;
}

function cookieOk(write) {
  if (!live) return /^\s*consent_guard\s*=/.test(write);
  return ask('decide_cookie', [write], false) === true;
}

function abs(u) {
  try {
    return new URL(u, D.baseURI).href;
  } catch (e) {
    return u;
  }
}

// ------------------------------------------------------------- held records

// A held element: { id, el, n (decide_url's answer, -1 for markup), cat
// (data-category or null), svc (data-service), urls (attribute -> URL kept
// back from the element, or null), type (a script's type to restore), ph
// (placeholder), state }.
const HELD = 0;
const QUEUED = 1; // a script waiting in the release chain
const LIVE = 2; // a released iframe/embed/object, re-held on withdrawal
let nextId = 1;
const holds = new Map(); // id -> record, for refresh()
const recs = new WeakMap(); // element -> record
const mine = new WeakSet(); // scripts created by release: never held again
const phs = new WeakSet(); // our placeholders
const seen = new WeakSet(); // scanned by an insertion hook: the observer skips them
const framesSeen = new WeakSet();
const realms = new WeakSet(); // Document.prototype of each realm we hooked
const cursor = new WeakMap(); // released script -> last node its document.write inserted
let later = []; // inline scripts the parser may still be filling
let warnedPending = false;

function hold(el, n) {
  const r = { id: nextId++, el, n, cat: null, svc: '', urls: null, type: null, ph: null, state: HELD };
  holds.set(r.id, r);
  recs.set(el, r);
  return r;
}

function forget(r) {
  holds.delete(r.id);
  recs.delete(r.el);
}

function attr(el, name) {
  return nGetAttr.call(el, name);
}

function isBlock(el) {
  return !URL_ATTRS[el.localName] && attr(el, 'data-category') !== null;
}

function scriptUrl(el) {
  if (el.namespaceURI === HTML_NS) return attr(el, 'src');
  return attr(el, 'href') || el.getAttributeNS('http://www.w3.org/1999/xlink', 'href');
}

// Markup category of an element, with the service, when it is held markup.
function markup(el, r) {
  const cat = attr(el, 'data-category');
  if (cat === null) return r;
  if (el.localName === 'script') {
    if (!/^\s*text\/plain\s*$/i.test(attr(el, 'type') || '')) return r;
  } else if (attr(el, 'data-src') === null && attr(el, 'data-srcset') === null) {
    return r;
  }
  r = r || hold(el, -1);
  r.cat = cat;
  r.svc = attr(el, 'data-service') || '';
  if (el.localName === 'script') r.type = attr(el, 'data-type');
  return r;
}

// [attribute, URL] pairs the element loads once released: the held values,
// marked-up data-src/data-srcset, and (all) what its attributes say now.
function targets(r, all) {
  const el = r.el;
  const ln = el.localName;
  const out = [];
  if (r.urls) for (const a in r.urls) out.push([a, r.urls[a]]);
  if (r.cat !== null && ln !== 'script') {
    for (const a of ['src', 'srcset']) {
      const v = attr(el, 'data-' + a);
      if (v !== null) out.push([ln === 'object' && a === 'src' ? 'data' : a, v]);
    }
  }
  if (all && URL_ATTRS[ln]) {
    for (const a of URL_ATTRS[ln]) {
      const v = ln === 'script' ? scriptUrl(el) : attr(el, a);
      if (v !== null) out.push([a, v]);
    }
  }
  return out;
}

function permitted(r) {
  if (r.cat !== null && !(r.svc && once.has(r.svc)) && ask('decide_markup', [r.cat, r.svc], false) !== true) return false;
  for (const t of targets(r, true)) if (attrVerdict(t[0], t[1]) !== -1) return false;
  return true;
}

function anchor(r) {
  return r.ph && r.ph.isConnected ? r.ph : r.el;
}

// An inline script the parser may still be appending text to: releasing it
// now would copy half its body.
function unripe(r) {
  const el = r.el;
  return el.localName === 'script' && !el.nextSibling && D.readyState === 'loading' && el.ownerDocument === D;
}

// Service index for the placeholder: decide_url's, or that of a marked-up URL.
function serviceOf(r) {
  if (r.n >= 0) return r.n;
  for (const t of targets(r)) {
    const n = attrVerdict(t[0], t[1]);
    if (n >= 0) return n;
  }
  return -1;
}

function placehold(r) {
  const el = r.el;
  if (!r.ph) {
    let ph = ask('placeholder', [r.id, serviceOf(r), r.cat || '', r.svc || ''], null);
    // Before the table is known the engine cannot build one: a bare box of
    // the same size stands in until refresh() (see upgrade()).
    r.plain = !ph || ph.nodeType !== 1;
    if (r.plain) ph = nCreate.call(D, 'div');
    // The same box as the element: inline style, else the attribute, else
    // its laid-out size, else the iframe default.
    const box = el.isConnected ? el.getBoundingClientRect() : null;
    for (const d of ['width', 'height']) {
      const a = attr(el, d);
      const v = (el.style && el.style[d]) || (a ? (/^\d+$/.test(a) ? a + 'px' : a) : box && box[d] ? box[d] + 'px' : el.localName === 'iframe' ? (d === 'width' ? '300px' : '150px') : '');
      if (v) ph.style[d] = v;
    }
    if (el.style && el.style.maxWidth) ph.style.maxWidth = el.style.maxWidth;
    phs.add(ph);
    r.ph = ph;
  }
  if (el.parentNode) nReplace.call(el.parentNode, r.ph, el);
}

// ----------------------------------------------------------------- holding

// Hard-coded tags were fetched by the preload scanner before this script ran.
function warnHard(r) {
  if (r.n === -2) {
    r.hard = true; // named by refresh() once the table says whose it is
    if (!warnedPending) {
      warnedPending = true;
      console.warn(LOG + 'elements of the page that load from other sites are held until the cookie table (data-config) has loaded; an inline or bundled table avoids the wait');
    }
    return;
  }
  const el = r.el;
  const ln = el.localName;
  const pairs = ln === 'script' ? [['src', scriptUrl(el)]] : targets(r);
  console.warn(LOG + '<' + ln + ' ' + pairs.map((t) => t[0] + '="' + t[1] + '"').join(' ') + '> is in the page\'s HTML, so the browser may have requested it before consent; it is ' +
    (ln === 'script' ? 'stopped from running' : 'held') + ' until consent (service ' + serviceName(r.n) +
    '). Mark it up so that it is never requested: ' + heldMarkup(ln, pairs, r.n) + ' (the CLI\'s `consent-guard tag` does this)');
}

// service_info(n) -> "id|category" (optional export).
function serviceInfo(n) {
  return String((typeof wb.service_info === 'function' && ask('service_info', [n], '')) || '').split('|');
}

function serviceName(n) {
  return serviceInfo(n)[0] || '#' + n;
}

// The markup that holds a tag with these [attribute, URL] pairs.
function heldMarkup(ln, pairs, n) {
  const info = serviceInfo(n);
  return '<' + ln + (ln === 'script' ? ' type="text/plain"' : '') +
    ' data-category="' + (info[1] || '…') + '"' + (info[0] ? ' data-service="' + info[0] + '"' : '') + ' ' +
    pairs.map((t) => (ln === 'script' ? t[0] : 'data-' + t[0]) + '="' + t[1] + '"').join(' ') + '>';
}

// Tags of the page that came before this script (it was not first in
// <head>): they loaded, and scripts ran, before any hook existed. Once the
// table says which are trackers, name each with the markup that holds it.
let early = null;
function warnEarly() {
  const list = early;
  early = null;
  if (!list) return;
  for (const el of list) {
    const ln = el.localName;
    if (ln === 'script' && /^\s*text\/plain\s*$/i.test(attr(el, 'type') || '')) continue; // marked up: never ran
    const pairs = [];
    let n = -1;
    for (const a of URL_ATTRS[ln]) {
      const v = ln === 'script' ? (a === 'src' ? scriptUrl(el) : null) : attr(el, a);
      if (v === null || (ln === 'link' && !PRELOAD.test(attr(el, 'rel') || ''))) continue;
      const m = attrVerdict(a, v);
      if (m < 0) continue;
      if (n < 0) n = m;
      pairs.push([a, v]);
    }
    if (n < 0) continue;
    console.warn(LOG + '<' + ln + ' ' + pairs.map((t) => t[0] + '="' + t[1] + '"').join(' ') + '> comes before the consent-guard script, so it ' +
      (ln === 'script' ? 'ran' : 'loaded') + ' before consent and nothing could stop it (service ' + serviceName(n) +
      '). Put the consent-guard script first in <head>, and mark the tag up: ' + heldMarkup(ln, pairs, n) + ' (the CLI\'s `consent-guard tag` does this)');
  }
}

// A script that must not run: type text/plain through the native setter
// BEFORE its src is set (a src set on a connected script fetches at once).
function holdScript(el, hard) {
  let r = markup(el, null);
  if (r) return r;
  const src = scriptUrl(el);
  if (!src) return null;
  const n = verdict(src);
  if (n === -1) return null;
  const w = attr(el, 'data-cg-w') !== null; // rewritten from document.write
  r = hold(el, n);
  r.type = attr(el, w ? 'data-cg-type' : 'type');
  nSetAttr.call(el, 'type', 'text/plain');
  if (w) {
    nRemAttr.call(el, 'data-cg-w');
    nRemAttr.call(el, 'data-cg-type');
  } else if (hard) {
    warnHard(r);
  }
  return r;
}

// Any other loading element: its held URLs move from the attributes into the
// record (document.write's rewriter parks them in data-cg-<attr>).
function holdOther(el, ln, hard) {
  if (ln === 'link' && !PRELOAD.test(attr(el, 'rel') || '')) return null;
  const w = attr(el, 'data-cg-w') !== null;
  let r = null;
  for (const a of URL_ATTRS[ln]) {
    const key = w ? 'data-cg-' + a : a;
    const v = attr(el, key);
    if (v === null) continue;
    if (w) nRemAttr.call(el, key);
    const n = attrVerdict(a, v);
    if (n === -1) {
      if (w) nSetAttr.call(el, a, v);
      continue;
    }
    if (!r) r = hold(el, n);
    (r.urls = r.urls || {})[a] = v;
    if (!w) nRemAttr.call(el, a);
  }
  if (w) nRemAttr.call(el, 'data-cg-w');
  if (r && hard && !w) warnHard(r);
  return markup(el, r);
}

// Looks at one loading element that is being inserted (or was, for the
// observer: `hard`). Returns what to insert in its place: the element, or the
// placeholder of a held iframe/embed/object. `q` collects the work for after
// the insertion.
function visit(el, q, hard) {
  const ln = el.localName;
  if (mine.has(el)) return el;
  if (!URL_ATTRS[ln]) return isBlock(el) && !phs.has(el) ? visitBlock(el) : el;
  if (!hard && observing) seen.add(el);
  if (ln === 'iframe') {
    q.push(el);
    const sd = attr(el, 'srcdoc');
    if (sd && RISKY.test(sd)) {
      try {
        nSetAttr.call(el, 'srcdoc', trusted('HTML', rewrite(sd)));
      } catch (e) {
        nRemAttr.call(el, 'srcdoc'); // Trusted Types refused it: hold it all
      }
    }
  }
  let r = recs.get(el);
  if (!r) r = ln === 'script' ? holdScript(el, hard) : holdOther(el, ln, hard);
  if (!r || r.state !== HELD) return el;
  if (FRAMED[ln]) {
    if (permitted(r)) {
      release(r);
      return el;
    }
    placehold(r);
    return r.ph;
  }
  q.push(r);
  return el;
}

// Marked-up content that loads nothing itself: held behind a placeholder
// naming its service while its category is refused, put back (in document
// order, before the scripts that follow it) once granted.
function visitBlock(el) {
  let r = recs.get(el);
  if (!r) {
    r = hold(el, -1);
    r.cat = attr(el, 'data-category');
    r.svc = attr(el, 'data-service') || '';
    r.block = true;
  }
  if (r.state !== HELD) return el;
  if (permitted(r)) {
    r.state = LIVE;
    return el;
  }
  placehold(r);
  return r.ph;
}

// What stands in the page for a node: the placeholder of a held embed, so
// that page code removing, replacing or inserting next to "its" iframe
// works on what is really there.
function stand(n) {
  const r = n && recs.get(n);
  return r && r.ph && !n.isConnected && r.ph.isConnected ? r.ph : n;
}

function place(el, rep) {
  if (rep !== el && el.parentNode) nReplace.call(el.parentNode, rep, el);
}

// Visits the loading elements under root. A small subtree is walked by hand
// (cheaper than a selector query, and most inserted subtrees are small).
function scanTree(root, q, hard) {
  let list = null;
  let n = 0;
  for (let el = root.firstElementChild, next; el; el = next) {
    if (++n > 32) {
      list = root.querySelectorAll(SCAN);
      break;
    }
    if (URL_ATTRS[el.localName] || isBlock(el)) (list = list || []).push(el);
    next = el.firstElementChild;
    for (let p = el; !next && p !== root; p = p.parentNode) next = p.nextElementSibling;
  }
  if (list) for (const el of list) place(el, visit(el, q, hard));
}

// Before a node is inserted by a script: hold what it (or its subtree)
// loads. Returns the node to insert instead.
function pre(node, q) {
  const t = node.nodeType;
  if (t === 1) {
    const rep = visit(node, q, false);
    if (rep === node && node.firstElementChild) {
      if (observing) seen.add(node);
      scanTree(node, q, false);
    }
    return rep;
  }
  if (t === 11 && node.firstElementChild) {
    if (observing) for (let c = node.firstElementChild; c; c = c.nextElementSibling) seen.add(c);
    scanTree(node, q, false);
  }
  return node;
}

// After the insertion: hook the realms of new same-origin iframes, release
// what is already allowed (markup on a page with consent).
function post(q) {
  for (const x of q) {
    if (x.nodeType) frameRealm(x);
    else if (x.state === HELD && anchor(x).isConnected && permitted(x)) {
      if (unripe(x)) later.push(x);
      else release(x);
    }
  }
}

// ---------------------------------------------------------------- releasing

const chain = [];
let waiting = false;

function release(r) {
  if (r.state !== HELD) return;
  const el = r.el;
  // Document order holds across kinds too: while a script ahead is still
  // loading, what follows it waits its turn, as the parser would make it.
  if (el.localName === 'script' || waiting || chain.length) {
    r.state = QUEUED;
    chain.push(r);
    pump();
    return;
  }
  show(r);
}

// Let a held non-script element load: its URLs back, its placeholder gone.
function show(r) {
  const el = r.el;
  for (const t of targets(r)) nSetAttr.call(el, t[0], t[1]);
  r.urls = null;
  if (r.ph && r.ph.parentNode) nReplace.call(r.ph.parentNode, el, r.ph);
  if (FRAMED[el.localName] || r.block) r.state = LIVE;
  else forget(r);
  if (el.localName === 'iframe') frameRealm(el);
  const p = el.parentNode;
  if (el.localName === 'source' && p && typeof p.load === 'function') p.load();
}

// A bare box placed while the table was loading becomes the real placeholder
// (service, category, buttons) once the engine can build it.
function upgrade(r) {
  const ph = ask('placeholder', [r.id, serviceOf(r), r.cat || '', r.svc || ''], null);
  if (!ph || ph.nodeType !== 1) return;
  ph.style.cssText = r.ph.style.cssText;
  phs.add(ph);
  if (r.ph.parentNode) nReplace.call(r.ph.parentNode, ph, r.ph);
  r.ph = ph;
  r.plain = false;
}

// Withdrawal: a released embed goes back behind its placeholder.
function rehold(r) {
  r.state = HELD;
  placehold(r);
}

// A fresh script that runs when inserted (flipping `type` back does nothing).
function copyScript(old, markers) {
  const s = old.ownerDocument.createElementNS(old.namespaceURI, 'script');
  mine.add(s);
  const at = old.attributes;
  for (let i = 0; i < at.length; i++) {
    const a = at[i];
    if (!markers || !SKIP.test(a.name)) {
      nSetAttrNS.call(s, a.namespaceURI, a.name, /^(src|href|xlink:href)$/.test(a.name) ? trusted('ScriptURL', a.value) : a.value);
    }
  }
  s.textContent = trusted('Script', old.textContent);
  if (old.nonce) s.nonce = old.nonce; // getAttribute('nonce') reads ""
  return s;
}

// Runs held scripts one at a time, in the order released: an external
// non-async script waits for the previous one's load/error, as in the parser.
function pump() {
  while (!waiting && chain.length) {
    const r = chain.shift();
    const old = r.el;
    if (old.localName !== 'script') {
      r.state = HELD;
      show(r);
      continue;
    }
    if (!old.parentNode) {
      r.state = HELD; // removed meanwhile: runs if it comes back and is allowed
      continue;
    }
    forget(r);
    mine.add(old); // never held, recorded or run again
    const s = copyScript(old, true);
    if (r.type) nSetAttr.call(s, 'type', r.type);
    const ext = scriptUrl(s) !== null;
    if (ext) {
      const wait = attr(s, 'async') === null;
      const done = (e) => {
        // The page may listen on the element it inserted.
        try {
          old.dispatchEvent(new Event(e.type));
        } catch (x) { /* its listener's problem */ }
        ask('check_jar', []);
        if (wait) {
          waiting = false;
          pump();
        }
      };
      nListen.call(s, 'load', done);
      nListen.call(s, 'error', done);
      waiting = wait;
    }
    nReplace.call(old.parentNode, s, old);
  }
  if (!waiting) ask('check_jar', []);
}

function refresh() {
  cache.clear();
  const list = [];
  for (const r of holds.values()) {
    if (r.hard && r.state === HELD) {
      // A hard-coded tag held while the table was loading: name it now.
      for (const t of targets(r, true)) {
        const n = attrVerdict(t[0], t[1]);
        if (n >= 0) {
          r.n = n;
          r.hard = false;
          warnHard(r);
          break;
        }
      }
    }
    if (r.state === HELD) {
      if (anchor(r).isConnected && permitted(r)) list.push(r);
      else if (r.plain && r.ph) upgrade(r);
    } else if (r.state === LIVE && r.el.isConnected && !permitted(r)) {
      rehold(r);
    }
  }
  list.sort((a, b) => (anchor(a).compareDocumentPosition(anchor(b)) & 4 ? -1 : 1));
  for (const r of list) {
    if (unripe(r)) later.push(r);
    else release(r);
  }
}

function retryLater() {
  const l = later;
  later = [];
  post(l);
}

// ------------------------------------------------------------ document.write

const TAG = /<(script|iframe|img|source|link|embed|object|video|audio)(\s(?:[^>"']|"[^"]*"|'[^']*')*)?>/gi;
const ATTR = /([^\s"'=<>`/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
const unesc = (v) => v.replace(/&(amp|quot|#39|lt|gt);/g, (m, e) => ({ amp: '&', quot: '"', '#39': "'", lt: '<', gt: '>' })[e]);
const esc = (v) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

// Under Trusted Types, what the shell itself writes into a sink (HTML it
// rewrote, the URL and text of a script it re-creates: all taken from the
// page) goes through its own pass-through policy "consent-guard". A page
// enforcing Trusted Types must allow that name; if it does not, the browser
// refuses the write, so the item stays held (never leaked).
let policy;
function trusted(kind, value) {
  if (policy === undefined) {
    policy = null;
    try {
      const id = (x) => x;
      policy = W.trustedTypes.createPolicy('consent-guard', { createHTML: id, createScript: id, createScriptURL: id });
    } catch (e) { /* no Trusted Types, or the page's CSP does not allow us */ }
  }
  return policy ? policy['create' + kind](value) : value;
}

// Rewrites held tags in HTML text to inert markup, before a parser sees it:
// scripts get type="text/plain", other URLs move to data-cg-<attr>. The
// observer then records them (data-cg-w marks them as ours).
function rewrite(html) {
  return html.replace(TAG, (m, tag, attrs) => {
    if (!attrs) return m;
    const ln = tag.toLowerCase();
    const list = [];
    attrs.replace(ATTR, (x, k, a, b, c) => list.push([k.toLowerCase(), unesc(a !== undefined ? a : b !== undefined ? b : c || '')]));
    const get = (k) => (list.find((p) => p[0] === k) || [])[1];
    if (ln === 'link' && !PRELOAD.test(get('rel') || '')) return m;
    const type = get('type');
    if (ln === 'script' && /^\s*text\/plain\s*$/i.test(type || '')) return m;
    const held = list.filter((p) => URL_ATTRS[ln].includes(p[0]) && attrVerdict(p[0], p[1]) !== -1);
    if (!held.length) return m;
    let out = '<' + tag + ' data-cg-w=""' + (ln === 'script' ? ' type="text/plain" data-cg-type="' + esc(type || '') + '"' : '');
    for (const p of list) {
      if (ln === 'script' && p[0] === 'type') continue;
      out += ' ' + (ln !== 'script' && held.includes(p) ? 'data-cg-' : '') + p[0] + '="' + esc(p[1]) + '"';
    }
    return out + '>';
  });
}

// document.write from a script we released: the parser is gone, so the
// native write would replace the whole page. Insert the markup after the
// script instead, its scripts re-created so that they run, in order.
function writeAfter(doc, script, html) {
  const t = nCreate.call(doc, 'template');
  nInner.call(t, trusted('HTML', html));
  const f = t.content;
  for (const old of f.querySelectorAll('script')) {
    const s = copyScript(old, false);
    mine.delete(s); // still to be checked like any inserted script
    s.async = false;
    nReplace.call(old.parentNode, s, old);
  }
  const last = f.lastChild;
  const at = cursor.get(script) || script;
  if (!last || !at.parentNode) return;
  at.parentNode.insertBefore(f, at.nextSibling); // the hooked method: holds what it loads
  cursor.set(script, last);
}

// ------------------------------------------------------------------- parsing

// Parses HTML for a context element into an inert <template> (nothing in it
// loads or runs), to be checked before it is inserted. `html` is passed on
// as given: it may be TrustedHTML.
function parse(ctx, html) {
  const t = nCreate.call(ctx.ownerDocument || D, 'template');
  nInner.call(t, html);
  const q = [];
  pre(t.content, q);
  return [t.content, q];
}

// A node that is, or holds, an element that can load something.
function risky(node) {
  return !!node && (node.nodeType === 1 || node.nodeType === 11) &&
    (!!URL_ATTRS[node.localName] || (node.nodeType === 1 && isBlock(node)) || !!node.querySelector(SCAN));
}

function htmlSafe(ctx, html) {
  return html == null || !RISKY.test(String(html)) || !ctx || (ctx.namespaceURI && ctx.namespaceURI !== HTML_NS) || RAW.test(ctx.localName);
}

// ------------------------------------------------------------------- hooks

function patch(proto, name, make) {
  const d = proto && Object.getOwnPropertyDescriptor(proto, name);
  if (d && typeof d.value === 'function') {
    d.value = make(d.value);
    Object.defineProperty(proto, name, d);
  }
}

function patchAccessor(proto, name, make) {
  const d = proto && Object.getOwnPropertyDescriptor(proto, name);
  if (d && d.set) {
    Object.assign(d, make(d.get, d.set));
    Object.defineProperty(proto, name, d);
  }
}

// The work left for after the insertions in progress (a stack: hooks nest
// when an inserted script inserts in turn); no allocation per call.
const Q = [];

// An insertion method whose node arguments start at `at` (all the rest when
// `variadic`): check them, swap held embeds for placeholders, insert, then
// finish. Returns what the native returns, except that a method returning the
// inserted node returns the page's node rather than our placeholder.
function inserter(at, variadic) {
  return (nat) => function () {
    const args = arguments;
    const mark = Q.length;
    let swapped = null;
    // replaceChild's old child, insertBefore's reference node
    const other = at === 0 && !variadic && args.length > 1 ? args[1] : null;
    if (other) args[1] = stand(other);
    const end = variadic ? args.length : at + 1;
    for (let i = at; i < end; i++) {
      const n = args[i];
      if (n && typeof n === 'object' && n.nodeType) {
        const rep = pre(n, Q);
        if (rep !== n) {
          args[i] = rep;
          swapped = swapped || n;
        }
      }
    }
    let res;
    try {
      res = nat.apply(stand(this), args);
    } finally {
      if (Q.length > mark) post(Q.splice(mark));
    }
    if (other && res === args[1]) return other;
    return swapped && res === args[at] ? swapped : res;
  };
}

// The setter of an attribute (property or setAttribute): returns the value to
// set, or HOLD when the element must not get it now.
function guard(el, a, v) {
  const ln = el.localName;
  const names = URL_ATTRS[ln];
  if (!names || mine.has(el)) return v;
  let r = recs.get(el);
  if (ln === 'script') {
    if (a === 'type' && r && r.state === HELD) {
      r.type = String(v); // locked while held; restored on release
      return HOLD;
    }
    if (a !== 'src' && (el.namespaceURI === HTML_NS || !/href$/.test(a))) return v;
    const n = verdict(v);
    if (n === -1) {
      // A script held for an earlier src and now given an allowed one.
      if (r && r.state === HELD && r.cat === null) {
        if (r.type === null) nRemAttr.call(el, 'type');
        else nSetAttr.call(el, 'type', r.type);
        forget(r);
      }
    } else if (!r) {
      r = hold(el, n);
      r.type = attr(el, 'type');
      nSetAttr.call(el, 'type', 'text/plain');
    }
    return v;
  }
  if (a === 'srcdoc') return ln === 'iframe' && RISKY.test(v) ? trusted('HTML', rewrite(String(v))) : v;
  if (!names.includes(a) || (ln === 'link' && !PRELOAD.test(attr(el, 'rel') || ''))) return v;
  const n = attrVerdict(a, v);
  if (n === -1) {
    if (r && r.urls) delete r.urls[a];
    return v;
  }
  if (!r) r = hold(el, n);
  else if (r.state === LIVE) {
    r.state = HELD;
    r.n = n;
  }
  (r.urls = r.urls || {})[a] = String(v);
  if (FRAMED[ln] && el.isConnected) placehold(r);
  return HOLD;
}

const PROPS = {
  HTMLScriptElement: ['src', 'type'],
  HTMLIFrameElement: ['src', 'srcdoc'],
  HTMLImageElement: ['src', 'srcset'],
  HTMLSourceElement: ['src', 'srcset'],
  HTMLLinkElement: ['href', 'imageSrcset'],
  HTMLEmbedElement: ['src'],
  HTMLObjectElement: ['data'],
  HTMLMediaElement: ['src'],
  HTMLVideoElement: ['poster'],
};

function blocked() {
  return Promise.reject(new TypeError('Failed to fetch'));
}

// Connections that stay open, to a held host: the constructor returns an
// object that never connects and fails the way a refused connection does,
// without any request. The constructors are synchronous, so while the table
// is still loading the answer cannot wait for it: undecided fails too.
const CONNECTIONS = {
  // ws: and wss: are decided as the http: and https: URLs of the same host.
  WebSocket: { http: (u) => String(u).replace(/^\s*ws(s?):/i, 'http$1:'), closed: 3, socket: true },
  EventSource: { http: String, closed: 2, socket: false },
};

function holdConnections(win) {
  for (const name of Object.keys(CONNECTIONS)) {
    const Nat = win[name];
    if (typeof Nat !== 'function') continue;
    const kind = CONNECTIONS[name];
    const Held = function (url) {
      // Without `new`, the native throws its own TypeError.
      if (!new.target) return Nat.apply(this, arguments);
      if (arguments.length && verdict(kind.http(url)) !== -1) return refused(win, Nat, url, kind);
      return Reflect.construct(Nat, arguments, new.target === Held ? Nat : new.target);
    };
    // Real connections keep the native prototype, so instanceof, the
    // constants (WebSocket.OPEN) and subclasses work as before.
    Held.prototype = Nat.prototype;
    Object.setPrototypeOf(Held, Nat);
    Object.defineProperty(Held, 'name', { value: name });
    Object.defineProperty(Nat.prototype, 'constructor', { value: Held, writable: true, configurable: true });
    const d = Object.getOwnPropertyDescriptor(win, name);
    Object.defineProperty(win, name, { ...d, value: Held });
  }
}

// A WebSocket or EventSource that is CONNECTING until the next task, then
// CLOSED after an "error" event (and for a WebSocket a "close" event, code
// 1006): what a page sees when the network refuses the connection. It is a
// real EventTarget with the native prototype; the properties the native
// getters would refuse to read on it are its own.
function refused(win, Nat, url, { closed, socket }) {
  const t = new win.EventTarget();
  Object.setPrototypeOf(t, Nat.prototype);
  let href = String(url);
  try {
    href = new URL(href, D.baseURI).href;
  } catch (e) { /* kept as given */ }
  let state = 0;
  const own = {
    url: { value: href },
    readyState: { get: () => state },
    close: { value() { state = closed; } },
  };
  const handlers = socket ? ['open', 'message', 'error', 'close'] : ['open', 'message', 'error'];
  for (const type of handlers) {
    let fn = null;
    let listener = null;
    own['on' + type] = {
      get: () => fn,
      set(v) {
        if (listener) t.removeEventListener(type, listener);
        fn = typeof v === 'function' ? v : null;
        listener = fn && ((e) => fn.call(t, e));
        if (listener) t.addEventListener(type, listener);
      },
    };
  }
  if (socket) {
    Object.assign(own, {
      protocol: { value: '' },
      extensions: { value: '' },
      bufferedAmount: { value: 0 },
      binaryType: { value: 'blob', writable: true },
      send: {
        value() {
          if (state === 0) throw new win.DOMException('Still in CONNECTING state.', 'InvalidStateError');
        },
      },
    });
  } else {
    own.withCredentials = { value: false };
  }
  Object.defineProperties(t, own);
  setTimeout(() => {
    // An EventSource the page closed first says nothing more, as the native does.
    if (!socket && state === closed) return;
    state = closed;
    t.dispatchEvent(new win.Event('error'));
    if (socket) t.dispatchEvent(new win.CloseEvent('close', { code: 1006, reason: '', wasClean: false }));
  }, 0);
  return t;
}

// Installs every hook into one realm (the page, or a same-origin iframe).
function installRealm(win) {
  let P;
  try {
    if (win !== W && win.consentGuard) return; // it runs its own copy
    P = win.Document.prototype;
  } catch (e) {
    return; // cross-origin
  }
  if (realms.has(P)) return;
  realms.add(P);
  const E = win.Element.prototype;
  const N = win.Node.prototype;

  // Insertion.
  for (const m of ['appendChild', 'insertBefore', 'replaceChild']) patch(N, m, inserter(0));
  for (const p of [E, win.CharacterData.prototype]) {
    for (const m of ['after', 'before', 'replaceWith']) patch(p, m, inserter(0, true));
  }
  for (const p of [E, P, win.DocumentFragment.prototype]) {
    for (const m of ['append', 'prepend', 'replaceChildren']) patch(p, m, inserter(0, true));
  }
  patch(E, 'insertAdjacentElement', inserter(1));
  patch(N, 'removeChild', (nat) => function (child) {
    const s = stand(child);
    const res = nat.call(this, s);
    return s === child ? res : child;
  });
  patch(E, 'remove', (nat) => function () {
    return nat.call(stand(this));
  });
  patch(win.Range.prototype, 'insertNode', inserter(0));
  patch(win.Range.prototype, 'surroundContents', inserter(0));
  // An <img src> created in this document loads at once, even detached:
  // check nodes before they become this document's.
  patch(P, 'adoptNode', (nat) => function (node) {
    if (node && node.nodeType) pre(node, []);
    return nat.apply(this, arguments);
  });
  patch(P, 'importNode', (nat) => function (node, deep) {
    if (!risky(node)) return nat.apply(this, arguments);
    const c = node.cloneNode(!!deep); // a copy in the (inert) source document
    pre(c, []);
    return this.adoptNode(c);
  });
  // createContextualFragment parses into the live document (its scripts run
  // when inserted): parse in an inert document instead, check, then adopt.
  patch(win.Range.prototype, 'createContextualFragment', (nat) => function (v) {
    const c = this.startContainer;
    const doc = c.ownerDocument || c;
    // (During the head's parse there is no body: judge by the root then.)
    if (htmlSafe(c.nodeType === 1 ? c : doc.documentElement, v)) return nat.call(this, v);
    const inert = doc.implementation.createHTMLDocument('');
    const range = inert.createRange();
    range.selectNodeContents(inert.body);
    const f = nat.call(range, v);
    pre(f, []);
    return doc.adoptNode(f);
  });
  // new Audio(url) sets src without the setter.
  const A = win.Audio;
  if (A) {
    const Audio = function Audio(src) {
      const a = new A();
      if (src !== undefined) a.src = src;
      return a;
    };
    Audio.prototype = A.prototype;
    Object.defineProperty(win, 'Audio', { value: Audio, writable: true, configurable: true });
  }

  // Attributes.
  patch(E, 'setAttribute', (nat) => function (name, value) {
    if (URL_ATTRS[this.localName]) {
      const v = guard(this, String(name).toLowerCase(), value);
      if (v === HOLD) return;
      value = v;
    }
    return nat.call(this, name, value);
  });
  patch(E, 'setAttributeNS', (nat) => function (ns, name, value) {
    if (URL_ATTRS[this.localName]) {
      const v = guard(this, String(name).replace(/^.*:/, '').toLowerCase(), value);
      if (v === HOLD) return;
      value = v;
    }
    return nat.call(this, ns, name, value);
  });
  const attrNode = (nat) => function (node) {
    if (node && URL_ATTRS[this.localName]) {
      const v = guard(this, String(node.name).replace(/^.*:/, '').toLowerCase(), node.value);
      if (v === HOLD) return null;
      node.value = v;
    }
    return nat.apply(this, arguments);
  };
  patch(E, 'setAttributeNode', attrNode);
  patch(E, 'setAttributeNodeNS', attrNode);
  patchAccessor(win.Attr.prototype, 'value', (get, set) => ({
    set(v) {
      const el = this.ownerElement;
      if (el && URL_ATTRS[el.localName]) {
        v = guard(el, this.localName.toLowerCase(), v);
        if (v === HOLD) return;
      }
      set.call(this, v);
    },
  }));
  for (const c in PROPS) {
    const proto = win[c] && win[c].prototype;
    for (const prop of PROPS[c]) {
      const a = prop.toLowerCase();
      patchAccessor(proto, prop, (get, set) => ({
        get() {
          // A held URL reads back as if it were set.
          const r = recs.get(this);
          const h = r && r.urls ? r.urls[a] : undefined;
          return h === undefined ? get.call(this) : /srcset$/.test(a) ? h : abs(h);
        },
        set(v) {
          const x = guard(this, a, v);
          if (x !== HOLD) set.call(this, x);
        },
      }));
    }
  }

  // HTML strings: parsed into an inert template, checked, then inserted.
  const html = (set) => function (v) {
    if (htmlSafe(this, v) || this.localName === 'template') return set.call(this, v);
    const [f, q] = parse(this, v);
    nText.call(this, ''); // not innerHTML = '': a Trusted Types sink
    nInsert.call(this, f, null);
    post(q);
  };
  for (const p of [E, win.ShadowRoot && win.ShadowRoot.prototype]) {
    patchAccessor(p, 'innerHTML', (get, set) => ({ set: html(set) }));
    patch(p, 'setHTMLUnsafe', html);
  }
  patchAccessor(E, 'outerHTML', (get, set) => ({
    set(v) {
      const p = this.parentNode;
      if (!p || p.nodeType === 9 || htmlSafe(p.nodeType === 11 ? this : p, v)) return set.call(this, v);
      const [f, q] = parse(p.nodeType === 11 ? this : p, v);
      nReplace.call(p, f, this);
      post(q);
    },
  }));
  patch(E, 'insertAdjacentHTML', (nat) => function (pos, v) {
    const where = String(pos).toLowerCase();
    const outer = where === 'beforebegin' || where === 'afterend';
    const ctx = outer ? this.parentNode : this;
    if (!/^(before|after)(begin|end)$/.test(where) || !ctx || ctx.nodeType !== 1 || htmlSafe(ctx, v)) {
      return nat.call(this, pos, v);
    }
    const [f, q] = parse(ctx, v);
    const ref = where === 'beforebegin' ? this : where === 'afterbegin' ? this.firstChild : where === 'afterend' ? this.nextSibling : null;
    nInsert.call(ctx, f, ref);
    post(q);
  });

  // document.open starts a parser again.
  patch(P, 'open', (nat) => function () {
    const r = nat.apply(this, arguments);
    if (this.readyState === 'loading') watch(this);
    return r;
  });

  // document.write / writeln.
  for (const m of ['write', 'writeln']) {
    patch(P, m, (nat) => function () {
      const text = Array.prototype.join.call(arguments, '');
      const cs = this.currentScript;
      if (cs && mine.has(cs)) return writeAfter(this, cs, text + (m === 'writeln' ? '\n' : ''));
      if (!RISKY.test(text)) return nat.apply(this, arguments);
      const out = rewrite(text);
      return out === text ? nat.apply(this, arguments) : nat.call(this, trusted('HTML', out));
    });
  }

  // Cookies: the getter is the native one; a refused write is dropped.
  const ck = Object.getOwnPropertyDescriptor(P, 'cookie');
  if (ck && ck.set) {
    Object.defineProperty(P, 'cookie', {
      get: ck.get,
      set(v) {
        if (cookieOk(String(v))) ck.set.call(this, v);
      },
      enumerable: ck.enumerable,
      configurable: true,
    });
  }
  patch(win.CookieStore && win.CookieStore.prototype, 'set', (nat) => function (a, b) {
    const o = a && typeof a === 'object' ? a : { name: a, value: b };
    let s = String(o.name) + '=' + String(o.value);
    if (o.domain) s += '; domain=' + o.domain;
    if (o.path) s += '; path=' + o.path;
    if (o.expires != null) s += '; expires=' + new Date(o.expires).toUTCString();
    // Dropped silently: resolves as a successful set would.
    return cookieOk(s) ? nat.apply(this, arguments) : Promise.resolve();
  });

  // Requests to held hosts fail the way a network error does.
  patch(win, 'fetch', (nat) => function (input) {
    const url = input && typeof input === 'object' && typeof input.url === 'string' ? input.url : String(input);
    const args = arguments;
    const go = () => (verdict(url) === -1 ? nat.apply(win, args) : blocked());
    // Undecided only until the table is known: wait for it (fetch is async anyway).
    const n = verdict(url);
    return n === -1 ? nat.apply(win, args) : n === -2 && !settled ? ready.then(go) : blocked();
  });
  patch(win, 'fetchLater', (nat) => function (input) {
    const url = input && typeof input === 'object' && typeof input.url === 'string' ? input.url : String(input);
    if (verdict(url) !== -1) throw new TypeError('Failed to execute fetchLater: held by consent-guard');
    return nat.apply(win, arguments);
  });
  patch(win.XMLHttpRequest.prototype, 'open', (nat) => function (method, url) {
    // A blob: URL that does not exist: the send fails as a network error
    // without any request (error event, status 0; a sync send throws).
    if (verdict(url) !== -1) arguments[1] = 'blob:' + location.origin + '/consent-guard-held';
    return nat.apply(this, arguments);
  });
  patch(win.Navigator.prototype, 'sendBeacon', (nat) => function (url) {
    return verdict(url) === -1 ? nat.apply(this, arguments) : false;
  });
  holdConnections(win);

  watch(win.document);
}

// A same-origin iframe is a realm of its own, with its own prototypes: hook
// it as soon as it exists (synchronously after the insertion) and again on
// each load (a navigation makes a new realm).
function frameRealm(f) {
  if (!f.isConnected) return;
  if (!framesSeen.has(f)) {
    framesSeen.add(f);
    nListen.call(f, 'load', () => frameRealm(f));
  }
  try {
    const w = f.contentWindow;
    if (w) {
      installRealm(w);
      watch(w.document); // a navigation may keep the realm but bring a new document
    }
  } catch (e) { /* cross-origin */ }
}

// ---------------------------------------------------------------- observer

// Parser-inserted elements. MutationObserver callbacks run before the parser
// runs the next script. Script insertions go through the hooks, so the
// observer only runs while a parser does (readyState "loading"): afterwards
// it would only double the cost of every insertion.
function onMutations(list) {
  if (later.length) retryLater();
  const q = [];
  for (let i = 0; i < list.length; i++) {
    const added = list[i].addedNodes;
    for (let j = 0; j < added.length; j++) {
      const n = added[j];
      if (n.nodeType !== 1 || seen.has(n) || phs.has(n)) continue;
      if (cfgWait && n.id === 'consent-guard-config') cfgEl = n;
      place(n, visit(n, q, true));
      if (n.firstElementChild) scanTree(n, q, true);
    }
  }
  post(q);
  if (cfgEl && (cfgEl.nextSibling || D.readyState !== 'loading')) useInline(cfgEl);
}

const observers = new WeakMap(); // document -> its MutationObserver
let observing = 0; // documents being parsed and observed: `seen` matters only then

function watch(doc) {
  let o = observers.get(doc);
  if (!o) {
    o = new MutationObserver(onMutations);
    observers.set(doc, o);
    // The parser is done: handle what it queued, then stop observing.
    nListen.call(doc, 'readystatechange', () => {
      if (doc.readyState !== 'loading' && o.on) {
        const pending = o.takeRecords();
        if (pending.length) onMutations(pending);
        o.disconnect();
        o.on = false;
        observing--;
      }
    });
    // Firefox runs parser scripts on its own schedule: stop held ones here too.
    nListen.call(doc, 'beforescriptexecute', (e) => {
      const el = e.target;
      if (mine.has(el)) return;
      visit(el, [], true);
      const r = recs.get(el);
      if (r && r.state === HELD) e.preventDefault();
    }, true);
  }
  if (doc.readyState === 'loading' && !o.on) {
    o.observe(doc, { childList: true, subtree: true });
    o.on = true;
    observing++;
  }
}

// ------------------------------------------------------------------- table

let cfgWait = false;
let cfgEl = null;

// `source` names the table in the engine's console messages.
function loadTable(text, source) {
  cache.clear();
  ask('load_table', [String(text), source], false);
  settle();
  refresh();
  warnEarly();
}

function failTable(message) {
  cache.clear();
  ask('table_failed', [message]);
  settle();
  refresh();
  early = null;
}

// A table that does not come (a server that never answers) fails nothing by
// itself: everything simply stays held. Say so once it is overdue.
const SLOW_TABLE_MS = 5000;

const INLINE = '<script id="consent-guard-config">';

function useInline(el) {
  cfgWait = false;
  cfgEl = null;
  loadTable(el.textContent, INLINE);
}

// data-config > inline element already there > bundled CONFIG > inline
// element appearing later > none by DOMContentLoaded.
function findTable() {
  const src = ME && attr(ME, 'data-config');
  if (src) {
    const url = abs(src);
    setTimeout(() => {
      if (!settled) console.warn(LOG + 'the cookie table ' + url + ' has not arrived after ' + SLOW_TABLE_MS / 1000 + ' s; until it does, nothing from other sites loads, no marked-up element runs and cookie writes wait');
    }, SLOW_TABLE_MS);
    nFetch.call(W, url, { credentials: 'same-origin' })
      .then((res) => (res.ok ? res.text() : Promise.reject(new Error('HTTP ' + res.status))))
      // Whatever arrived goes to the engine, whose parser says where a text
      // stops being a table (line:column), JSON syntax included.
      .then((text) => loadTable(text, url), (e) => failTable('cannot load the cookie table ' + url + ': ' + ((e && e.message) || e)));
    return;
  }
  const el = D.getElementById('consent-guard-config');
  if (el) loadTable(el.textContent, INLINE);
  else if (CONFIG != null) loadTable(typeof CONFIG === 'string' ? CONFIG : JSON.stringify(CONFIG), 'the table bundled in the script');
  else cfgWait = true;
}

function onReady() {
  if (cfgWait) {
    const el = cfgEl || D.getElementById('consent-guard-config');
    if (el) useInline(el);
    else {
      cfgWait = false;
      failTable('no cookie table: give the consent-guard script a data-config="/cookies.json" attribute, or put <script type="application/json" id="consent-guard-config"> in the page');
    }
  }
  retryLater();
  ask('dom_ready', []);
}

// -------------------------------------------------------------------- boot

// cookieStore fires a change event for every cookie write, and a check reads
// the whole jar. Reading document.cookie is a synchronous round trip to the
// browser's cookie store, which first applies every write still queued: read
// once per event, 10,000 writes in a loop kept the main thread blocked 1-3 s
// after the loop had ended (Chromium 156). So the check waits for the writes
// to stop, JAR_QUIET_MS, and runs at the latest JAR_MAX_WAIT_MS after the
// first change.
const JAR_QUIET_MS = 100;
const JAR_MAX_WAIT_MS = 2000;

// `fn` once calls have stopped for `quietMs`, or `maxMs` after the first call
// it has not run for yet, whichever comes first.
function debounce(fn, quietMs, maxMs) {
  let timer = 0;
  let first = 0;
  const run = () => {
    timer = 0;
    first = 0;
    fn();
  };
  return () => {
    const now = Date.now();
    if (!first) first = now;
    clearTimeout(timer);
    timer = setTimeout(run, Math.max(0, Math.min(quietMs, first + maxMs - now)));
  };
}

// WASM_BYTES holds one character per byte (scripts/assemble.mjs, byteString).
function bytesOf(text) {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

const subs = { __proto__: null, change: [], undeclared: [] };

function emit(type, json) {
  let detail = null;
  try {
    detail = JSON.parse(json);
  } catch (e) { /* null */ }
  for (const cb of (subs[type] || []).slice()) {
    try {
      cb(detail);
    } catch (e) {
      console.error(LOG + 'a "' + type + '" callback threw', e);
    }
  }
  D.dispatchEvent(new CustomEvent('consent-guard:' + type, { detail }));
}

// Google Consent Mode: gtag.js reads `arguments` objects from dataLayer and
// silently ignores arrays, so each command is pushed as a real one. Commands
// sent "at the front" go before whatever the page pushed already (after
// earlier front ones): `consent default` must precede the page's `config`
// even when the table arrived after the page's inline gtag snippet.
let gtagFront = 0;
function argumentsOf() {
  return arguments;
}
function gtag(json, atFront) {
  const layer = (W.dataLayer = W.dataLayer || []);
  if (typeof W.gtag !== 'function') {
    W.gtag = function gtag() {
      layer.push(arguments);
    };
  }
  const args = argumentsOf.apply(null, JSON.parse(json));
  if (atFront) layer.splice(gtagFront++, 0, args);
  else layer.push(args);
}

// What the engine calls (ARCHITECTURE.md "Methods the engine calls on shell").
const shell = {
  gtag,
  refresh,
  releaseHeld(id) {
    const r = holds.get(Number(id));
    if (!r) return;
    if (!r.block || !r.svc) return release(r);
    // "Load this content once" on a held block loads what makes it: the
    // service's held items on this page, in document order, and what its
    // scripts then insert (a widget turning the block into an embed).
    once.add(r.svc);
    refresh();
  },
  writeCookie(s) {
    nCookie.set.call(D, s);
  },
  readCookies() {
    return nCookie.get.call(D);
  },
  emit,
};

function start() {
  let version = '';
  try {
    // Synchronous on purpose: the hooks must be in place before the parser
    // reaches the next element.
    wb.initSync({ module: bytesOf(WASM_BYTES) });
    live = true;
    try {
      version = String(wb.version());
    } catch (e) { /* optional */ }
    wb.boot(shell);
  } catch (e) {
    live = false;
    settle();
    console.error(LOG + 'the engine did not start (' + e + '). Until it can, this page loads nothing from other sites, runs no marked-up script and keeps no cookie but consent_guard; no banner is shown. If the page has a Content-Security-Policy, its script-src must allow \'wasm-unsafe-eval\'.');
  }
  // What the parser put in the page before this script: named once the
  // table is known (warnEarly).
  if (live) early = Array.prototype.filter.call(D.querySelectorAll(SELECTOR), (el) => el !== ME);
  installRealm(W);
  if (live) findTable();

  const api = {
    version,
    show: () => void ask('api_show', []),
    showPreferences: () => void ask('api_show_preferences', []),
    acceptAll: () => void ask('api_accept_all', []),
    rejectAll: () => void ask('api_reject_all', []),
    accept: (categories) => ask('api_accept', [[].concat(categories).map(String)], false) === true,
    // For single-page apps that re-render: refill cookie tables, re-check
    // held items. Nothing is needed after a client-side navigation itself.
    refresh: () => void ask('api_refresh', []),
    consent() {
      const s = ask('api_consent', [], undefined);
      try {
        return typeof s === 'string' ? JSON.parse(s) : null;
      } catch (e) {
        return null;
      }
    },
    on(type, cb) {
      const list = subs[type];
      if (!list) throw new TypeError(LOG + 'unknown event "' + type + '": use "change" or "undeclared"');
      if (typeof cb !== 'function') throw new TypeError(LOG + 'on() needs a function');
      list.push(cb);
      let on = true;
      return () => {
        if (on) {
          on = false;
          const i = list.indexOf(cb);
          if (i >= 0) list.splice(i, 1);
        }
      };
    },
  };
  Object.defineProperty(W, 'consentGuard', { value: Object.freeze(api), enumerable: true });

  const check = () => ask('check_jar', []);
  nListen.call(D, 'visibilitychange', check);
  if (W.cookieStore) nListen.call(W.cookieStore, 'change', debounce(check, JAR_QUIET_MS, JAR_MAX_WAIT_MS));
  if (D.readyState === 'loading') nListen.call(D, 'DOMContentLoaded', onReady);
  else onReady();
}

if (W.consentGuard) {
  console.warn(LOG + 'loaded twice; this copy does nothing (keep one consent-guard script, first in <head>)');
} else {
  start();
}
