/*!
The HTML rewriter behind `consent-guard tag`: hard-coded tracker tags become
held markup, and nothing else in the file changes.

The browser's preload scanner fetches `<script src>` and `<img src>` written
in the HTML before any script (consent-guard included) can act, so the
runtime can stop such a script from *running* but not from being
*requested*. [`rewrite`] fixes the markup instead. For every start tag

| tag | when | becomes |
|---|---|---|
| `<script src=…>` | `src` is on a host of a service in the table | `type="text/plain"` (the old `type`, if any, kept as `data-type`), `data-category`, `data-service`; `src` stays (a `text/plain` script is never fetched) |
| `<img src=… srcset=…>` | `src` or any `srcset` candidate is on a service host | `src` → `data-src`, `srcset` → `data-srcset`, plus `data-category` and `data-service` |
| `<iframe src=…>` | `src` is on a service host | `src` → `data-src`, plus `data-category` and `data-service` |

The new attributes are inserted right after the tag name, attribute names
are renamed by prefixing `data-`; nothing is removed, so the rewritten tag
is the original with insertions. Every byte outside the rewritten start
tags is left as it was.

A tag that is already held is left exactly as it is, which makes the
rewrite idempotent: a script with a `type` that browsers do not run
(`text/plain`, `application/json`, `text/template`…), an image or iframe
with `data-src` and no tracker `src`. `data-category` alone holds nothing
(the browser still runs or loads the tag), so such a tag is completed, and
markup the author wrote (`data-category`, `data-service`) is kept. Relative URLs are
first-party (unless a `<base href>` earlier in the document points at a
service host), and so are absolute URLs whose host is in no service.

## Tokenizing

A small tokenizer that follows the WHATWG tokenizer where it decides what
is a tag: comments (`<!-- … -->`, `--!>`, `<!-->`), bogus comments (`<?…>`,
`<!…>`, `</1…>`), doctypes, raw text elements (`script` with its escape
states, `style`, `xmp`, `iframe`, `noembed`, `noframes`), RCDATA (`textarea`,
`title`), `plaintext`, CDATA sections inside `<svg>`/`<math>`; attributes
double-, single- and un-quoted (a `>` inside quotes does not end the tag),
names in any case, duplicate attributes (the first wins, as in browsers, and
every duplicate of a renamed attribute is renamed too so none takes over),
character references in values (`&amp;`, numeric ones, and every named
reference for an ASCII character) decoded before the host is read. A start
tag cut off by the end of the input is not a tag (browsers drop it).

Where the tokenizer cannot know what a browser would do (it builds no
tree), it leaves bytes alone rather than risk rewriting text:
`script`/`style`/`title`… contents are skipped as raw text even inside
`<svg>`; `<noscript>` contents *are* rewritten — a visitor without
JavaScript cannot consent, so their trackers must not load either.

## Fragments and `document.write`

The input need not be a document: any string is tokenized from the data
state, so a fragment such as
`<script src="https://www.google-analytics.com/ga.js"></script>` handed to
`document.write` is rewritten like the same tag in a file. A caller that
receives HTML in pieces (`document.write('<scr'); document.write('ipt …')`)
can use [`Rewrite::unfinished`]: the byte offset where a start tag began that
the input cut off, so the tail can be kept and prepended to the next piece.

Nothing here panics, whatever the input.
*/
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::string_slice
)]

use std::borrow::Cow;

use crate::decide::service_for_host;
use crate::host::url_host;
use crate::table::{ServiceId, Table};

/// The result of [`rewrite`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewrite {
    /// The input with every tracker tag held.
    pub html: String,
    /// What changed, in document order.
    pub changes: Vec<Change>,
    /// Byte offset in the input of a start tag the input ends inside (or of
    /// a final `<`): left unchanged here, to be completed by a next piece.
    pub unfinished: Option<usize>,
}

/// One tracker tag that [`rewrite`] holds (or, for [`untagged`], would hold).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// 1-based line of the tag's `<` (`\n`, `\r\n` and `\r` end lines).
    pub line: u32,
    /// 1-based column of the tag's `<`, in characters.
    pub column: u32,
    /// Byte offset of the tag's `<` in the input.
    pub offset: usize,
    /// The tag name, lower-cased (`script`, `img`, `image`, `iframe`).
    pub tag_name: String,
    /// The attribute whose URL matched: `src` or `srcset`.
    pub attribute: &'static str,
    /// The URL that matched, with character references decoded.
    pub url: String,
    /// The service the URL's host belongs to.
    pub service_id: String,
    /// That service's category: what the visitor must grant.
    pub category_id: String,
    /// The start tag as it was, `<` to `>`.
    pub original: String,
    /// The start tag as it becomes.
    pub rewritten: String,
}

/// Hold every tracker `<script>`, `<img>` and `<iframe>` of `html` (a whole
/// document or a fragment) whose URL host belongs to a service of `table`.
pub fn rewrite(html: &str, table: &Table) -> Rewrite {
    let (changes, unfinished) = plan(html, table);
    let extra: usize =
        changes.iter().map(|c| c.rewritten.len().saturating_sub(c.original.len())).sum();
    let mut out = String::with_capacity(html.len() + extra);
    let mut at = 0;
    for change in &changes {
        out.push_str(html.get(at..change.offset).unwrap_or_default());
        out.push_str(&change.rewritten);
        at = change.offset + change.original.len();
    }
    out.push_str(html.get(at..).unwrap_or_default());
    Rewrite { html: out, changes, unfinished }
}

/// The tracker tags of `html` that are not held yet (what `tag --check`
/// lists): exactly the changes [`rewrite`] would make.
pub fn untagged(html: &str, table: &Table) -> Vec<Change> {
    plan(html, table).0
}

/// Which rewrite a tag gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Script,
    Image,
    Frame,
}

fn plan(html: &str, table: &Table) -> (Vec<Change>, Option<usize>) {
    let mut tokens = Tokenizer::new(html);
    let mut lines = Lines { html, at: 0, line: 1, column: 1 };
    let mut changes = Vec::new();
    // The first `<base href>`: `Some(host)`, `Some(None)` when first-party.
    let mut base: Option<Option<String>> = None;
    while let Some(tag) = tokens.next_start_tag() {
        let kind = match tag.name.as_str() {
            "script" => Kind::Script,
            "img" => Kind::Image,
            // The tree builder turns `<image>` into `<img>` outside SVG.
            "image" if tokens.foreign == 0 => Kind::Image,
            "iframe" => Kind::Frame,
            "base" => {
                if base.is_none() {
                    if let Some(href) = tag.value(html, "href") {
                        base = Some(url_host(&decode(href)));
                    }
                }
                continue;
            }
            _ => continue,
        };
        let base_host = base.as_ref().and_then(Option::as_deref);
        if let Some(mut change) = plan_tag(html, table, &tag, kind, base_host) {
            (change.line, change.column) = lines.advance(change.offset);
            changes.push(change);
        }
    }
    (changes, tokens.unfinished)
}

/// The change for one start tag, or `None` when it is not a tracker tag or
/// is already held.
fn plan_tag(
    html: &str,
    table: &Table,
    tag: &StartTag,
    kind: Kind,
    base_host: Option<&str>,
) -> Option<Change> {
    // `data-category` alone holds nothing: a script still runs unless its
    // type says otherwise, and an image or iframe still loads its `src`. So
    // a tag counts as held by what the browser would do with it.
    let (attribute, url, service) = match kind {
        Kind::Script => {
            let language = tag.value(html, "language").map(decode);
            if !runs_as_script(tag.value(html, "type").map(decode).as_deref(), language.as_deref())
            {
                return None;
            }
            let src = decode(tag.value(html, "src")?);
            let service = service_of(table, &src, base_host)?;
            ("src", src.into_owned(), service)
        }
        Kind::Image | Kind::Frame => {
            if tag.has(html, "data-src") {
                return None;
            }
            let src = tag.value(html, "src").map(decode);
            match src.as_deref().and_then(|s| service_of(table, s, base_host)) {
                Some(service) => ("src", src.unwrap_or_default().into_owned(), service),
                None if kind == Kind::Image => {
                    let srcset = decode(tag.value(html, "srcset")?);
                    srcset_urls(&srcset).into_iter().find_map(|url| {
                        service_of(table, url, base_host).map(|s| ("srcset", url.to_string(), s))
                    })?
                }
                None => return None,
            }
        }
    };
    let service_entry = table.service(service)?;
    let category_id = table.category(service_entry.category).id.clone();

    let mut added = String::new();
    if kind == Kind::Script {
        added.push_str(" type=\"text/plain\"");
    }
    // Markup the author already wrote stays theirs.
    if !tag.has(html, "data-category") {
        added.push_str(" data-category=\"");
        push_attr_value(&mut added, &category_id);
        added.push('"');
    }
    if !tag.has(html, "data-service") {
        added.push_str(" data-service=\"");
        push_attr_value(&mut added, &service_entry.id);
        added.push('"');
    }

    let renamed: &[&str] = match kind {
        // Our `type` comes first and wins; the old one becomes `data-type`
        // unless the author already wrote one.
        Kind::Script if tag.has(html, "data-type") => &[],
        Kind::Script => &["type"],
        Kind::Image => &["src", "srcset"],
        Kind::Frame => &["src"],
    };
    let mut rewritten = String::with_capacity(tag.end - tag.start + added.len() + 16);
    rewritten.push_str(html.get(tag.start..tag.name_end)?);
    rewritten.push_str(&added);
    let mut at = tag.name_end;
    for attr in &tag.attrs {
        let name = html.get(attr.name.0..attr.name.1)?;
        if renamed.iter().any(|r| r.eq_ignore_ascii_case(name)) {
            rewritten.push_str(html.get(at..attr.name.0)?);
            rewritten.push_str("data-");
            at = attr.name.0;
        }
    }
    rewritten.push_str(html.get(at..tag.end)?);

    Some(Change {
        line: 0,
        column: 0,
        offset: tag.start,
        tag_name: tag.name.clone(),
        attribute,
        url,
        service_id: service_entry.id.clone(),
        category_id,
        original: html.get(tag.start..tag.end)?.to_string(),
        rewritten,
    })
}

/// The service whose host `url` is on. Relative URLs resolve against the
/// `<base href>` host, or are first-party without one.
fn service_of(table: &Table, url: &str, base_host: Option<&str>) -> Option<ServiceId> {
    let host = match url_host(url) {
        Some(host) => host,
        None if is_relative(url) => base_host?.to_string(),
        None => return None,
    };
    service_for_host(table, &host)
}

/// A URL without a scheme and not protocol-relative (`ga.js`, `/x`, `?q`).
/// Empty means "this document", which no `src` fetches.
fn is_relative(url: &str) -> bool {
    let url = url.trim_matches(|c: char| c <= ' ');
    if url.is_empty() || url.starts_with("//") || url.starts_with("\\\\") {
        return false;
    }
    let scheme_len = url
        .bytes()
        .enumerate()
        .take_while(|&(i, b)| {
            b.is_ascii_alphabetic() || (i > 0 && (b.is_ascii_digit() || b"+-.".contains(&b)))
        })
        .count();
    url.as_bytes().get(scheme_len) != Some(&b':') || scheme_len == 0
}

/// Whether a browser would fetch and run a `<script src>` with this `type`
/// and `language` (HTML "prepare the script element"). A `type` with
/// parameters counts by its essence, so doubtful cases are held.
fn runs_as_script(type_attr: Option<&str>, language: Option<&str>) -> bool {
    let essence = |t: &str| -> bool {
        let t = t.split(';').next().unwrap_or_default().trim_matches(is_html_space);
        JS_MIME_TYPES.iter().any(|js| js.eq_ignore_ascii_case(t))
    };
    match (type_attr, language) {
        (Some(t), _) => {
            let t = t.trim_matches(is_html_space);
            t.is_empty() || t.eq_ignore_ascii_case("module") || essence(t)
        }
        (None, Some(l)) if !l.is_empty() => essence(&format!("text/{l}")),
        (None, _) => true,
    }
}

/// The JavaScript MIME type essences of the MIME Sniffing standard.
const JS_MIME_TYPES: [&str; 16] = [
    "application/ecmascript",
    "application/javascript",
    "application/x-ecmascript",
    "application/x-javascript",
    "text/ecmascript",
    "text/javascript",
    "text/javascript1.0",
    "text/javascript1.1",
    "text/javascript1.2",
    "text/javascript1.3",
    "text/javascript1.4",
    "text/javascript1.5",
    "text/jscript",
    "text/livescript",
    "text/x-ecmascript",
    "text/x-javascript",
];

/// The URLs of a `srcset` value (HTML "parse a srcset attribute"; the
/// descriptors are skipped, including commas inside parentheses).
fn srcset_urls(value: &str) -> Vec<&str> {
    let bytes = value.as_bytes();
    let mut urls = Vec::new();
    let mut i = 0;
    loop {
        while bytes.get(i).is_some_and(|&b| is_space(b) || b == b',') {
            i += 1;
        }
        if i >= bytes.len() {
            return urls;
        }
        let start = i;
        while bytes.get(i).is_some_and(|&b| !is_space(b)) {
            i += 1;
        }
        let mut end = i;
        while end > start && bytes.get(end - 1) == Some(&b',') {
            end -= 1;
        }
        if let Some(url) = value.get(start..end) {
            urls.push(url);
        }
        if end < i {
            continue; // trailing commas end the candidate
        }
        let mut in_parens = false;
        while let Some(&b) = bytes.get(i) {
            i += 1;
            match b {
                b'(' => in_parens = true,
                b')' => in_parens = false,
                b',' if !in_parens => break,
                _ => {}
            }
        }
    }
}

/// Append `value` escaped for a double-quoted attribute value.
fn push_attr_value(out: &mut String, value: &str) {
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

/// HTML's ASCII whitespace (CR included: the input stream turns it into LF).
fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0c | b'\r' | b' ')
}

fn is_html_space(c: char) -> bool {
    u8::try_from(c).is_ok_and(is_space)
}

// ---------------------------------------------------------------------------
// Character references in attribute values.

/// An attribute value with its character references decoded, as the
/// tokenizer would: numeric references, every named reference for an ASCII
/// character (and `&nbsp;`), the legacy ones without `;` (`&amp`, `&lt`,
/// `&gt`, `&quot`) unless followed by `=` or an alphanumeric. Other named
/// references stay as written, and `&#128;`–`&#159;` stay C1 controls
/// instead of the Windows-1252 characters browsers substitute: none of
/// these can spell a host the table lists.
fn decode(raw: &str) -> Cow<'_, str> {
    if !raw.contains('&') {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(rest.get(..amp).unwrap_or_default());
        let after = rest.get(amp + 1..).unwrap_or_default();
        match char_ref(after) {
            Some((c, used)) => {
                out.push(c);
                rest = after.get(used..).unwrap_or_default();
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The character a reference stands for and how many bytes after `&` it
/// takes, or `None` when `&` is just an ampersand.
fn char_ref(s: &str) -> Option<(char, usize)> {
    let bytes = s.as_bytes();
    if bytes.first() == Some(&b'#') {
        let (radix, start) = match bytes.get(1) {
            Some(b'x' | b'X') => (16, 2),
            _ => (10, 1),
        };
        let mut value: u32 = 0;
        let mut i = start;
        while let Some(digit) = bytes.get(i).and_then(|&b| char::from(b).to_digit(radix)) {
            value = value.saturating_mul(radix).saturating_add(digit);
            i += 1;
        }
        if i == start {
            return None;
        }
        if bytes.get(i) == Some(&b';') {
            i += 1;
        }
        // 0, surrogates and values past U+10FFFF become U+FFFD.
        let c = if value == 0 { None } else { char::from_u32(value) };
        return Some((c.unwrap_or('\u{FFFD}'), i));
    }
    let run = bytes.iter().take_while(|b| b.is_ascii_alphanumeric()).count();
    let name = s.get(..run).filter(|n| !n.is_empty())?;
    match bytes.get(run) {
        Some(b';') => named_ref(name).map(|c| (c, run + 1)),
        Some(b'=') => None,
        _ if matches!(name, "amp" | "AMP" | "lt" | "LT" | "gt" | "GT" | "quot" | "QUOT") => {
            named_ref(name).map(|c| (c, run))
        }
        _ => None,
    }
}

/// Named character references that stand for ASCII characters (and nbsp).
fn named_ref(name: &str) -> Option<char> {
    Some(match name {
        "Tab" => '\t',
        "NewLine" => '\n',
        "excl" => '!',
        "quot" | "QUOT" => '"',
        "num" => '#',
        "dollar" => '$',
        "percnt" => '%',
        "amp" | "AMP" => '&',
        "apos" => '\'',
        "lpar" => '(',
        "rpar" => ')',
        "ast" | "midast" => '*',
        "plus" => '+',
        "comma" => ',',
        "period" => '.',
        "sol" => '/',
        "colon" => ':',
        "semi" => ';',
        "lt" | "LT" => '<',
        "equals" => '=',
        "gt" | "GT" => '>',
        "quest" => '?',
        "commat" => '@',
        "lsqb" | "lbrack" => '[',
        "bsol" => '\\',
        "rsqb" | "rbrack" => ']',
        "Hat" => '^',
        "lowbar" | "UnderBar" => '_',
        "grave" | "DiacriticalGrave" => '`',
        "lcub" | "lbrace" => '{',
        "verbar" | "vert" | "VerticalLine" => '|',
        "rcub" | "rbrace" => '}',
        "nbsp" | "NonBreakingSpace" => '\u{A0}',
        _ => return None,
    })
}

// ---------------------------------------------------------------------------
// Positions.

/// Turns increasing byte offsets into line and column.
struct Lines<'a> {
    html: &'a str,
    at: usize,
    line: u32,
    column: u32,
}

impl Lines<'_> {
    /// Line and column of `offset` (never before the previous one). Offsets
    /// are at a `<`, so never between the `\r` and `\n` of a line break.
    fn advance(&mut self, offset: usize) -> (u32, u32) {
        let mut chars = self.html.get(self.at..offset).unwrap_or_default().chars().peekable();
        while let Some(c) = chars.next() {
            let line_break = c == '\n' || (c == '\r' && chars.peek() != Some(&'\n'));
            if line_break {
                self.line = self.line.saturating_add(1);
                self.column = 1;
            } else if c != '\r' {
                self.column = self.column.saturating_add(1);
            }
        }
        self.at = self.at.max(offset);
        (self.line, self.column)
    }
}

// ---------------------------------------------------------------------------
// The tokenizer: just enough of WHATWG HTML to find start tags and their
// attributes, and to skip everything that is not one.

/// A start tag: byte offsets into the input.
#[derive(Debug, Clone)]
struct StartTag {
    /// The `<`.
    start: usize,
    /// Just after the tag name.
    name_end: usize,
    /// Just after the `>`.
    end: usize,
    /// ASCII-lower-cased.
    name: String,
    attrs: Vec<Attr>,
    self_closing: bool,
}

/// An attribute: byte ranges of its name and of its value (without quotes).
#[derive(Debug, Clone, Copy)]
struct Attr {
    name: (usize, usize),
    value: Option<(usize, usize)>,
}

impl StartTag {
    /// The raw value of the first attribute called `name` (`""` when it has
    /// none): later duplicates are ignored, as browsers do.
    fn value<'h>(&self, html: &'h str, name: &str) -> Option<&'h str> {
        let attr = self
            .attrs
            .iter()
            .find(|a| html.get(a.name.0..a.name.1).is_some_and(|n| n.eq_ignore_ascii_case(name)))?;
        match attr.value {
            Some((start, end)) => html.get(start..end),
            None => Some(""),
        }
    }

    fn has(&self, html: &str, name: &str) -> bool {
        self.value(html, name).is_some()
    }
}

struct Tokenizer<'a> {
    bytes: &'a [u8],
    html: &'a str,
    pos: usize,
    /// Open `<svg>`/`<math>` elements (no tree: end tags just count down).
    foreign: usize,
    /// See [`Rewrite::unfinished`].
    unfinished: Option<usize>,
}

impl<'a> Tokenizer<'a> {
    fn new(html: &'a str) -> Self {
        Tokenizer { bytes: html.as_bytes(), html, pos: 0, foreign: 0, unfinished: None }
    }

    fn at(&self, i: usize) -> Option<u8> {
        self.bytes.get(i).copied()
    }

    /// Whether the input at `i` starts with `pat`, ASCII case ignored.
    fn starts_with_ci(&self, i: usize, pat: &[u8]) -> bool {
        self.bytes.get(i..i.saturating_add(pat.len())).is_some_and(|s| s.eq_ignore_ascii_case(pat))
    }

    fn find(&self, from: usize, pat: &[u8]) -> Option<usize> {
        let rest = self.bytes.get(from..)?;
        if pat.len() == 1 {
            return rest.iter().position(|b| Some(b) == pat.first()).map(|p| p + from);
        }
        rest.windows(pat.len()).position(|w| w == pat).map(|p| p + from)
    }

    /// The next start tag, having skipped text, comments, end tags and the
    /// contents of raw text elements.
    fn next_start_tag(&mut self) -> Option<StartTag> {
        let len = self.bytes.len();
        loop {
            let Some(lt) = self.find(self.pos, b"<") else {
                self.pos = len;
                return None;
            };
            match self.at(lt + 1) {
                None => {
                    self.unfinished = Some(lt);
                    self.pos = len;
                    return None;
                }
                Some(b) if b.is_ascii_alphabetic() => {
                    let Some(tag) = self.tag(lt, lt + 1) else {
                        self.unfinished = Some(lt);
                        self.pos = len;
                        return None;
                    };
                    self.pos = tag.end;
                    self.after_start_tag(&tag);
                    return Some(tag);
                }
                Some(b'/') => self.pos = self.end_tag(lt),
                Some(b'!') => self.pos = self.declaration(lt),
                Some(b'?') => self.pos = self.bogus_comment(lt + 2),
                Some(_) => self.pos = lt + 1,
            }
        }
    }

    /// Where the tokenizer goes after a start tag: into raw text for the
    /// elements whose contents are not markup.
    fn after_start_tag(&mut self, tag: &StartTag) {
        match tag.name.as_str() {
            "script" => self.pos = self.script_data(tag.end),
            "style" | "xmp" | "iframe" | "noembed" | "noframes" | "textarea" | "title" => {
                self.pos = self.raw_text(tag.end, tag.name.as_bytes());
            }
            "plaintext" => self.pos = self.bytes.len(),
            "svg" | "math" if !tag.self_closing => self.foreign += 1,
            _ => {}
        }
    }

    /// A tag from its `<` at `lt`, its name starting at `name_start`; `None`
    /// when the input ends first.
    fn tag(&self, lt: usize, name_start: usize) -> Option<StartTag> {
        let mut i = name_start;
        while !matches!(self.at(i)?, b'/' | b'>') && !is_space(self.at(i)?) {
            i += 1;
        }
        let name_end = i;
        let name = self.html.get(name_start..name_end)?.to_ascii_lowercase();
        let mut attrs = Vec::new();
        let mut self_closing = false;
        loop {
            // Before attribute name (also after a value or a `/`).
            let b = self.at(i)?;
            if is_space(b) {
                i += 1;
                continue;
            }
            if b == b'/' {
                if self.at(i + 1)? == b'>' {
                    self_closing = true;
                    i += 2;
                    break;
                }
                i += 1;
                continue;
            }
            if b == b'>' {
                i += 1;
                break;
            }
            // Attribute name: the first character is taken whatever it is
            // (even `=`), then up to a space, `/`, `>` or `=`.
            let name_start = i;
            i += 1;
            while !matches!(self.at(i)?, b'/' | b'>' | b'=') && !is_space(self.at(i)?) {
                i += 1;
            }
            let name = (name_start, i);
            while is_space(self.at(i)?) {
                i += 1;
            }
            if self.at(i)? != b'=' {
                attrs.push(Attr { name, value: None });
                continue;
            }
            i += 1;
            while is_space(self.at(i)?) {
                i += 1;
            }
            let value = match self.at(i)? {
                quote @ (b'"' | b'\'') => {
                    let close = self.find(i + 1, &[quote])?;
                    let value = (i + 1, close);
                    i = close + 1;
                    value
                }
                b'>' => (i, i),
                _ => {
                    let start = i;
                    while self.at(i)? != b'>' && !is_space(self.at(i)?) {
                        i += 1;
                    }
                    (start, i)
                }
            };
            attrs.push(Attr { name, value: Some(value) });
        }
        Some(StartTag { start: lt, name_end, end: i, name, attrs, self_closing })
    }

    /// After `</` at `lt`: where the tokenizer continues.
    fn end_tag(&mut self, lt: usize) -> usize {
        match self.at(lt + 2) {
            Some(b) if b.is_ascii_alphabetic() => match self.tag(lt, lt + 2) {
                Some(tag) => {
                    if tag.name == "svg" || tag.name == "math" {
                        self.foreign = self.foreign.saturating_sub(1);
                    }
                    tag.end
                }
                None => self.bytes.len(),
            },
            Some(b'>') => lt + 3,
            None => self.bytes.len(),
            Some(_) => self.bogus_comment(lt + 2),
        }
    }

    /// After `<!` at `lt`: a comment, a doctype, a CDATA section or a bogus
    /// comment.
    fn declaration(&self, lt: usize) -> usize {
        if self.bytes.get(lt..lt + 4) == Some(b"<!--") {
            return self.comment(lt + 4);
        }
        if self.foreign > 0 && self.bytes.get(lt..lt + 9) == Some(b"<![CDATA[") {
            return self.find(lt + 9, b"]]>").map_or(self.bytes.len(), |end| end + 3);
        }
        // `<!DOCTYPE …>` ends at the first `>` (even inside its quotes).
        self.bogus_comment(lt + 2)
    }

    /// A comment whose text starts at `body`: where it ends.
    fn comment(&self, body: usize) -> usize {
        if self.at(body) == Some(b'>') {
            return body + 1; // <!-->
        }
        if self.bytes.get(body..body + 2) == Some(b"->") {
            return body + 2; // <!--->
        }
        let mut from = body;
        while let Some(dashes) = self.find(from, b"--") {
            match (self.at(dashes + 2), self.at(dashes + 3)) {
                (Some(b'>'), _) => return dashes + 3,
                (Some(b'!'), Some(b'>')) => return dashes + 4,
                _ => from = dashes + 1,
            }
        }
        self.bytes.len()
    }

    /// A bogus comment: up to and including the next `>`.
    fn bogus_comment(&self, from: usize) -> usize {
        self.find(from, b">").map_or(self.bytes.len(), |gt| gt + 1)
    }

    /// Whether `</name` followed by a space, `/` or `>` is at `i`.
    fn end_tag_at(&self, i: usize, name: &[u8]) -> bool {
        self.at(i + 1) == Some(b'/')
            && self.starts_with_ci(i + 2, name)
            && self.at(i + 2 + name.len()).is_some_and(|b| is_space(b) || b == b'/' || b == b'>')
    }

    /// Raw text or RCDATA from `from`: the offset of the end tag that
    /// closes it, or the end of the input.
    fn raw_text(&self, from: usize, name: &[u8]) -> usize {
        let mut i = from;
        while let Some(lt) = self.find(i, b"</") {
            if self.end_tag_at(lt, name) {
                return lt;
            }
            i = lt + 2;
        }
        self.bytes.len()
    }

    /// Script data from `from`, with its escaped (`<!--`) and double-escaped
    /// (`<!-- <script>`) states, in which `</script>` may not end it: the
    /// offset of the end tag that does, or the end of the input.
    fn script_data(&self, from: usize) -> usize {
        #[derive(PartialEq)]
        enum State {
            Data,
            Escaped,
            DoubleEscaped,
        }
        let mut state = State::Data;
        let mut dashes = 0usize;
        let mut i = from;
        while let Some(b) = self.at(i) {
            if state == State::Data {
                if b == b'<' {
                    if self.end_tag_at(i, b"script") {
                        return i;
                    }
                    if self.bytes.get(i + 1..i + 4) == Some(b"!--") {
                        state = State::Escaped;
                        dashes = 2;
                        i += 4;
                        continue;
                    }
                }
                i += 1;
                continue;
            }
            match b {
                b'-' => dashes += 1,
                b'>' if dashes >= 2 => {
                    state = State::Data;
                    dashes = 0;
                }
                b'<' => {
                    dashes = 0;
                    let script_tag_at = |at: usize| {
                        self.starts_with_ci(at, b"script")
                            && self
                                .at(at + 6)
                                .is_some_and(|b| is_space(b) || b == b'/' || b == b'>')
                    };
                    if state == State::Escaped {
                        if self.end_tag_at(i, b"script") {
                            return i;
                        }
                        if script_tag_at(i + 1) {
                            state = State::DoubleEscaped;
                            i += 8; // `<script` and the character after it
                            continue;
                        }
                    } else if self.at(i + 1) == Some(b'/') && script_tag_at(i + 2) {
                        state = State::Escaped;
                        i += 9; // `</script` and the character after it
                        continue;
                    }
                }
                _ => dashes = 0,
            }
            i += 1;
        }
        self.bytes.len()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic, clippy::string_slice)]
mod tests {
    use super::*;
    use crate::table::parse;

    const TABLE: &str = r#"{
      "revision": 1,
      "categories": [{"id": "strictly-necessary"}, {"id": "analytics"}, {"id": "advertising"}],
      "services": [
        {"id": "google-analytics", "name": "Google Analytics", "provider": "Google", "category": "analytics", "hosts": ["google-analytics.com", "googletagmanager.com"]},
        {"id": "youtube", "name": "YouTube", "provider": "Google", "category": "advertising", "hosts": ["youtube.com", "youtube-nocookie.com"]},
        {"id": "doubleclick", "name": "DoubleClick", "provider": "Google", "category": "advertising", "hosts": ["doubleclick.net"]}
      ],
      "cookies": [
        {"name": "PHPSESSID", "category": "strictly-necessary", "party": "first", "purpose": "Session", "duration": "Session", "justification": "Remembers the menu"}
      ]
    }"#;

    fn table() -> Table {
        parse(TABLE).unwrap_or_else(|e| panic!("{e}"))
    }

    const GA: &str = "https://www.google-analytics.com/ga.js";
    const HOLD_GA: &str =
        r#"type="text/plain" data-category="analytics" data-service="google-analytics""#;
    const HOLD_DC: &str = r#"data-category="advertising" data-service="doubleclick""#;
    const HOLD_YT: &str = r#"data-category="advertising" data-service="youtube""#;

    /// `(what, input, expected output)`; `{GA}`, `{HOLD_GA}`, `{HOLD_DC}`
    /// and `{HOLD_YT}` are expanded in both.
    const CASES: &[(&str, &str, &str)] = &[
        // Scripts.
        ("double-quoted src", r#"<script src="{GA}"></script>"#, r#"<script {HOLD_GA} src="{GA}"></script>"#),
        ("single-quoted src", "<script src='{GA}'></script>", "<script {HOLD_GA} src='{GA}'></script>"),
        ("unquoted src and other attributes", "<script async src={GA} defer></script>", "<script {HOLD_GA} async src={GA} defer></script>"),
        ("type kept as data-type", r#"<script type="module" src="{GA}"></script>"#, r#"<script {HOLD_GA} data-type="module" src="{GA}"></script>"#),
        ("type text/javascript", r#"<script src="{GA}" type="text/javascript"></script>"#, r#"<script {HOLD_GA} src="{GA}" data-type="text/javascript"></script>"#),
        ("empty type", r#"<script type="" src="{GA}"></script>"#, r#"<script {HOLD_GA} data-type="" src="{GA}"></script>"#),
        ("type with spaces and case", r#"<script type=" Text/JavaScript " src="{GA}">"#, r#"<script {HOLD_GA} data-type=" Text/JavaScript " src="{GA}">"#),
        ("type with parameters held anyway", r#"<script type="text/javascript; charset=utf-8" src="{GA}">"#, r#"<script {HOLD_GA} data-type="text/javascript; charset=utf-8" src="{GA}">"#),
        ("language=javascript", r#"<script language="JavaScript" src="{GA}">"#, r#"<script {HOLD_GA} language="JavaScript" src="{GA}">"#),
        ("upper-case tag and attributes", "<SCRIPT SRC='{GA}' TYPE=text/javascript></SCRIPT>", "<SCRIPT {HOLD_GA} SRC='{GA}' data-TYPE=text/javascript></SCRIPT>"),
        ("upper-case host and scheme", r#"<script src="HTTPS://WWW.Google-Analytics.COM/ga.js"></script>"#, r#"<script {HOLD_GA} src="HTTPS://WWW.Google-Analytics.COM/ga.js"></script>"#),
        ("protocol-relative", r#"<script src="//www.googletagmanager.com/gtag/js?id=G-1"></script>"#, r#"<script {HOLD_GA} src="//www.googletagmanager.com/gtag/js?id=G-1"></script>"#),
        ("entities in the host", r#"<script src="https&colon;//www&period;google-analytics&#46;com&#x2F;ga.js"></script>"#, r#"<script {HOLD_GA} src="https&colon;//www&period;google-analytics&#46;com&#x2F;ga.js"></script>"#),
        ("&amp; in the query", r#"<script src="{GA}?a=1&amp;b=2"></script>"#, r#"<script {HOLD_GA} src="{GA}?a=1&amp;b=2"></script>"#),
        ("spaces around =", "<script src = \"{GA}\" ></script>", "<script {HOLD_GA} src = \"{GA}\" ></script>"),
        ("newlines inside the tag", "<script\n  src=\"{GA}\"\n  async></script>", "<script {HOLD_GA}\n  src=\"{GA}\"\n  async></script>"),
        ("> inside a quoted value", r#"<script data-x="a>b" src="{GA}"></script>"#, r#"<script {HOLD_GA} data-x="a>b" src="{GA}"></script>"#),
        ("no space between attributes", r#"<script async="1"src="{GA}"></script>"#, r#"<script {HOLD_GA} async="1"src="{GA}"></script>"#),
        ("slash after the name", "<script/src={GA}></script>", "<script {HOLD_GA}/src={GA}></script>"),
        ("data-service without data-category", r#"<script data-service="mine" src="{GA}"></script>"#, r#"<script type="text/plain" data-category="analytics" data-service="mine" src="{GA}"></script>"#),
        ("data-type already there", r#"<script data-type="module" type="text/javascript" src="{GA}"></script>"#, r#"<script {HOLD_GA} data-type="module" type="text/javascript" src="{GA}"></script>"#),
        ("duplicate type: every one renamed", r#"<script type="module" type="text/plain" src="{GA}"></script>"#, r#"<script {HOLD_GA} data-type="module" data-type="text/plain" src="{GA}"></script>"#),
        ("the first src wins", r#"<script src="/app.js" src="{GA}"></script>"#, r#"<script src="/app.js" src="{GA}"></script>"#),
        // Scripts left alone.
        ("relative src", r#"<script src="/js/app.js"></script>"#, r#"<script src="/js/app.js"></script>"#),
        ("first-party absolute src", r#"<script src="https://example.com/app.js"></script>"#, r#"<script src="https://example.com/app.js"></script>"#),
        ("look-alike host", r#"<script src="https://evil-google-analytics.com/ga.js"></script>"#, r#"<script src="https://evil-google-analytics.com/ga.js"></script>"#),
        ("service host as a subdomain elsewhere", r#"<script src="https://google-analytics.com.evil.net/ga.js"></script>"#, r#"<script src="https://google-analytics.com.evil.net/ga.js"></script>"#),
        ("data: URL", r#"<script src="data:text/javascript,1"></script>"#, r#"<script src="data:text/javascript,1"></script>"#),
        ("inline script", "<script>ga('send')</script>", "<script>ga('send')</script>"),
        ("empty src", "<script src></script>", "<script src></script>"),
        ("already held", r#"<script type="text/plain" data-category="analytics" src="{GA}"></script>"#, r#"<script type="text/plain" data-category="analytics" src="{GA}"></script>"#),
        ("text/plain without category", r#"<script type="text/plain" src="{GA}"></script>"#, r#"<script type="text/plain" src="{GA}"></script>"#),
        ("TEXT/PLAIN", r#"<script TYPE="TEXT/PLAIN" src="{GA}"></script>"#, r#"<script TYPE="TEXT/PLAIN" src="{GA}"></script>"#),
        ("data-category without type still runs", r#"<script data-category="analytics" src="{GA}"></script>"#, r#"<script type="text/plain" data-service="google-analytics" data-category="analytics" src="{GA}"></script>"#),
        ("non-script type", r#"<script type="application/json" src="{GA}"></script>"#, r#"<script type="application/json" src="{GA}"></script>"#),
        ("template type", r#"<script type="text/template" src="{GA}"></script>"#, r#"<script type="text/template" src="{GA}"></script>"#),
        ("vbscript language", r#"<script language="vbscript" src="{GA}"></script>"#, r#"<script language="vbscript" src="{GA}"></script>"#),
        ("another tag name", "<scripts src={GA}><scriptx src={GA}>", "<scripts src={GA}><scriptx src={GA}>"),
        // Images.
        ("img src", r#"<img alt="" src="https://ad.doubleclick.net/p.gif?a=1&amp;b=2" width=1>"#, r#"<img {HOLD_DC} alt="" data-src="https://ad.doubleclick.net/p.gif?a=1&amp;b=2" width=1>"#),
        ("img > in alt", r#"<img alt="a > b" src="https://ad.doubleclick.net/p">"#, r#"<img {HOLD_DC} alt="a > b" data-src="https://ad.doubleclick.net/p">"#),
        ("img self-closing", r#"<img src="https://ad.doubleclick.net/p"/>"#, r#"<img {HOLD_DC} data-src="https://ad.doubleclick.net/p"/>"#),
        ("img slashes everywhere", "<img/src=https://ad.doubleclick.net/p />", "<img {HOLD_DC}/data-src=https://ad.doubleclick.net/p />"),
        ("img src and srcset", r#"<img src="https://ad.doubleclick.net/a.png" srcset="https://ad.doubleclick.net/b.png 2x">"#, r#"<img {HOLD_DC} data-src="https://ad.doubleclick.net/a.png" data-srcset="https://ad.doubleclick.net/b.png 2x">"#),
        ("img srcset only", r#"<img srcset="https://ad.doubleclick.net/a.png 1x, https://ad.doubleclick.net/b.png 2x">"#, r#"<img {HOLD_DC} data-srcset="https://ad.doubleclick.net/a.png 1x, https://ad.doubleclick.net/b.png 2x">"#),
        ("img tracker only in srcset", r#"<img src="/a.png" srcset="/a2.png 2x, https://i.youtube.com/b.png 3x">"#, r#"<img {HOLD_YT} data-src="/a.png" data-srcset="/a2.png 2x, https://i.youtube.com/b.png 3x">"#),
        ("srcset with commas in URLs and descriptors", r#"<img srcset="/a,b.png 1x,/c.png (x, y) 2x, https://ad.doubleclick.net/d.png,">"#, r#"<img {HOLD_DC} data-srcset="/a,b.png 1x,/c.png (x, y) 2x, https://ad.doubleclick.net/d.png,">"#),
        ("srcset first-party only", r#"<img src="/a.png" srcset="/a2.png 2x, https://cdn.example.com/b.png 3x">"#, r#"<img src="/a.png" srcset="/a2.png 2x, https://cdn.example.com/b.png 3x">"#),
        ("img duplicate src: every one renamed", r#"<img src="https://ad.doubleclick.net/p" src="/x.png">"#, r#"<img {HOLD_DC} data-src="https://ad.doubleclick.net/p" data-src="/x.png">"#),
        ("img first src first-party", r#"<img src="/x.png" src="https://ad.doubleclick.net/p">"#, r#"<img src="/x.png" src="https://ad.doubleclick.net/p">"#),
        ("IMG upper case", "<IMG SRC=https://ad.doubleclick.net/p>", "<IMG {HOLD_DC} data-SRC=https://ad.doubleclick.net/p>"),
        ("image becomes img", "<image src=https://ad.doubleclick.net/p>", "<image {HOLD_DC} data-src=https://ad.doubleclick.net/p>"),
        ("img already held (data-src)", r#"<img data-src="https://ad.doubleclick.net/p" src="/placeholder.gif">"#, r#"<img data-src="https://ad.doubleclick.net/p" src="/placeholder.gif">"#),
        ("img with data-category still loads its src", r#"<img data-category="advertising" src="https://ad.doubleclick.net/p">"#, r#"<img data-service="doubleclick" data-category="advertising" data-src="https://ad.doubleclick.net/p">"#),
        ("img in noscript", r#"<noscript><img src="https://ad.doubleclick.net/p"></noscript>"#, r#"<noscript><img {HOLD_DC} data-src="https://ad.doubleclick.net/p"></noscript>"#),
        // Iframes.
        ("iframe", r#"<iframe width="560" src="https://www.youtube.com/embed/x?rel=0" allowfullscreen></iframe>"#, r#"<iframe {HOLD_YT} width="560" data-src="https://www.youtube.com/embed/x?rel=0" allowfullscreen></iframe>"#),
        ("iframe srcset is not a thing", r#"<iframe src="/x" srcset="https://www.youtube.com/a 1x"></iframe>"#, r#"<iframe src="/x" srcset="https://www.youtube.com/a 1x"></iframe>"#),
        ("iframe contents are text", r#"<iframe src="/x"><script src="{GA}"></script></iframe><img src=https://ad.doubleclick.net/p>"#, r#"<iframe src="/x"><script src="{GA}"></script></iframe><img {HOLD_DC} data-src=https://ad.doubleclick.net/p>"#),
        ("iframe already held", r#"<iframe data-src="https://www.youtube.com/embed/x" data-category="advertising"></iframe>"#, r#"<iframe data-src="https://www.youtube.com/embed/x" data-category="advertising"></iframe>"#),
        ("youtube-nocookie iframe", "<iframe src='https://www.youtube-nocookie.com/embed/x'>", "<iframe {HOLD_YT} data-src='https://www.youtube-nocookie.com/embed/x'>"),
        // Base URL.
        ("relative under a tracker base", r#"<base href="https://www.google-analytics.com/"><script src="ga.js"></script>"#, r#"<base href="https://www.google-analytics.com/"><script {HOLD_GA} src="ga.js"></script>"#),
        ("relative under a first-party base", r#"<base href="/"><script src="ga.js"></script>"#, r#"<base href="/"><script src="ga.js"></script>"#),
        ("only the first base counts", r#"<base target=_top><base href="/"><base href="https://www.google-analytics.com/"><script src="ga.js"></script>"#, r#"<base target=_top><base href="/"><base href="https://www.google-analytics.com/"><script src="ga.js"></script>"#),
        // What is not markup.
        ("comment", r#"<!-- <script src="{GA}"></script> -->"#, r#"<!-- <script src="{GA}"></script> -->"#),
        ("comment then tag", "<!-- old --><script src={GA}></script>", "<!-- old --><script {HOLD_GA} src={GA}></script>"),
        ("comment with -- inside", "<!-- a -- <script src={GA}> --->x", "<!-- a -- <script src={GA}> --->x"),
        ("comment ended by --!>", "<!-- x --!><script src={GA}>", "<!-- x --!><script {HOLD_GA} src={GA}>"),
        ("empty comments <!--> and <!--->", "<!--><img src=//ad.doubleclick.net/p><!---><img src=//ad.doubleclick.net/p>", "<!--><img {HOLD_DC} data-src=//ad.doubleclick.net/p><!---><img {HOLD_DC} data-src=//ad.doubleclick.net/p>"),
        ("script body after <!--->", "<script><!---></script><script>x<!--->y</script><img src=//ad.doubleclick.net/p>", "<script><!---></script><script>x<!--->y</script><img {HOLD_DC} data-src=//ad.doubleclick.net/p>"),
        ("unterminated comment", "<!-- <script src={GA}>", "<!-- <script src={GA}>"),
        ("doctype and processing instruction", "<!DOCTYPE html><?xml x='<script src={GA}>'?><script src={GA}>", "<!DOCTYPE html><?xml x='<script src={GA}>'?><script {HOLD_GA} src={GA}>"),
        ("bogus end tag", "</1 <script src={GA}>x", "</1 <script src={GA}>x"),
        ("end tag with a quoted >", r#"<p></p title=">"><script src="{GA}">"#, r#"<p></p title=">"><script {HOLD_GA} src="{GA}">"#),
        ("script body", r#"<script>document.write('<script src="{GA}"><\/script>'); var i = '<img src=https://ad.doubleclick.net/p>';</script>"#, r#"<script>document.write('<script src="{GA}"><\/script>'); var i = '<img src=https://ad.doubleclick.net/p>';</script>"#),
        ("script end tag in any case", "<script>x</SCRIPT ><img src=https://ad.doubleclick.net/p>", "<script>x</SCRIPT ><img {HOLD_DC} data-src=https://ad.doubleclick.net/p>"),
        ("</scripts> does not end a script", "<script>x</scripts><img src=https://ad.doubleclick.net/p></script>", "<script>x</scripts><img src=https://ad.doubleclick.net/p></script>"),
        ("escaped script data", "<script><!-- <script> </script> <img src=https://ad.doubleclick.net/p> --></script><img src=https://ad.doubleclick.net/p>", "<script><!-- <script> </script> <img src=https://ad.doubleclick.net/p> --></script><img {HOLD_DC} data-src=https://ad.doubleclick.net/p>"),
        ("escaped script data ended by </script>", "<script><!-- x </script><img src=https://ad.doubleclick.net/p>", "<script><!-- x </script><img {HOLD_DC} data-src=https://ad.doubleclick.net/p>"),
        ("script held and its body untouched", r#"<script src="{GA}">var s = '<img src=https://ad.doubleclick.net/p>';</script>"#, r#"<script {HOLD_GA} src="{GA}">var s = '<img src=https://ad.doubleclick.net/p>';</script>"#),
        ("style", r#"<style>/* <img src="https://ad.doubleclick.net/p"> */</style>"#, r#"<style>/* <img src="https://ad.doubleclick.net/p"> */</style>"#),
        ("textarea", r#"<textarea><iframe src="https://www.youtube.com/embed/x"></iframe></textarea>"#, r#"<textarea><iframe src="https://www.youtube.com/embed/x"></iframe></textarea>"#),
        ("title", "<title><script src={GA}></title><script src={GA}>", "<title><script src={GA}></title><script {HOLD_GA} src={GA}>"),
        ("xmp, noembed, noframes", "<xmp><script src={GA}></xmp><noembed><script src={GA}></noembed><noframes><script src={GA}></noframes>", "<xmp><script src={GA}></xmp><noembed><script src={GA}></noembed><noframes><script src={GA}></noframes>"),
        ("plaintext", "<plaintext></plaintext><script src={GA}>", "<plaintext></plaintext><script src={GA}>"),
        ("CDATA in svg", "<svg><![CDATA[ <img src=https://ad.doubleclick.net/p> ]]></svg><img src=https://ad.doubleclick.net/p>", "<svg><![CDATA[ <img src=https://ad.doubleclick.net/p> ]]></svg><img {HOLD_DC} data-src=https://ad.doubleclick.net/p>"),
        ("CDATA outside svg is a bogus comment", "<![CDATA[ <img src=https://ad.doubleclick.net/p> ]]><img src=https://ad.doubleclick.net/p>", "<![CDATA[ <img src=https://ad.doubleclick.net/p> ]]><img {HOLD_DC} data-src=https://ad.doubleclick.net/p>"),
        ("svg image is not img", "<svg><image src=https://ad.doubleclick.net/p /></svg>", "<svg><image src=https://ad.doubleclick.net/p /></svg>"),
        ("< not starting a tag", "a < b <3 <=<script src={GA}>", "a < b <3 <=<script {HOLD_GA} src={GA}>"),
        ("unterminated start tag", "<script src={GA}", "<script src={GA}"),
        ("unterminated quoted value", "<img src=\"https://ad.doubleclick.net/p>", "<img src=\"https://ad.doubleclick.net/p>"),
    ];

    fn expand(s: &str) -> String {
        s.replace("{GA}", GA)
            .replace("{HOLD_GA}", HOLD_GA)
            .replace("{HOLD_DC}", HOLD_DC)
            .replace("{HOLD_YT}", HOLD_YT)
    }

    /// Everything the rewriter promises about one input.
    fn check_invariants(table: &Table, input: &str) -> Rewrite {
        let once = rewrite(input, table);
        // Idempotent, and nothing left to tag.
        let twice = rewrite(&once.html, table);
        assert_eq!(twice.html, once.html, "not idempotent for {input:?}");
        assert!(twice.changes.is_empty(), "{input:?}: {:?}", twice.changes);
        assert!(untagged(&once.html, table).is_empty());
        assert_eq!(untagged(input, table), once.changes);
        assert_eq!(twice.unfinished, once.unfinished.map(|u| u + once.html.len() - input.len()));
        // Only insertions: the input is a subsequence of the output.
        let mut rest = input.bytes().peekable();
        for b in once.html.bytes() {
            if rest.peek() == Some(&b) {
                rest.next();
            }
        }
        assert!(rest.peek().is_none(), "{input:?} → {:?} is not insertions only", once.html);
        // Bytes outside the rewritten tags are identical, each rewritten tag
        // is where the original was.
        let (mut i, mut o) = (0, 0);
        for change in &once.changes {
            let before = &input[i..change.offset];
            assert_eq!(&once.html[o..o + before.len()], before, "{input:?}");
            o += before.len();
            assert_eq!(
                &input[change.offset..change.offset + change.original.len()],
                change.original
            );
            assert_eq!(&once.html[o..o + change.rewritten.len()], change.rewritten);
            assert!(change.rewritten.starts_with('<') && change.rewritten.ends_with('>'));
            i = change.offset + change.original.len();
            o += change.rewritten.len();
        }
        assert_eq!(&once.html[o..], &input[i..], "{input:?}");
        once
    }

    #[test]
    fn table_of_cases() {
        let table = table();
        let mut failures = Vec::new();
        for (what, input, expected) in CASES {
            let (input, expected) = (expand(input), expand(expected));
            let out = check_invariants(&table, &input);
            if out.html != expected {
                failures.push(format!(
                    "{what}:\n  input    {input}\n  expected {expected}\n  got      {}",
                    out.html
                ));
            }
            let changed = usize::from(input != expected);
            assert!(out.changes.len() >= changed, "{what}");
            // Every case is its own fixed point once expected.
            assert_eq!(rewrite(&expected, &table).html, expected, "{what}: expected is not held");
        }
        assert!(
            failures.is_empty(),
            "{} of {} cases failed:\n{}",
            failures.len(),
            CASES.len(),
            failures.join("\n")
        );
    }

    #[test]
    fn change_describes_the_tag() {
        let table = table();
        let input = format!("<html>\r\n<head>\n  é <script async\nsrc=\"{GA}\"></script>\n<img srcset=\"/a.png 1x, https://ad.doubleclick.net/b.png 2x\">");
        let out = rewrite(&input, &table);
        let [script, img] = out.changes.as_slice() else { panic!("{:?}", out.changes) };
        assert_eq!((script.line, script.column), (3, 5));
        assert_eq!(script.offset, input.find("<script").unwrap());
        assert_eq!(script.tag_name, "script");
        assert_eq!(script.attribute, "src");
        assert_eq!(script.url, GA);
        assert_eq!(script.service_id, "google-analytics");
        assert_eq!(script.category_id, "analytics");
        assert_eq!(script.original, format!("<script async\nsrc=\"{GA}\">"));
        assert_eq!(script.rewritten, format!("<script {HOLD_GA} async\nsrc=\"{GA}\">"));
        assert_eq!((img.line, img.column), (5, 1));
        assert_eq!(img.attribute, "srcset");
        assert_eq!(img.url, "https://ad.doubleclick.net/b.png");
        assert_eq!(
            (img.service_id.as_str(), img.category_id.as_str()),
            ("doubleclick", "advertising")
        );
        assert_eq!(out.unfinished, None);
    }

    #[test]
    fn lone_carriage_returns_end_lines() {
        let out = rewrite(&format!("a\rb\r\n\r<script src={GA}>"), &table());
        assert_eq!((out.changes[0].line, out.changes[0].column), (4, 1));
    }

    #[test]
    fn url_is_decoded() {
        let out =
            rewrite("<img src='https://ad.doubleclick.net/p?a=1&amp;b=&lt;2&gt&#x3D;'>", &table());
        assert_eq!(out.changes[0].url, "https://ad.doubleclick.net/p?a=1&b=<2>=");
    }

    #[test]
    fn fragments_as_document_write_gets_them() {
        let table = table();
        let written = format!(r#"<script src="{GA}"></script>"#);
        let out = rewrite(&written, &table);
        assert_eq!(out.html, format!(r#"<script {HOLD_GA} src="{GA}"></script>"#));
        assert_eq!(out.unfinished, None);
        // A tag alone, without its end tag.
        let out = rewrite(r#"<iframe src="https://www.youtube.com/embed/x">"#, &table);
        assert_eq!(
            out.html,
            format!(r#"<iframe {HOLD_YT} data-src="https://www.youtube.com/embed/x">"#)
        );
        // Text around it.
        let out = rewrite(&format!("text <b>bold</b><script src={GA}></script> more"), &table);
        assert_eq!(out.changes.len(), 1);
    }

    #[test]
    fn unfinished_marks_a_tag_cut_off_by_the_end() {
        let table = table();
        let cases: &[(&str, Option<usize>)] = &[
            ("<p>hi</p><script src=\"https://www.google", Some(9)),
            ("<p>hi</p><scr", Some(9)),
            ("abc<", Some(3)),
            ("<img src='x' alt=\"a", Some(0)),
            ("<p>done</p>", None),
            ("<!-- <script src=x", None),
            ("</scr", None),
            ("<script>var a = '<img", None),
        ];
        for (input, unfinished) in cases {
            let out = rewrite(input, &table);
            assert_eq!(out.unfinished, *unfinished, "{input:?}");
            assert_eq!(out.html, *input);
        }
        // Joining the pieces at the unfinished offset gives the whole tag.
        let first = "<p>x</p><script src=\"https://www.google";
        let second = "-analytics.com/ga.js\"></script>";
        let out = rewrite(first, &table);
        let keep = out.unfinished.unwrap();
        let out2 = rewrite(&format!("{}{second}", &first[keep..]), &table);
        assert_eq!(out2.changes.len(), 1);
    }

    #[test]
    fn malformed_input_never_panics() {
        let table = table();
        let inputs = [
            "",
            "<",
            "<<",
            "<<<<a",
            "</",
            "</>",
            "<!",
            "<!-",
            "<!--",
            "<!---",
            "<?",
            "<a",
            "<a ",
            "<a b",
            "<a b=",
            "<a b='",
            "<a b=\"",
            "<a b=c",
            "<a/",
            "<a b/",
            "<script",
            "<script>",
            "<script><!--",
            "<script><!--<script>",
            "<script><!--<script></script>",
            "<script><!-- -",
            "<script></script",
            "<svg><![CDATA[",
            "<svg><![CDATA[ ]]",
            "<textarea>",
            "<textarea></textarea",
            "<=>",
            "< img src=x>",
            "<img src=\"x\"\"y\">",
            "<img src='a'b'c'>",
            "<img src=a\"b'c>",
            "<img ==x>",
            "<img src==x>",
            "<img src=\"&#x110000;\">",
            "<img src=\"&#99999999999999999999999;\">",
            "<img src=\"&#xD800;&#0;&#;&#x;&\">",
            "<img src=&amp&ampx;&amp=&lt&unknown;>",
            "é<é src=https://ad.doubleclick.net/p>",
            "<img src=https://ad.doubleclick.net/é>",
            "\u{0}<script\u{0} src=\u{0}>",
            "<img srcset=\",,,  ,( , )\">",
            "<img srcset=\"https://ad.doubleclick.net/p (\">",
            "<base href><script src=a>",
            "<base href=\"https://[::1\"><script src=a>",
            "<img src=\"https://ad.doubleclick.net:99999/\">",
            "<img src=\"https://ad.doubleclick.net:/\">",
            "<img src=\"http://\">",
            "<img src=\"//\">",
            "<script src=\"\t\n\"></script>",
            "<math><![CDATA[x]]></math></svg></svg>",
        ];
        for input in inputs {
            check_invariants(&table, input);
        }
    }

    /// Pseudo-random documents built from the pieces the tokenizer cares
    /// about: a small fuzzer that runs with `cargo test`.
    #[test]
    fn random_documents_keep_the_invariants() {
        const PIECES: &[&str] = &[
            "<script",
            "<SCRIPT",
            "<img",
            "<iframe",
            "<image",
            "<base href=https://www.youtube.com/>",
            "<style>",
            "</style>",
            "<textarea>",
            "</textarea>",
            "<title>",
            "</title>",
            "</script>",
            "</script",
            "<svg>",
            "</svg>",
            "<math>",
            "<![CDATA[",
            "]]>",
            "<!--",
            "-->",
            "--!>",
            "<!",
            "<?",
            "</",
            "<",
            ">",
            "/>",
            "/",
            " ",
            "\n",
            "\r\n",
            "\t",
            "=",
            "\"",
            "'",
            " src=",
            " SRC=",
            " srcset=",
            " type=",
            " type=module",
            " type=text/plain",
            " data-src=",
            " data-category=analytics",
            " data-type=x",
            " language=vbscript",
            "https://www.google-analytics.com/ga.js",
            "\"https://ad.doubleclick.net/p.gif 1x, /a.png 2x\"",
            "'//www.youtube.com/embed/x'",
            "&amp;",
            "&#x2F;",
            "&period;",
            "&",
            "#",
            "é",
            "日本",
            "ga.js",
            ",",
            "(",
            ")",
            "<plaintext>",
            "<noscript>",
            "x",
            "<!-->",
            "<script><!--<script>",
            "\u{0}",
            "-",
            "--",
            "<p title='>'>",
            "<script src=https://www.google-analytics.com/ga.js>",
            "<script type=module src=//www.googletagmanager.com/gtm.js",
            "<img src='https://ad.doubleclick.net/p'",
            "<img alt='>' srcset=\"/a.png 1x, https://i.youtube.com/t.png 2x\"",
            "<iframe src=//www.youtube.com/embed/x>",
            "<IMG SRC=https://ad.doubleclick.net/p>",
        ];
        let table = table();
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut changed = 0;
        for _ in 0..20_000 {
            let len = next() % 40;
            let input: String =
                (0..len).map(|_| PIECES[(next() % PIECES.len() as u64) as usize]).collect();
            if !check_invariants(&table, &input).changes.is_empty() {
                changed += 1;
            }
        }
        assert!(changed > 1000, "the generator rarely builds a tracker tag ({changed})");
    }

    #[test]
    fn a_whole_page() {
        let table = table();
        let page = format!(
            r#"<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Shop &amp; <script> demo</title>
  <script src="/consent-guard.js" data-config="/cookies.json"></script>
  <script async src="https://www.googletagmanager.com/gtag/js?id=G-123"></script>
  <script>
    window.dataLayer = window.dataLayer || [];
    document.write('<img src="https://ad.doubleclick.net/ddm/activity">');
  </script>
  <!-- <script src="{GA}"></script> (old analytics) -->
  <style>a[href^="https://www.youtube.com"]::after {{ content: "<iframe>" }}</style>
</head>
<body>
  <iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ" title="A video" allowfullscreen></iframe>
  <img src="/logo.png" alt="Logo">
  <img src="https://ad.doubleclick.net/ddm/activity/src=1;type=x;cat=y" width="1" height="1" alt="">
  <textarea><script src="{GA}"></script></textarea>
  <noscript><iframe src="https://www.googletagmanager.com/ns.html?id=GTM-1" height="0" width="0"></iframe></noscript>
</body>
</html>
"#
        );
        let out = check_invariants(&table, &page);
        let summary: Vec<(u32, &str, &str)> = out
            .changes
            .iter()
            .map(|c| (c.line, c.tag_name.as_str(), c.service_id.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                (7, "script", "google-analytics"),
                (16, "iframe", "youtube"),
                (18, "img", "doubleclick"),
                (20, "iframe", "google-analytics"),
            ]
        );
        assert_eq!(out.html.lines().count(), page.lines().count());
    }

    #[test]
    fn attribute_values_are_escaped() {
        let mut out = String::new();
        push_attr_value(&mut out, r#"a"b&c<d"#);
        assert_eq!(out, "a&quot;b&amp;c<d");
    }

    #[test]
    fn srcset_parsing() {
        let cases: &[(&str, &[&str])] = &[
            ("a.png", &["a.png"]),
            ("a.png 1x, b.png 2x", &["a.png", "b.png"]),
            ("a.png,b.png", &["a.png,b.png"]),
            ("a.png, b.png", &["a.png", "b.png"]),
            ("a.png,, b.png 2x,c.png", &["a.png", "b.png", "c.png"]),
            ("a.png 1x (x, y), b.png", &["a.png", "b.png"]),
            (" , ,", &[]),
            ("", &[]),
        ];
        for (value, urls) in cases {
            assert_eq!(srcset_urls(value), *urls, "{value:?}");
        }
    }

    #[test]
    fn script_types() {
        let runs = [
            (None, None),
            (Some(""), None),
            (Some("module"), None),
            (Some(" MODULE "), None),
            (Some("text/javascript"), None),
            (Some("application/x-javascript"), None),
            (Some("text/javascript;charset=utf-8"), None),
            (None, Some("")),
            (None, Some("javascript")),
            (None, Some("JavaScript1.5")),
            (Some("text/javascript"), Some("vbscript")),
        ];
        for (t, l) in runs {
            assert!(runs_as_script(t, l), "{t:?} {l:?}");
        }
        let inert = [
            (Some("text/plain"), None),
            (Some("application/json"), None),
            (Some("importmap"), None),
            (Some("speculationrules"), None),
            (Some("text/babel"), None),
            (None, Some("vbscript")),
            (Some("text/plain"), Some("javascript")),
        ];
        for (t, l) in inert {
            assert!(!runs_as_script(t, l), "{t:?} {l:?}");
        }
    }

    #[test]
    fn character_references() {
        let cases = [
            ("a&amp;b", "a&b"),
            ("&amp", "&"),
            ("&ampx", "&ampx"),
            ("&amp=", "&amp="),
            ("&AMP;&lt;&GT;&quot;", "&<>\""),
            ("&#47;&#x2f;&#X2F;&#0047", "////"),
            ("&#0;&#xD800;&#x110000;", "\u{FFFD}\u{FFFD}\u{FFFD}"),
            ("&#;&#x;&;& &unknown;", "&#;&#x;&;& &unknown;"),
            ("&colon;&sol;&period;&commat;&bsol;&Tab;", ":/.@\\\t"),
            ("&nbsp;", "\u{A0}"),
            ("&period", "&period"),
        ];
        for (raw, decoded) in cases {
            assert_eq!(decode(raw), decoded, "{raw:?}");
        }
    }

    #[test]
    fn relative_urls() {
        for url in ["ga.js", "/ga.js", "?q", "#x", "../a", ":x", "1http:x", "a b:c"] {
            assert!(is_relative(url), "{url}");
        }
        for url in ["", "  ", "//host/x", "\\\\host", "https://x", "data:x", "javascript:x", "c:x"]
        {
            assert!(!is_relative(url), "{url}");
        }
    }
}
