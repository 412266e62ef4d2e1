//! The visible parts: the consent dialog (first layer and preferences), the
//! floating button, the cookie declaration table on the page, placeholders for
//! held embeds and the status messages.
//!
//! The UI decides nothing. It renders a [`View`] of the engine's state and
//! reports what the visitor did as a [`UiAction`] through
//! [`crate::web::engine::dispatch`]. All of it lives inside shadow roots, and
//! every text from the table goes into text nodes, never into markup.

use web_sys::Element;

use crate::decide::Grants;
use crate::table::{CategoryId, ServiceId, Table};

/// What the UI shows, borrowed from the engine for one render.
pub struct View<'a> {
    /// The validated table.
    pub table: &'a Table,
    /// The language chosen for this page.
    pub lang: &'a str,
    /// What is granted now (the preferences show it when reopened).
    pub grants: &'a Grants,
    /// Whether the visitor has a valid stored choice (toggles show it) or
    /// not (every non-essential toggle starts off).
    pub has_choice: bool,
    /// Whether advertising is refused by the browser's GPC signal (the
    /// dialog says so).
    pub gpc: bool,
}

/// What the visitor did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UiAction {
    /// "Accept all".
    AcceptAll,
    /// "Reject all".
    RejectAll,
    /// × or Escape with no stored choice: rejects, and says so.
    Close,
    /// "Save" in the preferences with these categories on.
    Save(Vec<CategoryId>),
    /// "Manage preferences" on the first layer.
    ShowPreferences,
    /// "Allow <category>" on a placeholder.
    AllowCategory(CategoryId),
    /// "Load this content once" on a placeholder.
    LoadOnce(u32),
}

/// A status message, announced with `role="status"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// The choice was saved.
    Saved,
    /// The banner was closed, which rejected.
    ClosedRejected,
    /// The choice could not be stored (it still applies to this page).
    StorageError,
    /// Consent was withdrawn: third-party cookies already set stay.
    Withdrawn,
}

/// Show the first layer (title, text, services, policy link, three buttons).
pub fn show_banner(view: &View<'_>) {
    let _ = view;
}

/// Show the preferences layer; focus returns to what opened it on close.
pub fn show_preferences(view: &View<'_>) {
    let _ = view;
}

/// Close whatever layer is open.
pub fn close() {}

/// Whether a layer is open.
pub fn is_open() -> bool {
    false
}

/// Announce a status message.
pub fn notify(view: &View<'_>, notice: Notice) {
    let _ = (view, notice);
}

/// The parts shown on every page: the floating button (when the table wants
/// it) and every `data-consent-guard="cookie-table"` element, filled.
pub fn render_persistent(view: &View<'_>) {
    let _ = view;
}

/// The placeholder for a held embed, or `None` when it cannot be built.
pub fn placeholder(
    view: &View<'_>,
    hold_id: u32,
    service: Option<ServiceId>,
    category: Option<CategoryId>,
) -> Option<Element> {
    let _ = (view, hold_id, service, category);
    None
}
