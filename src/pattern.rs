/*!
Cookie-name patterns from the cookie table's `name` field: an exact name
(`PHPSESSID`), a prefix (`_ga_*`), a suffix (`*_session`) or an infix
(`*track*`). A `*` stands for any run of characters, the empty one too, and
may only start and/or end a pattern: that covers the names analytics and ad
scripts generate, in a few lines instead of a regex engine in every
visitor's download.

Matching is case-sensitive, as cookie names are. A parsed pattern keeps the
text as written, so the declaration table and error messages show exactly
what the compliance team wrote. Nothing here panics on any input.
*/
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::fmt;
use std::str::FromStr;

use thiserror::Error;

/// Why a `name` in the cookie table is not a usable pattern. Each variant
/// carries the value as written.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum PatternError {
    /// `""`
    #[error("cookie name is empty")]
    Empty,
    /// `"*"`: would declare (and so allow or sweep) every cookie.
    #[error(
        "cookie name {} would match every cookie; write the names, \
         or a prefix like \"_ga*\""
    , crate::json::Quoted(.0))]
    MatchesAll(String),
    /// `"a*b"`
    #[error(
        "cookie name {} has '*' in the middle; '*' may only start or end \
         a name, like \"_ga_*\", \"*_session\" or \"*track*\""
    , crate::json::Quoted(.0))]
    InnerStar(String),
    /// A control character, whitespace, `=`, `;`, `,` or `"`.
    #[error("cookie name {} contains {}, which a cookie name cannot contain", crate::json::Quoted(.0), crate::json::QuotedChar(*.1))]
    InvalidChar(String, char),
}

/// How a [`NamePattern`] matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PatternKind {
    /// `PHPSESSID`: the name itself.
    Exact,
    /// `_ga_*`: names starting with the literal.
    Prefix,
    /// `*_session`: names ending with the literal.
    Suffix,
    /// `*track*`: names containing the literal.
    Contains,
}

/// A parsed cookie-name pattern. Build it with [`NamePattern::parse`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NamePattern {
    written: Box<str>,
    kind: PatternKind,
}

impl NamePattern {
    /// Parses the table's `name` field: `PHPSESSID` (exact), `_ga_*`
    /// (prefix), `*_session` (suffix), `*track*` (contains).
    ///
    /// Rejects an empty name, a pattern of only `*`s, a `*` anywhere but at
    /// the start or end, and characters no cookie name can hold (control
    /// characters, whitespace, `=`, `;`, `,`, `"`).
    pub fn parse(s: &str) -> Result<NamePattern, PatternError> {
        #[cold]
        #[inline(never)]
        fn fail(make: fn(String) -> PatternError, s: &str) -> Result<NamePattern, PatternError> {
            Err(make(s.to_string()))
        }
        if s.is_empty() {
            return Err(PatternError::Empty);
        }
        if let Some(c) = s
            .chars()
            .find(|&c| c.is_control() || c.is_whitespace() || matches!(c, '=' | ';' | ',' | '"'))
        {
            return Err(PatternError::InvalidChar(s.to_string(), c));
        }
        let (start, rest) = match s.strip_prefix('*') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (end, literal) = match rest.strip_suffix('*') {
            Some(literal) => (true, literal),
            None => (false, rest),
        };
        if literal.bytes().all(|b| b == b'*') {
            return fail(PatternError::MatchesAll, s);
        }
        if literal.contains('*') {
            return fail(PatternError::InnerStar, s);
        }
        let kind = match (start, end) {
            (false, false) => PatternKind::Exact,
            (false, true) => PatternKind::Prefix,
            (true, false) => PatternKind::Suffix,
            (true, true) => PatternKind::Contains,
        };
        Ok(NamePattern { written: s.into(), kind })
    }

    /// How this pattern matches.
    pub fn kind(&self) -> PatternKind {
        self.kind
    }

    /// Whether this is an exact name, not a pattern.
    pub fn is_exact(&self) -> bool {
        self.kind == PatternKind::Exact
    }

    /// The pattern as written in the table (`_ga_*`).
    pub fn as_str(&self) -> &str {
        &self.written
    }

    /// The literal part, without the `*`s (`_ga_`).
    pub fn literal(&self) -> &str {
        let s = &*self.written;
        let s = match self.kind {
            PatternKind::Suffix | PatternKind::Contains => s.strip_prefix('*').unwrap_or(s),
            _ => s,
        };
        match self.kind {
            PatternKind::Prefix | PatternKind::Contains => s.strip_suffix('*').unwrap_or(s),
            _ => s,
        }
    }

    /// Whether the cookie called `name` matches (case-sensitive; a `*` also
    /// matches nothing, so `_ga_*` matches `_ga_`).
    pub fn matches(&self, name: &str) -> bool {
        let literal = self.literal();
        match self.kind {
            PatternKind::Exact => name == literal,
            PatternKind::Prefix => name.starts_with(literal),
            PatternKind::Suffix => name.ends_with(literal),
            PatternKind::Contains => name.contains(literal),
        }
    }

    /// How specific the pattern is, to pick one rule when several match a
    /// name: an exact name beats every pattern, a prefix or suffix beats
    /// every infix (`*x*`), and within those tiers a longer literal beats a
    /// shorter one. Equal values (a prefix and a suffix of the same length)
    /// are a tie the caller breaks, e.g. by table order.
    pub fn specificity(&self) -> usize {
        // Literal lengths are capped below the tier size, so tiers never
        // overlap (cookie names are at most 4096 bytes in browsers anyway).
        const TIER: usize = 1 << 20;
        let length = self.literal().len().min(TIER - 1);
        match self.kind {
            PatternKind::Exact => 2 * TIER + length,
            PatternKind::Prefix | PatternKind::Suffix => TIER + length,
            PatternKind::Contains => length,
        }
    }
}

impl fmt::Display for NamePattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.written)
    }
}

impl FromStr for NamePattern {
    type Err = PatternError;

    fn from_str(s: &str) -> Result<NamePattern, PatternError> {
        NamePattern::parse(s)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    /// `pattern!(name, "written", Kind, "literal", [matching…], [not matching…])`
    macro_rules! pattern {
        ($name:ident, $written:expr, $kind:ident, $literal:expr,
         [$($yes:expr),* $(,)?], [$($no:expr),* $(,)?]) => {
            #[test]
            fn $name() {
                let p = NamePattern::parse($written).unwrap();
                assert_eq!(p.kind(), PatternKind::$kind);
                assert_eq!(p.literal(), $literal);
                assert_eq!(p.as_str(), $written);
                assert_eq!(p.to_string(), $written);
                assert_eq!(p.is_exact(), PatternKind::$kind == PatternKind::Exact);
                $(assert!(p.matches($yes), "{:?} should match {:?}", $written, $yes);)*
                $(assert!(!p.matches($no), "{:?} should not match {:?}", $written, $no);)*
            }
        };
    }

    pattern!(
        exact,
        "PHPSESSID",
        Exact,
        "PHPSESSID",
        ["PHPSESSID"],
        ["phpsessid", "PHPSESSID2", "xPHPSESSID", "PHPSESSI", ""]
    );
    pattern!(exact_with_underscores, "__utma", Exact, "__utma", ["__utma"], ["__utmb", "__utma_x"]);
    pattern!(exact_unicode, "größe", Exact, "größe", ["größe"], ["GRÖSSE", "grösse"]);
    pattern!(
        exact_secure_prefix,
        "__Host-session",
        Exact,
        "__Host-session",
        ["__Host-session"],
        ["__host-session"]
    );
    pattern!(
        prefix,
        "_ga_*",
        Prefix,
        "_ga_",
        ["_ga_ABC123", "_ga_"],
        ["_ga", "_GA_ABC", "x_ga_ABC", "_gat"]
    );
    pattern!(
        suffix,
        "*_session",
        Suffix,
        "_session",
        ["laravel_session", "_session"],
        ["session", "laravel_session2", "laravel_SESSION"]
    );
    pattern!(
        contains,
        "*track*",
        Contains,
        "track",
        ["track", "_tracking_id", "mytrack", "trackme"],
        ["Track", "trac", "tr-ack"]
    );
    pattern!(single_char_literals, "*a*", Contains, "a", ["a", "bab"], ["b", "A"]);
    pattern!(prefix_of_one, "x*", Prefix, "x", ["x", "xyz"], ["yx"]);
    pattern!(odd_but_legal_chars, "a.b-c[]*", Prefix, "a.b-c[]", ["a.b-c[]d"], ["a.b-c"]);

    /// `pattern_err!(name, "written", Variant)` for value-only variants.
    macro_rules! pattern_err {
        ($name:ident, [$(($written:expr, $variant:path)),* $(,)?]) => {
            #[test]
            fn $name() {
                $(assert_eq!(
                    NamePattern::parse($written),
                    Err($variant($written.to_string())),
                    "{:?}",
                    $written
                );)*
            }
        };
    }

    pattern_err!(
        rejects_match_all,
        [
            ("*", PatternError::MatchesAll),
            ("**", PatternError::MatchesAll),
            ("***", PatternError::MatchesAll),
        ]
    );

    pattern_err!(
        rejects_inner_star,
        [
            ("a*b", PatternError::InnerStar),
            ("_ga*_*", PatternError::InnerStar),
            ("*a*b*", PatternError::InnerStar),
            ("**a", PatternError::InnerStar),
            ("a**", PatternError::InnerStar),
        ]
    );

    #[test]
    fn rejects_empty() {
        assert_eq!(NamePattern::parse(""), Err(PatternError::Empty));
    }

    #[test]
    fn rejects_characters_cookie_names_cannot_hold() {
        for (written, c) in [
            ("a b", ' '),
            (" ab", ' '),
            ("ab ", ' '),
            ("a\tb", '\t'),
            ("a\nb", '\n'),
            ("a\u{0}b", '\u{0}'),
            ("a\u{7f}", '\u{7f}'),
            ("a\u{85}", '\u{85}'),
            ("a\u{3000}b", '\u{3000}'),
            ("a=b", '='),
            ("a;b", ';'),
            ("a,b", ','),
            ("\"a\"", '"'),
            ("_ga =*", ' '),
            ("* a", ' '),
        ] {
            assert_eq!(
                NamePattern::parse(written),
                Err(PatternError::InvalidChar(written.to_string(), c)),
                "{written:?}"
            );
        }
    }

    #[test]
    fn error_messages_are_lowercase_and_name_the_value() {
        for written in ["*", "a*b", "a=b"] {
            let message = NamePattern::parse(written).unwrap_err().to_string();
            assert!(message.starts_with("cookie name \""), "{message}");
            assert!(message.contains(&format!("{written:?}")), "{message}");
        }
        assert_eq!(NamePattern::parse("").unwrap_err().to_string(), "cookie name is empty");
    }

    #[test]
    fn from_str_is_parse() {
        assert_eq!("_ga_*".parse::<NamePattern>(), NamePattern::parse("_ga_*"));
        assert_eq!("a*b".parse::<NamePattern>(), Err(PatternError::InnerStar("a*b".into())));
    }

    #[test]
    fn specificity_orders_exact_then_prefix_suffix_then_contains() {
        let s = |w: &str| NamePattern::parse(w).unwrap().specificity();
        // Tiers, whatever the lengths.
        assert!(s("a") > s("averyverylongprefix_*"));
        assert!(s("a*") > s("*averyverylonginfix*"));
        assert!(s("*a") > s("*averyverylonginfix*"));
        // Within a tier, longer literal wins.
        assert!(s("_ga_*") > s("_ga*"));
        assert!(s("*_session") > s("*ession"));
        assert!(s("*tracker*") > s("*track*"));
        // Prefix and suffix of the same length tie.
        assert_eq!(s("_ga*"), s("*_ga"));
        // A huge literal stays in its tier.
        let long = format!("{}*", "x".repeat(2_000_000));
        assert!(NamePattern::parse(&long).unwrap().specificity() < s("a"));
    }

    #[test]
    fn most_specific_matching_rule_wins() {
        let rules: Vec<NamePattern> = ["*ga*", "_ga*", "_ga_*", "_ga_XYZ", "*XYZ"]
            .iter()
            .map(|w| NamePattern::parse(w).unwrap())
            .collect();
        let best = |name: &str| {
            rules
                .iter()
                .filter(|p| p.matches(name))
                .max_by_key(|p| p.specificity())
                .map(|p| p.as_str())
        };
        assert_eq!(best("_ga_XYZ"), Some("_ga_XYZ"));
        assert_eq!(best("_ga_ABC"), Some("_ga_*"));
        assert_eq!(best("_gat"), Some("_ga*"));
        assert_eq!(best("utmga"), Some("*ga*"));
        assert_eq!(best("abcXYZ"), Some("*XYZ"));
        assert_eq!(best("PHPSESSID"), None);
    }
}
