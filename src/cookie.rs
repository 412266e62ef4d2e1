/*!
`document.cookie` strings: the ones scripts write (to tell which cookie a
write sets and whether it deletes one), the one the browser gives back (the
jar), and the ones we write to delete a cookie we only know by name.

Parsing follows the browser (RFC 6265bis §5.6, "the Set-Cookie header"
algorithm that `document.cookie` writes go through), not a stricter
grammar: whatever name the browser would store, [`parse_write`] reports, so
the guard decides on the cookie that would really be set. Deletion strings
are built from the rules measured in BROWSER-FACTS.md (a cookie is only
removed by a write with its exact domain shape and path). Nothing here
panics on any input; parsing borrows from the input and does not allocate.
*/
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use crate::psl;
use crate::time;

/// A string written to `document.cookie`, as the browser reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CookieWrite<'a> {
    /// The cookie name: before the first `=` of the part before the first
    /// `;`, spaces and tabs trimmed. Empty when there is no `=` (the
    /// browser then stores a cookie with an empty name and this value).
    pub name: &'a str,
    /// The value, trimmed the same way; quotes are kept.
    pub value: &'a str,
    /// The last `Domain` attribute, one leading dot stripped, as written
    /// (compare case-insensitively). `None` when absent or empty: a
    /// host-only cookie.
    pub domain: Option<&'a str>,
    /// The last `Path` attribute starting with `/`. `None` when absent or
    /// not starting with `/`: the browser uses the page's default path.
    pub path: Option<&'a str>,
    /// The last valid `Max-Age` in seconds (saturating), which takes
    /// precedence over `Expires`.
    pub max_age: Option<i64>,
    /// The last valid `Expires`, in Unix seconds.
    pub expires: Option<i64>,
    /// `Secure` was given.
    pub secure: bool,
    /// `HttpOnly` was given (the browser then ignores a script's write).
    pub http_only: bool,
    /// The last `SameSite` value, as written.
    pub same_site: Option<&'a str>,
    /// `Partitioned` was given.
    pub partitioned: bool,
    /// The browser ignores this write entirely: it has a control character
    /// other than tab, an empty name and value, a name and value over 4096
    /// bytes together, or `HttpOnly` (not settable from script). Such a
    /// write sets and deletes nothing. Cookie-prefix (`__Host-`,
    /// `__Secure-`) rules are not checked.
    pub ignored: bool,
}

/// Spaces and tabs, the whitespace the cookie algorithms trim.
fn trim_wsp(s: &str) -> &str {
    s.trim_matches([' ', '\t'])
}

/// `Max-Age`: an optional `-` then at least one digit, nothing else.
fn parse_max_age(value: &str) -> Option<i64> {
    let (negative, digits) = match value.strip_prefix('-') {
        Some(digits) => (true, digits),
        None => (false, value),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = digits
        .bytes()
        .fold(0i64, |acc, b| acc.saturating_mul(10).saturating_add(i64::from(b - b'0')));
    Some(if negative { -n } else { n })
}

/// Parses a string written to `document.cookie` the way the browser does
/// (RFC 6265bis §5.6): name and value split at the first `=` before the
/// first `;` and trimmed; attributes matched case-insensitively, the last
/// valid one of each kind winning; an attribute value over 1024 bytes is
/// skipped; `Expires` read with the cookie-date algorithm.
pub fn parse_write(s: &str) -> CookieWrite<'_> {
    let (pair, attributes) = s.split_once(';').unwrap_or((s, ""));
    let (name, value) = pair.split_once('=').unwrap_or(("", pair));
    let (name, value) = (trim_wsp(name), trim_wsp(value));
    let mut write = CookieWrite { name, value, ..CookieWrite::default() };
    let has_control = s.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7F);
    write.ignored =
        has_control || (name.is_empty() && value.is_empty()) || name.len() + value.len() > 4096;
    if attributes.is_empty() {
        return write;
    }
    for attribute in attributes.split(';') {
        let (key, value) = attribute.split_once('=').unwrap_or((attribute, ""));
        let (key, value) = (trim_wsp(key), trim_wsp(value));
        if value.len() > 1024 {
            continue;
        }
        let is = |name: &str| key.eq_ignore_ascii_case(name);
        if is("expires") {
            if let Some(at) = time::parse_cookie_date(value) {
                write.expires = Some(at);
            }
        } else if is("max-age") {
            if let Some(age) = parse_max_age(value) {
                write.max_age = Some(age);
            }
        } else if is("domain") {
            let domain = value.strip_prefix('.').unwrap_or(value);
            write.domain = (!domain.is_empty()).then_some(domain);
        } else if is("path") {
            write.path = value.starts_with('/').then_some(value);
        } else if is("secure") {
            write.secure = true;
        } else if is("httponly") {
            write.http_only = true;
        } else if is("samesite") {
            write.same_site = Some(value);
        } else if is("partitioned") {
            write.partitioned = true;
        }
    }
    write.ignored |= write.http_only;
    write
}

impl CookieWrite<'_> {
    /// Whether this write removes the cookie rather than sets it, at Unix
    /// time `now`: `Max-Age` of zero or less, or, without `Max-Age`, an
    /// `Expires` at or before `now`.
    pub fn is_deletion(&self, now: i64) -> bool {
        match self.max_age {
            Some(age) => age <= 0,
            None => self.expires.is_some_and(|at| at <= now),
        }
    }
}

/// The `(name, value)` pairs of the string `document.cookie` reads
/// (`"a=1; b=2; c"`), in the browser's order. A part without `=` is a
/// cookie with an empty name (`("", "c")`), which is how the browser shows
/// one; empty parts are skipped.
pub fn parse_jar(s: &str) -> impl Iterator<Item = (&str, &str)> {
    s.split(';').map(trim_wsp).filter(|part| !part.is_empty()).map(|part| {
        let (name, value) = part.split_once('=').unwrap_or(("", part));
        (trim_wsp(name), trim_wsp(value))
    })
}

/// What every deletion write starts with after `name=`.
const DELETE: &str = "; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT";

/// Whether a `Path` or `Domain` attribute value can be written at all: the
/// browser would cut it at `;`, ignore the whole write for a control
/// character, and skip an attribute value over 1024 bytes.
fn writable(value: &str) -> bool {
    value.len() <= 1024 && !value.bytes().any(|b| b == b';' || b < 0x20 || b == 0x7F)
}

/// The paths a cookie visible at `path` can have, as `Path` attribute
/// values; `None` stands for "no `Path`" (the default path). See
/// [`deletion_variants`].
fn cookie_paths<'a>(path: &'a str) -> Vec<Option<&'a str>> {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let path = if path.starts_with('/') { path } else { "/" };
    // RFC 6265bis §5.1.4: up to, not including, the last '/'; "/" if that
    // is the first character.
    let default = match path.rfind('/') {
        Some(0) | None => "/",
        Some(last) => path.get(..last).unwrap_or("/"),
    };
    let mut out = vec![None];
    let mut add = |candidate: Option<&'a str>| {
        if let Some(p) = candidate {
            if p != default && writable(p) && !out.contains(&Some(p)) {
                out.push(Some(p));
            }
        }
    };
    // The levels nearest the root are where sites set cookies; a deeper
    // path adds two writes per level, so stop after MAX_PATH_LEVELS.
    for (slash, _) in path.match_indices('/').take(MAX_PATH_LEVELS) {
        if slash > 0 {
            add(path.get(..slash));
        }
        add(path.get(..=slash));
    }
    add(Some(path));
    out
}

/// Ancestor directories of the page's path tried by a sweep (each with and
/// without a trailing slash). Bounds the writes for hostile or odd paths.
const MAX_PATH_LEVELS: usize = 16;

/// Parent domains tried by a sweep, besides the host-only write. Real hosts
/// have a handful; this bounds the writes for a hostile one.
const MAX_DOMAIN_LEVELS: usize = 10;

/// The strings to write to `document.cookie` to delete every cookie called
/// `name` that a page at `host` + `path` can reach.
///
/// `host` is `location.hostname` (normalised), `path` is
/// `location.pathname`, and `secure` says the page is https: then each
/// write carries `Secure`, which `__Secure-` and `__Host-` cookies need
/// (an http page cannot write it, and cannot touch those cookies at all).
///
/// A cookie is removed only by a write naming its exact domain shape and
/// path (BROWSER-FACTS.md), so this is every combination of
///
/// - domains: no `Domain` (the host-only cookie), then the host and each
///   parent down to and including its registrable domain
///   (`psl::registrable_domain`), never a public suffix. A host without a
///   registrable domain (IP address, `localhost`, a public suffix) only gets
///   the no-`Domain` write: the browser treats `Domain=<that host>` as
///   host-only or refuses it;
/// - paths: no `Path` (the page's default path, `/a/b` for
///   `/a/b/page.html`), `/`, each ancestor directory with and without its
///   trailing slash, and the page path itself. The explicit form of the
///   default path is left out since the no-`Path` write already covers it;
///   the page path is kept, since a cookie can be set with `Path` equal to
///   it. Paths (and domains) the browser could not take (`;`, control
///   characters, over 1024 bytes) are skipped.
///
/// So `www.example.test` + `/a/b/page.html` gives 3 domains (none,
/// `www.example.test`, `example.test`) × 6 paths (none, `/`, `/a`, `/a/`,
/// `/a/b/`, `/a/b/page.html`) = 18 writes, domain-major. A `__Host-` name
/// gets the one write such a cookie can have (no `Domain`, `Path=/`). A
/// name no write can carry (empty, or with `=`, `;`, surrounding spaces or
/// a control character) gets none.
pub fn deletion_variants(name: &str, host: &str, path: &str, secure: bool) -> Vec<String> {
    if name.is_empty()
        || trim_wsp(name) != name
        || name.bytes().any(|b| b == b'=' || b == b';' || b < 0x20 || b == 0x7F)
    {
        return Vec::new();
    }
    let host_prefixed = name.get(..7).is_some_and(|p| p.eq_ignore_ascii_case("__Host-"));
    let mut domains = vec![None];
    let paths = if host_prefixed { vec![Some("/")] } else { cookie_paths(path) };
    if let (false, Some(registrable)) = (host_prefixed, psl::registrable_domain(host)) {
        let mut domain = host;
        loop {
            // A URL host may hold `;` (the URL standard allows it): such a
            // Domain would be cut short and name another domain.
            if writable(domain) {
                domains.push(Some(domain));
            }
            match domain.split_once('.') {
                Some((_, parent)) if domain.len() > registrable.len() => domain = parent,
                _ => break,
            }
        }
        // Keep the host's side and always the registrable domain, where
        // trackers most often set their cookies.
        if domains.len() > MAX_DOMAIN_LEVELS + 1 {
            let last = domains.pop().flatten();
            domains.truncate(MAX_DOMAIN_LEVELS);
            domains.push(last);
        }
    }
    let mut out = Vec::with_capacity(domains.len() * paths.len());
    for domain in &domains {
        for path in &paths {
            let mut write = String::with_capacity(name.len() + DELETE.len() + 64);
            write.push_str(name);
            write.push('=');
            write.push_str(DELETE);
            if let Some(domain) = domain {
                write.push_str("; Domain=");
                write.push_str(domain);
            }
            if let Some(path) = path {
                write.push_str("; Path=");
                write.push_str(path);
            }
            if secure {
                write.push_str("; Secure");
            }
            out.push(write);
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_885_200; // 2026-11-28T17:00:00Z

    /// `name_value!(name, "written", "cookie name", "value", ignored)`
    macro_rules! name_value {
        ($name:ident, $written:expr, $cookie:expr, $value:expr, $ignored:expr) => {
            #[test]
            fn $name() {
                let w = parse_write($written);
                assert_eq!(
                    (w.name, w.value, w.ignored),
                    ($cookie, $value, $ignored),
                    "{:?}",
                    $written
                );
            }
        };
    }

    name_value!(nv_plain, "a=1", "a", "1", false);
    name_value!(nv_trimmed, " \ta = 1 \t; Path=/", "a", "1", false);
    name_value!(nv_inner_space_kept, "a b=c d", "a b", "c d", false);
    name_value!(nv_first_equals_splits, "a=b=c", "a", "b=c", false);
    name_value!(nv_no_equals_is_empty_name, "PHPSESSID", "", "PHPSESSID", false);
    name_value!(nv_no_equals_with_attributes, "tracker; Max-Age=60", "", "tracker", false);
    name_value!(nv_leading_equals, "=a", "", "a", false);
    name_value!(nv_empty_value, "a=", "a", "", false);
    name_value!(nv_equals_after_semicolon, "a;b=c", "", "a", false);
    name_value!(nv_quotes_kept, "a=\"x y\"", "a", "\"x y\"", false);
    name_value!(nv_unicode, "größe=ü", "größe", "ü", false);
    name_value!(nv_empty_is_ignored, "", "", "", true);
    name_value!(nv_lone_equals_is_ignored, "=", "", "", true);
    name_value!(nv_only_attributes_is_ignored, "; Path=/", "", "", true);
    name_value!(nv_control_char_is_ignored, "a=1\nb=2", "a", "1\nb=2", true);
    name_value!(nv_control_in_attribute_is_ignored, "a=1; Path=/\u{0}", "a", "1", true);
    name_value!(nv_del_is_ignored, "a=1\u{7f}", "a", "1\u{7f}", true);
    name_value!(nv_tab_is_fine, "a=1\t2", "a", "1\t2", false);
    name_value!(nv_httponly_is_ignored, "a=1; HttpOnly", "a", "1", true);

    #[test]
    fn nv_size_limit() {
        let fits = format!("{}={}", "n".repeat(96), "v".repeat(4000));
        assert!(!parse_write(&fits).ignored);
        let over = format!("{}={}", "n".repeat(97), "v".repeat(4000));
        assert!(parse_write(&over).ignored);
    }

    #[test]
    fn attributes_are_case_insensitive() {
        let w = parse_write(
            "id=7; DOMAIN=.Example.com; pAtH=/x; MAX-AGE=10; EXPIRES=Thu, 01 Jan 1970 00:00:00 GMT; \
             SECURE; httponly; SameSite=Lax; PARTITIONED",
        );
        assert_eq!(
            w,
            CookieWrite {
                name: "id",
                value: "7",
                domain: Some("Example.com"),
                path: Some("/x"),
                max_age: Some(10),
                expires: Some(0),
                secure: true,
                http_only: true,
                same_site: Some("Lax"),
                partitioned: true,
                ignored: true,
            }
        );
    }

    #[test]
    fn attribute_whitespace_and_empty_parts() {
        let w = parse_write("a=1;Path=/p;  Domain = example.com ;;; ; Secure ;");
        assert_eq!((w.path, w.domain, w.secure), (Some("/p"), Some("example.com"), true));
        let w = parse_write("a=1; Secure=yes; Unknown=1; Comment=x");
        assert!(w.secure);
    }

    #[test]
    fn domain_rules() {
        for (written, want) in [
            ("a=1", None),
            ("a=1; Domain=example.com", Some("example.com")),
            ("a=1; Domain=.example.com", Some("example.com")),
            ("a=1; Domain=..example.com", Some(".example.com")),
            ("a=1; Domain=", None),
            ("a=1; Domain=.", None),
            ("a=1; Domain", None),
            ("a=1; Domain=a.com; Domain=b.com", Some("b.com")),
            ("a=1; Domain=a.com; Domain=", None),
        ] {
            assert_eq!(parse_write(written).domain, want, "{written:?}");
        }
    }

    #[test]
    fn path_rules() {
        for (written, want) in [
            ("a=1", None),
            ("a=1; Path=/", Some("/")),
            ("a=1; Path=/a/b/", Some("/a/b/")),
            ("a=1; Path=", None),
            ("a=1; Path=a/b", None),
            ("a=1; Path=/a; Path=/b", Some("/b")),
            ("a=1; Path=/a; Path=x", None),
        ] {
            assert_eq!(parse_write(written).path, want, "{written:?}");
        }
        let long = format!("a=1; Path=/ok; Path=/{}", "x".repeat(1024));
        assert_eq!(parse_write(&long).path, Some("/ok"));
    }

    #[test]
    fn max_age_rules() {
        for (written, want) in [
            ("a=1; Max-Age=0", Some(0)),
            ("a=1; Max-Age=60", Some(60)),
            ("a=1; Max-Age=-1", Some(-1)),
            ("a=1; Max-Age=-0", Some(0)),
            ("a=1; Max-Age=007", Some(7)),
            ("a=1; Max-Age=", None),
            ("a=1; Max-Age=-", None),
            ("a=1; Max-Age=+5", None),
            ("a=1; Max-Age=5s", None),
            ("a=1; Max-Age=1e3", None),
            ("a=1; Max-Age=- 1", None),
            ("a=1; Max-Age=60; Max-Age=x", Some(60)),
            ("a=1; Max-Age=60; Max-Age=0", Some(0)),
            ("a=1; Max-Age=99999999999999999999999", Some(i64::MAX)),
            ("a=1; Max-Age=-99999999999999999999999", Some(-i64::MAX)),
        ] {
            assert_eq!(parse_write(written).max_age, want, "{written:?}");
        }
    }

    #[test]
    fn expires_rules() {
        for (written, want) in [
            ("a=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT", Some(0)),
            ("a=1; expires=Sat, 28-Nov-2026 17:00:00 GMT", Some(NOW)),
            ("a=1; Expires=never", None),
            ("a=1; Expires=", None),
            ("a=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Expires=bad", Some(0)),
        ] {
            assert_eq!(parse_write(written).expires, want, "{written:?}");
        }
    }

    #[test]
    fn is_deletion_cases() {
        for (written, want) in [
            ("a=1", false),
            ("a=; Max-Age=0", true),
            ("a=; Max-Age=-1", true),
            ("a=1; Max-Age=1", false),
            ("a=; Expires=Thu, 01 Jan 1970 00:00:00 GMT", true),
            ("a=; Expires=Sat, 28 Nov 2026 17:00:00 GMT", true), // == now
            ("a=; Expires=Sat, 28 Nov 2026 17:00:01 GMT", false),
            // Max-Age wins over Expires, in either order.
            ("a=1; Max-Age=60; Expires=Thu, 01 Jan 1970 00:00:00 GMT", false),
            ("a=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=60", false),
            ("a=1; Max-Age=0; Expires=Fri, 01 Jan 2100 00:00:00 GMT", true),
            // An invalid Max-Age does not hide a past Expires.
            ("a=1; Max-Age=soon; Expires=Thu, 01 Jan 1970 00:00:00 GMT", true),
            ("a=1; Expires=garbage", false),
        ] {
            assert_eq!(parse_write(written).is_deletion(NOW), want, "{written:?}");
        }
    }

    #[test]
    fn parse_jar_cases() {
        let jar = |s| parse_jar(s).collect::<Vec<_>>();
        assert_eq!(jar("a=1; b=2; c"), [("a", "1"), ("b", "2"), ("", "c")]);
        assert_eq!(jar(""), []);
        assert_eq!(jar("  ;; "), []);
        assert_eq!(jar("a=1;b=2"), [("a", "1"), ("b", "2")]);
        assert_eq!(jar("a=; b=x=y"), [("a", ""), ("b", "x=y")]);
        assert_eq!(
            jar("_ga=GA1.1.123.456; _ga_ABC=GS1.1"),
            [("_ga", "GA1.1.123.456"), ("_ga_ABC", "GS1.1")]
        );
        assert_eq!(jar("a=1; a=2"), [("a", "1"), ("a", "2")]);
        assert_eq!(jar("a=hello world"), [("a", "hello world")]);
    }

    const EPOCH: &str = "Thu, 01 Jan 1970 00:00:00 GMT";

    fn expected(name: &str, domain: Option<&str>, path: Option<&str>, secure: bool) -> String {
        let mut s = format!("{name}=; Max-Age=0; Expires={EPOCH}");
        if let Some(d) = domain {
            s += &format!("; Domain={d}");
        }
        if let Some(p) = path {
            s += &format!("; Path={p}");
        }
        if secure {
            s += "; Secure";
        }
        s
    }

    #[test]
    fn deletion_constant_is_the_epoch() {
        assert_eq!(time::format_http_date(0), EPOCH);
        assert!(DELETE.ends_with(EPOCH));
    }

    #[test]
    fn deletion_browser_facts_example_is_18_writes() {
        let got = deletion_variants("_ga", "www.example.test", "/a/b/page.html", false);
        let mut want = Vec::new();
        for domain in [None, Some("www.example.test"), Some("example.test")] {
            for path in
                [None, Some("/"), Some("/a"), Some("/a/"), Some("/a/b/"), Some("/a/b/page.html")]
            {
                want.push(expected("_ga", domain, path, false));
            }
        }
        assert_eq!(got, want);
        assert_eq!(got.len(), 18);
    }

    #[test]
    fn deletion_secure_pages_add_secure() {
        let got = deletion_variants("__Secure-id", "www.example.test", "/a/b/page.html", true);
        assert_eq!(got.len(), 18);
        assert!(got.iter().all(|w| w.ends_with("; Secure")));
        assert_eq!(got[0], expected("__Secure-id", None, None, true));
    }

    #[test]
    fn deletion_host_prefix_has_one_shape() {
        for name in ["__Host-session", "__host-session", "__HOST-x"] {
            let got = deletion_variants(name, "www.example.test", "/a/b/page.html", true);
            assert_eq!(got, [expected(name, None, Some("/"), true)], "{name}");
        }
    }

    /// `domains!(name, host, [expected Domain values after "none"])`,
    /// checked on the root path, where there is one path (none).
    macro_rules! domains {
        ($name:ident, $host:expr, [$($domain:expr),* $(,)?]) => {
            #[test]
            fn $name() {
                let got = deletion_variants("c", $host, "/", false);
                #[allow(unused_mut)]
                let mut want = vec![expected("c", None, None, false)];
                $(want.push(expected("c", Some($domain), None, false));)*
                assert_eq!(got, want, "{:?}", $host);
            }
        };
    }

    domains!(domains_registrable_host_deduplicated, "example.test", ["example.test"]);
    domains!(domains_subdomain, "www.example.com", ["www.example.com", "example.com"]);
    domains!(domains_deep, "a.b.example.com", ["a.b.example.com", "b.example.com", "example.com"]);
    domains!(domains_never_co_uk, "www.example.co.uk", ["www.example.co.uk", "example.co.uk"]);
    domains!(domains_never_github_io, "www.me.github.io", ["www.me.github.io", "me.github.io"]);
    domains!(domains_ipv4_host_only, "127.0.0.1", []);
    domains!(domains_ipv6_host_only, "[::1]", []);
    domains!(domains_localhost_host_only, "localhost", []);
    domains!(domains_public_suffix_host_only, "github.io", []);
    domains!(domains_empty_host, "", []);
    // Found by the `deletion` fuzz target: a URL host may contain ';'
    // ("https://x.a;b.example/"); `Domain=x.a;b.example` would be cut at ';'.
    domains!(domains_unwritable_skipped, "x.a;b.example.com", ["example.com"]);

    /// `paths!(name, page path, [expected Path values after "none"])`, on a
    /// host with one domain shape.
    macro_rules! paths {
        ($name:ident, $path:expr, [$($p:expr),* $(,)?]) => {
            #[test]
            fn $name() {
                let got = deletion_variants("c", "localhost", $path, false);
                #[allow(unused_mut)]
                let mut want = vec![expected("c", None, None, false)];
                $(want.push(expected("c", None, Some($p), false));)*
                assert_eq!(got, want, "{:?}", $path);
            }
        };
    }

    paths!(paths_root, "/", []);
    paths!(paths_empty, "", []);
    paths!(paths_relative_is_root, "page.html", []);
    paths!(paths_file_at_root, "/page.html", ["/page.html"]);
    paths!(paths_one_dir_no_slash, "/a", ["/a"]);
    paths!(paths_one_dir_slash, "/a/", ["/", "/a/"]);
    paths!(paths_nested_dir_slash, "/a/b/", ["/", "/a", "/a/", "/a/b/"]);
    paths!(paths_nested_file, "/a/b/page.html", ["/", "/a", "/a/", "/a/b/", "/a/b/page.html"]);
    paths!(paths_query_and_fragment_cut, "/a/p?x=/y#/z", ["/", "/a/", "/a/p"]);
    paths!(paths_double_slash, "/a//b", ["/", "/a", "/a//", "/a//b"]);
    paths!(paths_semicolon_unwritable, "/a;x/b/p", ["/"]);
    paths!(paths_percent_encoded_kept, "/%C3%A4/p", ["/", "/%C3%A4/", "/%C3%A4/p"]);

    #[test]
    fn deletion_unwritable_names_get_nothing() {
        for name in ["", "a=b", "a;b", " a", "a ", "a\tb", "a\nb", "a\u{0}"] {
            assert!(deletion_variants(name, "www.example.com", "/", true).is_empty(), "{name:?}");
        }
    }

    #[test]
    fn deletion_writes_parse_back_as_deletions_of_that_cookie() {
        let writes = deletion_variants("_ga_X1", "shop.www.example.co.uk", "/a/b/c.html", true);
        assert_eq!(writes.len(), 4 * 6);
        for write in &writes {
            let w = parse_write(write);
            assert_eq!((w.name, w.value, w.ignored, w.secure), ("_ga_X1", "", false, true));
            assert!(w.is_deletion(NOW), "{write}");
            assert_eq!(w.max_age, Some(0));
            assert_ne!(w.domain, Some("co.uk"));
            assert!(w.domain.is_none_or(|d| d.ends_with("example.co.uk")), "{write}");
        }
        let mut unique = writes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), writes.len());
    }

    #[test]
    fn hostile_depth_is_bounded() {
        let host = format!("{}example.com", "a.".repeat(100));
        let path = "/x".repeat(400);
        let writes = deletion_variants("n", &host, &path, false);
        assert!(
            writes.len() <= (MAX_DOMAIN_LEVELS + 1) * (2 * MAX_PATH_LEVELS + 3),
            "{}",
            writes.len()
        );
        assert!(writes
            .iter()
            .any(|w| w.contains("; Domain=example.com;") || w.ends_with("; Domain=example.com")));
        assert!(writes.iter().any(|w| w.ends_with("; Path=/")));
    }

    #[test]
    fn no_panic_on_odd_input() {
        for s in [
            "",
            ";",
            "=",
            ";=;",
            "\u{0}",
            "ü=ü; Domain=ü; Path=/ü; Max-Age=ü",
            "a=1; Expires=\u{ff}",
        ] {
            let _ = parse_write(s);
            let _ = parse_jar(s).count();
            let _ = deletion_variants(s, s, s, true);
        }
        let long = "/".repeat(3000);
        assert!(deletion_variants("c", "example.com", &long, false).len() <= 2 * 2048);
    }
}
