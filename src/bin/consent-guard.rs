//! The consent-guard command-line tool, for compliance teams and site builds.
//!
//! It uses the same core as the browser runtime, so `check` accepts exactly
//! the tables the browser accepts. Arguments are parsed by hand: a few
//! subcommands and flags do not justify a parser dependency.

use std::io::{Read, Write};
use std::process::ExitCode;

use consent_guard::table::{self, Table};
use consent_guard::{declaration, fingerprint, tag};

const USAGE: &str = "\
consent-guard — check and publish a cookie table

USAGE:
    consent-guard check <cookies.json>
        Validate the table. Exit 0 with a one-line summary, or exit 1 listing
        every error as file:line:column: JSON path: message.

    consent-guard table <cookies.json> [--format html|markdown] [--lang TAG]
        Print the cookie declaration (name, provider, party, purpose,
        category, duration, justification) for a privacy-policy page.
        Default format: html. Default language: the table's default.

    consent-guard tag --table <cookies.json> [--check] [FILE ...]
        Hold the tracker tags written in HTML files: every <script src>,
        <img src|srcset> and <iframe src> whose host belongs to a service of
        the table gets type=\"text/plain\" (scripts) or data-src (images,
        iframes), plus data-category and data-service, so it waits for
        consent. Files are rewritten in place, with one line per held tag
        on stderr; no FILE, or -, rewrites standard input to standard
        output. Every other byte stays as it was; a second run changes
        nothing.
        --check   change nothing; list the tracker tags not held yet and
                  exit 1 if there are any (for a site's CI), else exit 0.

    consent-guard bundle <cookies.json> [-o OUT.js] [--runtime consent-guard.js]
        Write the runtime script with the validated table compiled in, so
        the page needs no second request for it and nothing waits for the
        table: embed OUT.js without data-config. --runtime is the built
        pkg/consent-guard.js (the default); no -o writes to standard output.

    consent-guard help | --help | -h
    consent-guard --version

A file argument of - reads standard input.
";

/// How a command ended: the exit code tells scripts, the text tells people.
enum Failure {
    /// Bad arguments: print usage hints, exit 2.
    Usage(String),
    /// Could not read or write: exit 2.
    Io(String),
    /// The input is wrong (invalid table): the errors were printed, exit 1.
    Invalid,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Invalid) => ExitCode::from(1),
        Err(Failure::Usage(message)) => {
            eprintln!("consent-guard: {message}\n\nRun `consent-guard --help` for usage.");
            ExitCode::from(2)
        }
        Err(Failure::Io(message)) => {
            eprintln!("consent-guard: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<(), Failure> {
    let Some((command, rest)) = args.split_first() else {
        return Err(Failure::Usage("no command given".into()));
    };
    match command.as_str() {
        "check" => check(rest),
        "table" => table_command(rest),
        "tag" => tag_command(rest),
        "bundle" => bundle_command(rest),
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(())
        }
        "--version" | "-V" => {
            println!("consent-guard {}", env!("CARGO_PKG_VERSION"));
            Ok(())
        }
        other => Err(Failure::Usage(format!("unknown command {other:?}"))),
    }
}

/// Flags and positional arguments of one subcommand.
struct Args<'a> {
    positional: Vec<&'a str>,
    flags: Vec<(&'a str, &'a str)>,
}

/// Split `rest` into positionals and `--flag value` / `--flag=value` pairs,
/// accepting only the flags in `known`.
fn parse_args<'a>(rest: &'a [String], known: &[&str]) -> Result<Args<'a>, Failure> {
    let mut args = Args { positional: Vec::new(), flags: Vec::new() };
    let mut iter = rest.iter();
    while let Some(arg) = iter.next() {
        if arg == "-" || !arg.starts_with('-') {
            args.positional.push(arg);
            continue;
        }
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) => (name, Some(value)),
            None => (arg.as_str(), None),
        };
        if !known.contains(&name) {
            return Err(Failure::Usage(format!("unknown option {name:?}")));
        }
        let value = match inline {
            Some(value) => value,
            None => iter.next().ok_or_else(|| Failure::Usage(format!("{name} needs a value")))?,
        };
        args.flags.push((name, value));
    }
    Ok(args)
}

impl<'a> Args<'a> {
    fn flag(&self, name: &str) -> Option<&'a str> {
        self.flags.iter().rev().find(|(n, _)| *n == name).map(|(_, v)| *v)
    }

    fn one_file(&self) -> Result<&'a str, Failure> {
        match self.positional.as_slice() {
            [file] => Ok(file),
            [] => Err(Failure::Usage("missing the cookie table file".into())),
            _ => Err(Failure::Usage("expected exactly one cookie table file".into())),
        }
    }
}

fn read_input(path: &str) -> Result<String, Failure> {
    let mut text = String::new();
    let result = if path == "-" {
        std::io::stdin().read_to_string(&mut text).map(|_| ())
    } else {
        std::fs::read_to_string(path).map(|t| text = t)
    };
    result.map_err(|e| Failure::Io(format!("cannot read {path}: {e}")))?;
    Ok(text)
}

/// Parse a table, printing every error as `file:line:column: path: message`.
fn load(path: &str) -> Result<Table, Failure> {
    let text = read_input(path)?;
    load_text(path, &text)
}

/// Parse a table read from `path`, printing every error as
/// `file:line:column: path: message`.
fn load_text(path: &str, text: &str) -> Result<Table, Failure> {
    let shown = if path == "-" { "<stdin>" } else { path };
    table::parse(text).map_err(|errors| {
        let mut err = std::io::stderr().lock();
        for e in &errors.0 {
            let at = if e.path.is_empty() { String::new() } else { format!(" {}:", e.path) };
            let _ = writeln!(err, "{shown}:{}:{}:{at} {}", e.pos.line, e.pos.column, e.kind);
        }
        let count = errors.0.len();
        let _ = writeln!(err, "{shown}: {count} error{}", if count == 1 { "" } else { "s" });
        Failure::Invalid
    })
}

fn check(rest: &[String]) -> Result<(), Failure> {
    let args = parse_args(rest, &[])?;
    let path = args.one_file()?;
    let table = load(path)?;
    let mut languages = table.languages();
    if !languages.contains(&"en") {
        languages.push("en (built in)");
    }
    println!(
        "{path}: ok — revision {}, {} categories, {} services, {} cookies, languages {}, fingerprint {}",
        table.revision,
        table.categories.len(),
        table.services.len(),
        table.cookies.len(),
        languages.join(", "),
        fingerprint::material(&table),
    );
    Ok(())
}

fn table_command(rest: &[String]) -> Result<(), Failure> {
    let args = parse_args(rest, &["--format", "--lang"])?;
    let path = args.one_file()?;
    let format = args.flag("--format").unwrap_or("html");
    if !matches!(format, "html" | "markdown" | "md") {
        return Err(Failure::Usage(format!("unknown format {format:?}; use html or markdown")));
    }
    let table = load(path)?;
    let lang = args.flag("--lang").unwrap_or(&table.default_language);
    if !table::is_language_tag(lang) {
        return Err(Failure::Usage(format!("{lang:?} is not a language tag such as en or fr-CA")));
    }
    let out = if format == "html" {
        declaration::to_html(&table, lang)
    } else {
        declaration::to_markdown(&table, lang)
    };
    std::io::stdout()
        .write_all(out.as_bytes())
        .map_err(|e| Failure::Io(format!("cannot write: {e}")))
}

/// `tag`: hold the tracker tags of HTML files (or stdin), or with `--check`
/// only list them.
fn tag_command(rest: &[String]) -> Result<(), Failure> {
    // `--check` is the one flag without a value; `parse_args` takes the rest.
    let check_only = rest.iter().any(|a| a == "--check");
    let rest: Vec<String> = rest.iter().filter(|a| *a != "--check").cloned().collect();
    let args = parse_args(&rest, &["--table"])?;
    let table_path = args
        .flag("--table")
        .ok_or_else(|| Failure::Usage("tag needs --table <cookies.json>".into()))?;
    let files = &args.positional;
    let stdin = files.is_empty() || files.as_slice() == ["-"];
    if !stdin && files.contains(&"-") {
        return Err(Failure::Usage("- (standard input) cannot be mixed with files".into()));
    }
    if stdin && table_path == "-" {
        return Err(Failure::Usage("the table and the HTML cannot both come from stdin".into()));
    }
    let table = load(table_path)?;

    // Read every file before changing any: an unreadable one stops the run.
    let mut inputs = Vec::new();
    let mut unreadable = Vec::new();
    if stdin {
        inputs.push(("<stdin>", read_input("-")?));
    } else {
        for &path in files {
            match std::fs::read_to_string(path) {
                Ok(text) => inputs.push((path, text)),
                Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                    unreadable.push(format!("cannot read {path}: not UTF-8 text"));
                }
                Err(e) => unreadable.push(format!("cannot read {path}: {e}")),
            }
        }
    }
    if !unreadable.is_empty() {
        return Err(Failure::Io(unreadable.join("\nconsent-guard: ")));
    }

    let mut err = std::io::stderr().lock();
    let (mut tags, mut files_with_tags) = (0usize, 0usize);
    for (path, html) in &inputs {
        let changes = if check_only {
            tag::untagged(html, &table)
        } else {
            let result = tag::rewrite(html, &table);
            if stdin {
                std::io::stdout()
                    .write_all(result.html.as_bytes())
                    .map_err(|e| Failure::Io(format!("cannot write: {e}")))?;
            } else if !result.changes.is_empty() {
                std::fs::write(path, &result.html)
                    .map_err(|e| Failure::Io(format!("cannot write {path}: {e}")))?;
            }
            result.changes
        };
        for c in &changes {
            let what = if check_only { "is not held; needs" } else { "→ held as" };
            let _ = writeln!(
                err,
                "{path}:{}:{}: {} {what} {} ({})",
                c.line,
                c.column,
                describe_tag(c),
                c.category_id,
                c.service_id
            );
        }
        tags += changes.len();
        files_with_tags += usize::from(!changes.is_empty());
    }

    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let checked = plural(inputs.len(), "file");
    if check_only && tags > 0 {
        let in_files = if stdin { String::new() } else { format!(" in {checked}") };
        let _ = writeln!(
            err,
            "{} not held{in_files}; `consent-guard tag --table {table_path}` holds them",
            plural(tags, "tracker tag"),
        );
        return Err(Failure::Invalid);
    }
    if check_only {
        println!("{checked}: every tracker tag is held");
    } else if stdin {
        let _ = writeln!(err, "held {}", plural(tags, "tracker tag"));
    } else {
        let _ =
            writeln!(err, "held {} in {files_with_tags} of {checked}", plural(tags, "tracker tag"));
    }
    Ok(())
}

/// `<script src="https://…">`, the URL shortened and control characters
/// dropped so it stays one readable line.
fn describe_tag(change: &tag::Change) -> String {
    const MAX: usize = 80;
    let url: String = change.url.chars().filter(|c| !c.is_control()).collect();
    let shown = if url.chars().count() > MAX {
        format!("{}…", url.chars().take(MAX - 1).collect::<String>())
    } else {
        url
    };
    format!("<{} {}=\"{shown}\">", change.tag_name, change.attribute)
}

/// The marker `scripts/assemble.mjs` leaves where a bundled table goes.
const CONFIG_MARKER: &str = "/*@@CONSENT_GUARD_CONFIG@@*/null";

fn bundle_command(rest: &[String]) -> Result<(), Failure> {
    let args = parse_args(rest, &["-o", "--output", "--runtime"])?;
    let path = args.one_file()?;
    let runtime_path = args.flag("--runtime").unwrap_or("pkg/consent-guard.js");
    let output = args.flag("-o").or(args.flag("--output"));
    let text = read_input(path)?;
    // Validate with the same code the browser runs; print errors like `check`.
    load_text(path, &text)?;
    let runtime = std::fs::read_to_string(runtime_path).map_err(|e| {
        Failure::Io(format!("cannot read the runtime {runtime_path}: {e} (run `make build` first, or pass --runtime)"))
    })?;
    if runtime.matches(CONFIG_MARKER).count() != 1 {
        return Err(Failure::Io(format!(
            "{runtime_path} is not a consent-guard runtime with a place for a table (or already has one)"
        )));
    }
    // Minified, as a JS string literal the shell hands to the engine as is;
    // write_str escapes `<` and `>`, so the result can be inlined in HTML.
    let compact = {
        let value = consent_guard::json::parse(&text).map_err(|e| Failure::Io(e.to_string()))?;
        let mut out = String::new();
        consent_guard::json::write_value(&mut out, &value);
        out
    };
    let mut literal = String::new();
    consent_guard::json::write_str(&mut literal, &compact);
    let bundled = runtime.replacen(CONFIG_MARKER, &literal, 1);
    match output {
        Some(out) if out != "-" => std::fs::write(out, bundled.as_bytes())
            .map_err(|e| Failure::Io(format!("cannot write {out}: {e}")))?,
        _ => std::io::stdout()
            .write_all(bundled.as_bytes())
            .map_err(|e| Failure::Io(format!("cannot write: {e}")))?,
    }
    if let Some(out) = output.filter(|o| *o != "-") {
        eprintln!("{out}: runtime with {path} bundled ({} bytes)", bundled.len());
    }
    Ok(())
}
