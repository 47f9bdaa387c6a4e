//! `collabsim calibrate`: flags into a `CalibrateRequest`, then what each wave ruled out,
//! what was accepted and where the results are.

use collabsim::app::calibrate::{CalibrateOutcome, CalibrateRequest, calibrate as run_calibrate};

use super::args::CalibrateArgs;
use super::progress::Bar;

pub fn calibrate(a: CalibrateArgs) -> anyhow::Result<()> {
    let shard = a.shard.as_deref().map(str::parse).transpose()?;
    let req = CalibrateRequest { calibration: a.calibration.clone(), out: a.out, resume: a.resume, shard };
    let bar = Bar::new(a.exec.quiet);
    let r = run_calibrate(&req, &super::exec(a.exec.threads, &bar)?)?;
    if !a.exec.quiet {
        print_summary(&r, &a.calibration.display().to_string());
    }
    Ok(())
}

fn print_summary(r: &CalibrateOutcome, file: &str) {
    let p = &r.plan;
    let n = |k: usize, what: &str| format!("{k} {what}{}", if k == 1 { "" } else { "s" });
    println!(
        "{}: {}, {}, {} x {} replicates per point, up to {} of {} points",
        p.name,
        n(p.priors.len(), "prior"),
        n(p.targets.len(), "target"),
        n(p.arms.len(), "arm"),
        p.replicates,
        n(p.waves as usize, "wave"),
        p.points
    );
    for w in &r.waves {
        if w.points == 0 {
            println!("  wave {}: no points left to sample", w.wave);
            continue;
        }
        let ruled = w.ruled_out.map_or(String::new(), |k| format!(", {k} ruled out"));
        let here = if r.shard.is_some() { format!(" ({} in this shard)", w.here) } else { String::new() };
        println!(
            "  wave {}: {} points{here}, {} run now, {} recorded before{ruled}",
            w.wave,
            w.points,
            w.ran,
            w.here - w.ran
        );
    }
    match (&r.finished, r.shard) {
        (Some(f), _) => {
            println!("  accepted: {} of {} points", f.accepted, f.evaluated);
            if let Some(w) = f.stopped_after {
                println!(
                    "  stopped after wave {w}: every point so far was ruled out and no candidate passed the emulators"
                );
            }
            if !f.pinned.is_empty() {
                println!("  pinned down: {}", f.pinned.join(", "));
            }
            if !f.free.is_empty() {
                println!("  left free: {}", f.free.join(", "));
            }
            println!(
                "  results: {}  ensemble: {}  report: {}",
                r.out.join("waves.csv").display(),
                r.out.join("accepted.csv").display(),
                r.out.join("report.html").display()
            );
        }
        (None, Some(s)) => println!(
            "  shard {}/{} done; when every shard has run, finish with: collabsim calibrate {file} --resume --out {}",
            s.k,
            s.n,
            r.out.display()
        ),
        (None, None) => {}
    }
}
