//! The engine: the page's consent state and everything that follows from it.
//!
//! One `Engine` per page, in the single `thread_local!` at the wasm boundary.
//! It starts *pending* (no table yet: hold everything that needs a decision),
//! becomes *ready* when a table validates, or *broken* when none can be had
//! (fail closed for the rest of the page). Decisions are delegated to the
//! core (`crate::decide`); this module keeps state, stores records, sweeps
//! cookies and tells the shell and the UI what changed.
//!
//! Re-entrancy rule: while the state is mutably borrowed nothing calls out to
//! JS (a shell call can come straight back into a decision export). Mutations
//! queue [`Effect`]s, which [`flush`] runs after the borrow is released.

use std::cell::RefCell;

use web_sys::console;

use crate::consent::{self, Action, Record, Status, STORAGE_KEY};
use crate::consent_mode;
use crate::cookie;
use crate::decide::{self, CookieVerdict, Grants, UrlVerdict};
use crate::host;
use crate::report::{self, Report};
use crate::table::texts::pick_language;
use crate::table::{self, CategoryId, ServiceId, StorageKind, Table};
use crate::web::outbox;
use crate::web::shell::Shell;
use crate::web::store::{self, Area};
use crate::web::ui::{self, Notice, UiAction, View};

/// At most this many `document.cookie` writes are kept while the table
/// loads; a page writing more before the table arrives loses the oldest.
const MAX_QUEUED_WRITES: usize = 64;

/// The category a Global Privacy Control signal refuses.
const ADVERTISING: &str = "advertising";

/// Where the engine is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// No table yet: hold every cross-origin resource and marked-up element,
    /// queue cookie writes.
    Pending,
    /// A valid table: decide by it.
    Ready,
    /// No valid table can be had: nothing non-essential, for this page.
    Broken,
}

/// Something to do once the state is no longer borrowed.
enum Effect {
    Refresh,
    Emit(&'static str, String),
    WriteCookie(String),
    ShowBanner,
    ShowPreferences,
    CloseUi,
    Notify(Notice),
    RenderPersistent,
    ReleaseHeld(u32),
    /// `gtag(...)` with these JSON arguments; `true`: before the page's own
    /// dataLayer entries.
    Gtag(String, bool),
    /// Queue a report for the report endpoint and send what is due.
    Report(String, Report),
    /// Send reports left from earlier pages.
    SendReports(String),
}

/// The page the engine runs in.
struct Page {
    host: String,
    path: String,
    secure: bool,
}

/// The consent state of one page.
pub struct Engine {
    shell: Shell,
    phase: Phase,
    table: Option<Table>,
    grants: Option<Grants>,
    record: Option<Record>,
    lang: String,
    gpc_signal: bool,
    page: Page,
    queued_writes: Vec<String>,
    reported: Vec<String>,
    dom_ready: bool,
    banner_wanted: bool,
    outbox: Vec<Effect>,
}

thread_local! {
    static ENGINE: RefCell<Option<Engine>> = const { RefCell::new(None) };
}

/// Mutate the engine, then run the effects it queued.
fn with_mut<R>(f: impl FnOnce(&mut Engine) -> R) -> Option<R> {
    let result = ENGINE.with(|cell| {
        let mut guard = cell.try_borrow_mut().ok()?;
        guard.as_mut().map(f)
    });
    flush();
    result
}

/// Read the engine. Returns `None` while it is being mutated (the caller
/// then fails closed).
fn with<R>(f: impl FnOnce(&Engine) -> R) -> Option<R> {
    ENGINE.with(|cell| cell.try_borrow().ok()?.as_ref().map(f))
}

/// Run queued effects, outside any mutable borrow.
fn flush() {
    loop {
        let batch = ENGINE.with(|cell| match cell.try_borrow_mut() {
            Ok(mut guard) => guard.as_mut().map(|e| std::mem::take(&mut e.outbox)),
            Err(_) => None,
        });
        let Some(batch) = batch.filter(|b| !b.is_empty()) else { return };
        let Some(shell) = with(|e| e.shell.clone()) else { return };
        for effect in batch {
            run(&shell, effect);
        }
    }
}

fn run(shell: &Shell, effect: Effect) {
    match effect {
        Effect::Refresh => log_failure(shell.refresh(), "refresh"),
        Effect::Emit(kind, json) => log_failure(shell.emit(kind, &json), "emit"),
        Effect::WriteCookie(cookie) => log_failure(shell.write_cookie(&cookie), "writeCookie"),
        Effect::ReleaseHeld(id) => log_failure(shell.release_held(id), "releaseHeld"),
        Effect::CloseUi => ui::close(),
        Effect::ShowBanner => render(ui::show_banner),
        Effect::ShowPreferences => render(ui::show_preferences),
        Effect::RenderPersistent => render(ui::render_persistent),
        Effect::Notify(notice) => render(|view| ui::notify(view, notice)),
        Effect::Gtag(args, front) => log_failure(shell.gtag(&args, front), "gtag"),
        Effect::Report(url, report) => outbox::enqueue(&url, report),
        Effect::SendReports(url) => outbox::send_due(&url),
    }
}

/// Call `f` with a view of the state, if there is a table to show.
fn render(f: impl FnOnce(&View<'_>)) {
    ENGINE.with(|cell| {
        let Ok(guard) = cell.try_borrow() else { return };
        let Some(engine) = guard.as_ref() else { return };
        if let Some(view) = engine.view() {
            f(&view);
        }
    });
}

fn log_failure(result: Result<(), wasm_bindgen::JsValue>, what: &str) {
    if let Err(e) = result {
        console::error_2(&format!("consent-guard: the page shell failed in {what}:").into(), &e);
    }
}

fn now_secs() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

fn random_id() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .and_then(|c| c.get_random_values_with_u8_array(&mut bytes).ok())
        .is_some();
    if !filled {
        // No Web Crypto (very old browsers): Math.random is not
        // cryptographic, but an id only has to be unique, not secret.
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes
}

fn page() -> Page {
    let location = web_sys::window().map(|w| w.location());
    let read = |f: fn(&web_sys::Location) -> Result<String, wasm_bindgen::JsValue>| {
        location.as_ref().and_then(|l| f(l).ok()).unwrap_or_default()
    };
    Page {
        host: read(web_sys::Location::hostname).to_ascii_lowercase(),
        path: read(web_sys::Location::pathname),
        secure: read(web_sys::Location::protocol) == "https:",
    }
}

fn gpc_signal() -> bool {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else { return false };
    js_sys::Reflect::get(&navigator, &"globalPrivacyControl".into()).ok().and_then(|v| v.as_bool())
        == Some(true)
}

fn page_languages() -> (Option<String>, Vec<String>) {
    let window = web_sys::window();
    let html_lang = window
        .as_ref()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("lang"))
        .filter(|l| !l.trim().is_empty());
    let preferred = window
        .map(|w| w.navigator().languages())
        .map(|list| list.iter().filter_map(|v| v.as_string()).collect())
        .unwrap_or_default();
    (html_lang, preferred)
}

/// The stored record's two copies: localStorage and the `consent_guard`
/// cookie. `Err` when localStorage throws (the cookie may still decide).
fn stored_copies(jar: &str) -> (Result<Option<String>, store::Unavailable>, Option<String>) {
    let local = store::get(Area::Local, STORAGE_KEY);
    let cookie =
        cookie::parse_jar(jar).find(|(name, _)| *name == STORAGE_KEY).map(|(_, v)| v.to_string());
    (local, cookie)
}

/// Start the engine. Called once by the shell, synchronously, first thing.
pub fn boot(shell: Shell) {
    let engine = Engine {
        shell,
        phase: Phase::Pending,
        table: None,
        grants: None,
        record: None,
        lang: String::from("en"),
        gpc_signal: gpc_signal(),
        page: page(),
        queued_writes: Vec::new(),
        reported: Vec::new(),
        dom_ready: false,
        banner_wanted: false,
        outbox: Vec::new(),
    };
    ENGINE.with(|cell| {
        if let Ok(mut guard) = cell.try_borrow_mut() {
            *guard = Some(engine);
        }
    });
    listen_page_events();
}

/// Listeners that live as long as the page: another tab's decision or
/// report queue (`storage`), and the page being hidden or closed (send the
/// reports).
/// Installed once per page, so a re-boot (tests) does not add more.
fn listen_page_events() {
    thread_local!(static INSTALLED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) });
    if INSTALLED.with(|i| i.replace(true)) {
        return;
    }
    let Some(window) = web_sys::window() else { return };
    // Page-lifetime closures: deliberately forgotten, never removed.
    let on_storage = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::StorageEvent)>::new(
        |event: web_sys::StorageEvent| {
            let key = event.key();
            if key.as_deref() == Some(STORAGE_KEY) {
                if let Some(value) = event.new_value() {
                    with_mut(|e| e.another_tab_decided(&value));
                }
            } else if key.as_deref() == Some(report::QUEUE_KEY) {
                // Another tab saved the report queue, maybe from a stale copy.
                let url = with(|e| e.table.as_ref().and_then(|t| t.report_url.clone())).flatten();
                if let Some(url) = url {
                    outbox::queue_changed(&url);
                }
            }
        },
    );
    let _ = window.add_event_listener_with_callback(
        "storage",
        wasm_bindgen::JsCast::unchecked_ref(on_storage.as_ref()),
    );
    on_storage.forget();
    let on_hide = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(|| {
        if let Some(url) = with(|e| e.table.as_ref().and_then(|t| t.report_url.clone())).flatten() {
            outbox::beacon_all(&url);
        }
    });
    let _ = window.add_event_listener_with_callback(
        "pagehide",
        wasm_bindgen::JsCast::unchecked_ref(on_hide.as_ref()),
    );
    on_hide.forget();
}

/// A table arrived as text: validate it and apply the stored choice.
pub fn load_table(text: &str, source: &str) -> bool {
    match table::parse(text) {
        Ok(table) => {
            with_mut(|e| e.become_ready(table));
            true
        }
        Err(errors) => {
            let count = errors.0.len();
            console::error_1(
                &format!(
                    "consent-guard: the cookie table {source} is invalid ({count} error{}); nothing non-essential will load on this page:\n{errors}",
                    if count == 1 { "" } else { "s" }
                )
                .into(),
            );
            with_mut(|e| e.become_broken());
            false
        }
    }
}

/// No table can be had.
pub fn table_failed(message: &str) {
    console::error_1(
        &format!("consent-guard: {message}; nothing non-essential will load on this page").into(),
    );
    with_mut(Engine::become_broken);
}

/// The document's body exists.
pub fn dom_ready() {
    with_mut(|e| {
        e.dom_ready = true;
        if e.phase == Phase::Ready {
            e.outbox.push(Effect::RenderPersistent);
            if e.banner_wanted {
                e.outbox.push(Effect::ShowBanner);
            }
        }
    });
}

/// `-1` allow, `-2` hold (no table), `n` hold (service `n` not granted).
pub fn decide_url(url: &str) -> i32 {
    with(|e| e.decide_url(url)).unwrap_or(-2)
}

/// May a marked-up element with this category and/or service run now?
pub fn decide_markup(category: &str, service: &str) -> bool {
    with(|e| e.decide_markup(category, service)).unwrap_or(false)
}

/// May this `document.cookie` write go through?
pub fn decide_cookie(write: &str) -> bool {
    with_mut(|e| e.decide_cookie(write)).unwrap_or(false)
}

/// Look for undeclared and refused cookies now.
pub fn check_jar() {
    let jar = with(|e| e.shell.read_cookies().unwrap_or_default()).unwrap_or_default();
    with_mut(|e| e.check_jar(&jar));
}

/// `"<service id>|<category id>"` for a service index, or `""`.
pub fn service_info(index: i32) -> String {
    with(|e| {
        let table = e.table.as_ref()?;
        let service = table.service(ServiceId(usize::try_from(index).ok()?))?;
        Some(format!("{}|{}", service.id, table.category(service.category).id))
    })
    .flatten()
    .unwrap_or_default()
}

/// The placeholder for a held embed or block: the service by index, else
/// by id (marked-up content), and the category.
pub fn placeholder(
    hold_id: u32,
    service: i32,
    category: &str,
    service_id: &str,
) -> Option<web_sys::Element> {
    ENGINE.with(|cell| {
        let guard = cell.try_borrow().ok()?;
        let engine = guard.as_ref()?;
        let view = engine.view()?;
        let service = usize::try_from(service)
            .ok()
            .filter(|s| *s < view.table.services.len())
            .map(ServiceId)
            .or_else(|| view.table.service_id(service_id));
        let category = view.table.category_id(category);
        ui::placeholder(&view, hold_id, service, category)
    })
}

/// The current record as JSON (the localStorage form).
pub fn consent_json() -> Option<String> {
    with(|e| e.record.as_ref().filter(|r| r.action != Action::Expired).map(Record::to_json))
        .flatten()
}

/// Something the visitor did in the UI, or the page did through the API.
pub fn dispatch(action: UiAction) {
    with_mut(|e| e.act(action));
}

/// `consentGuard.accept(categories)`: false (and nothing changes) when an id
/// is not a category of the table, or there is no table.
pub fn accept(categories: &[String]) -> bool {
    with_mut(|e| {
        let table = e.table.as_ref()?;
        let ids: Option<Vec<CategoryId>> =
            categories.iter().map(|c| table.category_id(c)).collect();
        let ids = ids?;
        e.act(UiAction::Save(ids));
        Some(())
    })
    .flatten()
    .is_some()
}

impl Engine {
    fn view(&self) -> Option<View<'_>> {
        Some(View {
            table: self.table.as_ref()?,
            lang: &self.lang,
            grants: self.grants.as_ref()?,
            has_choice: self.has_choice(),
            gpc: self.gpc_refuses_advertising(),
        })
    }

    /// Whether the visitor has decided (an `expired` marker or a record GPC
    /// made on its own is not the visitor's decision).
    fn has_choice(&self) -> bool {
        self.record.as_ref().is_some_and(is_choice)
    }

    fn gpc_refuses_advertising(&self) -> bool {
        self.gpc_signal
            && self.table.as_ref().is_some_and(|t| {
                t.gpc == table::GpcMode::Honour && t.category_id(ADVERTISING).is_some()
            })
    }

    fn become_broken(&mut self) {
        if self.phase == Phase::Ready {
            return;
        }
        self.phase = Phase::Broken;
        // Writes queued while waiting would have been decided by a table;
        // without one none of them is known to be necessary.
        self.queued_writes.clear();
    }

    fn become_ready(&mut self, table: Table) {
        if self.phase != Phase::Pending {
            // One table per page: a second one (or one after a failure) would
            // change the rules half-way through the page's life.
            console::warn_1(&"consent-guard: a second cookie table was ignored".into());
            return;
        }
        let (html_lang, preferred) = page_languages();
        let preferred: Vec<&str> = preferred.iter().map(String::as_str).collect();
        let available = table.languages();
        self.lang =
            pick_language(&available, &table.default_language, html_lang.as_deref(), &preferred)
                .to_string();

        let jar = self.shell.read_cookies().unwrap_or_default();
        let (local, cookie_copy) = stored_copies(&jar);
        let local = local.unwrap_or_else(|_| {
            console::warn_1(
                &"consent-guard: localStorage is unavailable; using the consent cookie alone"
                    .into(),
            );
            None
        });
        let now = now_secs();
        let stored = consent::read_stored(local.as_deref(), cookie_copy.as_deref());
        let necessary_only = Grants::necessary_only(&table);
        self.table = Some(table);
        self.grants = Some(necessary_only);
        self.phase = Phase::Ready;
        self.banner_wanted = true;
        match stored {
            Ok(Some(record)) => self.apply_stored(record, now),
            Ok(None) => {}
            Err(e) => console::warn_1(&format!("consent-guard: {e}; asking again").into()),
        }
        self.gpc_overrides_an_earlier_grant(now);
        let gpc_recorded = self.record.as_ref().is_some_and(|r| r.action == Action::Gpc);
        if self.gpc_refuses_advertising() && !self.has_choice() && !gpc_recorded {
            // GPC decides advertising without asking (COMPLIANCE.md, GPC):
            // record that, grant nothing, and still ask about the rest.
            let grants = self.grants.clone().unwrap_or_else(|| unreachable_record());
            let record = self.new_record(&grants, Action::Gpc, now);
            self.store(&record);
            self.report_record(&record);
            self.record = Some(record);
        }
        self.consent_mode_default();
        if self.record.as_ref().is_some_and(|r| r.action != Action::Expired) {
            // A returning visitor's stored choice, right after the default.
            self.consent_mode_update(true);
        }
        if let Some(url) = self.table.as_ref().and_then(|t| t.report_url.clone()) {
            self.outbox.push(Effect::SendReports(url));
        }

        let queued = std::mem::take(&mut self.queued_writes);
        for write in queued {
            if self.decide_cookie(&write) {
                self.outbox.push(Effect::WriteCookie(write));
            }
        }
        self.check_jar(&jar);
        self.outbox.push(Effect::Refresh);
        if self.dom_ready {
            self.outbox.push(Effect::RenderPersistent);
            if self.banner_wanted {
                self.outbox.push(Effect::ShowBanner);
            }
        }
    }

    /// A readable stored record: use it if it still holds, else say why the
    /// visitor is asked again.
    fn apply_stored(&mut self, mut record: Record, now: i64) {
        let Some(table) = self.table.as_ref() else { return };
        // The cookie copy lists only granted categories; give consent() and
        // later copies the full shape: every category of the table, granted
        // or not. (Its fingerprint is checked below: same table, same ids.)
        record.categories = table
            .categories
            .iter()
            .map(|c| (c.id.clone(), c.is_necessary() || record.grants(&c.id)))
            .collect();
        match record.status(table, now) {
            Status::Valid => {
                self.grants = Some(Grants::from_record(table, &record));
                // A record GPC made answers only for advertising: the
                // visitor has not chosen the rest yet.
                self.banner_wanted = !is_choice(&record);
                self.record = Some(record);
            }
            Status::Expired => {
                console::info_1(&"consent-guard: the stored choice has expired; asking again".into());
                // Proof of why the visitor is asked again (R11).
                let marker = self.new_record(&Grants::necessary_only(table), Action::Expired, now);
                self.store(&marker);
                self.report_record(&marker);
                self.record = Some(marker);
            }
            Status::Outdated => console::info_1(
                &"consent-guard: the cookie table changed since the stored choice; asking again".into(),
            ),
            Status::Implausible => {
                console::warn_1(&"consent-guard: the stored choice is not plausible (dated in the future or too long); asking again".into())
            }
            Status::NoChoice => {}
        }
    }

    fn new_record(&self, grants: &Grants, action: Action, now: i64) -> Record {
        let Some(table) = self.table.as_ref() else { unreachable_record() };
        let services = grants
            .services()
            .iter()
            .filter_map(|s| table.service(*s))
            .map(|s| s.id.clone())
            .collect();
        Record::new(
            table,
            |i| grants.has(table.category_ids().nth(i).unwrap_or(table.necessary())),
            services,
            action,
            random_id(),
            now,
            &self.lang,
            self.gpc_signal,
        )
    }

    /// A browser that sends GPC now, where advertising was granted while it
    /// did not: the signal refuses advertising from here on (a new record,
    /// action `gpc`, the rest of the choice kept). A grant made while GPC was
    /// on (`gpc: true`) is the visitor's explicit choice and stands.
    fn gpc_overrides_an_earlier_grant(&mut self, now: i64) {
        if !self.gpc_refuses_advertising() {
            return;
        }
        let Some(advertising) = self.table.as_ref().and_then(|t| t.category_id(ADVERTISING)) else {
            return;
        };
        let earlier = self
            .record
            .as_ref()
            .is_some_and(|r| !r.gpc && r.action != Action::Expired && r.grants(ADVERTISING));
        let Some(mut grants) = self.grants.clone().filter(|_| earlier) else { return };
        grants.set(advertising, false);
        let record = self.new_record(&grants, Action::Gpc, now);
        self.store(&record);
        self.report_record(&record);
        self.grants = Some(grants);
        self.banner_wanted = !is_choice(&record);
        self.record = Some(record);
    }

    /// A record was made: queue it for the report endpoint, if there is one.
    fn report_record(&mut self, record: &Record) {
        let Some(url) = self.table.as_ref().and_then(|t| t.report_url.clone()) else { return };
        let body = report::record_body(&record.to_json(), &self.page.host);
        let report = Report {
            id: record.id.clone(),
            kind: report::Kind::Record,
            body,
            attempts: 0,
            not_before: 0,
        };
        self.outbox.push(Effect::Report(url, report));
    }

    /// `gtag('consent', 'update', …)` for the current grants.
    fn consent_mode_update(&mut self, front: bool) {
        let (Some(table), Some(grants)) = (self.table.as_ref(), self.grants.as_ref()) else {
            return;
        };
        let Some(config) = table.google_consent_mode.as_ref() else { return };
        let signals = consent_mode::to_json(&consent_mode::update_signals(config, grants));
        self.outbox.push(Effect::Gtag(format!("[\"consent\",\"update\",{signals}]"), front));
    }

    /// `gtag('consent', 'default', …)` and the settings the table asks for,
    /// ahead of anything the page pushed.
    fn consent_mode_default(&mut self) {
        let Some(config) = self.table.as_ref().and_then(|t| t.google_consent_mode.as_ref()) else {
            return;
        };
        let signals = consent_mode::to_json(&consent_mode::default_signals());
        let mut commands = vec![format!("[\"consent\",\"default\",{signals}]")];
        for key in consent_mode::settings(config) {
            commands.push(format!("[\"set\",\"{key}\",true]"));
        }
        for command in commands {
            self.outbox.push(Effect::Gtag(command, true));
        }
    }

    /// Keep the record in localStorage and the cookie; false when neither
    /// could hold it (the choice still applies to this page).
    fn store(&self, record: &Record) -> bool {
        self.store_and_read(record).0
    }

    /// `store`, also giving back the cookie jar read to check it (reading
    /// `document.cookie` is a synchronous round trip to the browser's cookie
    /// store: one read serves the check and what follows).
    fn store_and_read(&self, record: &Record) -> (bool, String) {
        let local_ok = store::set(Area::Local, STORAGE_KEY, &record.to_json()).is_ok();
        let lifetime = (record.expires - record.time).max(0);
        let mut cookie = format!(
            "{STORAGE_KEY}={}; Path=/; Max-Age={lifetime}; SameSite=Lax",
            record.to_cookie_value()
        );
        if self.page.secure {
            cookie.push_str("; Secure");
        }
        // Written now (not queued) so the read-back below is meaningful: the
        // native setter does not re-enter the engine.
        let _ = self.shell.write_cookie(&cookie);
        let jar = self.shell.read_cookies().unwrap_or_default();
        let cookie_ok =
            cookie::parse_jar(&jar).any(|(n, v)| n == STORAGE_KEY && v == record.to_cookie_value());
        // Only a choice neither copy holds is lost with the page; one copy
        // carries it to the next page on its own.
        let warning = match (local_ok, cookie_ok) {
            (false, false) => Some("the choice could not be stored (localStorage and cookies are unavailable); it applies to this page only"),
            (false, true) => Some("localStorage is unavailable; the choice is kept in the consent_guard cookie alone"),
            (true, false) => Some("cookies are unavailable; the choice is kept in localStorage alone"),
            (true, true) => None,
        };
        if let Some(warning) = warning {
            console::warn_1(&format!("consent-guard: {warning}").into());
        }
        (local_ok || cookie_ok, jar)
    }

    fn decide_url(&self, url: &str) -> i32 {
        match (self.phase, self.table.as_ref(), self.grants.as_ref()) {
            (Phase::Ready, Some(table), Some(grants)) => {
                match decide::url_verdict(table, grants, url) {
                    UrlVerdict::Allow => -1,
                    UrlVerdict::Hold(service) => i32::try_from(service.index()).unwrap_or(-2),
                }
            }
            // Without a table any other site may be a tracker.
            _ => match host::url_host(url) {
                Some(h) if h != self.page.host => -2,
                _ => -1,
            },
        }
    }

    fn decide_markup(&self, category: &str, service: &str) -> bool {
        let (Phase::Ready, Some(table), Some(grants)) =
            (self.phase, self.table.as_ref(), self.grants.as_ref())
        else {
            return false;
        };
        let by_service = table.service_id(service).is_some_and(|s| grants.allows_service(table, s));
        let by_category = table.category_id(category).is_some_and(|c| grants.has(c));
        by_service || by_category
    }

    fn decide_cookie(&mut self, write: &str) -> bool {
        let parsed = cookie::parse_write(write);
        // The clock is a call out to JS: only an Expires date needs it.
        let now = if parsed.max_age.is_none() && parsed.expires.is_some() { now_secs() } else { 0 };
        if parsed.ignored || parsed.is_deletion(now) {
            // The browser stores nothing: let it through unchanged.
            return true;
        }
        if parsed.name == STORAGE_KEY {
            // Only the engine writes the record, through the native setter.
            return false;
        }
        match (self.phase, self.table.as_ref(), self.grants.as_ref()) {
            (Phase::Ready, Some(table), Some(grants)) => {
                let verdict =
                    decide::cookie_verdict(table, grants, parsed.name, StorageKind::Cookie);
                if matches!(verdict, CookieVerdict::AllowUndeclared | CookieVerdict::DropUndeclared)
                {
                    let name = parsed.name.to_string();
                    self.report_undeclared(name, "document.cookie");
                }
                verdict.allows()
            }
            (Phase::Pending, _, _) => {
                if self.queued_writes.len() >= MAX_QUEUED_WRITES {
                    self.queued_writes.remove(0);
                }
                self.queued_writes.push(write.to_string());
                false
            }
            _ => false,
        }
    }

    fn report_undeclared(&mut self, name: String, via: &str) {
        if self.reported.contains(&name) {
            return;
        }
        console::warn_1(
            &format!("consent-guard: cookie \"{name}\" is not declared in the cookie table; add it so visitors are told about it").into(),
        );
        let mut json = String::from("{\"name\":");
        crate::json::write_str(&mut json, &name);
        json.push_str(",\"via\":");
        crate::json::write_str(&mut json, via);
        json.push_str(",\"time\":");
        crate::json::write_str(&mut json, &crate::time::format_iso(now_secs()));
        json.push('}');
        self.outbox.push(Effect::Emit("undeclared", json));
        let url = self.table.as_ref().and_then(|t| t.report_url.clone());
        let id = report::undeclared_id(&self.page.host, &name);
        // One report per cookie for the site, not one per page view: the id
        // is stable, and this browser remembers the ids it has queued.
        if let Some(url) = url.filter(|_| outbox::first_time(&id)) {
            let page = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
            let time = crate::time::format_iso(now_secs());
            let body = report::undeclared_body(&id, &name, &self.page.host, &page, &time);
            let report =
                Report { id, kind: report::Kind::Undeclared, body, attempts: 0, not_before: 0 };
            self.outbox.push(Effect::Report(url, report));
        }
        self.reported.push(name);
    }

    /// Report undeclared cookies present and sweep refused ones.
    fn check_jar(&mut self, jar: &str) {
        let (Some(table), Some(_)) = (self.table.as_ref(), self.grants.as_ref()) else { return };
        let undeclared: Vec<String> = cookie::parse_jar(jar)
            .map(|(name, _)| name)
            .filter(|name| !name.is_empty() && *name != STORAGE_KEY)
            .filter(|name| decide::rule_for(table, name, StorageKind::Cookie).is_none())
            .map(str::to_string)
            .collect();
        for name in undeclared {
            self.report_undeclared(name, "cookie jar");
        }
        self.sweep(jar);
    }

    /// Delete refused first-party cookies and storage keys, then verify.
    fn sweep(&mut self, jar: &str) {
        let (Some(table), Some(grants)) = (self.table.as_ref(), self.grants.as_ref()) else {
            return;
        };
        let names: Vec<String> = decide::to_sweep(
            table,
            grants,
            StorageKind::Cookie,
            cookie::parse_jar(jar).map(|(n, _)| n),
        )
        .into_iter()
        .map(str::to_string)
        .collect();
        for (area, kind) in
            [(Area::Local, StorageKind::LocalStorage), (Area::Session, StorageKind::SessionStorage)]
        {
            let keys = store::keys(area);
            for key in decide::to_sweep(table, grants, kind, keys.iter().map(String::as_str)) {
                let _ = store::remove(area, key);
            }
        }
        if names.is_empty() {
            return;
        }
        for name in &names {
            for write in
                cookie::deletion_variants(name, &self.page.host, &self.page.path, self.page.secure)
            {
                let _ = self.shell.write_cookie(&write);
            }
        }
        let after = self.shell.read_cookies().unwrap_or_default();
        let survivors: Vec<&str> = cookie::parse_jar(&after)
            .map(|(n, _)| n)
            .filter(|n| names.iter().any(|m| m == n))
            .collect();
        if !survivors.is_empty() {
            console::warn_1(
                &format!(
                    "consent-guard: could not delete {} (set on a path this page cannot reach, or by the server)",
                    survivors.join(", ")
                )
                .into(),
            );
        }
    }

    fn act(&mut self, action: UiAction) {
        let (Phase::Ready, Some(table), Some(current)) =
            (self.phase, self.table.as_ref(), self.grants.as_ref())
        else {
            return;
        };
        let mut grants = current.clone();
        let (record_action, notice) = match action {
            UiAction::ShowPreferences => {
                self.outbox.push(Effect::ShowPreferences);
                return;
            }
            UiAction::LoadOnce(hold_id) => {
                self.outbox.push(Effect::ReleaseHeld(hold_id));
                return;
            }
            UiAction::AcceptAll => {
                grants = Grants::all(table);
                if self.gpc_refuses_advertising() {
                    // "Accept all" does not override GPC; the preferences
                    // can grant advertising explicitly.
                    if let Some(advertising) = table.category_id(ADVERTISING) {
                        grants.set(advertising, false);
                    }
                }
                (Action::AcceptAll, Notice::Saved)
            }
            UiAction::RejectAll => {
                grants = Grants::necessary_only(table);
                (Action::RejectAll, Notice::Saved)
            }
            UiAction::Close => {
                if self.has_choice() {
                    // A choice exists: closing changes nothing.
                    self.outbox.push(Effect::CloseUi);
                    return;
                }
                grants = Grants::necessary_only(table);
                (Action::RejectAll, Notice::ClosedRejected)
            }
            UiAction::Save(categories) => {
                grants = Grants::necessary_only(table);
                for id in categories {
                    grants.set(id, true);
                }
                let action = if current.is_subset_of(&grants) {
                    Action::SaveSelection
                } else {
                    Action::Withdraw
                };
                (action, Notice::Saved)
            }
            UiAction::AllowCategory(id) if id.index() < table.categories.len() => {
                grants.set(id, true);
                (Action::SaveSelection, Notice::Saved)
            }
            // Not a category of this table: nothing to grant.
            UiAction::AllowCategory(_) => return,
        };
        self.decide(grants, record_action, notice);
    }

    /// Another tab stored a decision: apply it here too (banner closes, held
    /// items are released or swept), without storing or reporting it again.
    fn another_tab_decided(&mut self, json: &str) {
        let (Phase::Ready, Some(table)) = (self.phase, self.table.as_ref()) else { return };
        let Ok(record) = Record::from_json(json) else { return };
        if self.record.as_ref().is_some_and(|r| r.id == record.id) {
            return;
        }
        if !matches!(record.status(table, now_secs()), Status::Valid) {
            return;
        }
        let grants = Grants::from_record(table, &record);
        self.banner_wanted = record.action == Action::Gpc;
        let json = record.to_json();
        self.grants = Some(grants);
        self.record = Some(record);
        if !self.banner_wanted {
            self.outbox.push(Effect::CloseUi);
        }
        self.outbox.push(Effect::Refresh);
        let jar = self.shell.read_cookies().unwrap_or_default();
        self.sweep(&jar);
        self.outbox.push(Effect::RenderPersistent);
        self.consent_mode_update(false);
        self.outbox.push(Effect::Emit("change", json));
    }

    /// Make, store and apply a decision.
    fn decide(&mut self, grants: Grants, action: Action, notice: Notice) {
        let withdrawn =
            self.has_choice() && self.grants.as_ref().is_some_and(|old| !old.is_subset_of(&grants));
        let record = self.new_record(&grants, action, now_secs());
        let (stored, jar) = self.store_and_read(&record);
        self.report_record(&record);
        let json = record.to_json();
        self.grants = Some(grants);
        self.record = Some(record);
        self.banner_wanted = false;

        self.outbox.push(Effect::CloseUi);
        self.outbox.push(Effect::Refresh);
        self.sweep(&jar);
        self.outbox.push(Effect::Notify(if stored { notice } else { Notice::StorageError }));
        if withdrawn {
            self.outbox.push(Effect::Notify(Notice::Withdrawn));
        }
        self.outbox.push(Effect::RenderPersistent);
        self.consent_mode_update(false);
        self.outbox.push(Effect::Emit("change", json));
    }
}

/// Whether a record holds a choice of the visitor's: not an `expired`
/// marker, and not a record GPC made on its own (which grants nothing and
/// leaves the other categories to ask about).
fn is_choice(record: &Record) -> bool {
    match record.action {
        Action::Expired => false,
        Action::Gpc => {
            record.categories.iter().any(|(id, granted)| *granted && id != crate::table::NECESSARY)
        }
        _ => true,
    }
}

/// `new_record` is only called with a table in place; should that ever not
/// hold, abort the call rather than record a choice for no table.
#[cold]
fn unreachable_record() -> ! {
    wasm_bindgen::throw_str("consent-guard: internal error: no table for a record")
}

/// `consentGuard.show()`: the first layer again.
pub fn show() {
    with_mut(|e| {
        if e.phase == Phase::Ready {
            e.outbox.push(Effect::ShowBanner);
        }
    });
}

/// `consentGuard.showPreferences()`.
pub fn show_preferences() {
    with_mut(|e| {
        if e.phase == Phase::Ready {
            e.outbox.push(Effect::ShowPreferences);
        }
    });
}

/// `consentGuard.refresh()`: re-render what the page may have re-rendered
/// (cookie tables, the floating button) and re-check held items.
pub fn refresh() {
    with_mut(|e| {
        if e.phase == Phase::Ready {
            e.outbox.push(Effect::RenderPersistent);
            e.outbox.push(Effect::Refresh);
        }
    });
}

/// The phase, for tests.
pub fn phase() -> Option<Phase> {
    with(|e| e.phase)
}
