//! Text-only DOM helpers: the UI builds every element through these.
//!
//! Nothing here takes markup. Text goes in with `textContent`, attributes
//! with `setAttribute`; there is no `innerHTML` anywhere in the UI, so a
//! table text can never become an element. Few helpers on purpose: each
//! distinct web-sys method adds glue to the wasm and the JS.

use wasm_bindgen::JsCast;
use web_sys::{
    Document, Element, EventTarget, HtmlElement, Node, ShadowRoot, ShadowRootInit, ShadowRootMode,
};

use super::view::Part;

/// The page's document.
pub fn document() -> Option<Document> {
    web_sys::window()?.document()
}

/// `<tag class="class">text</tag>` appended to `parent` (no class or text
/// when empty).
pub fn el(parent: &Node, tag: &str, class: &str, text: &str) -> Option<Element> {
    let e = document()?.create_element(tag).ok()?;
    if !class.is_empty() {
        set(&e, "class", class);
    }
    if !text.is_empty() {
        e.set_text_content(Some(text));
    }
    parent.append_child(&e).ok()?;
    Some(e)
}

/// Append a sentence made of parts: text nodes for our words, a `<bdi>`
/// per name from the table.
pub fn parts(parent: &Element, parts: &[Part<'_>]) -> Option<()> {
    for part in parts {
        if part.name {
            el(parent, "bdi", "", part.text)?;
        } else {
            parent.append_with_str_1(part.text).ok()?;
        }
    }
    Some(())
}

/// Set an attribute (a failure, which only an invalid name can cause, is
/// ignored: names here are literals).
pub fn set(e: &Element, name: &str, value: &str) {
    let _ = e.set_attribute(name, value);
}

/// A `<button type="button">` whose click the UI's handler reads from
/// `data-cg`.
pub fn button(parent: &Node, class: &str, text: &str, action: &str) -> Option<Element> {
    let b = el(parent, "button", class, text)?;
    set(&b, "type", "button");
    set(&b, "data-cg", action);
    Some(b)
}

/// A host element (not yet in the page) with an open shadow root holding
/// one `<style>` of `css` concatenated. Open so the page's accessibility
/// tooling (and axe) can see in; the page's CSS cannot either way.
pub fn host(tag: &str, css: &[&str]) -> Option<(Element, ShadowRoot)> {
    let host = document()?.create_element(tag).ok()?;
    let root = host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open)).ok()?;
    el(&root, "style", "", &css.concat())?;
    Some((host, root))
}

/// Append to `<body>`, or to `<html>` before there is a body.
pub fn mount(host: &Element) -> Option<()> {
    let doc = document()?;
    let parent: Element = match doc.body() {
        Some(body) => body.into(),
        None => doc.document_element()?,
    };
    parent.append_child(host).ok()?;
    Some(())
}

/// The focused element, looking inside open shadow roots (our floating
/// button is the `activeElement` of our shadow root, not of the document).
pub fn deep_active() -> Option<Element> {
    let mut active = document()?.active_element()?;
    while let Some(inner) = active.shadow_root().and_then(|r| r.active_element()) {
        active = inner;
    }
    Some(active)
}

/// Move focus to `e` (nothing happens when it cannot take focus).
pub fn focus(e: &Element) {
    if let Some(e) = e.dyn_ref::<HtmlElement>() {
        let _ = e.focus();
    }
}

/// Add `f` as the listener of each event type on `target`.
pub fn listen(target: &EventTarget, types: &[&str], f: &js_sys::Function) {
    for t in types {
        let _ = target.add_event_listener_with_callback(t, f);
    }
}

/// A real `<table>`: a header row of `<th scope="col">`, then one row per
/// entry whose first cell is a `<th scope="row">`.
pub fn table(parent: &Node, class: &str, heads: &[&str], rows: &[Vec<&str>]) -> Option<Element> {
    let table = el(parent, "table", class, "")?;
    let thead = el(&table, "thead", "", "")?;
    let head = el(&thead, "tr", "", "")?;
    for text in heads {
        set(&el(&head, "th", "", text)?, "scope", "col");
    }
    let body = el(&table, "tbody", "", "")?;
    for row in rows {
        let tr = el(&body, "tr", "", "")?;
        for (i, text) in row.iter().enumerate() {
            let cell = el(&tr, if i == 0 { "th" } else { "td" }, "", text)?;
            if i == 0 {
                set(&cell, "scope", "row");
            }
        }
    }
    Some(table)
}
