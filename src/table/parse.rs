//! From JSON text to a validated [`Table`], reporting every mistake at once.
//!
//! A compliance person edits the table by hand; each error names the JSON
//! path (`/cookies/3/category`), the line and column, and the value at fault,
//! and the walk carries on after an error so one run lists them all. The walk
//! never panics, whatever the input: every access is checked.

use std::fmt;

use crate::host::{self, HostError};
use crate::json::{self, Kind, Member, Pos, Value};
use crate::pattern::{NamePattern, PatternError};
use crate::table::model::*;
use crate::table::texts::TextKey;

/// One mistake in a cookie table.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {pos}{}: {kind}", PathSuffix(.path))]
pub struct TableError {
    /// JSON pointer to the value at fault ("/cookies/3/category"); empty for
    /// the whole document.
    pub path: String,
    /// Where the value (or the key, for key errors) starts.
    pub pos: Pos,
    /// What is wrong.
    pub kind: ErrorKind,
}

struct PathSuffix<'a>(&'a str);

impl fmt::Display for PathSuffix<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            Ok(())
        } else {
            write!(f, " at {}", self.0)
        }
    }
}

/// What can be wrong in a cookie table.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The text is not JSON.
    #[error("{0}")]
    Syntax(json::ParseErrorKind),
    /// A value of the wrong JSON type.
    #[error("expected {expected}, found {found}")]
    WrongType {
        /// What the field must be ("a string").
        expected: &'static str,
        /// What it is ("a number").
        found: &'static str,
    },
    /// A required field is absent.
    #[error("missing required field \"{0}\"")]
    Missing(&'static str),
    /// A field the format does not have (often a typo).
    #[error("unknown field \"{field}\"{}", Suggestion(*.suggestion))]
    UnknownField {
        /// The field as written.
        field: String,
        /// The known field it most resembles.
        suggestion: Option<&'static str>,
    },
    /// The same key twice in one object.
    #[error("duplicate key \"{key}\" (first at line {first})")]
    DuplicateKey {
        /// The key.
        key: String,
        /// Where it first appeared.
        first: Pos,
    },
    /// A category id that the table does not define.
    #[error("unknown category \"{id}\" (the table defines: {known})")]
    UnknownCategory {
        /// The id as written.
        id: String,
        /// The ids the table defines, comma-separated.
        known: String,
    },
    /// A service id that the table does not define.
    #[error("unknown service \"{id}\" (the table defines: {known})")]
    UnknownService {
        /// The id as written.
        id: String,
        /// The ids the table defines, comma-separated.
        known: String,
    },
    /// Two categories or two services with one id.
    #[error("duplicate {what} id \"{id}\" (first at line {first})")]
    DuplicateId {
        /// "category" or "service".
        what: &'static str,
        /// The id.
        id: String,
        /// Where it was first defined.
        first: Pos,
    },
    /// Two declarations of the same cookie.
    #[error("cookie \"{name}\" is declared twice (first at line {first})")]
    DuplicateCookie {
        /// The name or pattern.
        name: String,
        /// Where it was first declared.
        first: Pos,
    },
    /// A strictly-necessary cookie must say why it is necessary.
    #[error("strictly-necessary cookie \"{0}\" needs a \"justification\" saying why the site cannot work without it")]
    MissingJustification(String),
    /// A non-essential cookie with no one responsible for it.
    #[error("cookie \"{0}\" needs a \"provider\" (or a \"service\" that has one)")]
    MissingProvider(String),
    /// A cookie with neither `category` nor `service`.
    #[error("cookie \"{0}\" needs a \"category\" or a \"service\"")]
    MissingCategory(String),
    /// A host that cannot be matched.
    #[error("{0}")]
    BadHost(HostError),
    /// A cookie name pattern that cannot be matched.
    #[error("{0}")]
    BadPattern(PatternError),
    /// A value outside a fixed set.
    #[error("\"{value}\" is not allowed here; use {allowed}")]
    NotAllowed {
        /// The value as written.
        value: String,
        /// The values allowed, quoted and comma-separated.
        allowed: &'static str,
    },
    /// An id with characters ids may not have.
    #[error("\"{0}\" is not a valid id; use lower-case letters, digits, '-' and '_', starting with a letter")]
    BadId(String),
    /// A number out of range.
    #[error("{value} is out of range; use a whole number from {min} to {max}")]
    OutOfRange {
        /// The number as written.
        value: String,
        /// Smallest allowed.
        min: u64,
        /// Largest allowed.
        max: u64,
    },
    /// A URL the banner must not link to.
    #[error("\"{0}\" is not a safe link; use an https:, http: or relative URL")]
    BadUrl(String),
    /// A language tag that is not one.
    #[error("\"{0}\" is not a language tag such as \"en\" or \"fr-CA\"")]
    BadLanguage(String),
    /// The table has no strictly-necessary category.
    #[error("the table must define the \"strictly-necessary\" category (it holds the consent cookie itself)")]
    NoNecessaryCategory,
    /// A category other than the defaults has no title to show.
    #[error("category \"{0}\" has no title: add texts.{1}.categories.{0}.title")]
    UntitledCategory(String, String),
    /// A string that must say something is empty.
    #[error("must not be empty")]
    Empty,
    /// Too many categories for a consent record.
    #[error("a table may define at most {0} categories")]
    TooManyCategories(usize),
}

struct Suggestion(Option<&'static str>);

impl fmt::Display for Suggestion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(s) => write!(f, "; did you mean \"{s}\"?"),
            None => Ok(()),
        }
    }
}

fn at(e: &TableError) -> (u32, u32) {
    (e.pos.line, e.pos.column)
}

/// Every mistake found in a table, in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableErrors(pub Vec<TableError>);

impl fmt::Display for TableErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for TableErrors {}

/// The most categories a table may have (a record stays small and a bit set
/// of grants stays one word).
pub const MAX_CATEGORIES: usize = 32;

/// Parse and validate a cookie table.
pub fn parse(text: &str) -> Result<Table, TableErrors> {
    let root = json::parse(text).map_err(|e| {
        TableErrors(vec![TableError {
            path: String::new(),
            pos: e.pos,
            kind: ErrorKind::Syntax(e.kind),
        }])
    })?;
    let mut walk = Walk { errors: Vec::new() };
    let table = walk.table(&root);
    let mut errors = walk.errors;
    match table {
        Some(table) if errors.is_empty() => Ok(table),
        _ => {
            // Document order; a stable insertion sort (errors are few), not
            // the standard library's, which costs kilobytes of wasm.
            for i in 1..errors.len() {
                let mut j = i;
                while j > 0 && errors.get(j - 1).map(at) > errors.get(j).map(at) {
                    errors.swap(j - 1, j);
                    j -= 1;
                }
            }
            Err(TableErrors(errors))
        }
    }
}

const TOP_FIELDS: &[&str] = &[
    "$schema",
    "revision",
    "defaultLanguage",
    "policyUrl",
    "expiryDays",
    "floatingButton",
    "undeclared",
    "gpc",
    "googleConsentMode",
    "reportUrl",
    "categories",
    "services",
    "cookies",
    "texts",
];
const CATEGORY_FIELDS: &[&str] = &["id"];
const SERVICE_FIELDS: &[&str] = &["id", "name", "provider", "category", "hosts", "privacyPolicy"];
const COOKIE_FIELDS: &[&str] = &[
    "name",
    "storage",
    "category",
    "service",
    "party",
    "domain",
    "provider",
    "purpose",
    "duration",
    "justification",
];
const CONSENT_MODE_FIELDS: &[&str] = &["mapping", "urlPassthrough", "adsDataRedaction"];
const CATEGORY_TEXT_FIELDS: &[&str] = &["title", "description"];

/// A JSON pointer being built while walking down the document.
#[derive(Clone)]
struct Path(String);

impl Path {
    // Built for every field visited, error or not: plain pushes, no
    // formatting machinery.
    fn key(&self, key: &str) -> Path {
        let mut path = String::with_capacity(self.0.len() + key.len() + 1);
        path.push_str(&self.0);
        path.push('/');
        for c in key.chars() {
            match c {
                '~' => path.push_str("~0"),
                '/' => path.push_str("~1"),
                c => path.push(c),
            }
        }
        Path(path)
    }

    fn index(&self, i: usize) -> Path {
        let mut path = self.0.clone();
        path.push('/');
        path.push_str(&i.to_string());
        Path(path)
    }
}

/// The fields of one object, checked for unknown and duplicate keys.
struct Fields<'v> {
    members: &'v [Member],
    path: Path,
}

impl<'v> Fields<'v> {
    fn get(&self, key: &str) -> Option<(&'v Value, Path)> {
        let member = self.members.iter().find(|m| m.key == key)?;
        Some((&member.value, self.path.key(key)))
    }
}

struct Walk {
    errors: Vec<TableError>,
}

impl Walk {
    #[cold]
    #[inline(never)]
    fn error(&mut self, path: &Path, pos: Pos, kind: ErrorKind) {
        self.errors.push(TableError { path: path.0.clone(), pos, kind });
    }

    fn wrong_type(&mut self, path: &Path, value: &Value, expected: &'static str) {
        let kind = ErrorKind::WrongType { expected, found: value.kind_name() };
        self.error(path, value.pos, kind);
    }

    /// Check that `value` is an object whose keys are all in `known` and
    /// appear once; report the rest.
    fn object<'v>(
        &mut self,
        value: &'v Value,
        path: &Path,
        known: &[&'static str],
    ) -> Option<Fields<'v>> {
        let Some(members) = value.as_object() else {
            self.wrong_type(path, value, "an object");
            return None;
        };
        for (i, member) in members.iter().enumerate() {
            let key_path = path.key(&member.key);
            if let Some(first) = members.iter().take(i).find(|m| m.key == member.key) {
                let kind =
                    ErrorKind::DuplicateKey { key: member.key.clone(), first: first.key_pos };
                self.error(&key_path, member.key_pos, kind);
            } else if !known.contains(&member.key.as_str()) {
                let suggestion = closest(&member.key, known);
                let kind = ErrorKind::UnknownField { field: member.key.clone(), suggestion };
                self.error(&key_path, member.key_pos, kind);
            }
        }
        Some(Fields { members, path: path.clone() })
    }

    fn required<'v>(
        &mut self,
        fields: &Fields<'v>,
        key: &'static str,
        at: Pos,
    ) -> Option<(&'v Value, Path)> {
        let found = fields.get(key);
        // A misspelt key was already reported with "did you mean"; saying
        // it is also missing would only repeat the same mistake.
        let misspelt =
            || fields.members.iter().any(|m| m.key != key && closest(&m.key, &[key]).is_some());
        if found.is_none() && !misspelt() {
            self.error(&fields.path, at, ErrorKind::Missing(key));
        }
        found
    }

    fn string<'v>(&mut self, value: &'v Value, path: &Path) -> Option<&'v str> {
        match value.as_str() {
            Some(s) if s.trim().is_empty() => {
                self.error(path, value.pos, ErrorKind::Empty);
                None
            }
            Some(s) => Some(s),
            None => {
                self.wrong_type(path, value, "a string");
                None
            }
        }
    }

    fn required_string<'v>(
        &mut self,
        fields: &Fields<'v>,
        key: &'static str,
        at: Pos,
    ) -> Option<&'v str> {
        let (value, path) = self.required(fields, key, at)?;
        self.string(value, &path)
    }

    fn optional_string<'v>(&mut self, fields: &Fields<'v>, key: &str) -> Option<&'v str> {
        let (value, path) = fields.get(key)?;
        self.string(value, &path)
    }

    fn optional_bool(&mut self, fields: &Fields<'_>, key: &str) -> Option<bool> {
        let (value, path) = fields.get(key)?;
        let b = value.as_bool();
        if b.is_none() {
            self.wrong_type(&path, value, "true or false");
        }
        b
    }

    fn number(&mut self, value: &Value, path: &Path, min: u64, max: u64) -> Option<u64> {
        let Kind::Number(text) = &value.kind else {
            self.wrong_type(path, value, "a whole number");
            return None;
        };
        match value.as_u64() {
            Some(n) if (min..=max).contains(&n) => Some(n),
            _ => {
                let kind = ErrorKind::OutOfRange { value: text.clone(), min, max };
                self.error(path, value.pos, kind);
                None
            }
        }
    }

    fn one_of(
        &mut self,
        value: &Value,
        path: &Path,
        allowed: &'static str,
        options: &[&str],
    ) -> Option<usize> {
        let s = self.string(value, path)?;
        let found = options.iter().position(|o| *o == s);
        if found.is_none() {
            self.error(path, value.pos, ErrorKind::NotAllowed { value: s.to_string(), allowed });
        }
        found
    }

    fn id(&mut self, value: &Value, path: &Path) -> Option<String> {
        let s = self.string(value, path)?;
        if is_valid_id(s) {
            Some(s.to_string())
        } else {
            self.error(path, value.pos, ErrorKind::BadId(s.to_string()));
            None
        }
    }

    fn url(&mut self, fields: &Fields<'_>, key: &str) -> Option<String> {
        let (value, path) = fields.get(key)?;
        let s = self.string(value, &path)?;
        if is_safe_url(s) {
            Some(s.trim().to_string())
        } else {
            self.error(&path, value.pos, ErrorKind::BadUrl(s.to_string()));
            None
        }
    }

    fn localized(&mut self, value: &Value, path: &Path) -> Option<Localized> {
        match &value.kind {
            Kind::String(_) => self.string(value, path).map(Localized::plain),
            Kind::Object(members) => {
                let mut variants = Vec::new();
                let mut ok = true;
                for (i, member) in members.iter().enumerate() {
                    let member_path = path.key(&member.key);
                    if let Some(first) = members.iter().take(i).find(|m| m.key == member.key) {
                        let kind = ErrorKind::DuplicateKey {
                            key: member.key.clone(),
                            first: first.key_pos,
                        };
                        self.error(&member_path, member.key_pos, kind);
                        ok = false;
                        continue;
                    }
                    if !is_language_tag(&member.key) {
                        self.error(
                            &member_path,
                            member.key_pos,
                            ErrorKind::BadLanguage(member.key.clone()),
                        );
                        ok = false;
                    }
                    match self.string(&member.value, &member_path) {
                        Some(text) => variants.push((member.key.clone(), text.to_string())),
                        None => ok = false,
                    }
                }
                if variants.is_empty() && ok {
                    self.error(path, value.pos, ErrorKind::Empty);
                    return None;
                }
                ok.then_some(Localized { variants })
            }
            _ => {
                self.wrong_type(path, value, "a string or an object of strings per language");
                None
            }
        }
    }

    fn array<'v>(
        &mut self,
        fields: &Fields<'v>,
        key: &'static str,
        at: Pos,
    ) -> Option<(&'v [Value], Path)> {
        let (value, path) = self.required(fields, key, at)?;
        match value.as_array() {
            Some(items) => Some((items, path)),
            None => {
                self.wrong_type(&path, value, "an array");
                None
            }
        }
    }

    fn table(&mut self, root: &Value) -> Option<Table> {
        let top = Path(String::new());
        let fields = self.object(root, &top, TOP_FIELDS)?;
        let at = root.pos;
        if let Some((value, path)) = fields.get("$schema") {
            self.string(value, &path);
        }
        let revision = self
            .required(&fields, "revision", at)
            .and_then(|(value, path)| self.number(value, &path, 1, u32::MAX as u64));
        let default_language = match fields.get("defaultLanguage") {
            Some((value, path)) => self.string(value, &path).and_then(|s| {
                if is_language_tag(s) {
                    Some(s.to_string())
                } else {
                    self.error(&path, value.pos, ErrorKind::BadLanguage(s.to_string()));
                    None
                }
            }),
            None => Some("en".to_string()),
        };
        let policy_url = self.url(&fields, "policyUrl");
        let report_url = self.url(&fields, "reportUrl");
        let expiry_days = match fields.get("expiryDays") {
            Some((value, path)) => {
                self.number(value, &path, 1, MAX_EXPIRY_DAYS as u64).map(|n| n as u32)
            }
            None => Some(DEFAULT_EXPIRY_DAYS),
        };
        let floating_button = self.optional_bool(&fields, "floatingButton").unwrap_or(true);
        let undeclared = match fields.get("undeclared") {
            Some((value, path)) => {
                match self.one_of(value, &path, "\"report\" or \"block\"", &["report", "block"]) {
                    Some(1) => Undeclared::Block,
                    _ => Undeclared::Report,
                }
            }
            None => Undeclared::Report,
        };
        let gpc = match fields.get("gpc") {
            Some((value, path)) => {
                let options = &["honour", "honor", "ignore"];
                match self.one_of(value, &path, "\"honour\" or \"ignore\"", options) {
                    Some(2) => GpcMode::Ignore,
                    _ => GpcMode::Honour,
                }
            }
            None => GpcMode::Honour,
        };

        let categories = self.categories(&fields, at);
        let services = self.services(&fields, at, &categories);
        let cookies = self.cookies(&fields, at, &categories, &services);
        let google_consent_mode = self.consent_mode(&fields, &categories);
        let texts = self.texts(&fields, &categories);

        let categories = categories?;
        let default_language = default_language?;
        self.check_category_titles(&categories, &texts, &default_language, &fields);
        Some(Table {
            revision: revision?,
            default_language,
            policy_url,
            expiry_days: expiry_days?,
            floating_button,
            undeclared,
            gpc,
            google_consent_mode: google_consent_mode?,
            report_url,
            categories: categories.into_iter().map(|(c, _)| c).collect(),
            services: services?.into_iter().map(|(s, _)| s).collect(),
            cookies: cookies?,
            texts: texts?,
        })
    }

    fn categories(&mut self, fields: &Fields<'_>, at: Pos) -> Option<Vec<(Category, Pos)>> {
        let (items, path) = self.array(fields, "categories", at)?;
        let mut categories: Vec<(Category, Pos)> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let item_path = path.index(i);
            let Some(entry) = self.object(item, &item_path, CATEGORY_FIELDS) else { continue };
            let Some((value, id_path)) = self.required(&entry, "id", item.pos) else { continue };
            let Some(id) = self.id(value, &id_path) else { continue };
            if let Some((_, first)) = categories.iter().find(|(c, _)| c.id == id) {
                let kind = ErrorKind::DuplicateId { what: "category", id, first: *first };
                self.error(&id_path, value.pos, kind);
                continue;
            }
            categories.push((Category { id }, value.pos));
        }
        if categories.len() > MAX_CATEGORIES {
            let (value, path) = fields.get("categories")?;
            self.error(&path, value.pos, ErrorKind::TooManyCategories(MAX_CATEGORIES));
            return None;
        }
        if !categories.iter().any(|(c, _)| c.is_necessary()) {
            let (value, path) = fields.get("categories")?;
            self.error(&path, value.pos, ErrorKind::NoNecessaryCategory);
            return None;
        }
        Some(categories)
    }

    /// Resolve a category reference; `None` (after reporting) when unknown or
    /// when the categories themselves failed to parse.
    fn category_ref(
        &mut self,
        value: &Value,
        path: &Path,
        categories: &Option<Vec<(Category, Pos)>>,
    ) -> Option<CategoryId> {
        let id = self.string(value, path)?;
        let categories = categories.as_ref()?;
        match categories.iter().position(|(c, _)| c.id == id) {
            Some(i) => Some(CategoryId(i)),
            None => {
                let known = join(categories.iter().map(|(c, _)| c.id.as_str()));
                let kind = ErrorKind::UnknownCategory { id: id.to_string(), known };
                self.error(path, value.pos, kind);
                None
            }
        }
    }

    fn services(
        &mut self,
        fields: &Fields<'_>,
        at: Pos,
        categories: &Option<Vec<(Category, Pos)>>,
    ) -> Option<Vec<(Service, Pos)>> {
        let Some((items, path)) = fields.get("services") else {
            return Some(Vec::new());
        };
        let Some(items) = items.as_array() else {
            self.wrong_type(&path, items, "an array");
            return None;
        };
        let _ = at;
        let mut services: Vec<(Service, Pos)> = Vec::new();
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            let item_path = path.index(i);
            let Some(entry) = self.object(item, &item_path, SERVICE_FIELDS) else {
                ok = false;
                continue;
            };
            let id = self.required(&entry, "id", item.pos).and_then(|(v, p)| {
                let id = self.id(v, &p)?;
                if let Some((_, first)) = services.iter().find(|(s, _)| s.id == id) {
                    let kind = ErrorKind::DuplicateId { what: "service", id, first: *first };
                    self.error(&p, v.pos, kind);
                    return None;
                }
                Some((id, v.pos))
            });
            let name = self.required_string(&entry, "name", item.pos);
            let provider = self.required_string(&entry, "provider", item.pos);
            let category = self
                .required(&entry, "category", item.pos)
                .and_then(|(v, p)| self.category_ref(v, &p, categories));
            let hosts = self.hosts(&entry, item.pos);
            let privacy_policy = self.url(&entry, "privacyPolicy");
            match (id, name, provider, category, hosts) {
                (Some((id, pos)), Some(name), Some(provider), Some(category), Some(hosts)) => {
                    let service = Service {
                        id,
                        name: name.to_string(),
                        provider: provider.to_string(),
                        category,
                        hosts,
                        privacy_policy,
                    };
                    services.push((service, pos));
                }
                _ => ok = false,
            }
        }
        ok.then_some(services)
    }

    fn hosts(&mut self, entry: &Fields<'_>, at: Pos) -> Option<Vec<String>> {
        let (items, path) = self.array(entry, "hosts", at)?;
        let mut hosts: Vec<String> = Vec::new();
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            let item_path = path.index(i);
            let Some(written) = self.string(item, &item_path) else {
                ok = false;
                continue;
            };
            match host::normalize_table_host(written) {
                Ok(host) if !hosts.contains(&host) => hosts.push(host),
                Ok(_) => {}
                Err(e) => {
                    self.error(&item_path, item.pos, ErrorKind::BadHost(e));
                    ok = false;
                }
            }
        }
        ok.then_some(hosts)
    }

    fn cookies(
        &mut self,
        fields: &Fields<'_>,
        at: Pos,
        categories: &Option<Vec<(Category, Pos)>>,
        services: &Option<Vec<(Service, Pos)>>,
    ) -> Option<Vec<CookieRule>> {
        let (items, path) = self.array(fields, "cookies", at)?;
        let mut rules: Vec<(CookieRule, Pos)> = Vec::new();
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            match self.cookie(item, &path.index(i), categories, services, &rules) {
                Some(rule) => rules.push((rule, item.pos)),
                None => ok = false,
            }
        }
        ok.then(|| rules.into_iter().map(|(r, _)| r).collect())
    }

    fn cookie(
        &mut self,
        item: &Value,
        path: &Path,
        categories: &Option<Vec<(Category, Pos)>>,
        services: &Option<Vec<(Service, Pos)>>,
        earlier: &[(CookieRule, Pos)],
    ) -> Option<CookieRule> {
        let entry = self.object(item, path, COOKIE_FIELDS)?;
        let name = self.required(&entry, "name", item.pos).and_then(|(v, p)| {
            let written = self.string(v, &p)?;
            match NamePattern::parse(written) {
                Ok(pattern) => Some(pattern),
                Err(e) => {
                    self.error(&p, v.pos, ErrorKind::BadPattern(e));
                    None
                }
            }
        });
        let shown_name = name.as_ref().map_or_else(String::new, |n| n.to_string());
        // Each field is checked even when an earlier one failed, so one run
        // reports every mistake; `failed` remembers that the rule is unusable.
        let mut failed = name.is_none();
        let storage = match entry.get("storage") {
            Some((v, p)) => {
                let allowed = "\"cookie\", \"localStorage\" or \"sessionStorage\"";
                match self.one_of(v, &p, allowed, &["cookie", "localStorage", "sessionStorage"]) {
                    Some(1) => StorageKind::LocalStorage,
                    Some(2) => StorageKind::SessionStorage,
                    Some(_) => StorageKind::Cookie,
                    None => {
                        failed = true;
                        StorageKind::Cookie
                    }
                }
            }
            None => StorageKind::Cookie,
        };
        let service = entry.get("service").map(|(v, p)| self.service_ref(v, &p, services));
        let explicit_category =
            entry.get("category").map(|(v, p)| self.category_ref(v, &p, categories));
        failed |= matches!(service, Some(None)) || matches!(explicit_category, Some(None));
        let service = service.flatten();
        let service_entry = service.and_then(|s| services.as_ref()?.get(s.0).map(|(s, _)| s));
        let category = match (explicit_category.flatten(), service_entry) {
            (Some(c), _) => Some(c),
            (None, Some(s)) => Some(s.category),
            (None, None) => {
                if !failed && explicit_category.is_none() && service.is_none() {
                    self.error(path, item.pos, ErrorKind::MissingCategory(shown_name.clone()));
                }
                None
            }
        };
        let party = self.required(&entry, "party", item.pos).and_then(|(v, p)| {
            match self.one_of(v, &p, "\"first\" or \"third\"", &["first", "third"])? {
                0 => Some(Party::First),
                _ => Some(Party::Third),
            }
        });
        let domain =
            match entry.get("domain") {
                Some((v, p)) => self.string(v, &p).and_then(|written| {
                    match host::normalize_table_host(written.strip_prefix('.').unwrap_or(written)) {
                        Ok(host) => Some(host),
                        Err(e) => {
                            self.error(&p, v.pos, ErrorKind::BadHost(e));
                            None
                        }
                    }
                }),
                None => None,
            };
        failed |= entry.get("domain").is_some() && domain.is_none();
        let provider = self.optional_string(&entry, "provider").map(str::to_string);
        let purpose =
            self.required(&entry, "purpose", item.pos).and_then(|(v, p)| self.localized(v, &p));
        let duration =
            self.required(&entry, "duration", item.pos).and_then(|(v, p)| self.localized(v, &p));
        let justification = entry.get("justification").map(|(v, p)| self.localized(v, &p));
        failed |= matches!(justification, Some(None));
        let justification = justification.flatten();

        let necessary = match (category, categories) {
            (Some(c), Some(list)) => list.get(c.0).is_some_and(|(c, _)| c.is_necessary()),
            _ => false,
        };
        if category.is_some() && necessary && justification.is_none() {
            self.error(path, item.pos, ErrorKind::MissingJustification(shown_name.clone()));
        }
        let has_provider = provider.is_some() || service_entry.is_some();
        if category.is_some() && !necessary && !has_provider {
            self.error(path, item.pos, ErrorKind::MissingProvider(shown_name.clone()));
        }
        if let Some(name) = &name {
            let same =
                |r: &CookieRule| r.name == *name && r.storage == storage && r.domain == domain;
            if let Some((_, first)) = earlier.iter().find(|(r, _)| same(r)) {
                let kind = ErrorKind::DuplicateCookie { name: shown_name.clone(), first: *first };
                self.error(path, item.pos, kind);
                return None;
            }
        }
        if failed || (necessary && justification.is_none()) || (!necessary && !has_provider) {
            return None;
        }
        Some(CookieRule {
            name: name?,
            storage,
            category: category?,
            service,
            party: party?,
            domain,
            provider,
            purpose: purpose?,
            duration: duration?,
            justification,
        })
    }

    fn service_ref(
        &mut self,
        value: &Value,
        path: &Path,
        services: &Option<Vec<(Service, Pos)>>,
    ) -> Option<ServiceId> {
        let id = self.string(value, path)?;
        let services = services.as_ref()?;
        match services.iter().position(|(s, _)| s.id == id) {
            Some(i) => Some(ServiceId(i)),
            None => {
                let known = join(services.iter().map(|(s, _)| s.id.as_str()));
                let known = if known.is_empty() { "no services".to_string() } else { known };
                self.error(
                    path,
                    value.pos,
                    ErrorKind::UnknownService { id: id.to_string(), known },
                );
                None
            }
        }
    }

    /// `googleConsentMode`: absent/false (off), true (default mapping) or an
    /// object. `Some(None)` is "off"; `None` means an error was reported.
    fn consent_mode(
        &mut self,
        fields: &Fields<'_>,
        categories: &Option<Vec<(Category, Pos)>>,
    ) -> Option<Option<ConsentModeConfig>> {
        let Some((value, path)) = fields.get("googleConsentMode") else {
            return Some(None);
        };
        let default_mapping =
            |categories: &[(Category, Pos)]| default_consent_mode_mapping(categories);
        match &value.kind {
            Kind::Bool(false) => Some(None),
            Kind::Bool(true) => {
                let categories = categories.as_ref()?;
                Some(Some(ConsentModeConfig {
                    mapping: default_mapping(categories),
                    url_passthrough: false,
                    ads_data_redaction: false,
                }))
            }
            Kind::Object(_) => {
                let entry = self.object(value, &path, CONSENT_MODE_FIELDS)?;
                let url_passthrough = self.optional_bool(&entry, "urlPassthrough").unwrap_or(false);
                let ads_data_redaction =
                    self.optional_bool(&entry, "adsDataRedaction").unwrap_or(false);
                let mapping = match entry.get("mapping") {
                    Some((map_value, map_path)) => {
                        self.consent_mode_mapping(map_value, &map_path, categories)?
                    }
                    None => default_mapping(categories.as_ref()?),
                };
                Some(Some(ConsentModeConfig { mapping, url_passthrough, ads_data_redaction }))
            }
            _ => {
                self.wrong_type(&path, value, "true, false or an object");
                None
            }
        }
    }

    fn consent_mode_mapping(
        &mut self,
        value: &Value,
        path: &Path,
        categories: &Option<Vec<(Category, Pos)>>,
    ) -> Option<Vec<(CategoryId, Vec<&'static str>)>> {
        let Some(members) = value.as_object() else {
            self.wrong_type(path, value, "an object of category → signal list");
            return None;
        };
        let mut mapping = Vec::new();
        let mut ok = true;
        for member in members {
            let member_path = path.key(&member.key);
            let key_value = Value { pos: member.key_pos, kind: Kind::String(member.key.clone()) };
            let category = self.category_ref(&key_value, &member_path, categories);
            let Some(items) = member.value.as_array() else {
                self.wrong_type(&member_path, &member.value, "an array of Consent Mode signals");
                ok = false;
                continue;
            };
            let mut signals = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let item_path = member_path.index(i);
                let allowed = "\"ad_storage\", \"ad_user_data\", \"ad_personalization\", \"analytics_storage\", \"functionality_storage\", \"personalization_storage\" or \"security_storage\"";
                match self.one_of(item, &item_path, allowed, CONSENT_MODE_SIGNALS) {
                    Some(i) => signals.extend(CONSENT_MODE_SIGNALS.get(i).copied()),
                    None => ok = false,
                }
            }
            match category {
                Some(c) if ok => mapping.push((c, signals)),
                _ => ok = false,
            }
        }
        ok.then_some(mapping)
    }

    fn texts(
        &mut self,
        fields: &Fields<'_>,
        categories: &Option<Vec<(Category, Pos)>>,
    ) -> Option<Vec<LanguageTexts>> {
        let Some((value, path)) = fields.get("texts") else {
            return Some(Vec::new());
        };
        let Some(languages) = value.as_object() else {
            self.wrong_type(&path, value, "an object of texts per language");
            return None;
        };
        let mut all = Vec::new();
        let mut ok = true;
        for (i, language) in languages.iter().enumerate() {
            let lang_path = path.key(&language.key);
            if let Some(first) = languages.iter().take(i).find(|m| m.key == language.key) {
                let kind =
                    ErrorKind::DuplicateKey { key: language.key.clone(), first: first.key_pos };
                self.error(&lang_path, language.key_pos, kind);
                ok = false;
                continue;
            }
            if !is_language_tag(&language.key) {
                self.error(
                    &lang_path,
                    language.key_pos,
                    ErrorKind::BadLanguage(language.key.clone()),
                );
                ok = false;
            }
            match self.language_texts(&language.key, &language.value, &lang_path, categories) {
                Some(texts) => all.push(texts),
                None => ok = false,
            }
        }
        ok.then_some(all)
    }

    fn language_texts(
        &mut self,
        lang: &str,
        value: &Value,
        path: &Path,
        categories: &Option<Vec<(Category, Pos)>>,
    ) -> Option<LanguageTexts> {
        let known: Vec<&'static str> =
            TextKey::ALL.iter().map(|k| k.key()).chain(["categories"]).collect();
        let entry = self.object(value, path, &known)?;
        let mut texts =
            LanguageTexts { lang: lang.to_string(), values: Vec::new(), categories: Vec::new() };
        let mut ok = true;
        for member in entry.members {
            let member_path = path.key(&member.key);
            if member.key == "categories" {
                match self.category_texts(&member.value, &member_path, categories) {
                    Some(c) => texts.categories = c,
                    None => ok = false,
                }
            } else if let Some(key) = TextKey::from_key(&member.key) {
                match self.string(&member.value, &member_path) {
                    Some(s) => texts.values.push((key, s.to_string())),
                    None => ok = false,
                }
            }
        }
        ok.then_some(texts)
    }

    fn category_texts(
        &mut self,
        value: &Value,
        path: &Path,
        categories: &Option<Vec<(Category, Pos)>>,
    ) -> Option<Vec<(CategoryId, CategoryTexts)>> {
        let Some(members) = value.as_object() else {
            self.wrong_type(path, value, "an object of category texts");
            return None;
        };
        let mut all = Vec::new();
        let mut ok = true;
        for member in members {
            let member_path = path.key(&member.key);
            let key_value = Value { pos: member.key_pos, kind: Kind::String(member.key.clone()) };
            let category = self.category_ref(&key_value, &member_path, categories);
            let Some(entry) = self.object(&member.value, &member_path, CATEGORY_TEXT_FIELDS) else {
                ok = false;
                continue;
            };
            let title = self.optional_string(&entry, "title").map(str::to_string);
            let description = self.optional_string(&entry, "description").map(str::to_string);
            match category {
                Some(c) => all.push((c, CategoryTexts { title, description })),
                None => ok = false,
            }
        }
        ok.then_some(all)
    }

    /// A category the built-in texts do not know must be given a title in
    /// the default language, or visitors would see its bare id.
    fn check_category_titles(
        &mut self,
        categories: &[(Category, Pos)],
        texts: &Option<Vec<LanguageTexts>>,
        default_language: &str,
        fields: &Fields<'_>,
    ) {
        let Some(texts) = texts else { return };
        for (i, (category, pos)) in categories.iter().enumerate() {
            if crate::table::texts::builtin_category(&category.id).is_some() {
                continue;
            }
            let titled = texts.iter().any(|t| {
                t.lang.eq_ignore_ascii_case(default_language)
                    && t.categories.iter().any(|(c, ct)| c.0 == i && ct.title.is_some())
            });
            if !titled {
                let path = fields.path.key("categories").index(i);
                let kind =
                    ErrorKind::UntitledCategory(category.id.clone(), default_language.to_string());
                self.error(&path, *pos, kind);
            }
        }
    }
}

/// Google's recommended mapping: advertising drives the ad signals (and
/// personalisation), analytics drives analytics storage, strictly necessary
/// drives security storage and — unless the table has a functional category
/// to drive it — functionality storage.
fn default_consent_mode_mapping(
    categories: &[(Category, Pos)],
) -> Vec<(CategoryId, Vec<&'static str>)> {
    let has_functional = categories.iter().any(|(c, _)| c.id == "functional");
    let mut mapping = Vec::new();
    for (i, (category, _)) in categories.iter().enumerate() {
        let signals: Vec<&'static str> = match category.id.as_str() {
            "advertising" => {
                vec!["ad_storage", "ad_user_data", "ad_personalization", "personalization_storage"]
            }
            "analytics" => vec!["analytics_storage"],
            "functional" => vec!["functionality_storage"],
            NECESSARY if has_functional => vec!["security_storage"],
            NECESSARY => vec!["security_storage", "functionality_storage"],
            _ => continue,
        };
        mapping.push((CategoryId(i), signals));
    }
    mapping
}

/// Ids: a lower-case letter, then lower-case letters, digits, `-` and `_`.
/// They go into the consent cookie and `data-*` attributes unescaped.
pub fn is_valid_id(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && s.len() <= 64
}

/// `en`, `fr-CA`, `zh-Hant-TW`: letters and digits in `-`-separated subtags,
/// the first 2-3 letters.
pub fn is_language_tag(s: &str) -> bool {
    let mut subtags = s.split('-');
    let first_ok = subtags
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()));
    first_ok
        && subtags
            .all(|t| (1..=8).contains(&t.len()) && t.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Links the banner may show: `https:`, `http:` or relative. Never
/// `javascript:`, `data:` or anything else a browser would run or render.
pub fn is_safe_url(s: &str) -> bool {
    let s = s.trim();
    if s.is_empty() || s.chars().any(|c| c.is_control()) {
        return false;
    }
    // A scheme is letters/digits/+/-/. before the first ':' that comes
    // before any '/', '?' or '#'; without one the URL is relative.
    let scheme_end = s.find([':', '/', '?', '#']);
    match scheme_end {
        Some(i) if s.get(i..i + 1) == Some(":") => {
            let scheme = s.get(..i).unwrap_or_default();
            scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http")
        }
        _ => !s.starts_with('\\'),
    }
}

fn join<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for item in items {
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(item);
    }
    out
}

/// The known field nearest to a typo, if it is near enough to be a typo.
fn closest(written: &str, known: &[&'static str]) -> Option<&'static str> {
    let lower = written.to_ascii_lowercase();
    known
        .iter()
        .map(|k| (edit_distance(&lower, &k.to_ascii_lowercase()), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Levenshtein distance over characters, capped for long inputs.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().take(64).collect();
    let b: Vec<char> = b.chars().take(64).collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous.get(j).copied().unwrap_or(0) + usize::from(ca != cb);
            let delete = previous.get(j + 1).copied().unwrap_or(0) + 1;
            let insert = current.get(j).copied().unwrap_or(0) + 1;
            current.push(substitute.min(delete).min(insert));
        }
        previous = current;
    }
    previous.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A valid table to break in each test, one field per line.
    const VALID: &str = r#"{
  "revision": 2,
  "categories": [
    {"id": "strictly-necessary"},
    {"id": "analytics"},
    {"id": "advertising"}
  ],
  "services": [
    {"id": "yt", "name": "YouTube", "provider": "Google", "category": "advertising", "hosts": ["YouTube.com", "ytimg.com"]}
  ],
  "cookies": [
    {"name": "sid", "category": "strictly-necessary", "party": "first", "purpose": "Session", "duration": "Session", "justification": "Login"},
    {"name": "_ga_*", "category": "analytics", "provider": "Google", "party": "first", "purpose": "Visits", "duration": "2 years"},
    {"name": "YSC", "service": "yt", "party": "third", "purpose": "Video", "duration": "Session"}
  ]
}"#;

    fn errors(text: &str) -> Vec<TableError> {
        match parse(text) {
            Ok(_) => panic!("accepted:\n{text}"),
            Err(e) => e.0,
        }
    }

    /// Apply one edit to VALID, expect exactly one error with this path,
    /// line and message.
    fn one_error(from: &str, to: &str, path: &str, line: u32, message: &str) {
        assert!(VALID.contains(from), "fixture lacks {from:?}");
        let errors = errors(&VALID.replacen(from, to, 1));
        assert_eq!(errors.len(), 1, "{errors:#?}");
        let e = &errors[0];
        assert_eq!(
            (e.path.as_str(), e.pos.line, e.kind.to_string().as_str()),
            (path, line, message)
        );
    }

    #[test]
    fn valid_table_parses_with_defaults() {
        let table = parse(VALID).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(table.revision, 2);
        assert_eq!(table.default_language, "en");
        assert_eq!(table.expiry_days, DEFAULT_EXPIRY_DAYS);
        assert!(table.floating_button);
        assert_eq!(table.undeclared, Undeclared::Report);
        assert_eq!(table.gpc, GpcMode::Honour);
        assert_eq!(table.google_consent_mode, None);
        assert_eq!(table.services[0].hosts, ["youtube.com", "ytimg.com"]);
        // A cookie with only a service takes the service's category.
        assert_eq!(table.category(table.cookies[2].category).id, "advertising");
        assert_eq!(table.necessary(), CategoryId(0));
    }

    #[test]
    fn unknown_field_suggests_the_known_one() {
        one_error(
            "\"purpose\": \"Visits\"",
            "\"purpsoe\": \"Visits\"",
            "/cookies/1/purpsoe",
            13,
            "unknown field \"purpsoe\"; did you mean \"purpose\"?",
        );
        // ...and the missing purpose is reported as well.
        let errors =
            errors(&VALID.replacen("\"purpose\": \"Visits\"", "\"purpsoe\": \"Visits\"", 1));
        assert_eq!(errors.len(), 1, "the typo alone explains it: {errors:#?}");
    }

    #[test]
    fn unknown_category_lists_the_known_ones() {
        one_error(
            "\"category\": \"analytics\"",
            "\"category\": \"analytic\"",
            "/cookies/1/category",
            13,
            "unknown category \"analytic\" (the table defines: strictly-necessary, analytics, advertising)",
        );
    }

    #[test]
    fn unknown_service() {
        one_error(
            "\"service\": \"yt\"",
            "\"service\": \"youtube\"",
            "/cookies/2/service",
            14,
            "unknown service \"youtube\" (the table defines: yt)",
        );
    }

    #[test]
    fn missing_justification() {
        one_error(
            ", \"justification\": \"Login\"",
            "",
            "/cookies/0",
            12,
            "strictly-necessary cookie \"sid\" needs a \"justification\" saying why the site cannot work without it",
        );
    }

    #[test]
    fn missing_provider_purpose_duration() {
        one_error(
            "\"provider\": \"Google\", \"party\"",
            "\"party\"",
            "/cookies/1",
            13,
            "cookie \"_ga_*\" needs a \"provider\" (or a \"service\" that has one)",
        );
        one_error(
            "\"purpose\": \"Video\", ",
            "",
            "/cookies/2",
            14,
            "missing required field \"purpose\"",
        );
        one_error(
            ", \"duration\": \"2 years\"",
            "",
            "/cookies/1",
            13,
            "missing required field \"duration\"",
        );
        one_error(
            "\"service\": \"yt\", ",
            "",
            "/cookies/2",
            14,
            "cookie \"YSC\" needs a \"category\" or a \"service\"",
        );
    }

    #[test]
    fn duplicate_cookie_names_the_first() {
        let text =
            VALID.replacen("\"name\": \"YSC\"", "\"name\": \"sid\", \"storage\": \"cookie\"", 1);
        let errors = errors(&text);
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert_eq!(errors[0].path, "/cookies/2");
        assert_eq!(
            errors[0].kind.to_string(),
            "cookie \"sid\" is declared twice (first at line 12:5)"
        );
        // The same name in another storage area is not a duplicate.
        let other = VALID.replacen(
            "\"name\": \"YSC\"",
            "\"name\": \"sid\", \"storage\": \"localStorage\"",
            1,
        );
        assert!(parse(&other).is_ok());
    }

    #[test]
    fn duplicate_ids_and_keys() {
        one_error(
            "{\"id\": \"advertising\"}",
            "{\"id\": \"advertising\"}, {\"id\": \"analytics\"}",
            "/categories/3/id",
            6,
            "duplicate category id \"analytics\" (first at line 5:12)",
        );
        one_error(
            "\"revision\": 2,",
            "\"revision\": 2, \"revision\": 3,",
            "/revision",
            2,
            "duplicate key \"revision\" (first at line 2:3)",
        );
    }

    #[test]
    fn malformed_hosts() {
        let cases = [
            ("https://youtube.com", "host"),
            ("youtube.com:443", "port"),
            ("*.youtube.com", "wildcard"),
            ("you tube.com", "character"),
            ("a..b", "empty"),
        ];
        for (host, _) in cases {
            let errors = errors(&VALID.replacen("\"ytimg.com\"", &format!("\"{host}\""), 1));
            assert_eq!(errors.len(), 1, "{host}: {errors:#?}");
            assert_eq!(errors[0].path, "/services/0/hosts/1", "{host}");
            assert!(
                matches!(errors[0].kind, ErrorKind::BadHost(_)),
                "{host}: {:?}",
                errors[0].kind
            );
            assert!(
                errors[0].kind.to_string().contains(host.split(':').next().unwrap_or(host))
                    || host.contains(' '),
                "{host}: {}",
                errors[0].kind
            );
        }
    }

    #[test]
    fn wrong_types() {
        one_error(
            "\"revision\": 2",
            "\"revision\": \"2\"",
            "/revision",
            2,
            "expected a whole number, found a string",
        );
        one_error(
            "\"revision\": 2",
            "\"revision\": 0",
            "/revision",
            2,
            "0 is out of range; use a whole number from 1 to 4294967295",
        );
        one_error(
            "\"hosts\": [\"YouTube.com\", \"ytimg.com\"]",
            "\"hosts\": \"youtube.com\"",
            "/services/0/hosts",
            9,
            "expected an array, found a string",
        );
        one_error(
            "\"party\": \"third\"",
            "\"party\": \"3rd\"",
            "/cookies/2/party",
            14,
            "\"3rd\" is not allowed here; use \"first\" or \"third\"",
        );
        one_error(
            "\"revision\": 2,",
            "\"revision\": 2, \"floatingButton\": \"no\",",
            "/floatingButton",
            2,
            "expected true or false, found a string",
        );
        one_error(
            "\"revision\": 2,",
            "\"revision\": 2, \"expiryDays\": 400,",
            "/expiryDays",
            2,
            "400 is out of range; use a whole number from 1 to 395",
        );
        one_error(
            "\"name\": \"sid\"",
            "\"name\": \"\"",
            "/cookies/0/name",
            12,
            "must not be empty",
        );
    }

    #[test]
    fn the_issue_example_three_errors_with_paths_and_lines() {
        let text = VALID
            .replacen("\"purpose\": \"Video\"", "\"purpsoe\": \"Video\", \"purpose\": \"Video\"", 1)
            .replacen("\"category\": \"analytics\"", "\"category\": \"statistics\"", 1)
            .replacen(", \"justification\": \"Login\"", "", 1);
        let errors = errors(&text);
        let summary: Vec<(String, u32)> =
            errors.iter().map(|e| (e.path.clone(), e.pos.line)).collect();
        assert_eq!(
            summary,
            [
                ("/cookies/0".to_string(), 12),
                ("/cookies/1/category".to_string(), 13),
                ("/cookies/2/purpsoe".to_string(), 14)
            ]
        );
    }

    #[test]
    fn no_strictly_necessary_category() {
        let text = VALID.replacen("{\"id\": \"strictly-necessary\"},", "", 1).replacen(
            "\"strictly-necessary\"",
            "\"analytics\"",
            1,
        );
        let errors = errors(&text);
        assert!(errors.iter().any(|e| e.kind == ErrorKind::NoNecessaryCategory), "{errors:#?}");
    }

    #[test]
    fn custom_categories_need_a_title() {
        let with_new = VALID.replacen(
            "{\"id\": \"advertising\"}",
            "{\"id\": \"advertising\"}, {\"id\": \"social\"}",
            1,
        );
        one_error(
            "{\"id\": \"advertising\"}",
            "{\"id\": \"advertising\"}, {\"id\": \"social\"}",
            "/categories/3",
            6,
            "category \"social\" has no title: add texts.en.categories.social.title",
        );
        let titled = with_new.replacen(
            "\"revision\": 2,",
            "\"revision\": 2, \"texts\": {\"en\": {\"categories\": {\"social\": {\"title\": \"Social media\"}}}},",
            1,
        );
        let table = parse(&titled).unwrap_or_else(|e| panic!("{e}"));
        let social = table.category_id("social").unwrap();
        assert_eq!(table.category_title("de", social), "Social media");
        // A built-in category needs no texts.
        let functional = VALID.replacen(
            "{\"id\": \"advertising\"}",
            "{\"id\": \"advertising\"}, {\"id\": \"functional\"}",
            1,
        );
        assert!(parse(&functional).is_ok());
    }

    #[test]
    fn texts_are_checked() {
        one_error(
            "\"revision\": 2,",
            "\"revision\": 2, \"texts\": {\"en\": {\"acceptAl\": \"OK\"}},",
            "/texts/en/acceptAl",
            2,
            "unknown field \"acceptAl\"; did you mean \"acceptAll\"?",
        );
        one_error(
            "\"revision\": 2,",
            "\"revision\": 2, \"texts\": {\"english\": {}},",
            "/texts/english",
            2,
            "\"english\" is not a language tag such as \"en\" or \"fr-CA\"",
        );
        one_error("\"revision\": 2,", "\"revision\": 2, \"texts\": {\"en\": {\"categories\": {\"stats\": {}}}},", "/texts/en/categories/stats", 2, "unknown category \"stats\" (the table defines: strictly-necessary, analytics, advertising)");
        let table = parse(&VALID.replacen(
            "\"revision\": 2,",
            "\"revision\": 2, \"texts\": {\"fr\": {\"acceptAll\": \"Tout accepter\"}},",
            1,
        ))
        .unwrap();
        assert_eq!(table.text("fr", TextKey::AcceptAll), "Tout accepter");
        assert_eq!(table.text("fr", TextKey::RejectAll), "Reject all");
        assert_eq!(table.text("de", TextKey::AcceptAll), "Accept all");
    }

    #[test]
    fn links_must_be_safe() {
        one_error(
            "\"revision\": 2,",
            "\"revision\": 2, \"policyUrl\": \"javascript:alert(1)\",",
            "/policyUrl",
            2,
            "\"javascript:alert(1)\" is not a safe link; use an https:, http: or relative URL",
        );
        for ok in [
            "https://example.com/p",
            "http://x",
            "/privacy",
            "privacy.html",
            "?a",
            "#cookies",
            "HTTPS://x",
        ] {
            assert!(is_safe_url(ok), "{ok}");
        }
        for bad in [
            "javascript:x",
            " JavaScript:x",
            "data:text/html,x",
            "vbscript:x",
            "",
            "\\\\evil",
            "java\nscript:x",
            "blob:x",
        ] {
            assert!(!is_safe_url(bad), "{bad}");
        }
    }

    #[test]
    fn consent_mode_settings() {
        let on = parse(&VALID.replacen(
            "\"revision\": 2,",
            "\"revision\": 2, \"googleConsentMode\": true,",
            1,
        ))
        .unwrap();
        let config = on.google_consent_mode.clone().unwrap();
        let ids: Vec<(&str, Vec<&str>)> =
            config.mapping.iter().map(|(c, s)| (on.category(*c).id.as_str(), s.clone())).collect();
        assert_eq!(
            ids,
            vec![
                ("strictly-necessary", vec!["security_storage", "functionality_storage"]),
                ("analytics", vec!["analytics_storage"]),
                (
                    "advertising",
                    vec![
                        "ad_storage",
                        "ad_user_data",
                        "ad_personalization",
                        "personalization_storage"
                    ]
                ),
            ]
        );
        one_error("\"revision\": 2,", "\"revision\": 2, \"googleConsentMode\": {\"mapping\": {\"analytics\": [\"analytic_storage\"]}},", "/googleConsentMode/mapping/analytics/0", 2,
            "\"analytic_storage\" is not allowed here; use \"ad_storage\", \"ad_user_data\", \"ad_personalization\", \"analytics_storage\", \"functionality_storage\", \"personalization_storage\" or \"security_storage\"");
    }

    #[test]
    fn syntax_errors_have_a_position() {
        let errors = errors("{\n  \"revision\": 1,\n  \"categories\": [}\n");
        assert_eq!(errors.len(), 1);
        assert_eq!((errors[0].pos.line, errors[0].pos.column), (3, 18));
        assert_eq!(
            errors[0].to_string(),
            "line 3:18: unexpected character '}' (expected a JSON value)"
        );
    }

    #[test]
    fn error_display_names_path_and_line() {
        let errors = errors(&VALID.replacen("\"party\": \"third\"", "\"party\": \"3rd\"", 1));
        assert_eq!(errors[0].to_string(), "line 14:47 at /cookies/2/party: \"3rd\" is not allowed here; use \"first\" or \"third\"");
    }

    #[test]
    fn not_an_object_at_all() {
        for text in ["[]", "1", "null", "\"x\""] {
            let errors = errors(text);
            assert_eq!(errors.len(), 1, "{text}");
        }
    }

    /// Every truncation and every one-character insertion of a valid table
    /// must give a table or errors, never a panic.
    #[test]
    fn mangled_tables_never_panic() {
        let chars: Vec<(usize, char)> = VALID.char_indices().collect();
        for (i, _) in &chars {
            let _ = parse(&VALID[..*i]);
            for insert in ['"', '{', ']', ',', '\\', '\u{0}', 'é'] {
                let mangled = format!("{}{insert}{}", &VALID[..*i], &VALID[*i..]);
                let _ = parse(&mangled);
            }
        }
    }

    #[test]
    fn json_pointer_escapes_keys() {
        let errors =
            errors(&VALID.replacen("\"revision\": 2,", "\"revision\": 2, \"a/b~c\": 1,", 1));
        assert_eq!(errors[0].path, "/a~1b~0c");
    }
}
