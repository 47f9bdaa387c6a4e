//! `collabsim check-model`: flags into a `CheckModelRequest`, then how many requirements
//! passed, the checks that failed and where the report is. Failing requirements are the
//! report's content: the exit status is 0 whenever the report was written.

use collabsim::app::check_model::{CheckModelRequest, DEFAULT_OUT, check_model as run_check_model};

use super::args::CheckModelArgs;
use super::progress::Bar;

pub fn check_model(a: CheckModelArgs) -> anyhow::Result<()> {
    let out = (a.out.as_os_str() != DEFAULT_OUT).then(|| a.out.clone());
    let req = CheckModelRequest { behaviour: a.behaviour.clone(), out };
    let bar = Bar::new(a.exec.quiet);
    let r = run_check_model(&req, &super::exec(a.exec.threads, &bar)?)?;
    if !a.exec.quiet {
        let (pass, fail) = r.report.counts();
        let checks = &r.report.checks;
        println!(
            "{}: {pass} of {} requirements passed, {fail} failed ({} of {} checks pass)",
            a.behaviour.display(),
            pass + fail,
            checks.iter().filter(|c| c.pass()).count(),
            checks.len()
        );
        for c in checks.iter().filter(|c| !c.pass()) {
            println!("  FAIL: {}", c.name);
        }
        println!("  report: {}", r.out.display());
    }
    Ok(())
}
