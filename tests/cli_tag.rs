//! `consent-guard tag` as a site's build or CI runs it: files rewritten in
//! place (and only the tracker tags in them), stdin to stdout, `--check`
//! exit codes, and what happens with a bad table or an unreadable file.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const TABLE: &str = "www/cookies.json";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(root().join("tests/fixtures/html").join(name)).unwrap()
}

fn cli(args: &[&str]) -> Output {
    cli_with_stdin(args, None)
}

fn cli_with_stdin(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_consent-guard"))
        .args(args)
        .current_dir(root())
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the CLI runs");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    child.wait_with_output().unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A fresh directory for one test, holding copies of the named fixtures.
fn scratch(test: &str, fixtures: &[&str]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli_tag").join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for name in fixtures {
        std::fs::write(dir.join(name), fixture(name)).unwrap();
    }
    dir
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The stderr lines for the four tracker tags of `page.html`.
fn page_lines(file: &str, verb: &str) -> Vec<String> {
    [
        (
            10,
            "<script src=\"https://ssl.google-analytics.com/ga.js\">",
            "analytics (google-analytics)",
        ),
        (
            24,
            "<iframe src=\"https://www.youtube.com/embed/dQw4w9WgXcQ?rel=0&controls=0\">",
            "advertising (youtube)",
        ),
        (
            28,
            "<img src=\"https://ad.doubleclick.net/ddm/activity/src=123;type=sale;cat=x;ord=1\">",
            "advertising (doubleclick)",
        ),
        (30, "<script src=\"https://platform.twitter.com/widgets.js\">", "advertising (twitter)"),
    ]
    .iter()
    .map(|(line, tag, held)| format!("{file}:{line}:3: {tag} {verb} {held}"))
    .collect()
}

#[test]
fn rewrites_files_in_place_and_names_each_tag() {
    let dir = scratch("in_place", &["page.html", "clean.html"]);
    let (page, clean) = (dir.join("page.html"), dir.join("clean.html"));
    let out = cli(&["tag", "--table", TABLE, path_str(&page), path_str(&clean)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    let mut expected = page_lines(path_str(&page), "→ held as");
    expected.push("held 4 tracker tags in 1 of 2 files".into());
    assert_eq!(stderr(&out).lines().collect::<Vec<_>>(), expected);
    assert_eq!(std::fs::read_to_string(&page).unwrap(), fixture("page.held.html"));
    assert_eq!(std::fs::read_to_string(&clean).unwrap(), fixture("clean.html"));
}

#[test]
fn a_second_run_changes_nothing() {
    let dir = scratch("idempotent", &["page.held.html"]);
    let file = dir.join("page.held.html");
    let out = cli(&["tag", "--table", TABLE, path_str(&file)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "held 0 tracker tags in 0 of 1 file\n");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), fixture("page.held.html"));
}

#[test]
fn only_the_tracker_tags_change() {
    let (before, after) = (fixture("page.html"), fixture("page.held.html"));
    let changed: Vec<(&str, &str)> =
        before.lines().zip(after.lines()).filter(|(a, b)| a != b).collect();
    assert_eq!(before.lines().count(), after.lines().count());
    assert_eq!(changed.len(), 5, "{changed:#?}"); // the iframe spans two lines
    for (old, new) in changed {
        // Each changed line is the old one with attributes inserted.
        let mut rest = old.chars().peekable();
        for c in new.chars() {
            if rest.peek() == Some(&c) {
                rest.next();
            }
        }
        assert!(rest.peek().is_none(), "{old}\n{new}");
    }
}

#[test]
fn stdin_to_stdout() {
    for args in [&["tag", "--table", TABLE][..], &["tag", "--table", TABLE, "-"]] {
        let out = cli_with_stdin(args, Some(fixture("page.html").as_bytes()));
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(stdout(&out), fixture("page.held.html"));
        let mut expected = page_lines("<stdin>", "→ held as");
        expected.push("held 4 tracker tags".into());
        assert_eq!(stderr(&out).lines().collect::<Vec<_>>(), expected);
    }
}

#[test]
fn a_fragment_is_rewritten_byte_for_byte() {
    let fragment = r#"<script src="https://www.google-analytics.com/ga.js"></script>"#;
    let out = cli_with_stdin(&["tag", "--table=www/cookies.json"], Some(fragment.as_bytes()));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        r#"<script type="text/plain" data-category="analytics" data-service="google-analytics" src="https://www.google-analytics.com/ga.js"></script>"#
    );
}

#[test]
fn check_lists_untagged_tags_and_exits_1() {
    let dir = scratch("check_fails", &["page.html", "clean.html"]);
    let (page, clean) = (dir.join("page.html"), dir.join("clean.html"));
    let out = cli(&["tag", "--check", "--table", TABLE, path_str(&clean), path_str(&page)]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    let mut expected = page_lines(path_str(&page), "is not held; needs");
    expected.push(format!(
        "4 tracker tags not held in 2 files; `consent-guard tag --table {TABLE}` holds them"
    ));
    assert_eq!(stderr(&out).lines().collect::<Vec<_>>(), expected);
    assert_eq!(std::fs::read_to_string(&page).unwrap(), fixture("page.html"), "--check wrote");
}

#[test]
fn check_passes_when_everything_is_held() {
    let dir = scratch("check_passes", &["page.held.html", "clean.html"]);
    let files = [dir.join("page.held.html"), dir.join("clean.html")];
    let out = cli(&["tag", "--table", TABLE, "--check", path_str(&files[0]), path_str(&files[1])]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "2 files: every tracker tag is held\n");
    assert_eq!(stderr(&out), "");
}

#[test]
fn check_reads_stdin() {
    let out = cli_with_stdin(
        &["tag", "--check", "--table", TABLE],
        Some(fixture("page.html").as_bytes()),
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 5, "{err}");
    assert!(err.starts_with("<stdin>:10:3: <script src="), "{err}");
    assert!(err.ends_with(
        "4 tracker tags not held; `consent-guard tag --table www/cookies.json` holds them\n"
    ));

    let out = cli_with_stdin(&["tag", "--check", "--table", TABLE], Some(b"<p>nothing</p>"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn an_invalid_table_is_reported_like_check_and_nothing_changes() {
    let dir = scratch("invalid_table", &["page.html"]);
    let page = dir.join("page.html");
    let bad = "tests/fixtures/invalid/three-errors.json";
    for check in [false, true] {
        let mut args = vec!["tag", "--table", bad, path_str(&page)];
        if check {
            args.push("--check");
        }
        let out = cli(&args);
        assert_eq!(out.status.code(), Some(1));
        let err = stderr(&out);
        assert!(
            err.contains(&format!("{bad}:6:37: /cookies/1/category: unknown category")),
            "{err}"
        );
        assert!(err.ends_with(&format!("{bad}: 3 errors\n")), "{err}");
        assert_eq!(std::fs::read_to_string(&page).unwrap(), fixture("page.html"));
    }
}

#[test]
fn an_unreadable_file_exits_2_before_any_file_changes() {
    let dir = scratch("unreadable", &["page.html"]);
    let page = dir.join("page.html");
    let missing = dir.join("missing.html");
    let latin1 = dir.join("latin1.html");
    std::fs::write(&latin1, b"<p>caf\xe9</p>").unwrap();
    let out =
        cli(&["tag", "--table", TABLE, path_str(&page), path_str(&missing), path_str(&latin1)]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains(&format!("cannot read {}:", path_str(&missing))), "{err}");
    assert!(err.contains(&format!("cannot read {}: not UTF-8 text", path_str(&latin1))), "{err}");
    assert_eq!(std::fs::read_to_string(&page).unwrap(), fixture("page.html"));
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["tag"][..],
        &["tag", "page.html"],
        &["tag", "--table"],
        &["tag", "--table", TABLE, "--nope"],
        &["tag", "--table", TABLE, "a.html", "-"],
        &["tag", "--table", "-"],
    ] {
        let out = cli(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn help_describes_tag() {
    let out = cli(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = stdout(&out);
    assert!(
        help.contains("consent-guard tag --table <cookies.json> [--check] [FILE ...]"),
        "{help}"
    );
    assert!(help.contains("type=\"text/plain\""), "{help}");
}
