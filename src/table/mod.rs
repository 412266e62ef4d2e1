//! The cookie table: what a site declares, parsed and validated.
//!
//! `parse` is the only way from JSON text to a [`Table`]; the browser, the
//! CLI and the tests all go through it, so they agree on what a table means.

mod model;
mod parse;
pub mod texts;

pub use model::*;
pub use parse::{
    is_language_tag, is_safe_url, is_valid_id, parse, ErrorKind, TableError, TableErrors,
    MAX_CATEGORIES,
};
