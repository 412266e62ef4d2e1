//! The CLI as a compliance person or a site's CI runs it: exit codes, error
//! lines with file, line, column and JSON path, and the declaration output.
//! Also keeps the shipped tables, the JSON Schema and the validator in step.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_consent-guard"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the CLI runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json_files(dir: &str) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| p.strip_prefix(root()).unwrap_or(&p).to_string_lossy().into_owned())
        .collect();
    files.sort();
    files
}

#[test]
fn check_accepts_the_default_table_with_a_summary() {
    let out = cli(&["check", "www/cookies.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let line = stdout(&out);
    assert!(
        line.starts_with("www/cookies.json: ok — revision 1, 3 categories, 4 services, 9 cookies"),
        "{line}"
    );
    assert_eq!(line.lines().count(), 1);
}

#[test]
fn check_lists_every_error_with_file_line_and_path() {
    let out = cli(&["check", "tests/fixtures/invalid/three-errors.json"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    let f = "tests/fixtures/invalid/three-errors.json";
    assert_eq!(
        lines,
        [
            format!("{f}:5:5: /cookies/0: strictly-necessary cookie \"PHPSESSID\" needs a \"justification\" saying why the site cannot work without it"),
            format!("{f}:6:37: /cookies/1/category: unknown category \"analytic\" (the table defines: strictly-necessary, analytics)"),
            format!("{f}:7:88: /cookies/2/purpsoe: unknown field \"purpsoe\"; did you mean \"purpose\"?"),
            format!("{f}: 3 errors"),
        ]
    );
}

#[test]
fn check_reports_malformed_json_with_its_position() {
    let out = cli(&["check", "tests/fixtures/invalid/truncated.json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out).lines().next(),
        Some("tests/fixtures/invalid/truncated.json:4:1: unexpected end of the file")
    );
}

#[test]
fn check_reads_standard_input() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_consent-guard"))
        .args(["check", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"{\"revision\": 1}").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("<stdin>:1:1: missing required field \"categories\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn usage_and_io_errors_exit_2() {
    for args in [
        &["nonsense"][..],
        &["check"],
        &["check", "a.json", "b.json"],
        &["table", "x", "--format", "pdf"],
        &[],
    ] {
        let out = cli(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
    let out = cli(&["check", "no/such/file.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot read no/such/file.json"), "{}", stderr(&out));
}

#[test]
fn table_prints_every_column_for_every_cookie() {
    let out = cli(&["table", "www/cookies.json", "--format", "markdown"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let md = stdout(&out);
    let lines: Vec<&str> = md.lines().collect();
    assert_eq!(
        lines[0],
        "| Name | Provider | Party | Purpose | Category | Duration | Why it is necessary |"
    );
    assert_eq!(lines.len(), 2 + 9);
    for name in [
        "PHPSESSID",
        "\\_\\_utma",
        "IDE",
        "YSC",
        "VISITOR\\_INFO1\\_LIVE",
        "PREF",
        "GPS",
        "tfw\\_exp",
    ] {
        assert!(
            lines.iter().any(|l| l.starts_with(&format!("| {name} |"))),
            "{name} missing:\n{md}"
        );
    }
    let ide = lines.iter().find(|l| l.starts_with("| IDE |")).unwrap();
    assert!(
        ide.contains("| Google Ireland Limited | Third party |")
            && ide.contains("| Advertising | 13 months |"),
        "{ide}"
    );
}

#[test]
fn table_html_in_another_language() {
    let out = cli(&["table", "www/cookies.json", "--lang=fr"]);
    assert_eq!(out.status.code(), Some(0));
    let html = stdout(&out);
    assert!(html.starts_with("<table class=\"consent-guard-declaration\">"), "{html}");
    assert!(html.contains("<th scope=\"col\">Finalité</th>"));
    assert!(html.contains("<th scope=\"row\">__utma</th><td>Google Ireland Limited</td>"));
}

/// The validator and the JSON Schema agree on the shipped tables and the
/// fixtures: what the schema accepts, `check` accepts; what the schema
/// rejects, `check` rejects (the validator also checks what a schema cannot).
#[test]
fn shipped_tables_pass_and_schema_invalid_fixtures_fail() {
    let mut valid = vec!["www/cookies.json".to_string()];
    valid.extend(json_files("examples"));
    for file in &valid {
        let out = cli(&["check", file]);
        assert_eq!(out.status.code(), Some(0), "{file}: {}", stderr(&out));
    }
    for file in json_files("tests/fixtures/schema-invalid") {
        let out = cli(&["check", &file]);
        assert_eq!(out.status.code(), Some(1), "{file} was accepted");
    }
}

/// Every text key the code knows is in the schema (so editors complete it),
/// and the schema lists no key the code would reject.
#[test]
fn schema_text_keys_match_the_code() {
    let schema_text = std::fs::read_to_string(root().join("schema/cookies.schema.json")).unwrap();
    let schema = consent_guard::json::parse(&schema_text).unwrap();
    let props = schema
        .get("properties")
        .and_then(|p| p.get("texts"))
        .and_then(|t| t.get("additionalProperties"))
        .and_then(|a| a.get("properties"))
        .and_then(|p| p.as_object())
        .expect("texts properties in the schema");
    let mut in_schema: Vec<&str> =
        props.iter().map(|m| m.key.as_str()).filter(|k| *k != "categories").collect();
    in_schema.sort_unstable();
    let mut in_code: Vec<&str> =
        consent_guard::table::texts::TextKey::ALL.iter().map(|k| k.key()).collect();
    in_code.sort_unstable();
    assert_eq!(in_schema, in_code);
}

#[test]
fn default_table_points_at_the_schema() {
    let text = std::fs::read_to_string(root().join("www/cookies.json")).unwrap();
    let table = consent_guard::json::parse(&text).unwrap();
    let schema = table.get("$schema").and_then(|s| s.as_str()).unwrap();
    let resolved = root().join("www").join(schema);
    assert!(Path::new(&resolved).exists(), "{schema} does not resolve from www/");
}

#[test]
fn bundle_compiles_the_table_into_the_runtime() {
    let dir = std::env::temp_dir().join(format!("cg-bundle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let runtime = dir.join("runtime.js");
    std::fs::write(&runtime, "(function(){var CONFIG = /*@@CONSENT_GUARD_CONFIG@@*/null; go(CONFIG);})();").unwrap();
    let out = dir.join("out.js");
    let result = cli(&[
        "bundle",
        "www/cookies.json",
        "-o",
        out.to_str().unwrap(),
        "--runtime",
        runtime.to_str().unwrap(),
    ]);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    let bundled = std::fs::read_to_string(&out).unwrap();
    assert!(!bundled.contains("@@CONSENT_GUARD_CONFIG@@"));
    // The table is a JS string literal holding compact JSON that parses to a
    // valid table; nothing in it can close an inline <script>.
    let start = bundled.find("var CONFIG = ").unwrap() + "var CONFIG = ".len();
    let end = bundled.find("; go(CONFIG)").unwrap();
    let literal = &bundled[start..end];
    assert!(!literal.contains('<') && !literal.contains('>'), "{literal}");
    let inner = consent_guard::json::parse(literal).unwrap();
    let table_text = inner.as_str().unwrap();
    assert!(!table_text.contains('\n'), "minified");
    assert!(consent_guard::table::parse(table_text).is_ok());

    // A second bundle into an already bundled runtime is refused.
    let again = cli(&["bundle", "www/cookies.json", "--runtime", out.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("already has one"), "{}", stderr(&again));
    // An invalid table is reported like `check` does, and nothing is written.
    let bad = cli(&["bundle", "tests/fixtures/invalid/three-errors.json", "--runtime", runtime.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("3 errors"));
    assert!(stdout(&bad).is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}
