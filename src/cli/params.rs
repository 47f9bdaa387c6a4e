//! `collabsim params [SCENARIO]`: every parameter with its value in the scenario, its
//! default, range, unit and meaning (from the registry); `--markdown` prints the table of
//! docs/ODD.md instead.

use std::fmt::Write as _;
use std::io::Write as _;

use collabsim::model::registry::Effect;
use collabsim::scenario::catalog::{effect_text, groups, odd_markdown};

use super::args::ParamsArgs;

pub fn params(a: ParamsArgs) -> anyhow::Result<()> {
    let text = if a.markdown { odd_markdown() } else { listing(&a)? };
    // A reader that stops early (`| head`) is not an error.
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => Ok(r?),
    }
}

/// Units that the allowed values already say.
const PLAIN_UNITS: [&str; 6] = ["0..1", "choice", "bool", "text", "name", "list"];

fn listing(a: &ParamsArgs) -> anyhow::Result<String> {
    let mut o = String::new();
    let sc = a.scenario.as_deref().map(|s| collabsim::scenario::load(s, &a.set)).transpose()?;
    match &sc {
        Some(sc) => {
            let _ = writeln!(o, "{} ({})", sc.spec.run.name, sc.path.display());
            let _ = writeln!(o, "Every parameter: its value here (* where the file sets it), the default, the allowed");
            let _ = writeln!(o, "values and unit, and what it means. Change one with --set KEY=VALUE or in the file.");
        }
        None => {
            let _ =
                writeln!(o, "Every scenario parameter: its default, the allowed values and unit, and what it means.");
            let _ =
                writeln!(o, "Give a scenario file to see its values: collabsim params scenarios/cs1-merged-it.toml");
        }
    }
    for g in groups(sc.as_ref()) {
        let _ = writeln!(o, "\n{}", g.title);
        if !g.note.is_empty() {
            let _ = writeln!(o, "  ({})", g.note);
        }
        for r in g.rows {
            let value = match &r.value {
                Some(v) => format!(" = {v}{}", if r.in_file { " *" } else { "" }),
                None => String::new(),
            };
            let unit = if PLAIN_UNITS.contains(&r.unit) { String::new() } else { format!(", {}", r.unit) };
            let tag = match r.effect {
                Effect::Lever | Effect::Reported => format!("; {}", effect_text(&r)),
                _ => String::new(),
            };
            let _ = writeln!(o, "  {}{value}   [default {}; {}{unit}{tag}]", r.path, r.default, r.range);
            let _ = writeln!(o, "      {}", r.meaning);
        }
    }
    Ok(o)
}
