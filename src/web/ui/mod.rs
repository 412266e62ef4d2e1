//! The visible parts: the consent dialog (first layer and preferences), the
//! floating button, the cookie declaration table on the page, placeholders for
//! held embeds and the status messages.
//!
//! The UI decides nothing. It renders a [`View`] of the engine's state and
//! reports what the visitor did as a [`UiAction`] through
//! [`crate::web::engine::dispatch`]. All of it lives inside shadow roots, and
//! every text from the table goes into text nodes, never into markup.
//!
//! Shape of what is built (all in open shadow roots):
//!
//! - `<consent-guard-ui>` at the end of `<body>`, one per page: the dialog
//!   (one layer at a time), the `role="status"` message and the floating
//!   button. The first layer is a *non-modal* `<dialog>` at the bottom (the
//!   page stays usable: no cookie wall, R7), so it does not claim
//!   `aria-modal` and does not trap Tab; the preferences are a *modal*
//!   `<dialog>` (`showModal`: the page behind is inert, `aria-modal="true"`,
//!   Tab wraps). Both take focus on open (the dialog element itself, so a
//!   screen reader reads its name and description first and neither
//!   "Accept" nor "Reject" is pre-selected), and give it back to the
//!   element that opened them when they close.
//! - `<consent-guard-placeholder>` per held embed.
//! - The page's `data-consent-guard="cookie-table"` elements get a plain
//!   `<table class="consent-guard-declaration">` in the light DOM, so the
//!   privacy page styles it like the rest of its content.
//!
//! Events: one JS function ([`on_event`]) serves every listener — clicks and
//! keys in our shadow roots, `cancel` on the modal dialog, and one delegated
//! `click` on `document` for `data-consent-guard="preferences"`. Buttons name
//! their action in `data-cg`. The function is created once and kept for the
//! page's life, so no closure is ever dropped while it runs and removed
//! elements need no listener bookkeeping. It calls
//! [`crate::web::engine::dispatch`] only after releasing the UI's own state,
//! because the engine calls straight back into [`close`] and [`notify`].
//!
//! Escape and × (R14) dispatch [`UiAction::Close`]: the engine rejects when
//! there is no choice yet (and the UI says so), or only closes when there is.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    Element, Event, HtmlDialogElement, HtmlInputElement, KeyboardEvent, Node, ShadowRoot,
};

use crate::decide::Grants;
use crate::declaration;
use crate::table::texts::TextKey;
use crate::table::{CategoryId, ServiceId, Table};
use crate::web::engine;

mod dom;
mod style;
mod view;

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
    open_layer(view, Layer::Banner);
}

/// Show the preferences layer; focus returns to what opened it on close.
pub fn show_preferences(view: &View<'_>) {
    open_layer(view, Layer::Preferences);
}

/// Close whatever layer is open.
pub fn close() {
    let opener = UI.with(|cell| {
        let mut ui = cell.try_borrow_mut().ok()?;
        let open = ui.open.take()?;
        open.dialog.remove();
        if let Some(fab) = &ui.fab {
            let _ = fab.remove_attribute("hidden");
        }
        open.opener
    });
    // Outside the borrow: focus events run page code, which may call the API.
    if let Some(opener) = opener.filter(|o| o.is_connected()) {
        dom::focus(&opener);
    }
}

/// Whether a layer is open.
pub fn is_open() -> bool {
    UI.with(|cell| cell.try_borrow().is_ok_and(|ui| ui.open.is_some()))
}

/// Announce a status message.
pub fn notify(view: &View<'_>, notice: Notice) {
    let key = match notice {
        Notice::Saved => TextKey::Saved,
        Notice::ClosedRejected => TextKey::ClosedRejected,
        Notice::StorageError => TextKey::StorageError,
        Notice::Withdrawn => TextKey::WithdrawNotice,
    };
    let text = view.table.text(view.lang, key);
    let shown = UI.with(|cell| {
        let mut ui = cell.try_borrow_mut().ok()?;
        ensure_root(&mut ui, view.lang)?;
        let status = ui.status.clone()?;
        // A decision's first message replaces the last decision's; the
        // "withdrawn" note that may follow it is added, and both go
        // together once shown long enough.
        if notice != Notice::Withdrawn {
            status.set_text_content(None);
            ui.shown_chars = 0;
        }
        dom::el(&status, "p", "", text)?;
        ui.notices = ui.notices.wrapping_add(1);
        ui.shown_chars = ui.shown_chars.saturating_add(text.chars().count());
        Some((ui.notices, ui.shown_chars))
    });
    let (Some((generation, chars)), Some(window)) = (shown, web_sys::window()) else { return };
    // Frees itself after it runs. Only hides the message: nothing is decided.
    let hide = Closure::once_into_js(move || {
        UI.with(|cell| {
            let Ok(ui) = cell.try_borrow() else { return };
            if ui.notices == generation {
                if let Some(status) = &ui.status {
                    status.set_text_content(None);
                }
            }
        });
    });
    let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
        hide.unchecked_ref(),
        view::notice_millis(chars),
    );
}

/// The parts shown on every page: the floating button (when the table wants
/// it) and every `data-consent-guard="cookie-table"` element, filled.
/// Idempotent: calling it again updates in place, never duplicates.
pub fn render_persistent(view: &View<'_>) {
    UI.with(|cell| {
        let Ok(mut ui) = cell.try_borrow_mut() else { return };
        let _ = render_dock(&mut ui, view);
        if !ui.delegated {
            if let Some(doc) = dom::document() {
                dom::listen(&doc, &["click"], &handler(&mut ui));
                ui.delegated = true;
            }
        }
    });
    let _ = fill_tables(view);
}

/// The placeholder for a held embed, or `None` when it cannot be built
/// (no document, or neither a service nor a category to name).
pub fn placeholder(
    view: &View<'_>,
    hold_id: u32,
    service: Option<ServiceId>,
    category: Option<CategoryId>,
) -> Option<Element> {
    let p = view::placeholder(view.table, view.lang, service, category)?;
    let text = |key| view.table.text(view.lang, key);
    let (host, root) =
        dom::host("consent-guard-placeholder", &[style::COMMON, style::PLACEHOLDER])?;
    let f = UI.with(|cell| {
        let mut ui = cell.try_borrow_mut().ok()?;
        if let Some((id, _)) = p.category {
            if !ui.allowable.contains(&id) {
                ui.allowable.push(id);
            }
        }
        Some(handler(&mut ui))
    })?;
    dom::listen(&root, &["click"], &f);
    let group = dom::el(&root, "div", "cg-ph", "")?;
    // A group, not a region: a page with several embeds would otherwise get
    // several landmarks of the same name.
    dom::set(&group, "role", "group");
    dom::set(&group, "aria-labelledby", "cg-t");
    dom::set(&group, "lang", view.lang);
    let inner = dom::el(&group, "div", "cg-in", "")?;
    let title = dom::el(&inner, "p", "cg-pt", "")?;
    dom::set(&title, "id", "cg-t");
    dom::parts(&title, &p.title)?;
    if let Some(t) = &p.text {
        dom::parts(&dom::el(&inner, "p", "", "")?, t)?;
    }
    let dl = dom::el(&inner, "dl", "", "")?;
    if let Some(provider) = p.provider {
        dom::el(&dl, "dt", "", text(TextKey::TableProvider))?;
        let dd = dom::el(&dl, "dd", "", "")?;
        dom::el(&dd, "span", "", provider)?;
        if let Some(url) = p.policy {
            dom::el(&dd, "span", "", " ")?;
            dom::set(&dom::el(&dd, "a", "", text(TextKey::PolicyLink))?, "href", url);
        }
    }
    if let Some((_, title)) = p.category {
        dom::el(&dl, "dt", "", text(TextKey::TableCategory))?;
        dom::el(&dl, "dd", "", title)?;
    }
    let buttons = dom::el(&inner, "div", "cg-bs", "")?;
    dom::button(&buttons, "cg-b", text(TextKey::LoadOnce), &format!("o{hold_id}"))?;
    if let (Some(allow), Some((id, _))) = (&p.allow, p.category) {
        dom::parts(&dom::button(&buttons, "cg-b", "", &format!("c{}", id.index()))?, allow)?;
    }
    Some(host)
}

/// Remove everything the UI put in the page and forget it (tests boot a new
/// engine on the same page; so could a page that re-initialises).
pub fn reset() {
    let old = UI.with(|cell| cell.try_borrow_mut().map(|mut ui| std::mem::take(&mut *ui)).ok());
    if let Some(old) = old {
        if let Some((host, _)) = &old.root {
            host.remove();
        }
        // The document listener stays installed (it dispatches to whatever
        // engine is current); keep the function it calls alive with it.
        UI.with(|cell| {
            if let Ok(mut ui) = cell.try_borrow_mut() {
                ui.handler = old.handler;
                ui.delegated = old.delegated;
            }
        });
    }
}

/// Which layer is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layer {
    Banner,
    Preferences,
}

/// The open dialog.
struct Open {
    layer: Layer,
    dialog: Element,
    /// Where focus goes back to on close.
    opener: Option<Element>,
    /// The preferences' changeable switches and their categories.
    toggles: Vec<(HtmlInputElement, CategoryId)>,
}

/// The UI's state for the page.
#[derive(Default)]
struct Ui {
    /// `<consent-guard-ui>` and its shadow root.
    root: Option<(Element, ShadowRoot)>,
    dock: Option<Element>,
    status: Option<Element>,
    fab: Option<Element>,
    open: Option<Open>,
    /// The element a click named as the opener of the next layer.
    opener: Option<Element>,
    /// Bumped per message; a hide timer only clears its own generation.
    notices: u32,
    /// Characters of the messages shown (they stay longer when longer).
    shown_chars: usize,
    /// Categories placeholders offer to allow (a click names one by index).
    allowable: Vec<CategoryId>,
    /// The one listener function; see the module docs.
    handler: Option<Closure<dyn FnMut(Event)>>,
    /// Whether the document-level click listener is installed.
    delegated: bool,
}

thread_local! {
    static UI: RefCell<Ui> = RefCell::new(Ui::default());
}

/// The listener function, created on first use. Kept in `UI` for the
/// page's life (never dropped while a listener may still call it).
fn handler(ui: &mut Ui) -> js_sys::Function {
    let closure = ui.handler.get_or_insert_with(|| Closure::new(on_event));
    closure.as_ref().unchecked_ref::<js_sys::Function>().clone()
}

/// The main host, created and mounted on first use, mounted again if the
/// page removed it.
fn ensure_root(ui: &mut Ui, lang: &str) -> Option<ShadowRoot> {
    if let Some((host, root)) = &ui.root {
        if !host.is_connected() {
            dom::mount(host)?;
        }
        let root = root.clone();
        if let Some(dock) = &ui.dock {
            dom::set(dock, "lang", lang);
        }
        return Some(root);
    }
    let (host, root) = dom::host("consent-guard-ui", &[style::COMMON, style::MAIN])?;
    dom::listen(&root, &["click", "keydown"], &handler(ui));
    let dock = dom::el(&root, "div", "cg-dock", "")?;
    dom::set(&dock, "lang", lang);
    // Present from the start, so assistive technology announces what is
    // put into it later.
    let status = dom::el(&dock, "div", "cg-s", "")?;
    dom::set(&status, "role", "status");
    dom::mount(&host)?;
    ui.dock = Some(dock);
    ui.status = Some(status);
    ui.root = Some((host, root.clone()));
    Some(root)
}

/// The floating button, added, updated or removed as the table says.
fn render_dock(ui: &mut Ui, view: &View<'_>) -> Option<()> {
    ensure_root(ui, view.lang)?;
    if !view.table.floating_button {
        if let Some(fab) = ui.fab.take() {
            fab.remove();
        }
        return Some(());
    }
    let fab = match &ui.fab {
        Some(fab) => fab.clone(),
        None => {
            let fab = dom::button(ui.dock.as_ref()?, "cg-fab", "", "f")?;
            ui.fab = Some(fab.clone());
            fab
        }
    };
    let name = view.table.text(view.lang, TextKey::FloatingButton);
    dom::set(&fab, "aria-label", name);
    dom::set(&fab, "title", name);
    if ui.open.is_some() {
        dom::set(&fab, "hidden", "");
    }
    Some(())
}

/// Fill every `data-consent-guard="cookie-table"` element with the whole
/// declaration (replacing what it held).
fn fill_tables(view: &View<'_>) -> Option<()> {
    let list = dom::document()?.query_selector_all("[data-consent-guard=\"cookie-table\"]").ok()?;
    if list.length() == 0 {
        return Some(());
    }
    let rows = declaration::rows(view.table, view.lang);
    let (heads, cells) = view::full_table(view.table, view.lang, &rows);
    for i in 0..list.length() {
        let Some(node) = list.get(i) else { continue };
        node.set_text_content(None);
        let table = dom::table(&node, "consent-guard-declaration", &heads, &cells)?;
        dom::set(&table, "lang", view.lang);
    }
    Some(())
}

/// Replace the open layer (if any) with `layer`, show it and focus it.
fn open_layer(view: &View<'_>, layer: Layer) {
    let dialog = UI.with(|cell| {
        let mut ui = cell.try_borrow_mut().ok()?;
        // Who gets focus back: the element a click named; else, when this
        // replaces a layer ("Manage preferences"), whoever opened that one;
        // else what has focus now.
        let opener = match (ui.opener.take(), ui.open.take()) {
            (Some(named), old) => {
                if let Some(old) = old {
                    old.dialog.remove();
                }
                Some(named)
            }
            (None, Some(old)) => {
                old.dialog.remove();
                old.opener
            }
            (None, None) => dom::deep_active(),
        };
        let root = ensure_root(&mut ui, view.lang)?;
        let modal = layer == Layer::Preferences;
        let dialog = dom::el(&root, "dialog", if modal { "cg-l2" } else { "cg-l1" }, "")?;
        // Implicit on <dialog>; said anyway for selectors and older tools.
        dom::set(&dialog, "role", "dialog");
        dom::set(&dialog, "lang", view.lang);
        dom::set(&dialog, "tabindex", "-1");
        dom::set(&dialog, "aria-labelledby", "cg-t");
        dom::set(&dialog, "aria-describedby", "cg-dd");
        let toggles = if modal {
            dom::set(&dialog, "aria-modal", "true");
            // `cancel` does not bubble: listen on the dialog itself.
            dom::listen(&dialog, &["cancel"], &handler(&mut ui));
            build_preferences(&dialog, view)?
        } else {
            build_banner(&dialog, view)?;
            Vec::new()
        };
        if let Some(fab) = &ui.fab {
            dom::set(fab, "hidden", "");
        }
        let d: &HtmlDialogElement = dialog.unchecked_ref();
        if !modal || d.show_modal().is_err() {
            d.show();
        }
        ui.open = Some(Open { layer, dialog: dialog.clone(), opener, toggles });
        Some(dialog)
    });
    if let Some(dialog) = dialog {
        dom::focus(&dialog);
    }
}

/// Title and the × button.
fn header(dialog: &Element, view: &View<'_>, title: TextKey) -> Option<()> {
    let text = |key| view.table.text(view.lang, key);
    let row = dom::el(dialog, "div", "cg-h", "")?;
    dom::set(&dom::el(&row, "h2", "", text(title))?, "id", "cg-t");
    // Drawn by CSS (no text), named by the `close` text: "Continue without
    // accepting" says what it does, which a bare × does not.
    let x = dom::button(&row, "cg-x", "", "x")?;
    dom::set(&x, "aria-label", text(TextKey::Close));
    dom::set(&x, "title", text(TextKey::Close));
    Some(())
}

/// Equal buttons (one class), in the given order.
fn buttons(dialog: &Element, view: &View<'_>, list: &[(TextKey, &str)]) -> Option<()> {
    let row = dom::el(dialog, "div", "cg-bs", "")?;
    for (key, action) in list {
        dom::button(&row, "cg-b", view.table.text(view.lang, *key), action)?;
    }
    Some(())
}

fn build_banner(dialog: &Element, view: &View<'_>) -> Option<()> {
    let text = |key| view.table.text(view.lang, key);
    header(dialog, view, TextKey::Title)?;
    dom::set(&dom::el(dialog, "p", "", text(TextKey::Description))?, "id", "cg-dd");
    if let Some(line) = view::services_line(view.table, view.lang) {
        dom::parts(&dom::el(dialog, "p", "", "")?, &line)?;
    }
    if let Some(url) = view::safe_url(view.table.policy_url.as_deref()) {
        let p = dom::el(dialog, "p", "", "")?;
        dom::set(&dom::el(&p, "a", "", text(TextKey::PolicyLink))?, "href", url);
    }
    if view.gpc {
        dom::el(dialog, "p", "", text(TextKey::GpcNotice))?;
    }
    buttons(
        dialog,
        view,
        &[(TextKey::AcceptAll, "a"), (TextKey::RejectAll, "r"), (TextKey::ManagePreferences, "p")],
    )
}

fn build_preferences(
    dialog: &Element,
    view: &View<'_>,
) -> Option<Vec<(HtmlInputElement, CategoryId)>> {
    let (table, lang) = (view.table, view.lang);
    let text = |key| table.text(lang, key);
    header(dialog, view, TextKey::PreferencesTitle)?;
    dom::set(&dom::el(dialog, "p", "", text(TextKey::PreferencesDescription))?, "id", "cg-dd");
    if view.gpc {
        dom::el(dialog, "p", "", text(TextKey::GpcNotice))?;
    }
    let rows = declaration::rows(table, lang);
    let mut toggles = Vec::new();
    for toggle in view::toggles(table, view.grants, view.has_choice) {
        let i = toggle.id.index();
        let section = dom::el(dialog, "section", "cg-c", "")?;
        let row = dom::el(&section, "div", "cg-cr", "")?;
        let input = dom::el(&row, "input", "", "")?;
        dom::set(&input, "type", "checkbox");
        dom::set(&input, "id", &format!("cg-c{i}"));
        let heading = dom::el(&row, "h3", "", "")?;
        let label = dom::el(&heading, "label", "", table.category_title(lang, toggle.id))?;
        dom::set(&label, "for", &format!("cg-c{i}"));
        dom::set(&label, "id", &format!("cg-l{i}"));
        let mut described = format!("cg-e{i}");
        if toggle.locked {
            dom::set(&dom::el(&row, "span", "cg-on", text(TextKey::AlwaysOn))?, "id", "cg-on");
            described.insert_str(0, "cg-on ");
        }
        dom::set(&input, "aria-describedby", &described);
        let description = table.category_description(lang, toggle.id);
        dom::set(&dom::el(&section, "p", "", description)?, "id", &format!("cg-e{i}"));
        let details = dom::el(&section, "details", "", "")?;
        let summary = dom::el(&details, "summary", "", text(TextKey::CookiesInCategory))?;
        dom::set(&summary, "id", &format!("cg-s{i}"));
        let (heads, cells) = view::category_table(table, lang, &rows, toggle.id);
        if cells.is_empty() {
            dom::el(&details, "p", "", text(TextKey::NoCookies))?;
        } else {
            // Columns as wide as their longest word; on a narrow screen the
            // table scrolls sideways inside this box (a data table may, WCAG
            // 1.4.10), which the keyboard can then reach and scroll.
            let scroller = dom::el(&details, "div", "cg-tw", "")?;
            dom::set(&scroller, "tabindex", "0");
            dom::set(&scroller, "role", "group");
            dom::set(&scroller, "aria-labelledby", &format!("cg-s{i} cg-l{i}"));
            dom::table(&scroller, "", &heads, &cells)?;
        }
        // Attributes: on a new input they are its state.
        if toggle.checked {
            dom::set(&input, "checked", "");
        }
        if toggle.locked {
            dom::set(&input, "disabled", "");
        }
        let input: HtmlInputElement = input.unchecked_into();
        if !toggle.locked {
            toggles.push((input, toggle.id));
        }
    }
    buttons(
        dialog,
        view,
        &[(TextKey::Save, "s"), (TextKey::AcceptAll, "a"), (TextKey::RejectAll, "r")],
    )?;
    Some(toggles)
}

/// Every listener's function (see the module docs).
fn on_event(event: Event) {
    let action = match event.type_().as_str() {
        "keydown" => event.dyn_ref::<KeyboardEvent>().and_then(on_key),
        "cancel" => {
            // The browser's own close request (Escape, Android back) on the
            // modal: closing goes through the engine like ×.
            event.prevent_default();
            Some(UiAction::Close)
        }
        _ => on_click(&event),
    };
    // No UI state is borrowed here: the engine calls back into the UI.
    if let Some(action) = action {
        engine::dispatch(action);
    }
    // An opener named for a layer that did not open (no table) must not
    // be used by a later one.
    set_opener(None);
}

fn on_click(event: &Event) -> Option<UiAction> {
    let target: Element = event.target()?.dyn_into().ok()?;
    let ours = event.current_target()?.is_instance_of::<ShadowRoot>();
    if !ours {
        // The page's own "cookie settings" links and buttons. The link's
        // own action (say, to the privacy page) is cancelled only when the
        // preferences did open: without a table it still goes there.
        let opener = target.closest("[data-consent-guard=\"preferences\"]").ok()??;
        set_opener(Some(opener));
        engine::dispatch(UiAction::ShowPreferences);
        if is_open() {
            event.prevent_default();
        }
        return None;
    }
    let button = target.closest("[data-cg]").ok()??;
    let action = button.get_attribute("data-cg")?;
    let number = || action.get(1..)?.parse::<u32>().ok();
    Some(match action.as_bytes().first()? {
        b'a' => UiAction::AcceptAll,
        b'r' => UiAction::RejectAll,
        b'p' => UiAction::ShowPreferences,
        b'x' => UiAction::Close,
        b's' => UiAction::Save(checked()),
        b'f' => {
            // Named explicitly: Safari does not focus a clicked button.
            set_opener(Some(button));
            UiAction::ShowPreferences
        }
        b'o' => UiAction::LoadOnce(number()?),
        b'c' => {
            let index = usize::try_from(number()?).ok()?;
            UI.with(|cell| {
                let ui = cell.try_borrow().ok()?;
                ui.allowable.iter().copied().find(|id| id.index() == index)
            })
            .map(UiAction::AllowCategory)?
        }
        _ => return None,
    })
}

fn set_opener(opener: Option<Element>) {
    UI.with(|cell| {
        if let Ok(mut ui) = cell.try_borrow_mut() {
            ui.opener = opener;
        }
    });
}

/// The categories switched on in the open preferences.
fn checked() -> Vec<CategoryId> {
    UI.with(|cell| {
        let Ok(ui) = cell.try_borrow() else { return Vec::new() };
        let Some(open) = &ui.open else { return Vec::new() };
        open.toggles.iter().filter(|(input, _)| input.checked()).map(|(_, id)| *id).collect()
    })
}

/// What Tab can reach in a dialog.
const FOCUSABLE: &str = "button,input:not([disabled]),a[href],summary,[tabindex=\"0\"]";

/// Escape closes (never grants); Tab wraps inside the modal layer.
fn on_key(event: &KeyboardEvent) -> Option<UiAction> {
    let (layer, dialog, root) = UI.with(|cell| {
        let ui = cell.try_borrow().ok()?;
        let open = ui.open.as_ref()?;
        Some((open.layer, open.dialog.clone(), ui.root.as_ref()?.1.clone()))
    })?;
    match event.key().as_str() {
        "Escape" => {
            event.prevent_default();
            event.stop_propagation();
            Some(UiAction::Close)
        }
        "Tab" if layer == Layer::Preferences => {
            let list = dialog.query_selector_all(FOCUSABLE).ok()?;
            let first = list.get(0)?;
            let last = list.get(list.length().checked_sub(1)?)?;
            let active: Option<Node> = root.active_element().map(Into::into);
            let at = |n: &Node| active.as_ref() == Some(n);
            let dialog_node: &Node = &dialog;
            let to = if event.shift_key() {
                (at(&first) || at(dialog_node) || active.is_none()).then_some(last)
            } else {
                at(&last).then_some(first)
            };
            if let Some(to) = to.and_then(|n| n.dyn_into::<Element>().ok()) {
                event.prevent_default();
                dom::focus(&to);
            }
            None
        }
        _ => None,
    }
}
