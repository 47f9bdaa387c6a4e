//! The module graph ARCHITECTURE.md draws, enforced: each module of `src/` may name only
//! the modules its row of `ALLOWED` lists (through `crate::` in the library, `collabsim::`
//! in the binary's `cli/`), and the absences the architecture promises hold (the model
//! does no I/O, has no serde, threads or ambient randomness; the library never prints or
//! exits). Test code inside a module counts: a test that needs another layer belongs in
//! `tests/`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Each module and the modules it may use. A module may always use itself.
const ALLOWED: [(&str, &[&str]); 7] = [
    ("model", &[]),
    ("analysis", &[]),
    ("engine", &["model", "analysis"]),
    ("scenario", &["model"]),
    ("output", &["model", "engine", "analysis", "scenario"]),
    ("app", &["model", "engine", "analysis", "scenario", "output"]),
    ("cli", &["app", "scenario", "output", "model"]),
];

/// Text that must not appear in a module's files: (module, forbidden, why).
const ABSENT: [(&str, &str, &str); 10] = [
    ("model", "serde::", "the model knows no file formats"),
    ("model", "serde_json", "the model knows no file formats"),
    ("model", "std::fs", "the model does no I/O"),
    ("model", "std::io", "the model does no I/O"),
    ("model", "rayon", "the model runs on one thread; the engine parallelizes"),
    ("model", "std::thread", "the model runs on one thread; the engine parallelizes"),
    ("analysis", "std::fs", "statistics do no I/O"),
    ("*", "thread_rng", "randomness comes only from the engine's seeded streams"),
    ("*", "rand::rng()", "randomness comes only from the engine's seeded streams"),
    ("lib", "process::exit", "the library never exits; main reports errors once"),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The top-level module a file belongs to (`src/model/x.rs` -> `model`), or `None` for the
/// crate roots.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel.components().next()?.as_os_str().to_string_lossy().into_owned();
    if rel.components().count() == 1 {
        return None;
    }
    Some(first)
}

/// Every module named as `prefix::NAME` in `text` (comments included: a doc comment that
/// names a module it may not use is as misleading as an import).
fn named_modules(text: &str, prefix: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(i) = rest.find(prefix) {
        let before = rest[..i].chars().next_back();
        rest = &rest[i + prefix.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let name: String = rest.chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
        if !name.is_empty() {
            found.insert(name);
        }
    }
    found
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every (file, module, named module) that breaks `ALLOWED`.
fn violations(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut bad = Vec::new();
    for f in &files {
        let Some(m) = module_of(src, f) else { continue };
        let allowed = ALLOWED.iter().find(|(n, _)| *n == m).unwrap_or_else(|| {
            panic!("{}: module `{m}` has no row in ALLOWED; add it and to ARCHITECTURE.md", f.display())
        });
        let text = std::fs::read_to_string(f).unwrap();
        let prefix = if m == "cli" { "collabsim::" } else { "crate::" };
        for used in named_modules(&text, prefix) {
            if used != m && !allowed.1.contains(&used.as_str()) {
                bad.push(format!("{}: `{m}` uses `{used}`", f.strip_prefix(src).unwrap().display()));
            }
        }
    }
    bad
}

#[test]
fn modules_use_only_the_modules_the_architecture_allows() {
    let bad = violations(&src());
    assert!(bad.is_empty(), "imports across a documented boundary (see ARCHITECTURE.md):\n{}", bad.join("\n"));
}

#[test]
fn the_architecture_promises_its_absences() {
    let src = src();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut bad = Vec::new();
    for f in &files {
        let m = module_of(&src, f);
        let in_lib = !matches!(m.as_deref(), Some("cli")) && !f.ends_with("main.rs");
        let text = std::fs::read_to_string(f).unwrap();
        for (module, word, why) in ABSENT {
            let applies = match module {
                "*" => true,
                "lib" => in_lib,
                name => m.as_deref() == Some(name),
            };
            if applies && text.contains(word) {
                bad.push(format!("{}: `{word}`: {why}", f.strip_prefix(&src).unwrap().display()));
            }
        }
        // The library reports through return values and `Progress`, never on a terminal.
        for word in ["println!", "eprintln!", "print!(", "eprint!("] {
            if in_lib && text.contains(word) {
                bad.push(format!("{}: `{word}`: the library never prints", f.strip_prefix(&src).unwrap().display()));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// The check itself can fail: a model file that imports the scenario layer, and an analysis
/// file that imports the engine, are caught.
#[test]
fn a_forbidden_import_is_caught() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("src");
    for (dir, text) in [
        ("model", "use crate::scenario::load;\nuse crate::model::x;\n"),
        ("analysis", "fn f() { let _ = crate::engine::run_batch; }\n"),
        ("engine", "use crate::model::World;\nuse crate::analysis::p2::P2;\n"),
    ] {
        std::fs::create_dir_all(root.join(dir)).unwrap();
        std::fs::write(root.join(dir).join("x.rs"), text).unwrap();
    }
    let bad = violations(&root);
    assert_eq!(bad, vec!["analysis/x.rs: `analysis` uses `engine`", "model/x.rs: `model` uses `scenario`"]);
}
