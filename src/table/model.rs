//! The validated cookie table: the only form of the table decision code sees.
//!
//! A [`Table`] is built by [`crate::table::parse`], which checks every
//! reference, so a [`CategoryId`] or [`ServiceId`] always names an entry that
//! exists: "unknown category" cannot be represented after parsing.

use crate::pattern::NamePattern;
use crate::table::texts::{builtin_category, TextKey};

/// The id of the one category that can never be refused.
pub const NECESSARY: &str = "strictly-necessary";

/// Consent lasts this long unless the table says otherwise (6 months, R9).
pub const DEFAULT_EXPIRY_DAYS: u32 = 182;

/// The longest consent a table may ask for (13 months, R9).
pub const MAX_EXPIRY_DAYS: u32 = 395;

/// Index of a category in [`Table::categories`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CategoryId(pub(crate) usize);

impl CategoryId {
    /// The position of the category in the table.
    pub fn index(self) -> usize {
        self.0
    }
}

/// Index of a service in [`Table::services`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ServiceId(pub(crate) usize);

impl ServiceId {
    /// The position of the service in the table.
    pub fn index(self) -> usize {
        self.0
    }
}

/// A validated cookie table.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Bumped by the site to ask every visitor again.
    pub revision: u64,
    /// The language used when the page's and browser's are not in `texts`.
    pub default_language: String,
    /// The site's cookie or privacy policy page, linked from the banner.
    pub policy_url: Option<String>,
    /// How long a choice is remembered.
    pub expiry_days: u32,
    /// Whether the floating "Cookie preferences" button is shown.
    pub floating_button: bool,
    /// What happens to a first-party cookie the table does not declare.
    pub undeclared: Undeclared,
    /// Whether a browser's Global Privacy Control signal is honoured.
    pub gpc: GpcMode,
    /// Google Consent Mode v2 signals, when the site uses Google tags.
    pub google_consent_mode: Option<ConsentModeConfig>,
    /// Where consent records and undeclared-cookie reports are POSTed.
    pub report_url: Option<String>,
    /// In display order; exactly one is [`NECESSARY`].
    pub categories: Vec<Category>,
    /// Third parties whose content is held until their category is granted.
    pub services: Vec<Service>,
    /// The cookie declaration: one rule per cookie or storage key.
    pub cookies: Vec<CookieRule>,
    /// Texts per language, as written in the table.
    pub texts: Vec<LanguageTexts>,
}

/// A purpose visitors can allow or refuse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    /// The id used in the table, the record and the JS API.
    pub id: String,
}

impl Category {
    /// Whether this is the category that cannot be refused.
    pub fn is_necessary(&self) -> bool {
        self.id == NECESSARY
    }
}

/// A third party (or first-party tool) recognised by the hosts it loads from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    /// The id used in the table and in `data-service` markup.
    pub id: String,
    /// Shown to visitors ("YouTube").
    pub name: String,
    /// The company responsible ("Google Ireland Limited").
    pub provider: String,
    /// The category the service needs.
    pub category: CategoryId,
    /// Normalised host suffixes (lower-case, punycode).
    pub hosts: Vec<String>,
    /// The provider's privacy policy.
    pub privacy_policy: Option<String>,
}

/// Where a declared item is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StorageKind {
    /// An HTTP cookie.
    Cookie,
    /// A `localStorage` key.
    LocalStorage,
    /// A `sessionStorage` key.
    SessionStorage,
}

impl StorageKind {
    /// The value as written in the table.
    pub fn as_str(self) -> &'static str {
        match self {
            StorageKind::Cookie => "cookie",
            StorageKind::LocalStorage => "localStorage",
            StorageKind::SessionStorage => "sessionStorage",
        }
    }
}

/// Who sets a cookie, seen from the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Party {
    /// Set on the site's own domain (by the server or a script on the page).
    First,
    /// Set on another site's domain.
    Third,
}

impl Party {
    /// The value as written in the table.
    pub fn as_str(self) -> &'static str {
        match self {
            Party::First => "first",
            Party::Third => "third",
        }
    }
}

/// One entry of the cookie declaration.
#[derive(Debug, Clone, PartialEq)]
pub struct CookieRule {
    /// The name or name pattern (`_ga_*`).
    pub name: NamePattern,
    /// Cookie, localStorage or sessionStorage.
    pub storage: StorageKind,
    /// The category the cookie belongs to (its own, or its service's).
    pub category: CategoryId,
    /// The service that sets it, if any.
    pub service: Option<ServiceId>,
    /// First or third party.
    pub party: Party,
    /// The domain it is set on, when the table says.
    pub domain: Option<String>,
    /// Who is responsible, when there is no service to say so.
    pub provider: Option<String>,
    /// What it is for.
    pub purpose: Localized,
    /// How long it lasts.
    pub duration: Localized,
    /// Why a strictly-necessary cookie is necessary.
    pub justification: Option<Localized>,
}

/// A text that may be given in one language or in several.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Localized {
    /// `(language, text)`; a plain string in the table is stored under `""`,
    /// meaning "any language".
    pub variants: Vec<(String, String)>,
}

impl Localized {
    /// A text for every language.
    pub fn plain(text: &str) -> Localized {
        Localized { variants: vec![(String::new(), text.to_string())] }
    }

    /// The text in `lang`, else in `fallback`, else the first one given.
    pub fn get(&self, lang: &str, fallback: &str) -> &str {
        let find = |l: &str| self.variants.iter().find(|(v, _)| v.eq_ignore_ascii_case(l));
        find(lang)
            .or_else(|| find(fallback))
            .or_else(|| find(""))
            .or_else(|| self.variants.first())
            .map_or("", |(_, text)| text.as_str())
    }
}

/// What to do with a first-party cookie the table does not declare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Undeclared {
    /// Let it through and report it (the default).
    Report,
    /// Drop it and report it.
    Block,
}

/// Whether Global Privacy Control is honoured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GpcMode {
    /// A GPC signal refuses advertising (the default).
    Honour,
    /// The signal is ignored (for sites no law asks to honour it).
    Ignore,
}

/// The Google Consent Mode v2 signal types.
pub const CONSENT_MODE_SIGNALS: &[&str] = &[
    "ad_storage",
    "ad_user_data",
    "ad_personalization",
    "analytics_storage",
    "functionality_storage",
    "personalization_storage",
    "security_storage",
];

/// Google Consent Mode v2 settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentModeConfig {
    /// Which signals each category drives, `(category, signals)`.
    pub mapping: Vec<(CategoryId, Vec<&'static str>)>,
    /// Send `url_passthrough: true`.
    pub url_passthrough: bool,
    /// Send `ads_data_redaction: true`.
    pub ads_data_redaction: bool,
}

/// The texts a table gives for one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageTexts {
    /// The language tag ("en", "fr-CA").
    pub lang: String,
    /// The banner texts given.
    pub values: Vec<(TextKey, String)>,
    /// Category titles and descriptions given, by category.
    pub categories: Vec<(CategoryId, CategoryTexts)>,
}

/// A category's title and description in one language.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CategoryTexts {
    /// Short name ("Analytics").
    pub title: Option<String>,
    /// One or two sentences on what it is for.
    pub description: Option<String>,
}

impl Table {
    /// The strictly-necessary category.
    pub fn necessary(&self) -> CategoryId {
        let index = self.categories.iter().position(Category::is_necessary);
        // `parse` refuses a table without it; 0 is never reached in practice
        // and would only make category 0 unrefusable, never grant another.
        CategoryId(index.unwrap_or(0))
    }

    /// The category with this id.
    pub fn category_id(&self, id: &str) -> Option<CategoryId> {
        self.categories.iter().position(|c| c.id == id).map(CategoryId)
    }

    /// The service with this id.
    pub fn service_id(&self, id: &str) -> Option<ServiceId> {
        self.services.iter().position(|s| s.id == id).map(ServiceId)
    }

    /// The category behind an id.
    pub fn category(&self, id: CategoryId) -> &Category {
        // Ids come from this table; a foreign id falls back to the first.
        self.categories.get(id.0).or_else(|| self.categories.first()).unwrap_or(&FALLBACK_CATEGORY)
    }

    /// The service behind an id.
    pub fn service(&self, id: ServiceId) -> Option<&Service> {
        self.services.get(id.0)
    }

    /// Every category id, in display order.
    pub fn category_ids(&self) -> impl Iterator<Item = CategoryId> {
        (0..self.categories.len()).map(CategoryId)
    }

    /// Languages the table has texts for.
    pub fn languages(&self) -> Vec<&str> {
        self.texts.iter().map(|t| t.lang.as_str()).collect()
    }

    /// The text for `key` in `lang`, falling back to the default language and
    /// then to the built-in English.
    pub fn text(&self, lang: &str, key: TextKey) -> &str {
        self.lookup(lang, |t| t.values.iter().find(|(k, _)| *k == key).map(|(_, v)| v.as_str()))
            .unwrap_or_else(|| key.english())
    }

    /// A category's title in `lang` (falling back like [`Table::text`], then
    /// to the id itself).
    pub fn category_title(&self, lang: &str, id: CategoryId) -> &str {
        let category = self.category(id);
        self.lookup(lang, |t| category_text(t, id).and_then(|c| c.title.as_deref()))
            .or_else(|| builtin_category(&category.id).map(|(title, _)| title))
            .unwrap_or(&category.id)
    }

    /// A category's description in `lang`, or `""`.
    pub fn category_description(&self, lang: &str, id: CategoryId) -> &str {
        let category = self.category(id);
        self.lookup(lang, |t| category_text(t, id).and_then(|c| c.description.as_deref()))
            .or_else(|| builtin_category(&category.id).map(|(_, description)| description))
            .unwrap_or("")
    }

    fn lookup<'a>(
        &'a self,
        lang: &str,
        find: impl Fn(&'a LanguageTexts) -> Option<&'a str>,
    ) -> Option<&'a str> {
        let in_lang =
            |l: &str| self.texts.iter().find(|t| t.lang.eq_ignore_ascii_case(l)).and_then(&find);
        in_lang(lang).or_else(|| in_lang(&self.default_language))
    }
}

fn category_text(texts: &LanguageTexts, id: CategoryId) -> Option<&CategoryTexts> {
    texts.categories.iter().find(|(c, _)| *c == id).map(|(_, t)| t)
}

static FALLBACK_CATEGORY: Category = Category { id: String::new() };

impl CookieRule {
    /// The provider shown in the declaration: the service's, the rule's own,
    /// or `this_site` for a first-party cookie with neither.
    pub fn provider<'a>(&'a self, table: &'a Table, this_site: &'a str) -> &'a str {
        self.service
            .and_then(|s| table.service(s))
            .map(|s| s.provider.as_str())
            .or(self.provider.as_deref())
            .unwrap_or(this_site)
    }
}
