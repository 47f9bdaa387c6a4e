//! `collabsim levers`: flags into a `LeversRequest`, then the levers that matter most in
//! plain sentences and where the report is.

use collabsim::app::levers::{LeversRequest, LeversResult, levers as run_levers};
use collabsim::output::levers::top_sentences;

use super::args::LeversArgs;
use super::progress::Bar;

pub fn levers(a: LeversArgs) -> anyhow::Result<()> {
    let req = LeversRequest { scenario: a.scenario, overrides: a.scenario_flags.overrides(), year: a.year, out: a.out };
    let bar = Bar::new(a.exec.quiet);
    let result = run_levers(&req, &super::exec(a.exec.threads, &bar)?)?;
    if !a.exec.quiet {
        print_summary(&result);
    }
    Ok(())
}

fn print_summary(r: &LeversResult) {
    let lv = &r.levers;
    println!(
        "{}: {} levers moved one at a time, {} replicates per setting on seed {}",
        lv.scenario,
        lv.levers.len(),
        lv.replicates,
        lv.seed
    );
    for s in top_sentences(lv, 3) {
        println!("  {s}");
    }
    if !lv.skipped.is_empty() {
        let names: Vec<String> = lv
            .skipped
            .iter()
            .map(|s| match &s.setting {
                Some(v) => format!("{}={v}", s.path),
                None => s.path.clone(),
            })
            .collect();
        println!("  left out (they change nothing here; the report says why): {}", names.join(", "));
    }
    println!("  report: {}", r.out.join("report.html").display());
}
