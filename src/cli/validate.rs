//! `collabsim validate`: load and check a scenario; on success say what it describes.

use super::args::ValidateArgs;

pub fn validate(a: ValidateArgs) -> anyhow::Result<()> {
    let sc = collabsim::scenario::load(&a.scenario, &a.set)?;
    let p = &sc.params;
    println!(
        "ok: {}: \"{}\", {} organizations ({}), {} posts, {} replicates over {} years, seed {}",
        a.scenario.display(),
        sc.raw.name,
        p.n_orgs(),
        p.organizations.iter().map(|o| o.name.as_str()).collect::<Vec<_>>().join(", "),
        p.collaboration.posts,
        sc.raw.replicates,
        sc.raw.years,
        sc.raw.seed
    );
    Ok(())
}
