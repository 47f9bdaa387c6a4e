//! `collabsim validate`: load and check a scenario; on success say what it describes, and
//! note any parameter the file sets that changes only what is reported.

use collabsim::scenario::catalog::{groups, report_only_notes};

use super::args::ValidateArgs;

pub fn validate(a: ValidateArgs) -> anyhow::Result<()> {
    let sc = collabsim::scenario::load(&a.scenario, &a.set)?;
    let (run, p) = (&sc.spec.run, &sc.spec.params);
    println!(
        "ok: {}: \"{}\", {} organizations ({}), {} posts, {} replicates over {} years, seed {}",
        a.scenario.display(),
        run.name,
        p.n_orgs(),
        p.org_names.join(", "),
        p.derived.posts,
        run.replicates,
        run.years,
        run.seed
    );
    let rows: Vec<_> = groups(Some(&sc)).into_iter().flat_map(|g| g.rows).collect();
    for note in report_only_notes(&rows) {
        println!("note: {note}");
    }
    Ok(())
}
