//! The UI's CSS, as constants (every byte ships in the wasm: keep it short).
//!
//! It lives only in our shadow roots: it cannot style the page, and the
//! page's rules cannot reach in (the main host resets every property with
//! an `!important` `all: initial`, which beats the page's rules on the
//! host). Sites theme it with custom properties, which do inherit into
//! shadow roots; set them on `:root` or on the hosts (`consent-guard-ui`,
//! `consent-guard-placeholder`):
//!
//! | property | what | default (light / dark) |
//! |---|---|---|
//! | `--cg-bg` / `--cg-bg-dark` | background | `#fff` / `#1f1f1f` |
//! | `--cg-fg` / `--cg-fg-dark` | text, borders of the × | `#1b1b1b` / `#ececec` |
//! | `--cg-accent` / `--cg-accent-dark` | button background | `#0b57d0` / `#a8c7fa` |
//! | `--cg-accent-fg` / `--cg-accent-fg-dark` | button text | `#fff` / `#062e6f` |
//! | `--cg-focus` / `--cg-focus-dark` | focus ring | the accent |
//! | `--cg-border` / `--cg-border-dark` | dialog, table and section lines | `#6b6b6b` / `#9a9a9a` |
//! | `--cg-radius` | corner radius | `8px` |
//! | `--cg-font` | font family | `system-ui, sans-serif` |
//! | `--cg-font-size` | base size | `medium` (the visitor's default, not the site's root size) |
//!
//! The `-dark` ones apply under `prefers-color-scheme: dark`; a site without
//! a dark theme sets them to the light values. A site that changes colours
//! owns the contrast: text and buttons need 4.5:1, the focus ring 3:1.
//!
//! Rules the defaults keep: text ≥ 4.5:1 (dialog text about 17:1, button
//! text 6.4:1 light / 7.5:1 dark), focus ring 3 px and ≥ 3:1 against the
//! dialog, every target ≥ 24 × 24 px (buttons 44 px high), no horizontal
//! scroll at 320 px (`overflow-wrap: anywhere`, buttons in equal grid
//! columns that stack), no motion under `prefers-reduced-motion`, fixed
//! positions only (no layout shift), nothing drawn with backgrounds alone
//! (forced-colours mode keeps borders).

/// Variables, text, buttons and focus: both the main UI and placeholders.
pub const COMMON: &str = concat!(
    ":host{--b:var(--cg-bg,#fff);--f:var(--cg-fg,#1b1b1b);--a:var(--cg-accent,#0b57d0);",
    "--t:var(--cg-accent-fg,#fff);--o:var(--cg-focus,var(--a));--e:var(--cg-border,#6b6b6b);",
    "--r:var(--cg-radius,8px)}",
    "@media(prefers-color-scheme:dark){:host{--b:var(--cg-bg-dark,#1f1f1f);",
    "--f:var(--cg-fg-dark,#ececec);--a:var(--cg-accent-dark,#a8c7fa);",
    "--t:var(--cg-accent-fg-dark,#062e6f);--o:var(--cg-focus-dark,var(--a));",
    "--e:var(--cg-border-dark,#9a9a9a)}}",
    "*{box-sizing:border-box}[hidden]{display:none!important}",
    "dialog,.cg-dock,.cg-ph{font:400 var(--cg-font-size,medium)/1.5 var(--cg-font,system-ui,sans-serif);",
    "color:var(--f);color-scheme:light dark;overflow-wrap:anywhere;text-align:start}",
    "p{margin:.75em 0 0}a{display:inline-block;color:inherit}",
    ".cg-bs{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,11em),1fr));",
    "grid-auto-rows:1fr;gap:.5em;margin-top:1em}",
    ".cg-b{min-height:44px;padding:.5em 1em;border:2px solid var(--a);border-radius:var(--r);",
    "background:var(--a);color:var(--t);font:inherit;font-weight:600;cursor:pointer}",
    ".cg-b:hover{text-decoration:underline}",
    ":focus-visible{outline:3px solid var(--o);outline-offset:2px}",
);

/// The dialog (both layers), the status message and the floating button.
pub const MAIN: &str = concat!(
    ":host{all:initial!important;position:fixed!important;top:0!important;left:0!important;",
    "width:0!important;height:0!important;z-index:2147483647!important}",
    "dialog{margin:0;padding:1.25em;border:1px solid var(--e);border-radius:var(--r);",
    "background:var(--b);box-shadow:0 .25em 1.5em #0006;max-width:none;overflow:auto;",
    "overscroll-behavior:contain}dialog:focus{outline:0}",
    // The first layer never covers more than 70 % of the viewport (the
    // page stays usable behind it); long texts scroll inside it while the
    // buttons stay in view (sticky to its bottom edge).
    ".cg-l1{position:fixed;inset:auto .5em .5em;margin:0 auto;width:auto;max-width:56em;",
    "max-height:min(calc(100% - 1em),70vh)}",
    ".cg-bs{position:sticky;bottom:-1.25em;margin-bottom:-1.25em;padding:.5em 0 1.25em;",
    "background:var(--b)}",
    ".cg-l2{inset:0;margin:auto;width:min(52em,calc(100% - 1em));max-height:calc(100% - 1em)}",
    ".cg-l2::backdrop{background:#0009}",
    ".cg-h{display:flex;align-items:flex-start;gap:.5em}",
    "h2{flex:1;margin:0;font-size:1.25em;line-height:1.3}",
    ".cg-x{flex:none;position:relative;width:2.5em;height:2.5em;margin:-.5em -.5em 0 0;",
    "border:0;border-radius:var(--r);background:none;color:inherit;cursor:pointer}",
    ".cg-x::before,.cg-x::after{content:\"\";position:absolute;left:25%;right:25%;top:50%;",
    "border-top:2px solid;transform:rotate(45deg)}.cg-x::after{transform:rotate(-45deg)}",
    ".cg-c{border-top:1px solid var(--e);margin-top:1em;padding-top:.75em}",
    ".cg-cr{display:flex;flex-wrap:wrap;align-items:center;gap:.5em}",
    "h3{flex:1;margin:0;font-size:1.05em}label{cursor:pointer}",
    "input{width:1.5em;height:1.5em;min-width:24px;min-height:24px;margin:0;accent-color:var(--a)}",
    ".cg-on{font-size:.875em;font-weight:600}",
    "summary{margin-top:.5em;padding:.25em 0;cursor:pointer}",
    ".cg-tw{margin-top:.5em;overflow-x:auto}",
    "table{width:100%;border-collapse:collapse;font-size:.875em;overflow-wrap:normal}",
    "th,td{padding:.25em .5em;border:1px solid var(--e);text-align:start;vertical-align:top}",
    // The message and the button are placed apart, each fixed: a box that
    // grows or moves counts as a layout shift, a box that appears does not.
    ".cg-dock{display:contents}",
    ".cg-s{position:fixed;left:1em;bottom:calc(1.5em + 44px);max-width:min(28em,calc(100% - 2em))}",
    ".cg-s:not(:empty){padding:.75em 1em;border:1px solid var(--e);",
    "border-radius:var(--r);background:var(--b);box-shadow:0 .25em 1.5em #0006}",
    ".cg-s p{margin:0}.cg-s p+p{margin-top:.5em}",
    ".cg-fab{position:fixed;left:1em;bottom:1em;width:44px;height:44px;padding:0;border:2px solid var(--t);",
    "border-radius:50%;background:var(--a);color:var(--t);cursor:pointer}",
    ".cg-fab::before,.cg-fab::after{content:\"\";position:absolute;border:2px solid;border-radius:50%}",
    ".cg-fab::before{inset:9px}.cg-fab::after{left:15px;top:14px;width:6px;height:6px}",
    "@media(prefers-reduced-motion:no-preference){dialog{animation:cg .2s ease-out}}",
    "@keyframes cg{from{opacity:0;transform:translateY(.5em)}}",
    "@media print{.cg-s,.cg-fab,.cg-l1{display:none}}",
);

/// A placeholder: fills the box the page gives it, centred, scrolling
/// when the box is smaller than its content.
pub const PLACEHOLDER: &str = concat!(
    ":host{all:initial;display:inline-block;box-sizing:border-box;width:100%;max-width:100%;",
    "vertical-align:top}",
    ".cg-ph{display:flex;width:100%;height:100%;overflow:auto;padding:1em;",
    "border:1px solid var(--e);border-radius:var(--r);background:var(--b)}",
    ".cg-in{margin:auto;max-width:36em;text-align:center}",
    ".cg-pt{margin:0;font-size:1.125em;font-weight:700}",
    "dl{display:inline-grid;grid-template-columns:auto auto;gap:0 .5em;margin:.75em 0 0;",
    "text-align:start}dt{font-weight:600}dd{margin:0}",
);
