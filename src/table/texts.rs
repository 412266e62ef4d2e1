//! Every text the banner shows, with the built-in English, and the choice of
//! language for a page.
//!
//! A table may give texts in any number of languages; a key it leaves out
//! falls back to the table's default language, then to the English built in
//! here, so a table with no `texts` at all still shows a complete banner.
//! Texts are data, never markup: the browser layer only ever puts them into
//! text nodes.

/// Defines [`TextKey`]: one variant per text, its JSON key and its English.
macro_rules! text_keys {
    ($($variant:ident $key:literal $english:literal,)*) => {
        /// One text the banner can show. The JSON key is the camelCase name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum TextKey {
            $(#[doc = $english] $variant,)*
        }

        impl TextKey {
            /// Every key, in the order the schema lists them.
            pub const ALL: &'static [TextKey] = &[$(TextKey::$variant,)*];

            /// The key as written in the table's `texts`.
            pub fn key(self) -> &'static str {
                match self { $(TextKey::$variant => $key,)* }
            }

            /// The built-in English text.
            pub fn english(self) -> &'static str {
                match self { $(TextKey::$variant => $english,)* }
            }

            /// The key for a JSON key, if there is one.
            pub fn from_key(key: &str) -> Option<TextKey> {
                match key { $($key => Some(TextKey::$variant),)* _ => None }
            }
        }
    };
}

text_keys! {
    Title "title" "We use cookies",
    Description "description" "We use cookies and similar technologies to run this site and, if you agree, to measure how it is used and to show and measure ads, together with the third parties listed below. “Reject all” is as easy as “Accept all”, and the site works either way. You can change your mind at any time with the “Cookie preferences” button.",
    ServicesIntro "servicesIntro" "Third parties:",
    PolicyLink "policyLink" "Cookie policy",
    AcceptAll "acceptAll" "Accept all",
    RejectAll "rejectAll" "Reject all",
    ManagePreferences "managePreferences" "Manage preferences",
    Close "close" "Continue without accepting",
    PreferencesTitle "preferencesTitle" "Cookie preferences",
    PreferencesDescription "preferencesDescription" "Choose which kinds of cookies we may use. Strictly necessary cookies are always on because the site cannot work without them; everything else stays off until you turn it on.",
    Save "save" "Save choices",
    AlwaysOn "alwaysOn" "Always on",
    Saved "saved" "Your cookie choices have been saved.",
    ClosedRejected "closedRejected" "Only strictly necessary cookies are used. You can change this at any time under “Cookie preferences”.",
    FloatingButton "floatingButton" "Cookie preferences",
    CookiesInCategory "cookiesInCategory" "Cookies used for this purpose",
    TableName "tableName" "Name",
    TableProvider "tableProvider" "Provider",
    TableParty "tableParty" "Party",
    TablePurpose "tablePurpose" "Purpose",
    TableCategory "tableCategory" "Category",
    TableDuration "tableDuration" "Duration",
    TableJustification "tableJustification" "Why it is necessary",
    FirstParty "firstParty" "First party",
    ThirdParty "thirdParty" "Third party",
    ThisSite "thisSite" "This site",
    NoCookies "noCookies" "No cookies are declared for this purpose.",
    PlaceholderTitle "placeholderTitle" "{service} content is blocked",
    PlaceholderText "placeholderText" "Showing it would let {service} set {category} cookies, which you have not allowed.",
    LoadOnce "loadOnce" "Load this content once",
    AllowCategory "allowCategory" "Allow {category} cookies",
    GpcNotice "gpcNotice" "Your browser sends a Global Privacy Control signal, so advertising is refused unless you turn it on here.",
    WithdrawNotice "withdrawNotice" "Cookies that third parties have already set stay in your browser until they expire or you delete them in your browser’s settings.",
    StorageError "storageError" "Your choice applies to this page, but it could not be stored, so you may be asked again.",
}

/// The built-in English title and description of the categories a table is
/// most likely to use; other categories must bring their own texts.
pub fn builtin_category(id: &str) -> Option<(&'static str, &'static str)> {
    Some(match id {
        "strictly-necessary" => (
            "Strictly necessary",
            "Needed for the site to work, for example to keep your session and to remember your cookie choices. They cannot be turned off.",
        ),
        "analytics" => (
            "Analytics",
            "Help us understand how visitors use the site, such as which pages are read, through identifiers stored in your browser.",
        ),
        "advertising" => (
            "Advertising",
            "Used by us, ad networks and embedded services such as videos and social media to show and measure ads and to build a profile of your interests.",
        ),
        "functional" => (
            "Functional",
            "Remember choices you make, such as language or video player settings, to give you extra features.",
        ),
        _ => return None,
    })
}

/// Replace `{service}` and `{category}` in a text. Other braces stay as
/// written: texts are shown as plain text, so nothing here is markup.
pub fn fill(text: &str, service: &str, category: &str) -> String {
    text.replace("{service}", service).replace("{category}", category)
}

/// Pick the banner's language: the page's `<html lang>`, then the browser's
/// preferred languages, then the table's default. A candidate matches a
/// language the table has texts for exactly (case-insensitively) or by its
/// primary subtag (`fr-CA` → `fr`); English is always available because it is
/// built in.
pub fn pick_language<'a>(
    available: &[&'a str],
    default: &'a str,
    page_lang: Option<&str>,
    preferred: &[&str],
) -> &'a str {
    let candidates = page_lang.into_iter().chain(preferred.iter().copied());
    for wanted in candidates {
        let wanted = wanted.trim();
        if wanted.is_empty() {
            continue;
        }
        if let Some(found) = available.iter().find(|a| a.eq_ignore_ascii_case(wanted)) {
            return found;
        }
        let primary = wanted.split('-').next().unwrap_or(wanted);
        if let Some(found) = available.iter().find(|a| a.eq_ignore_ascii_case(primary)) {
            return found;
        }
        if primary.eq_ignore_ascii_case("en") {
            return "en";
        }
    }
    default
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_round_trips_and_has_english() {
        for key in TextKey::ALL {
            assert_eq!(TextKey::from_key(key.key()), Some(*key));
            assert!(!key.english().is_empty(), "{key:?}");
        }
        assert_eq!(TextKey::from_key("acceptall"), None);
    }

    #[test]
    fn keys_are_unique() {
        let mut keys: Vec<_> = TextKey::ALL.iter().map(|k| k.key()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), TextKey::ALL.len());
    }

    #[test]
    fn fill_replaces_placeholders_only() {
        let text = TextKey::PlaceholderText.english();
        let filled = fill(text, "YouTube", "Advertising");
        assert!(filled.contains("let YouTube set Advertising cookies"), "{filled}");
        assert_eq!(fill("{x} <b>{service}</b>", "S", "C"), "{x} <b>S</b>");
    }

    #[test]
    fn language_choice_order() {
        let available = ["en", "fr", "de-CH"];
        assert_eq!(pick_language(&available, "en", Some("fr"), &["de"]), "fr");
        assert_eq!(pick_language(&available, "en", Some("fr-CA"), &[]), "fr");
        assert_eq!(pick_language(&available, "en", Some("DE-ch"), &[]), "de-CH");
        assert_eq!(pick_language(&available, "en", Some("es"), &["it", "fr-BE"]), "fr");
        assert_eq!(pick_language(&available, "fr", None, &[]), "fr");
        assert_eq!(pick_language(&available, "fr", Some(""), &["pt"]), "fr");
    }

    #[test]
    fn english_is_built_in_even_when_the_table_has_no_texts() {
        assert_eq!(pick_language(&[], "de", Some("en-GB"), &[]), "en");
        assert_eq!(pick_language(&[], "de", Some("fr"), &[]), "de");
    }
}
