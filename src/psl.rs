/*!
The registrable domain ("eTLD+1") of a host: the widest domain a page on
that host may put a cookie on, and so the last parent domain the sweep
tries when it deletes a cookie by name (see `cookie::deletion_variants`).

The public suffix list built in here is deliberately small: every
single-label TLD, plus the ~170 multi-label suffixes a site using us is
likely to sit under (`co.uk`, `com.au`, `github.io`, …; checked against the
full list, including its few `*.` wildcard rules, but none of its `!`
exceptions). The full list would add about 100 KB to every visitor's
download. Small is safe because of how the answer is used:

- a suffix missing here makes the registrable domain one label too short,
  so the sweep also writes `Domain=co.xx`; the browser refuses a cookie on a
  public suffix, so that costs one useless write, never a wrong deletion;
- an entry here only ever stops us writing to that domain, and every entry
  is a real public suffix, where no cookie can live anyway.

Hosts are expected normalised (lower-case ASCII, punycode, no trailing dot);
ASCII case is ignored all the same. Nothing here allocates or panics.
*/
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

/// Multi-label public suffixes, space-separated (one string: no per-entry
/// pointer/length pair in the wasm data). `*.x` means every label under `x`
/// is a public suffix, but not `x` itself.
const SUFFIXES: &str = concat!(
    // ICANN section.
    "ac.uk co.uk gov.uk ltd.uk me.uk net.uk nhs.uk org.uk plc.uk police.uk *.sch.uk ",
    "com.au edu.au gov.au id.au net.au org.au asn.au ",
    "ac.nz co.nz geek.nz govt.nz net.nz org.nz school.nz ",
    "ac.jp ad.jp co.jp ed.jp go.jp gr.jp lg.jp ne.jp or.jp ",
    "com.br edu.br gov.br net.br org.br com.cn edu.cn gov.cn net.cn org.cn ",
    "com.mx edu.mx gob.mx net.mx org.mx ",
    "ac.in co.in firm.in gen.in gov.in ind.in net.in org.in ",
    "ac.za co.za gov.za org.za web.za com.tr edu.tr gen.tr gov.tr net.tr org.tr ",
    "com.sg edu.sg gov.sg net.sg org.sg com.hk edu.hk gov.hk net.hk org.hk ",
    "ac.kr co.kr go.kr ne.kr or.kr re.kr com.tw edu.tw gov.tw idv.tw net.tw org.tw ",
    "com.ar gob.ar net.ar org.ar ac.il co.il gov.il net.il org.il ",
    "co.id or.id ac.id go.id web.id co.th ac.th in.th go.th or.th com.my net.my org.my ",
    "com.ph com.pk com.vn com.ua com.co com.pe com.ve com.ec com.eg com.sa com.ng co.ke ",
    "com.pl net.pl org.pl co.at or.at gv.at com.es org.es gob.es com.gr com.pt com.cy ",
    "com.mt co.ma com.qa com.kw co.ae ac.ae com.lb com.uy com.py com.bo com.do co.cr ",
    "com.gt com.sv *.bd *.er *.fk *.jm *.kh *.mm *.np *.pg ",
    // Private section: shared hosting where each customer gets a subdomain,
    // so a cookie on the parent would be readable by every other customer.
    "github.io gitlab.io herokuapp.com vercel.app netlify.app pages.dev workers.dev ",
    "web.app firebaseapp.com appspot.com blogspot.com cloudfront.net azurewebsites.net",
);

/// Whether a multi-label `domain` is on the built-in list.
fn listed(domain: &str) -> bool {
    let parent = domain.split_once('.').map(|(_, parent)| parent);
    SUFFIXES.split(' ').any(|entry| match entry.strip_prefix("*.") {
        Some(wild) => parent.is_some_and(|p| p.eq_ignore_ascii_case(wild)),
        None => entry.eq_ignore_ascii_case(domain),
    })
}

/// An IPv6 literal, or a host ending in a number (the URL standard's test
/// for an IPv4 address; no TLD is numeric).
fn is_ip(host: &str) -> bool {
    host.starts_with('[')
        || host.contains(':')
        || host
            .rsplit('.')
            .next()
            .is_some_and(|last| !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()))
}

/// A host we can reason about: non-empty, no empty label, not an IP.
fn is_domain(host: &str) -> bool {
    !host.is_empty() && !is_ip(host) && !host.split('.').any(str::is_empty)
}

/// Whether `domain` is a public suffix: a single label (`com`, and also
/// `localhost`), or on the built-in list (`co.uk`, `github.io`). IP
/// addresses and malformed domains are not.
pub fn is_public_suffix(domain: &str) -> bool {
    is_domain(domain) && (!domain.contains('.') || listed(domain))
}

/// The registrable domain of `host`: its public suffix plus one label
/// (`www.example.co.uk` → `example.co.uk`), as a slice of `host`.
///
/// `None` when `host` is itself a public suffix, a single label
/// (`localhost`), an IP address, or malformed (empty, empty label,
/// trailing dot).
pub fn registrable_domain(host: &str) -> Option<&str> {
    if !is_domain(host) {
        return None;
    }
    // Try the suffixes of `host` at each label boundary, longest first; the
    // first public suffix found is the longest one, and the label before it
    // (starting at `previous`) completes the registrable domain.
    let mut previous = None;
    let mut start = 0;
    loop {
        let rest = host.get(start..)?;
        let dot = rest.find('.');
        if dot.is_none() || listed(rest) {
            return host.get(previous?..);
        }
        previous = Some(start);
        start += dot? + 1;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    /// `registrable!(name, [(host, expected), …])`
    macro_rules! registrable {
        ($name:ident, [$(($host:expr, $want:expr)),* $(,)?]) => {
            #[test]
            fn $name() {
                $(assert_eq!(registrable_domain($host), $want, "{:?}", $host);)*
            }
        };
    }

    registrable!(
        single_label_tld,
        [
            ("example.com", Some("example.com")),
            ("www.example.com", Some("example.com")),
            ("a.b.c.example.com", Some("example.com")),
            ("example.test", Some("example.test")),
            ("www.example.test", Some("example.test")),
            ("xn--bcher-kva.example", Some("xn--bcher-kva.example")),
            ("www.example.xn--p1ai", Some("example.xn--p1ai")),
        ]
    );

    registrable!(
        multi_label_suffix,
        [
            ("example.co.uk", Some("example.co.uk")),
            ("www.example.co.uk", Some("example.co.uk")),
            ("shop.www.example.co.uk", Some("example.co.uk")),
            ("bbc.co.uk", Some("bbc.co.uk")),
            ("www.gov.uk", Some("www.gov.uk")),
            ("abc.net.au", Some("abc.net.au")),
            ("www.example.com.br", Some("example.com.br")),
            ("a.example.co.jp", Some("example.co.jp")),
        ]
    );

    registrable!(
        private_suffix,
        [
            ("user.github.io", Some("user.github.io")),
            ("www.user.github.io", Some("user.github.io")),
            ("app.herokuapp.com", Some("app.herokuapp.com")),
            ("x.y.blogspot.com", Some("y.blogspot.com")),
            ("d1234.cloudfront.net", Some("d1234.cloudfront.net")),
        ]
    );

    registrable!(
        wildcard_suffix,
        [
            ("www.school.sch.uk", Some("www.school.sch.uk")),
            ("school.sch.uk", None),
            ("sch.uk", Some("sch.uk")),
            ("www.example.com.np", Some("example.com.np")),
            ("com.np", None),
        ]
    );

    registrable!(
        public_suffix_itself,
        [("com", None), ("co.uk", None), ("CO.UK", None), ("github.io", None), ("uk", None),]
    );

    registrable!(
        not_a_domain,
        [
            ("", None),
            ("localhost", None),
            (".", None),
            ("example.com.", None),
            (".example.com", None),
            ("a..example.com", None),
            ("127.0.0.1", None),
            ("10.1.2.3", None),
            ("[::1]", None),
            ("::1", None),
        ]
    );

    registrable!(
        lookalikes_are_not_suffixes,
        [
            // Only whole labels count: "xco.uk" is a registrable domain under uk.
            ("xco.uk", Some("xco.uk")),
            ("www.xco.uk", Some("xco.uk")),
            ("co.uk.evil.net", Some("evil.net")),
            ("github.io.example.com", Some("example.com")),
            ("1.example.com", Some("example.com")),
            ("example.123a", Some("example.123a")),
        ]
    );

    registrable!(case_is_ignored, [("WWW.Example.Co.Uk", Some("Example.Co.Uk")),]);

    #[test]
    fn is_public_suffix_cases() {
        for (domain, want) in [
            ("com", true),
            ("localhost", true),
            ("co.uk", true),
            ("Co.UK", true),
            ("github.io", true),
            ("school.sch.uk", true),
            ("sch.uk", false),
            ("example.com", false),
            ("example.co.uk", false),
            ("uk.co", false),
            ("", false),
            (".", false),
            ("co..uk", false),
            ("127.0.0.1", false),
            ("[::1]", false),
        ] {
            assert_eq!(is_public_suffix(domain), want, "{domain:?}");
        }
    }

    #[test]
    fn list_is_well_formed() {
        let entries: Vec<&str> = SUFFIXES.split(' ').collect();
        for entry in &entries {
            let name = entry.strip_prefix("*.").unwrap_or(entry);
            assert!(name.contains('.') || entry.starts_with("*."), "{entry:?} is single-label");
            assert!(!name.is_empty() && !name.split('.').any(str::is_empty), "{entry:?}");
            assert!(
                name.bytes().all(|b| b.is_ascii_lowercase() || b == b'.'),
                "{entry:?} is not lower-case ASCII"
            );
            assert!(is_public_suffix(name) || entry.starts_with("*."), "{entry:?}");
        }
        let mut sorted = entries.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), entries.len(), "duplicate entries");
        // The cases the design relies on by name.
        for needed in ["co.uk", "org.uk", "com.au", "co.jp", "github.io", "azurewebsites.net"] {
            assert!(entries.contains(&needed), "{needed}");
        }
    }
}
