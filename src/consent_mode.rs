//! Google Consent Mode v2: which signals to send for a table and a choice.
//!
//! Pure: the browser layer turns these into `gtag('consent', …)` calls that
//! push an `arguments` object onto `dataLayer` (gtag.js ignores arrays).
//!
//! Rules (COMPLIANCE.md, Google Consent Mode v2):
//! - `default`: every signal denied except `security_storage`, before any
//!   Google tag runs;
//! - `update`: one per decision (and one right after `default` for a
//!   returning visitor), each signal granted when a category mapped to it is
//!   granted. A signal no category drives keeps its default value;
//! - `url_passthrough` / `ads_data_redaction` only when the table asks.

use crate::decide::Grants;
use crate::table::{ConsentModeConfig, CONSENT_MODE_SIGNALS};

/// `(signal, granted)` for every Consent Mode signal, in Google's order.
pub type Signals = Vec<(&'static str, bool)>;

/// The `consent default` values.
pub fn default_signals() -> Signals {
    CONSENT_MODE_SIGNALS.iter().map(|s| (*s, *s == "security_storage")).collect()
}

/// The `consent update` values for `grants`.
pub fn update_signals(config: &ConsentModeConfig, grants: &Grants) -> Signals {
    CONSENT_MODE_SIGNALS
        .iter()
        .map(|signal| {
            let mut drivers = config.mapping.iter().filter(|(_, signals)| signals.contains(signal));
            let granted = match drivers.next() {
                None => *signal == "security_storage",
                Some(first) => {
                    std::iter::once(first).chain(drivers).any(|(category, _)| grants.has(*category))
                }
            };
            (*signal, granted)
        })
        .collect()
}

/// The signals as a JSON object: `{"ad_storage":"denied",…}`.
pub fn to_json(signals: &Signals) -> String {
    let mut out = String::from("{");
    for (i, (signal, granted)) in signals.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        crate::json::write_str(&mut out, signal);
        out.push_str(if *granted { ":\"granted\"" } else { ":\"denied\"" });
    }
    out.push('}');
    out
}

/// The `gtag('set', key, true)` settings the table asks for.
pub fn settings(config: &ConsentModeConfig) -> Vec<&'static str> {
    let mut out = Vec::new();
    if config.url_passthrough {
        out.push("url_passthrough");
    }
    if config.ads_data_redaction {
        out.push("ads_data_redaction");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::parse;

    const TABLE: &str = r#"{
      "revision": 1,
      "googleConsentMode": true,
      "categories": [{"id": "strictly-necessary"}, {"id": "analytics"}, {"id": "advertising"}],
      "cookies": []
    }"#;

    fn granted(signals: &Signals) -> Vec<&'static str> {
        signals.iter().filter(|(_, g)| *g).map(|(s, _)| *s).collect()
    }

    #[test]
    fn default_denies_everything_but_security() {
        assert_eq!(granted(&default_signals()), ["security_storage"]);
        assert_eq!(default_signals().len(), 7);
        assert_eq!(
            to_json(&default_signals()),
            r#"{"ad_storage":"denied","ad_user_data":"denied","ad_personalization":"denied","analytics_storage":"denied","functionality_storage":"denied","personalization_storage":"denied","security_storage":"granted"}"#
        );
    }

    #[test]
    fn updates_follow_the_default_mapping() {
        let table = parse(TABLE).unwrap();
        let config = table.google_consent_mode.clone().unwrap();
        let mut grants = Grants::necessary_only(&table);
        assert_eq!(
            granted(&update_signals(&config, &grants)),
            ["functionality_storage", "security_storage"]
        );
        grants.set(table.category_id("analytics").unwrap(), true);
        assert_eq!(
            granted(&update_signals(&config, &grants)),
            ["analytics_storage", "functionality_storage", "security_storage"]
        );
        let all = Grants::all(&table);
        assert_eq!(granted(&update_signals(&config, &all)).len(), 7);
    }

    #[test]
    fn a_functional_category_drives_functionality_storage() {
        let table = parse(&TABLE.replace(
            "{\"id\": \"advertising\"}",
            "{\"id\": \"advertising\"}, {\"id\": \"functional\"}",
        ))
        .unwrap();
        let config = table.google_consent_mode.clone().unwrap();
        let grants = Grants::necessary_only(&table);
        assert_eq!(granted(&update_signals(&config, &grants)), ["security_storage"]);
        let mut functional = grants.clone();
        functional.set(table.category_id("functional").unwrap(), true);
        assert_eq!(
            granted(&update_signals(&config, &functional)),
            ["functionality_storage", "security_storage"]
        );
    }

    #[test]
    fn custom_mapping_and_settings() {
        let table = parse(&TABLE.replace(
            "\"googleConsentMode\": true",
            r#""googleConsentMode": {"mapping": {"analytics": ["analytics_storage", "ad_user_data"]}, "urlPassthrough": true}"#,
        ))
        .unwrap();
        let config = table.google_consent_mode.clone().unwrap();
        let mut grants = Grants::necessary_only(&table);
        assert_eq!(
            granted(&update_signals(&config, &grants)),
            ["security_storage"],
            "unmapped signals keep their default"
        );
        grants.set(table.category_id("analytics").unwrap(), true);
        assert_eq!(
            granted(&update_signals(&config, &grants)),
            ["ad_user_data", "analytics_storage", "security_storage"]
        );
        assert_eq!(settings(&config), ["url_passthrough"]);
    }
}
