//! A small JSON parser that remembers where every value and key was written.
//!
//! The cookie table is edited by hand, and a compliance person must be told
//! *where* a mistake is: this parser keeps the line and column of each value
//! and key, keeps duplicate keys (so the validator can report them instead of
//! silently keeping the last), and never panics. It also stands in for
//! serde_json in the browser build, where every kilobyte is downloaded by every
//! visitor: numbers are kept as their written text (no float parsing code), and
//! the tree is walked by hand by `table::parse` to collect every error at once.
//!
//! Invariants: input of any bytes yields `Ok` or `Err`, never a panic; nesting
//! deeper than [`MAX_DEPTH`] is an error, so hostile input cannot overflow the
//! stack.

use std::fmt;

/// Nesting limit for arrays and objects. A real cookie table nests 4 deep.
pub const MAX_DEPTH: usize = 64;

/// A position in the source text, both 1-based. Columns count characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    /// Line number, starting at 1.
    pub line: u32,
    /// Column number in characters, starting at 1.
    pub column: u32,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// A JSON value and the position of its first character.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    /// Where the value starts.
    pub pos: Pos,
    /// What the value is.
    pub kind: Kind,
}

/// The kinds of JSON values.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// `null`
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A number, kept as written (validated against the JSON grammar).
    Number(String),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object, members in written order, duplicates kept.
    Object(Vec<Member>),
}

/// One `"key": value` pair of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The key, unescaped.
    pub key: String,
    /// Where the key's opening quote is.
    pub key_pos: Pos,
    /// The value.
    pub value: Value,
}

impl Value {
    /// The string, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is `true` or `false`.
    pub fn as_bool(&self) -> Option<bool> {
        match self.kind {
            Kind::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The number as a non-negative integer, if it is written as one
    /// (no fraction, no exponent) and fits.
    pub fn as_u64(&self) -> Option<u64> {
        match &self.kind {
            Kind::Number(text) => text.parse().ok(),
            _ => None,
        }
    }

    /// The members, if this is an object.
    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.kind {
            Kind::Object(members) => Some(members),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&[Value]> {
        match &self.kind {
            Kind::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The first member called `key`, if this is an object that has one.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object()?.iter().find(|m| m.key == key).map(|m| &m.value)
    }

    /// A short name for the kind of value, for error messages ("a string").
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            Kind::Null => "null",
            Kind::Bool(_) => "a boolean",
            Kind::Number(_) => "a number",
            Kind::String(_) => "a string",
            Kind::Array(_) => "an array",
            Kind::Object(_) => "an object",
        }
    }
}

/// Why the text is not JSON, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} at line {pos}")]
pub struct ParseError {
    /// Where the problem is.
    pub pos: Pos,
    /// What the problem is.
    pub kind: ParseErrorKind,
}

/// The ways text can fail to be JSON.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// The text ended in the middle of a value.
    #[error("unexpected end of the file")]
    UnexpectedEnd,
    /// A character that cannot start or continue what was expected.
    #[error("unexpected character {} (expected {})", QuotedChar(*.0), .1)]
    Unexpected(char, &'static str),
    /// Something follows the complete value.
    #[error("unexpected {} after the end of the JSON value", QuotedChar(*.0))]
    TrailingCharacters(char),
    /// A number not in JSON's grammar (leading zeros, a lone `-`, `1.`).
    #[error("malformed number")]
    BadNumber,
    /// A backslash escape JSON does not have.
    #[error("invalid escape sequence in a string")]
    BadEscape,
    /// A `\u` escape that is not a valid character (a lone surrogate).
    #[error("invalid \\u escape: {0}")]
    BadUnicode(&'static str),
    /// A raw control character (newline, tab) inside a string.
    #[error("control character in a string (write it as an escape such as \\n)")]
    ControlCharacter,
    /// Nesting deeper than [`MAX_DEPTH`].
    #[error("nested deeper than {MAX_DEPTH} levels")]
    TooDeep,
}

/// Parse `text` as one JSON value. A leading byte-order mark is allowed.
pub fn parse(text: &str) -> Result<Value, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut parser = Parser { text, at: 0, line: 1, column: 1, depth: 0 };
    parser.skip_whitespace();
    let value = parser.value()?;
    parser.skip_whitespace();
    match parser.peek() {
        None => Ok(value),
        Some(c) => Err(parser.error(ParseErrorKind::TrailingCharacters(c))),
    }
}

struct Parser<'a> {
    text: &'a str,
    /// Byte offset of the next character.
    at: usize,
    line: u32,
    column: u32,
    depth: usize,
}

impl Parser<'_> {
    fn pos(&self) -> Pos {
        Pos { line: self.line, column: self.column }
    }

    #[cold]
    #[inline(never)]
    fn error(&self, kind: ParseErrorKind) -> ParseError {
        ParseError { pos: self.pos(), kind }
    }

    fn peek(&self) -> Option<char> {
        // ASCII (nearly all of a table) without decoding UTF-8; the rest
        // through the checked slice.
        match self.text.as_bytes().get(self.at) {
            Some(&b) if b < 0x80 => Some(char::from(b)),
            Some(_) => self.text.get(self.at..)?.chars().next(),
            None => None,
        }
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += c.len_utf8();
        if c == '\n' {
            self.line = self.line.saturating_add(1);
            self.column = 1;
        } else {
            self.column = self.column.saturating_add(1);
        }
        Some(c)
    }

    fn skip_whitespace(&mut self) {
        while let Some(' ' | '\t' | '\n' | '\r') = self.peek() {
            self.bump();
        }
    }

    /// The next character, which must be present.
    fn next_char(&mut self) -> Result<char, ParseError> {
        self.bump().ok_or_else(|| self.error(ParseErrorKind::UnexpectedEnd))
    }

    fn expect(&mut self, wanted: char, expected: &'static str) -> Result<(), ParseError> {
        let pos = self.pos();
        match self.next_char()? {
            c if c == wanted => Ok(()),
            c => Err(ParseError { pos, kind: ParseErrorKind::Unexpected(c, expected) }),
        }
    }

    fn value(&mut self) -> Result<Value, ParseError> {
        let pos = self.pos();
        let kind = match self.peek() {
            None => return Err(self.error(ParseErrorKind::UnexpectedEnd)),
            Some('{') => self.object()?,
            Some('[') => self.array()?,
            Some('"') => Kind::String(self.string()?),
            Some('t') => self.literal("true", Kind::Bool(true))?,
            Some('f') => self.literal("false", Kind::Bool(false))?,
            Some('n') => self.literal("null", Kind::Null)?,
            Some('-' | '0'..='9') => Kind::Number(self.number()?),
            Some(c) => return Err(self.error(ParseErrorKind::Unexpected(c, "a JSON value"))),
        };
        Ok(Value { pos, kind })
    }

    fn literal(&mut self, word: &'static str, kind: Kind) -> Result<Kind, ParseError> {
        for wanted in word.chars() {
            self.expect(wanted, word)?;
        }
        Ok(kind)
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(ParseErrorKind::TooDeep));
        }
        Ok(())
    }

    fn array(&mut self) -> Result<Kind, ParseError> {
        self.enter()?;
        self.bump(); // '['
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(']') {
            self.bump();
        } else {
            loop {
                self.skip_whitespace();
                items.push(self.value()?);
                self.skip_whitespace();
                let pos = self.pos();
                match self.next_char()? {
                    ',' => continue,
                    ']' => break,
                    c => {
                        let kind = ParseErrorKind::Unexpected(c, "',' or ']'");
                        return Err(ParseError { pos, kind });
                    }
                }
            }
        }
        self.depth -= 1;
        Ok(Kind::Array(items))
    }

    fn object(&mut self) -> Result<Kind, ParseError> {
        self.enter()?;
        self.bump(); // '{'
        let mut members = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some('}') {
            self.bump();
        } else {
            loop {
                self.skip_whitespace();
                let key_pos = self.pos();
                match self.peek() {
                    Some('"') => {}
                    Some(c) => {
                        let kind = ParseErrorKind::Unexpected(c, "a key in double quotes");
                        return Err(self.error(kind));
                    }
                    None => return Err(self.error(ParseErrorKind::UnexpectedEnd)),
                }
                let key = self.string()?;
                self.skip_whitespace();
                self.expect(':', "':' after the key")?;
                self.skip_whitespace();
                let value = self.value()?;
                members.push(Member { key, key_pos, value });
                self.skip_whitespace();
                let pos = self.pos();
                match self.next_char()? {
                    ',' => continue,
                    '}' => break,
                    c => {
                        let kind = ParseErrorKind::Unexpected(c, "',' or '}'");
                        return Err(ParseError { pos, kind });
                    }
                }
            }
        }
        self.depth -= 1;
        Ok(Kind::Object(members))
    }

    fn string(&mut self) -> Result<String, ParseError> {
        self.bump(); // opening quote
        let mut out = String::new();
        loop {
            // A run of ASCII without quotes, escapes or control characters
            // is copied at once (columns count one per byte there).
            let rest = self.text.as_bytes().get(self.at..).unwrap_or_default();
            let run = rest
                .iter()
                .take_while(|&&b| b >= b' ' && b < 0x80 && b != b'"' && b != b'\\')
                .count();
            if run > 0 {
                out.push_str(self.text.get(self.at..self.at + run).unwrap_or_default());
                self.at += run;
                self.column = self.column.saturating_add(run as u32);
            }
            let pos = self.pos();
            match self.next_char()? {
                '"' => return Ok(out),
                '\\' => out.push(self.escape(pos)?),
                c if c < ' ' => {
                    return Err(ParseError { pos, kind: ParseErrorKind::ControlCharacter })
                }
                c => out.push(c),
            }
        }
    }

    /// After a backslash: the character the escape stands for.
    fn escape(&mut self, start: Pos) -> Result<char, ParseError> {
        let bad = |kind| ParseError { pos: start, kind };
        Ok(match self.next_char()? {
            '"' => '"',
            '\\' => '\\',
            '/' => '/',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'u' => {
                let first = self.hex4().ok_or_else(|| bad(ParseErrorKind::BadEscape))?;
                match first {
                    0xD800..=0xDBFF => {
                        // A high surrogate must be followed by `\u` + a low one.
                        let low = match (self.bump(), self.bump()) {
                            (Some('\\'), Some('u')) => self.hex4(),
                            _ => None,
                        };
                        let low = low.filter(|l| (0xDC00..=0xDFFF).contains(l));
                        let low = low
                            .ok_or_else(|| bad(ParseErrorKind::BadUnicode("unpaired surrogate")))?;
                        let code = 0x10000 + ((first - 0xD800) << 10) + (low - 0xDC00);
                        char::from_u32(code)
                            .ok_or_else(|| bad(ParseErrorKind::BadUnicode("not a character")))?
                    }
                    0xDC00..=0xDFFF => {
                        return Err(bad(ParseErrorKind::BadUnicode("unpaired surrogate")))
                    }
                    code => char::from_u32(code)
                        .ok_or_else(|| bad(ParseErrorKind::BadUnicode("not a character")))?,
                }
            }
            _ => return Err(bad(ParseErrorKind::BadEscape)),
        })
    }

    fn hex4(&mut self) -> Option<u32> {
        let mut code = 0;
        for _ in 0..4 {
            code = code * 16 + self.bump()?.to_digit(16)?;
        }
        Some(code)
    }

    fn number(&mut self) -> Result<String, ParseError> {
        let start = self.at;
        let pos = self.pos();
        let bad = ParseError { pos, kind: ParseErrorKind::BadNumber };
        if self.peek() == Some('-') {
            self.bump();
        }
        match self.peek() {
            Some('0') => {
                self.bump();
                if matches!(self.peek(), Some('0'..='9')) {
                    return Err(bad);
                }
            }
            Some('1'..='9') => self.digits(),
            _ => return Err(bad),
        }
        if self.peek() == Some('.') {
            self.bump();
            if !matches!(self.peek(), Some('0'..='9')) {
                return Err(bad);
            }
            self.digits();
        }
        if let Some('e' | 'E') = self.peek() {
            self.bump();
            if let Some('+' | '-') = self.peek() {
                self.bump();
            }
            if !matches!(self.peek(), Some('0'..='9')) {
                return Err(bad);
            }
            self.digits();
        }
        Ok(self.text.get(start..self.at).unwrap_or_default().to_string())
    }

    fn digits(&mut self) {
        while let Some('0'..='9') = self.peek() {
            self.bump();
        }
    }
}

/// A value in an error message, in double quotes, with quotes, backslashes,
/// control characters and bidi controls escaped (`\u{202e}`), so a message
/// can neither break a terminal nor reorder the text around it.
///
/// Written by hand rather than with `{:?}`: Rust's debug escaping brings
/// Unicode tables of several kilobytes into the browser build.
pub struct Quoted<'a>(pub &'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"")?;
        for c in self.0.chars() {
            write_escaped_char(f, c, '"')?;
        }
        f.write_str("\"")
    }
}

/// A character in an error message, in single quotes, escaped like
/// [`Quoted`].
pub struct QuotedChar(pub char);

impl fmt::Display for QuotedChar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("'")?;
        write_escaped_char(f, self.0, '\'')?;
        f.write_str("'")
    }
}

fn write_escaped_char(f: &mut fmt::Formatter<'_>, c: char, quote: char) -> fmt::Result {
    let invisible = c < ' '
        || ('\u{7f}'..='\u{9f}').contains(&c)
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{feff}');
    if c == quote || c == '\\' {
        write!(f, "\\{c}")
    } else if invisible {
        write!(f, "\\u{{{:x}}}", c as u32)
    } else {
        write!(f, "{c}")
    }
}

/// Append `s` to `out` as a JSON string literal, quotes included.
///
/// Escapes what JSON requires, plus `<`, `>` and `&` so the result can be
/// placed inside an inline `<script>` element without closing it, and
/// U+2028/U+2029 which old JavaScript parsers treat as line ends.
pub fn write_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c < ' ' || matches!(c, '<' | '>' | '&' | '\u{2028}' | '\u{2029}') => {
                push_unicode_escape(out, c)
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn push_unicode_escape(out: &mut String, c: char) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let code = c as u32;
    out.push_str("\\u");
    for shift in [12, 8, 4, 0] {
        let digit = HEX.get(((code >> shift) & 0xF) as usize).copied().unwrap_or(b'0');
        out.push(char::from(digit));
    }
}

/// Append `value` to `out` as compact JSON text (no whitespace).
pub fn write_value(out: &mut String, value: &Value) {
    match &value.kind {
        Kind::Null => out.push_str("null"),
        Kind::Bool(true) => out.push_str("true"),
        Kind::Bool(false) => out.push_str("false"),
        Kind::Number(text) => out.push_str(text),
        Kind::String(s) => write_str(out, s),
        Kind::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Kind::Object(members) => {
            out.push('{');
            for (i, member) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_str(out, &member.key);
                out.push(':');
                write_value(out, &member.value);
            }
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> ParseError {
        parse(text).expect_err(text)
    }

    fn at(line: u32, column: u32) -> Pos {
        Pos { line, column }
    }

    #[test]
    fn scalars() {
        assert_eq!(parse("null").unwrap().kind, Kind::Null);
        assert_eq!(parse(" true ").unwrap().as_bool(), Some(true));
        assert_eq!(parse("false").unwrap().as_bool(), Some(false));
        assert_eq!(parse("182").unwrap().as_u64(), Some(182));
        assert_eq!(parse("-1.5e3").unwrap().kind, Kind::Number("-1.5e3".into()));
        assert_eq!(parse("1.5").unwrap().as_u64(), None);
        assert_eq!(parse("\"hi\"").unwrap().as_str(), Some("hi"));
    }

    #[test]
    fn positions_of_values_and_keys() {
        let text = "{\n  \"a\": [1,\n   \"x\"],\n  \"bé\": true}";
        let v = parse(text).unwrap();
        let members = v.as_object().unwrap();
        assert_eq!(members[0].key_pos, at(2, 3));
        assert_eq!(members[0].value.pos, at(2, 8));
        let items = members[0].value.as_array().unwrap();
        assert_eq!(items[1].pos, at(3, 4));
        // Columns count characters, not bytes: "bé" is two characters.
        assert_eq!(members[1].key_pos, at(4, 3));
        assert_eq!(members[1].value.pos, at(4, 9));
    }

    #[test]
    fn duplicate_keys_are_kept_in_order() {
        let v = parse(r#"{"a":1,"a":2}"#).unwrap();
        let members = v.as_object().unwrap();
        assert_eq!(members.len(), 2);
        assert_eq!(members[1].value.as_u64(), Some(2));
        assert_eq!(v.get("a").unwrap().as_u64(), Some(1));
    }

    #[test]
    fn escapes() {
        let v = parse(r#""a\"b\\c\/d\n\u00e9\ud83d\ude00""#).unwrap();
        assert_eq!(v.as_str(), Some("a\"b\\c/d\né😀"));
    }

    #[test]
    fn byte_order_mark_is_skipped() {
        assert_eq!(parse("\u{feff}{}").unwrap().as_object().map(<[_]>::len), Some(0));
    }

    #[test]
    fn crlf_counts_one_line() {
        let e = err("{\r\n\"a\": tru }");
        assert_eq!(e.pos.line, 2);
    }

    #[test]
    fn errors_say_what_and_where() {
        let cases: &[(&str, Pos, ParseErrorKind)] = &[
            ("", at(1, 1), ParseErrorKind::UnexpectedEnd),
            ("{", at(1, 2), ParseErrorKind::UnexpectedEnd),
            ("{\"a\" 1}", at(1, 6), ParseErrorKind::Unexpected('1', "':' after the key")),
            ("{\"a\":1,}", at(1, 8), ParseErrorKind::Unexpected('}', "a key in double quotes")),
            ("[1 2]", at(1, 4), ParseErrorKind::Unexpected('2', "',' or ']'")),
            ("{a:1}", at(1, 2), ParseErrorKind::Unexpected('a', "a key in double quotes")),
            ("[1]x", at(1, 4), ParseErrorKind::TrailingCharacters('x')),
            ("01", at(1, 1), ParseErrorKind::BadNumber),
            ("-", at(1, 1), ParseErrorKind::BadNumber),
            ("1.", at(1, 1), ParseErrorKind::BadNumber),
            ("1e", at(1, 1), ParseErrorKind::BadNumber),
            ("\"\\x\"", at(1, 2), ParseErrorKind::BadEscape),
            ("\"\\u12\"", at(1, 2), ParseErrorKind::BadEscape),
            ("\"\\ud800\"", at(1, 2), ParseErrorKind::BadUnicode("unpaired surrogate")),
            ("\"\\udc00\"", at(1, 2), ParseErrorKind::BadUnicode("unpaired surrogate")),
            ("\"a\nb\"", at(1, 3), ParseErrorKind::ControlCharacter),
            ("nul", at(1, 4), ParseErrorKind::UnexpectedEnd),
            ("trux", at(1, 4), ParseErrorKind::Unexpected('x', "true")),
            ("'a'", at(1, 1), ParseErrorKind::Unexpected('\'', "a JSON value")),
        ];
        for (text, pos, kind) in cases {
            let e = err(text);
            assert_eq!((&e.pos, &e.kind), (pos, kind), "input {text:?}");
        }
    }

    #[test]
    fn error_message_names_line_and_column() {
        let e = err("{\n  \"a\": 1,\n  \"b\" 2\n}");
        assert_eq!(
            e.to_string(),
            "unexpected character '2' (expected ':' after the key) at line 3:7"
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        assert_eq!(err(&deep).kind, ParseErrorKind::TooDeep);
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn write_str_escapes_for_json_and_script_elements() {
        let mut out = String::new();
        write_str(&mut out, "a\"\\\n\u{1}</script>&\u{2028}é");
        assert_eq!(out, r#""a\"\\\n\u0001\u003c/script\u003e\u0026\u2028é""#);
        assert_eq!(parse(&out).unwrap().as_str(), Some("a\"\\\n\u{1}</script>&\u{2028}é"));
    }

    #[test]
    fn write_value_round_trips() {
        let text = r#"{"a":[1,-2.5e3,true,false,null],"b":{"c":"d\"e"},"a":{}}"#;
        let v = parse(text).unwrap();
        let mut out = String::new();
        write_value(&mut out, &v);
        assert_eq!(out, text);
    }
}
