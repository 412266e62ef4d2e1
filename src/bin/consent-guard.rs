//! The consent-guard command-line tool for compliance teams.

fn main() {
    eprintln!("consent-guard: not yet implemented");
    std::process::exit(2);
}
