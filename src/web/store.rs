//! Web Storage without surprises: every failure is an `Err`, never a throw.
//!
//! `localStorage` throws when it is disabled, in sandboxed iframes and when
//! the quota is full; gloo-storage turns some of those into panics and pulls
//! in serde_json, so the few calls we need are written here. A failure means
//! "no stored choice" when reading (fail closed) and is reported when writing.

use web_sys::Storage;

/// Which storage area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// `localStorage`.
    Local,
    /// `sessionStorage`.
    Session,
}

/// Storage is missing, blocked or full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unavailable;

fn area(which: Area) -> Result<Storage, Unavailable> {
    let window = web_sys::window().ok_or(Unavailable)?;
    let storage = match which {
        Area::Local => window.local_storage(),
        Area::Session => window.session_storage(),
    };
    storage.ok().flatten().ok_or(Unavailable)
}

/// The value under `key`, `Ok(None)` when absent.
pub fn get(which: Area, key: &str) -> Result<Option<String>, Unavailable> {
    area(which)?.get_item(key).map_err(|_| Unavailable)
}

/// Store `value` under `key`.
pub fn set(which: Area, key: &str, value: &str) -> Result<(), Unavailable> {
    area(which)?.set_item(key, value).map_err(|_| Unavailable)
}

/// Remove `key` (absent is fine).
pub fn remove(which: Area, key: &str) -> Result<(), Unavailable> {
    area(which)?.remove_item(key).map_err(|_| Unavailable)
}

/// Every key in the area.
pub fn keys(which: Area) -> Vec<String> {
    let Ok(storage) = area(which) else { return Vec::new() };
    let length = storage.length().unwrap_or(0);
    (0..length).filter_map(|i| storage.key(i).ok().flatten()).collect()
}
