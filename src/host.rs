/*!
Hosts: the ones people write in the cookie table, the ones in URLs the page
loads, and matching the second against the first.

Both kinds end up in one canonical form — lower-case ASCII, IDN labels as
punycode (`xn--…`), no trailing dot, IPv4 as dotted decimal — so matching is
a byte comparison on whole labels: `youtube.com` matches `youtube.com` and
`www.youtube.com`, never `evil-youtube.com`.

Table hosts are validated strictly, with an error a person can act on.
URL hosts are read the way a browser's URL parser reads them (WHATWG URL
standard, with a small subset of UTS 46 mapping: Unicode lower-casing,
full-width ASCII, ideographic full stops, soft hyphens); a URL the browser
would not fetch gives `None`. Nothing here panics on any input.
*/
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::borrow::Cow;

use thiserror::Error;

/// Why a host in the cookie table is not a host. Each variant carries the
/// host as written.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum HostError {
    /// Nothing was written.
    #[error("host is empty")]
    Empty,
    /// `https://example.com`
    #[error("host {} has a scheme; write only the host name, like \"example.com\"", crate::json::Quoted(.0))]
    Scheme(String),
    /// `user@example.com`
    #[error("host {} has user info before '@'; write only the host name", crate::json::Quoted(.0))]
    Userinfo(String),
    /// `example.com/path`, `example.com?q`
    #[error("host {} has a path, query or fragment; write only the host name", crate::json::Quoted(.0))]
    Path(String),
    /// `example.com:443`
    #[error("host {} has a port; leave it out, a host matches on every port", crate::json::Quoted(.0))]
    Port(String),
    /// `*.example.com`
    #[error(
        "host {} has a wildcard; write the domain alone, \
         it already matches all its subdomains"
    , crate::json::Quoted(.0))]
    Wildcard(String),
    /// `.example.com`
    #[error(
        "host {} starts with a dot; write the domain alone, \
         it already matches all its subdomains"
    , crate::json::Quoted(.0))]
    LeadingDot(String),
    /// `a..example.com`
    #[error("host {} has an empty label (two dots in a row)", crate::json::Quoted(.0))]
    EmptyLabel(String),
    /// A label over 63 bytes (after punycode).
    #[error("host {} has a label longer than 63 bytes", crate::json::Quoted(.0))]
    LabelTooLong(String),
    /// A host over 253 bytes (after punycode).
    #[error("host {} is longer than 253 bytes", crate::json::Quoted(.0))]
    TooLong(String),
    /// A character outside letters, digits and `-` (`_` and spaces included).
    #[error("host {} contains {}, which a host name cannot contain", crate::json::Quoted(.0), crate::json::QuotedChar(*.1))]
    InvalidChar(String, char),
    /// `-example.com`, `example-.com`
    #[error("host {} has a label that starts or ends with '-'", crate::json::Quoted(.0))]
    Hyphen(String),
    /// `1.2.3`, `1.2.3.256`, `01.2.3.4`
    #[error(
        "host {} ends in a number but is not an IPv4 address \
         (four numbers 0-255 without leading zeros)"
    , crate::json::Quoted(.0))]
    BadIpv4(String),
    /// `[::1]`
    #[error("host {} is an IPv6 address, which the cookie table does not support", crate::json::Quoted(.0))]
    Ipv6(String),
}

/// Lower-case a non-ASCII letter of a host name written in a table.
///
/// Covers the scripts domain names are mostly written in — Latin-1, Latin
/// Extended-A, Greek and Cyrillic capitals; other characters are kept as
/// written. `char::to_lowercase` would be exact, but brings an 11 KB table
/// into every visitor's download, for a case (capital letters in a non-ASCII
/// host typed into a cookie table) that `consent-guard check` users can fix
/// by writing the host in lower case. URL hosts need none of this: the
/// browser already gives them in punycode.
fn fold_case(c: char) -> char {
    let code = c as u32;
    let lower = match code {
        0x00C0..=0x00DE if code != 0x00D7 => code + 0x20,
        0x0100..=0x012F | 0x0132..=0x0137 | 0x014A..=0x0177 if code % 2 == 0 => code + 1,
        0x0139..=0x0148 | 0x0179..=0x017E if code % 2 == 1 => code + 1,
        0x0178 => 0x00FF,
        0x0386 => 0x03AC,
        0x0388..=0x038A => code + 0x25,
        0x038C => 0x03CC,
        0x038E..=0x038F => code + 0x3F,
        0x0391..=0x03A9 if code != 0x03A2 => code + 0x20,
        0x0400..=0x040F => code + 0x50,
        0x0410..=0x042F => code + 0x20,
        _ => code,
    };
    char::from_u32(lower).unwrap_or(c)
}

/// A label-level problem, before the caller names the host.
enum Bad {
    EmptyLabel,
    Char(char),
    Hyphen,
    LabelTooLong,
}

impl Bad {
    #[cold]
    #[inline(never)]
    fn into_error(self, host: &str) -> HostError {
        let host = host.to_string();
        match self {
            Bad::EmptyLabel => HostError::EmptyLabel(host),
            Bad::Char(c) => HostError::InvalidChar(host, c),
            Bad::Hyphen => HostError::Hyphen(host),
            Bad::LabelTooLong => HostError::LabelTooLong(host),
        }
    }
}

/// Normalises a host written by a person in the cookie table:
/// `YouTube.com` → `youtube.com`, `bücher.example` → `xn--bcher-kva.example`,
/// `doubleclick.net.` → `doubleclick.net`.
///
/// Accepts DNS host names (letters, digits, `-`; IDN labels in any script)
/// and dotted-decimal IPv4. Rejects, with an error naming the value,
/// anything with a scheme, user info, path, port or wildcard, an empty
/// label, a leading or trailing `-` in a label, an over-long label or host,
/// any other character (`_` included: it is not valid in a host name), and
/// IPv6 literals.
pub fn normalize_table_host(s: &str) -> Result<String, HostError> {
    #[cold]
    #[inline(never)]
    fn err(make: fn(String) -> HostError, s: &str) -> Result<String, HostError> {
        Err(make(s.to_string()))
    }
    if s.is_empty() {
        return Err(HostError::Empty);
    }
    if s.contains("://") {
        return err(HostError::Scheme, s);
    }
    if s.contains('@') {
        return err(HostError::Userinfo, s);
    }
    if s.starts_with('[') {
        return err(HostError::Ipv6, s);
    }
    if s.contains(['/', '\\', '?', '#']) {
        return err(HostError::Path, s);
    }
    if s.matches(':').nth(1).is_some() {
        return err(HostError::Ipv6, s);
    }
    if let Some((_, port)) = s.split_once(':') {
        if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) {
            return err(HostError::Port, s);
        }
        return Err(Bad::Char(':').into_error(s));
    }
    if s.contains('*') {
        return err(HostError::Wildcard, s);
    }
    if s.starts_with('.') {
        return err(HostError::LeadingDot, s);
    }
    let host = to_ascii(s, true).map_err(|bad| bad.into_error(s))?;
    if ends_in_number(&host) && !is_dotted_decimal(&host) {
        return err(HostError::BadIpv4, s);
    }
    if host.len() > 253 {
        return err(HostError::TooLong, s);
    }
    Ok(host)
}

/// Strict IPv4: four decimal numbers 0-255, no leading zeros.
fn is_dotted_decimal(host: &str) -> bool {
    let mut count = 0;
    let all_ok = host.split('.').all(|part| {
        count += 1;
        !part.is_empty()
            && part.len() <= 3
            && part.bytes().all(|b| b.is_ascii_digit())
            && !(part.len() > 1 && part.starts_with('0'))
            && part.parse::<u16>().is_ok_and(|n| n <= 255)
    });
    all_ok && count == 4
}

/// Maps `host` to its ASCII form: lower-case, the UTS 46 mappings named in
/// the module doc, a trailing dot dropped (every trailing dot, for URL
/// hosts), non-ASCII labels punycoded.
///
/// `strict` (table hosts) allows only letters, digits and `-`, non-empty
/// labels without edge hyphens, at most 63 bytes each. Otherwise (URL
/// hosts) only the URL standard's forbidden domain code points are refused.
fn to_ascii(host: &str, strict: bool) -> Result<String, Bad> {
    let mut mapped = String::with_capacity(host.len());
    for c in host.chars() {
        match c {
            '\u{3002}' | '\u{FF0E}' | '\u{FF61}' => mapped.push('.'),
            '\u{AD}' => {}
            c if c.is_ascii() => mapped.push(c.to_ascii_lowercase()),
            // Full-width ASCII (U+FF01..=U+FF5E) is plain ASCII in a host.
            '\u{FF01}'..='\u{FF5E}' => {
                let ascii = char::from_u32(c as u32 - 0xFEE0).unwrap_or(c);
                mapped.push(ascii.to_ascii_lowercase());
            }
            c => mapped.push(fold_case(c)),
        }
    }
    // A table host may end in one dot (the DNS root). A URL host drops every
    // trailing dot: `youtube.com..` left as `youtube.com.` would match no
    // service and load unheld.
    let mapped = if strict {
        mapped.strip_suffix('.').unwrap_or(&mapped)
    } else {
        mapped.trim_end_matches('.')
    };
    let mut out = String::with_capacity(mapped.len());
    let mut chars = Vec::new();
    for (i, label) in mapped.split('.').enumerate() {
        if i > 0 {
            out.push('.');
        }
        check_label(label, strict)?;
        if label.is_ascii() {
            out.push_str(label);
        } else {
            // Each code point needs at least one output byte, so a label
            // longer than this can never fit in 63 bytes; the cap also
            // bounds the quadratic encoder on hostile input.
            chars.clear();
            chars.extend(label.chars());
            if chars.len() > 63 {
                return Err(Bad::LabelTooLong);
            }
            out.push_str("xn--");
            punycode(&chars, &mut out).ok_or(Bad::LabelTooLong)?;
        }
        let label_len = out.len() - out.rfind('.').map_or(0, |dot| dot + 1);
        if strict && label_len > 63 {
            return Err(Bad::LabelTooLong);
        }
    }
    Ok(out)
}

fn check_label(label: &str, strict: bool) -> Result<(), Bad> {
    if !strict {
        // The URL standard's forbidden domain code points.
        return match label.chars().find(|&c| {
            c <= ' '
                || c == '\u{7F}'
                || matches!(c, '#' | '/' | ':' | '<' | '>' | '?' | '@' | '[' | '\\')
                || matches!(c, ']' | '^' | '|' | '%')
        }) {
            Some(c) => Err(Bad::Char(c)),
            None => Ok(()),
        };
    }
    if label.is_empty() {
        return Err(Bad::EmptyLabel);
    }
    if let Some(c) = label.chars().find(|&c| {
        if c.is_ascii() {
            !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        } else {
            c.is_whitespace() || c.is_control()
        }
    }) {
        return Err(Bad::Char(c));
    }
    if label.starts_with('-') || label.ends_with('-') {
        return Err(Bad::Hyphen);
    }
    Ok(())
}

/// RFC 3492 punycode of one label (without the `xn--`), appended to `out`.
/// `None` on arithmetic overflow, which no label of a valid length reaches.
fn punycode(input: &[char], out: &mut String) -> Option<()> {
    const BASE: u32 = 36;
    const T_MIN: u32 = 1;
    const T_MAX: u32 = 26;

    fn digit(d: u32) -> char {
        // d < 36: 0..=25 are a..=z, 26..=35 are 0..=9.
        let d = d as u8;
        char::from(if d < 26 { b'a' + d } else { b'0' + d - 26 })
    }

    fn adapt(delta: u32, points: u32, first: bool) -> u32 {
        const SKEW: u32 = 38;
        const DAMP: u32 = 700;
        let mut delta = if first { delta / DAMP } else { delta / 2 };
        delta += delta / points.max(1);
        let mut k = 0;
        while delta > ((BASE - T_MIN) * T_MAX) / 2 {
            delta /= BASE - T_MIN;
            k += BASE;
        }
        k + (BASE - T_MIN + 1) * delta / (delta + SKEW)
    }

    let mut basic = 0u32;
    for &c in input.iter().filter(|c| c.is_ascii()) {
        out.push(c);
        basic += 1;
    }
    if basic > 0 {
        out.push('-');
    }
    let total = u32::try_from(input.len()).ok()?;
    let mut n = 0x80u32;
    let mut delta = 0u32;
    let mut bias = 72u32;
    let mut handled = basic;
    while handled < total {
        // The smallest code point not yet handled.
        let m = input.iter().map(|&c| c as u32).filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(handled + 1)?)?;
        n = m;
        for &c in input {
            let c = c as u32;
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        T_MIN
                    } else if k >= bias + T_MAX {
                        T_MAX
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    out.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                out.push(digit(q));
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta = delta.checked_add(1)?;
        n = n.checked_add(1)?;
    }
    Some(())
}

/// The URL standard's "ends in a number" test: the last label (ignoring
/// one trailing empty one) is all digits or a `0x` hex number.
fn ends_in_number(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    let last = host.rsplit('.').next().unwrap_or(host);
    (!last.is_empty() && last.bytes().all(|b| b.is_ascii_digit())) || ipv4_number(last).is_some()
}

/// One part of a URL-standard IPv4 address: decimal, `0x` hex or
/// `0`-prefixed octal. Values too large for `u64` saturate (they fail the
/// range check later anyway).
fn ipv4_number(part: &str) -> Option<u64> {
    let (digits, radix) = if let Some(hex) = part.strip_prefix("0x").or(part.strip_prefix("0X")) {
        (hex, 16)
    } else if part.len() > 1 && part.starts_with('0') {
        (part.get(1..)?, 8)
    } else {
        (part, 10)
    };
    if part.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    if digits.is_empty() {
        return Some(0);
    }
    Some(u64::from_str_radix(digits, radix).unwrap_or(u64::MAX))
}

/// The URL standard's IPv4 parser, serialised as dotted decimal.
fn parse_ipv4(host: &str) -> Option<String> {
    let host = host.strip_suffix('.').unwrap_or(host);
    let mut numbers = [0u64; 4];
    let mut count = 0usize;
    for part in host.split('.') {
        *numbers.get_mut(count)? = ipv4_number(part)?;
        count += 1;
    }
    let (&last, init) = numbers.get(..count)?.split_last()?;
    // The last number fills the bytes the others leave: 256^(5 - count).
    let limit = 1u64 << (8 * (5 - count as u32));
    if init.iter().any(|&x| x > 255) || last >= limit {
        return None;
    }
    let mut address = last;
    for (i, &x) in init.iter().enumerate() {
        address += x << (8 * (3 - i as u32));
    }
    let mut out = String::with_capacity(15);
    for shift in [24u32, 16, 8, 0] {
        if shift != 24 {
            out.push('.');
        }
        let byte = (address >> shift) & 0xFF;
        if byte >= 100 {
            out.push(char::from(b'0' + (byte / 100) as u8));
        }
        if byte >= 10 {
            out.push(char::from(b'0' + (byte / 10 % 10) as u8));
        }
        out.push(char::from(b'0' + (byte % 10) as u8));
    }
    Some(out)
}

/// Decodes `%XX` escapes; `None` if the result is not UTF-8 (the browser
/// then refuses the URL). A `%` not followed by two hex digits stays.
fn percent_decode(s: &str) -> Option<Cow<'_, str>> {
    if !s.contains('%') {
        return Some(Cow::Borrowed(s));
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = |at: usize| bytes.get(at).and_then(|&h| char::from(h).to_digit(16));
        match (b, hex(i + 1), hex(i + 2)) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok().map(Cow::Owned)
}

/// Schemes whose URLs make network requests that can carry cookies.
const NETWORK_SCHEMES: [&str; 4] = ["http", "https", "ws", "wss"];

/// The host of a URL as a browser would request it, normalised like
/// [`normalize_table_host`] output: `https://User@WWW.YouTube.com.:443/x`
/// → `www.youtube.com`, `//bücher.example/` → `xn--bcher-kva.example`.
///
/// Takes absolute `http`, `https`, `ws` and `wss` URLs in any case, and
/// protocol-relative `//host/path`. Follows the URL standard where it
/// matters for which server is contacted: user info is dropped, `\` counts
/// as `/`, surrounding spaces and embedded tabs and newlines are ignored,
/// percent-escapes in the host are decoded, IPv4 in any form the browser
/// accepts (`0x7f.1`) becomes dotted decimal. IPv6 literals come back in
/// brackets, lower-cased but not otherwise canonicalised (`[::1]`).
///
/// `None` for relative URLs (same origin as the page), for other schemes
/// (`data:`, `blob:`, `about:`, `javascript:`, `mailto:`, `file:`), and for
/// URLs the browser would refuse (bad port, empty host, invalid IPv4,
/// forbidden characters).
pub fn url_host(url: &str) -> Option<String> {
    let url = url.trim_matches(|c: char| c <= ' ');
    let cleaned;
    let url = if url.contains(['\t', '\n', '\r']) {
        cleaned = url.replace(['\t', '\n', '\r'], "");
        cleaned.as_str()
    } else {
        url
    };
    let is_slash = |b: Option<&u8>| matches!(b, Some(b'/' | b'\\'));
    let after_scheme = if is_slash(url.as_bytes().first()) && is_slash(url.as_bytes().get(1)) {
        url
    } else {
        let (scheme, rest) = url.split_once(':')?;
        if !NETWORK_SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(scheme)) {
            return None;
        }
        rest
    };
    let rest = after_scheme.trim_start_matches(['/', '\\']);
    let authority = rest.split(['/', '\\', '?', '#']).next().unwrap_or(rest);
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, after)| after);

    let (host, port) = if host_port.starts_with('[') {
        let end = host_port.find(']')? + 1;
        (host_port.get(..end)?, host_port.get(end..)?)
    } else {
        match host_port.find(':') {
            Some(colon) => (host_port.get(..colon)?, host_port.get(colon..)?),
            None => (host_port, ""),
        }
    };
    if let Some(digits) = port.strip_prefix(':') {
        let value = digits.bytes().try_fold(0u32, |acc, b| {
            b.is_ascii_digit().then(|| acc.saturating_mul(10).saturating_add(u32::from(b - b'0')))
        })?;
        if value > 65_535 {
            return None;
        }
    } else if !port.is_empty() {
        return None;
    }

    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        let ok = inner.contains(':')
            && inner.bytes().all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
        return ok.then(|| host.to_ascii_lowercase());
    }
    let decoded = percent_decode(host)?;
    let ascii = to_ascii(&decoded, false).ok()?;
    if ascii.is_empty() {
        return None;
    }
    if ends_in_number(&ascii) {
        return parse_ipv4(&ascii);
    }
    Some(ascii)
}

/// Whether `host` is `suffix` or a subdomain of it, on whole labels:
/// `youtube.com` and `www.youtube.com` match `youtube.com`;
/// `evil-youtube.com`, `notyoutube.com` and `youtube.com.evil.net` do not.
/// Both should be normalised; ASCII case is ignored all the same. An empty
/// suffix matches nothing.
pub fn host_matches(host: &str, suffix: &str) -> bool {
    if suffix.is_empty() {
        return false;
    }
    match host.len().checked_sub(suffix.len()) {
        Some(0) => host.eq_ignore_ascii_case(suffix),
        Some(cut) => {
            host.as_bytes().get(cut - 1) == Some(&b'.')
                && host.get(cut..).is_some_and(|tail| tail.eq_ignore_ascii_case(suffix))
        }
        None => false,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    /// `table_ok!(name, [(written, normalised), …])`
    macro_rules! table_ok {
        ($name:ident, [$(($input:expr, $want:expr)),* $(,)?]) => {
            #[test]
            fn $name() {
                $(assert_eq!(
                    normalize_table_host($input).as_deref(),
                    Ok($want),
                    "{:?}",
                    $input
                );)*
            }
        };
    }

    /// `table_err!(name, [(written, HostError::Variant), …])` for the
    /// variants that carry only the value.
    macro_rules! table_err {
        ($name:ident, [$(($input:expr, $variant:path)),* $(,)?]) => {
            #[test]
            fn $name() {
                $(assert_eq!(
                    normalize_table_host($input),
                    Err($variant($input.to_string())),
                    "{:?}",
                    $input
                );)*
            }
        };
    }

    table_ok!(
        table_lower_cases,
        [
            ("YouTube.com", "youtube.com"),
            ("WWW.EXAMPLE.COM", "www.example.com"),
            ("youtube.com", "youtube.com"),
        ]
    );

    table_ok!(
        table_strips_one_trailing_dot,
        [("doubleclick.net.", "doubleclick.net"), ("example.com。", "example.com"),]
    );

    table_ok!(
        table_idn_to_punycode,
        [
            ("bücher.example", "xn--bcher-kva.example"),
            ("Bücher.Example", "xn--bcher-kva.example"),
            ("BÜCHER.example", "xn--bcher-kva.example"),
            ("münchen.de", "xn--mnchen-3ya.de"),
            ("пример.рф", "xn--e1afmkfd.xn--p1ai"),
            ("例え.テスト", "xn--r8jz45g.xn--zckzah"),
            ("xn--bcher-kva.example", "xn--bcher-kva.example"),
            ("ｅｘａｍｐｌｅ．com", "example.com"),
            ("www。example。com", "www.example.com"),
            ("exam\u{AD}ple.com", "example.com"),
        ]
    );

    table_ok!(
        table_allows_hyphens_digits_ips,
        [
            ("a-b.example", "a-b.example"),
            ("xn--a--b.example", "xn--a--b.example"),
            ("123.example", "123.example"),
            ("localhost", "localhost"),
            ("192.168.0.1", "192.168.0.1"),
            ("0.0.0.0", "0.0.0.0"),
            ("255.255.255.255", "255.255.255.255"),
        ]
    );

    #[test]
    fn table_label_and_host_length_limits() {
        let label63 = "a".repeat(63);
        let label64 = "a".repeat(64);
        assert_eq!(normalize_table_host(&format!("{label63}.com")), Ok(format!("{label63}.com")));
        assert_eq!(
            normalize_table_host(&format!("{label64}.com")),
            Err(HostError::LabelTooLong(format!("{label64}.com")))
        );
        // 4 × 63 + 3 dots = 255 > 253; 3 × 63 + 61 + 3 = 253 fits.
        let long = [label63.as_str(); 4].join(".");
        assert_eq!(normalize_table_host(&long), Err(HostError::TooLong(long.clone())));
        let fits = format!("{label63}.{label63}.{label63}.{}", "a".repeat(61));
        assert_eq!(normalize_table_host(&fits), Ok(fits.clone()));
        // A non-ASCII label whose punycode is over 63 bytes (59 × ü gives
        // 65 bytes), and one within the limit.
        let ok = format!("{}.com", "ü".repeat(50));
        assert!(normalize_table_host(&ok).is_ok());
        let idn = format!("{}.com", "ü".repeat(59));
        assert_eq!(normalize_table_host(&idn), Err(HostError::LabelTooLong(idn.clone())));
        let huge = format!("{}.com", "ü".repeat(10_000));
        assert_eq!(normalize_table_host(&huge), Err(HostError::LabelTooLong(huge.clone())));
    }

    table_err!(
        table_rejects_scheme,
        [
            ("https://x.com", HostError::Scheme),
            ("HTTP://x.com", HostError::Scheme),
            ("https://x.com/a", HostError::Scheme),
        ]
    );

    table_err!(
        table_rejects_path,
        [
            ("x/y", HostError::Path),
            ("x.com/", HostError::Path),
            ("//x.com", HostError::Path),
            ("x.com?a", HostError::Path),
            ("x.com#a", HostError::Path),
            ("x.com\\a", HostError::Path),
        ]
    );

    table_err!(
        table_rejects_port_userinfo,
        [
            ("x:443", HostError::Port),
            ("x.com:8080", HostError::Port),
            ("user@x.com", HostError::Userinfo),
            ("user:pw@x.com", HostError::Userinfo),
        ]
    );

    table_err!(
        table_rejects_wildcard_and_leading_dot,
        [
            ("*.x.com", HostError::Wildcard),
            ("*x.com", HostError::Wildcard),
            ("x.*", HostError::Wildcard),
            (".x.com", HostError::LeadingDot),
        ]
    );

    table_err!(
        table_rejects_empty_labels,
        [
            ("a..b", HostError::EmptyLabel),
            ("x.com..", HostError::EmptyLabel),
            (".", HostError::LeadingDot),
        ]
    );

    table_err!(
        table_rejects_edge_hyphens,
        [
            ("-x.com", HostError::Hyphen),
            ("x-.com", HostError::Hyphen),
            ("www.x.-com", HostError::Hyphen),
        ]
    );

    table_err!(
        table_rejects_bad_ipv4,
        [
            ("1.2.3", HostError::BadIpv4),
            ("1.2.3.4.5", HostError::BadIpv4),
            ("1.2.3.256", HostError::BadIpv4),
            ("01.2.3.4", HostError::BadIpv4),
            ("example.123", HostError::BadIpv4),
            ("0x7f.0.0.1", HostError::BadIpv4),
            ("example.0x1", HostError::BadIpv4),
        ]
    );

    table_err!(
        table_rejects_ipv6,
        [("[::1]", HostError::Ipv6), ("::1", HostError::Ipv6), ("2001:db8::1", HostError::Ipv6),]
    );

    #[test]
    fn table_rejects_characters() {
        for (input, c) in [
            ("my_site.com", '_'),
            ("my site.com", ' '),
            (" x.com", ' '),
            ("x.com ", ' '),
            ("x.com\t", '\t'),
            ("x!.com", '!'),
            ("x%41.com", '%'),
            ("x:y", ':'),
            ("x,y.com", ','),
            ("bü cher.example", ' '),
            ("bü\u{3000}cher.example", '\u{3000}'),
            ("bü\u{7}cher.example", '\u{7}'),
        ] {
            assert_eq!(
                normalize_table_host(input),
                Err(HostError::InvalidChar(input.to_string(), c)),
                "{input:?}"
            );
        }
        assert_eq!(normalize_table_host(""), Err(HostError::Empty));
    }

    #[test]
    fn table_error_messages_are_lowercase_and_name_the_value() {
        for input in ["https://x", "x/y", "x:443", "*.x.com", "a..b", "my_site", "[::1]"] {
            let message = normalize_table_host(input).unwrap_err().to_string();
            assert!(message.starts_with("host \""), "{message}");
            assert!(message.contains(&format!("{input:?}")), "{message}");
        }
        let wildcard = normalize_table_host("*.x.com").unwrap_err().to_string();
        assert!(wildcard.contains("already matches all its subdomains"), "{wildcard}");
    }

    #[test]
    fn punycode_rfc3492_samples() {
        // RFC 3492 §7.1 (A), (B), (F), (L), (Q); the samples use mixed case,
        // we encode already lower-cased labels.
        for (label, want) in [
            ("ليهمابتكلموشعربي؟", "egbpdaj6bu4bxfgehfvwxn"),
            ("他们为什么不说中文", "ihqwcrb4cv8a8dqg056pqjye"),
            ("pročprostěnemluvíčesky", "proprostnemluvesky-uyb24dma41a"),
            ("3年b組金八先生", "3b-ww4c5e180e575a65lsy2b"),
            ("パフィーdeルンバ", "de-jg4avhby1noc0d"),
            ("bücher", "bcher-kva"),
            ("ü", "tda"),
        ] {
            let chars: Vec<char> = label.chars().collect();
            let mut out = String::new();
            punycode(&chars, &mut out).unwrap();
            assert_eq!(out, want, "{label}");
        }
    }

    /// `url!(name, [(url, Some("host") | None), …])`
    macro_rules! url {
        ($name:ident, [$(($input:expr, $want:expr)),* $(,)?]) => {
            #[test]
            fn $name() {
                $(assert_eq!(url_host($input).as_deref(), $want, "{:?}", $input);)*
            }
        };
    }

    url!(
        url_plain,
        [
            ("https://www.youtube.com/embed/x", Some("www.youtube.com")),
            ("http://example.com", Some("example.com")),
            ("https://example.com?q=1", Some("example.com")),
            ("https://example.com#frag", Some("example.com")),
            ("wss://socket.example.com/live", Some("socket.example.com")),
            ("ws://socket.example.com", Some("socket.example.com")),
        ]
    );

    url!(
        url_case,
        [
            ("HTTPS://WWW.YouTube.COM/embed/x", Some("www.youtube.com")),
            ("Https://Example.Com/", Some("example.com")),
        ]
    );

    url!(
        url_ports,
        [
            ("https://www.youtube.com:443/x", Some("www.youtube.com")),
            ("http://localhost:8080/", Some("localhost")),
            ("http://example.com:/", Some("example.com")),
            ("http://example.com:65535/", Some("example.com")),
            ("http://example.com:65536/", None),
            ("http://example.com:80a/", None),
            ("http://example.com:-1/", None),
        ]
    );

    url!(
        url_userinfo,
        [
            ("https://user:pw@host.example/", Some("host.example")),
            ("https://user@host.example:8443/", Some("host.example")),
            ("https://a@b@host.example/", Some("host.example")),
            ("https://host.example/path@evil.example", Some("host.example")),
            ("https://host.example?x@evil.example", Some("host.example")),
        ]
    );

    url!(
        url_ip_literals,
        [
            ("http://[::1]:8080/", Some("[::1]")),
            ("http://[::1]/", Some("[::1]")),
            ("http://[2001:DB8::1]/", Some("[2001:db8::1]")),
            ("http://[::ffff:1.2.3.4]/", Some("[::ffff:1.2.3.4]")),
            ("http://[::1/", None),
            ("http://[::1]x/", None),
            ("http://[evil.com]/", None),
            ("http://127.0.0.1:3000/", Some("127.0.0.1")),
            ("http://0x7f.1/", Some("127.0.0.1")),
            ("http://0177.0.0.1/", Some("127.0.0.1")),
            ("http://2130706433/", Some("127.0.0.1")),
            ("http://1.2.3.4./", Some("1.2.3.4")),
            ("http://1.2.3.256/", None),
            ("http://1.2.3.4.5/", None),
            ("http://09.1.1.1/", None),
            ("http://example.0x1/", None),
            ("http://99999999999999999999999/", None),
        ]
    );

    url!(
        url_trailing_dot,
        [
            ("https://www.youtube.com./x", Some("www.youtube.com")),
            ("https://doubleclick.net.:443/", Some("doubleclick.net")),
            // Found by the `host` fuzz target ("https:/a.." read as "a.").
            ("https:/a..", Some("a")),
            ("https://www.youtube.com../x", Some("www.youtube.com")),
            ("https://../", None),
        ]
    );

    url!(
        url_idn_and_percent,
        [
            ("https://bücher.example/", Some("xn--bcher-kva.example")),
            ("https://BÜCHER.example/", Some("xn--bcher-kva.example")),
            ("https://b%C3%BCcher.example/", Some("xn--bcher-kva.example")),
            ("https://%77ww.youtube.com/", Some("www.youtube.com")),
            ("https://www.ｙｏｕｔｕｂｅ.com/", Some("www.youtube.com")),
            ("https://www。youtube。com/", Some("www.youtube.com")),
            ("https://you\u{AD}tube.com/", Some("youtube.com")),
            ("https://xn--bcher-kva.example/", Some("xn--bcher-kva.example")),
            ("https://b%FFcher.example/", None),
            ("https://a%2Fb.example/", None),
            ("https://a%zz.example/", None),
        ]
    );

    url!(
        url_backslashes_and_slashes,
        [
            ("https:\\\\www.youtube.com\\embed", Some("www.youtube.com")),
            ("https:/\\www.youtube.com/", Some("www.youtube.com")),
            ("https:www.youtube.com/", Some("www.youtube.com")),
            ("https:///www.youtube.com/", Some("www.youtube.com")),
            ("https://www.youtube.com\\@evil.example/", Some("www.youtube.com")),
        ]
    );

    url!(
        url_protocol_relative,
        [
            ("//www.youtube.com/embed/x", Some("www.youtube.com")),
            ("//WWW.YouTube.com:443", Some("www.youtube.com")),
            ("\\\\www.youtube.com/x", Some("www.youtube.com")),
            ("/\\www.youtube.com/x", Some("www.youtube.com")),
        ]
    );

    url!(
        url_whitespace,
        [
            ("  https://www.youtube.com/  ", Some("www.youtube.com")),
            ("\u{0}https://www.youtube.com/", Some("www.youtube.com")),
            ("https://www.you\ttube.com/", Some("www.youtube.com")),
            ("ht\ntps://www.youtube.com/", Some("www.youtube.com")),
            ("https://www.you tube.com/", None),
        ]
    );

    url!(
        url_relative_is_none,
        [
            ("", None),
            ("/path/script.js", None),
            ("script.js", None),
            ("../x.js", None),
            ("?q=1", None),
            ("#x", None),
            ("a/b:c", None),
            ("www.youtube.com/embed", None),
        ]
    );

    url!(
        url_non_network_is_none,
        [
            ("data:text/javascript,alert(1)", None),
            ("blob:https://example.com/1234", None),
            ("about:blank", None),
            ("javascript:alert(1)", None),
            ("JavaScript:alert(1)", None),
            ("mailto:a@example.com", None),
            ("file:///etc/passwd", None),
            ("ftp://example.com/", None),
            ("chrome-extension://abc/x.js", None),
            ("httpx://example.com/", None),
        ]
    );

    url!(
        url_empty_host_is_none,
        [
            ("https://", None),
            ("https:///", None),
            ("https://:443/", None),
            ("https://user@/", None),
            ("//", None),
            ("https://./", None),
        ]
    );

    #[test]
    fn url_host_agrees_with_table_normalisation() {
        for written in ["YouTube.com", "bücher.example", "doubleclick.net.", "192.168.0.1"] {
            let table = normalize_table_host(written).unwrap();
            assert_eq!(url_host(&format!("https://{written}/x")), Some(table), "{written}");
        }
    }

    /// `matches!`-style table: (host, suffix, expected).
    #[test]
    fn host_matches_cases() {
        for (host, suffix, want) in [
            ("youtube.com", "youtube.com", true),
            ("www.youtube.com", "youtube.com", true),
            ("a.b.youtube.com", "youtube.com", true),
            ("WWW.YouTube.com", "youtube.com", true),
            ("evil-youtube.com", "youtube.com", false),
            ("notyoutube.com", "youtube.com", false),
            ("youtube.com.evil.net", "youtube.com", false),
            ("youtube.co", "youtube.com", false),
            ("com", "youtube.com", false),
            ("youtube.com", "www.youtube.com", false),
            (".youtube.com", "youtube.com", true),
            ("youtube.com", "", false),
            ("", "", false),
            ("", "youtube.com", false),
            ("xn--bcher-kva.example", "xn--bcher-kva.example", true),
            ("ü.youtube.com", "youtube.com", true),
            ("1.2.3.4", "1.2.3.4", true),
        ] {
            assert_eq!(host_matches(host, suffix), want, "{host:?} vs {suffix:?}");
        }
    }

    #[test]
    fn issue_cases_end_to_end() {
        let table = normalize_table_host("YouTube.com").unwrap();
        let matches = |url: &str| url_host(url).is_some_and(|h| host_matches(&h, &table));
        assert!(matches("https://www.youtube.com/embed/abc"));
        assert!(matches("HTTPS://WWW.YOUTUBE.COM:443/embed/abc"));
        assert!(matches("//youtube.com./iframe_api"));
        assert!(!matches("https://evil-youtube.com/embed/abc"));
        assert!(!matches("https://youtube.com.evil.net/"));
        assert!(!matches("/embed/abc"));
        let idn = normalize_table_host("bücher.example").unwrap();
        assert!(
            url_host("https://shop.BÜCHER.example:8443/").is_some_and(|h| host_matches(&h, &idn))
        );
    }

    #[test]
    fn no_panic_on_odd_input() {
        let odd = [
            "\u{0}",
            "%",
            "%%",
            "%c3",
            "[",
            "]",
            "[]",
            "http://[",
            "http://[]",
            "http://[]:",
            "http://@",
            "http://@@",
            "http://:",
            "http://a:b:c/",
            ":",
            "::::",
            "💥://x",
            "http://💥/",
            "http://ü%",
            "http://0x/",
            "http://0/",
            "http://.../",
            "https://ß.example/",
            "https://İstanbul.example/",
        ];
        for input in odd {
            let _ = url_host(input);
            let _ = normalize_table_host(input);
            let _ = host_matches(input, input);
        }
        assert_eq!(url_host("http://0x/"), Some("0.0.0.0".to_string()));
        assert_eq!(url_host("https://ß.example/"), Some("xn--zca.example".to_string()));
    }
}
