//! Slurm as the distributed engine for sweeps, end to end: this machine becomes a one-node
//! Slurm cluster (scripts/slurm/local-cluster.sh, which installs Debian's slurm-wlm and
//! munge if missing), a small sweep runs as a job array of 3 shards plus a merge job that
//! depends on it (scripts/slurm/submit-sweep.sh), and the merged folder must be
//! byte-identical to an unsharded local `collabsim sweep` in every file but manifest.json.
//!
//! It needs root (packages, daemons); as another user it prints `SKIPPED: ...` and passes.
//! Concurrent runs on one machine (several worktrees) are serialized by a lock file, and
//! the daemons are stopped afterwards unless the cluster was already running before.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::{is_root, no_system_packages};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const EXPERIMENT: &str = "tests/fixtures/slurm-small.toml";
const SHARDS: usize = 3;
/// How long the array and the merge job may take together.
const JOB_TIMEOUT: Duration = Duration::from_secs(300);

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn script(name: &str) -> PathBuf {
    Path::new(ROOT).join("scripts/slurm").join(name)
}

fn on_path(program: &str) -> bool {
    let path = std::env::var("PATH").unwrap_or_default() + ":/usr/sbin:/sbin";
    path.split(':').any(|d| Path::new(d).join(program).is_file())
}

/// Runs a command to completion with the cluster's SLURM_CONF, returning its output.
fn run(cmd: &mut Command, conf: &str) -> Output {
    cmd.current_dir(ROOT)
        .env("SLURM_CONF", conf)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"))
}

/// Holds an exclusive `flock` on a lock file for as long as it lives: `flock` runs `cat`,
/// which exits (releasing the lock) when our end of its standard input closes, also when
/// this process dies.
struct MachineLock(Child);

impl MachineLock {
    fn acquire(path: &str) -> MachineLock {
        let mut child = Command::new("flock")
            .args(["--exclusive", path, "sh", "-c", "echo locked; exec cat"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("flock (util-linux) runs");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        assert_eq!(line.trim(), "locked", "flock on {path} failed");
        MachineLock(child)
    }
}

impl Drop for MachineLock {
    fn drop(&mut self) {
        drop(self.0.stdin.take());
        let _ = self.0.wait();
    }
}

/// Stops the daemons that this test started, however the test ends.
struct Cluster {
    conf: String,
    stop: bool,
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if self.stop {
            let out = run(Command::new(script("local-cluster.sh")).arg("stop"), &self.conf);
            eprint!("{}{}", text(&out.stdout), text(&out.stderr));
        }
    }
}

impl Cluster {
    fn dir(&self) -> PathBuf {
        Path::new(&self.conf).parent().unwrap().parent().unwrap().to_path_buf()
    }

    /// Job state from squeue (finished jobs stay listed for MinJobAge, 10 minutes).
    fn states(&self, job: &str) -> Vec<String> {
        let out = run(Command::new("squeue").args(["-h", "-t", "all", "-j", job, "-o", "%i %T"]), &self.conf);
        text(&out.stdout).lines().map(str::to_owned).collect()
    }

    /// Everything useful for a failed or stuck run: queue, job logs, daemon logs.
    fn diagnostics(&self, sweep_out: &Path) -> String {
        let mut s = String::new();
        let q = run(Command::new("squeue").args(["-t", "all", "-o", "%i %j %T %r %M %N"]), &self.conf);
        s += &format!("--- squeue -t all\n{}{}", text(&q.stdout), text(&q.stderr));
        let mut logs: Vec<PathBuf> = std::fs::read_dir(sweep_out.join("logs"))
            .map(|d| d.map(|e| e.unwrap().path()).collect())
            .unwrap_or_default();
        logs.sort();
        for f in logs {
            s += &format!("--- {}\n{}", f.display(), std::fs::read_to_string(&f).unwrap_or_default());
        }
        for name in ["slurmctld.log", "slurmd.log", "munged.log"] {
            let f = self.dir().join("log").join(name);
            let all = std::fs::read_to_string(&f).unwrap_or_default();
            let lines: Vec<&str> = all.lines().collect();
            let tail = lines[lines.len().saturating_sub(40)..].join("\n");
            s += &format!("--- {} (last 40 lines)\n{tail}\n", f.display());
        }
        s
    }
}

/// Every file of a sweep folder by name: the final files and manifest.json. Subfolders are
/// skipped: `points/` holds the unsharded sweep's checkpoint records for `--resume`, which
/// are not part of the result.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut acc = BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let p = e.unwrap().path();
        if p.is_file() {
            acc.insert(p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap());
        }
    }
    acc
}

#[test]
fn sharded_sweep_on_slurm_matches_the_unsharded_sweep() {
    if !is_root() {
        println!("SKIPPED: the Slurm test needs root (it installs slurm-wlm and munge and starts daemons)");
        return;
    }
    if !on_path("slurmctld") && no_system_packages() {
        println!(
            "SKIPPED: Slurm is not installed and COLLABSIM_NO_SYSTEM_PACKAGES is set, so the test does not install slurm-wlm and munge"
        );
        return;
    }
    if !on_path("slurmctld") && !on_path("apt-get") {
        println!("SKIPPED: no Slurm installed and no apt-get to install Debian's slurm-wlm");
        return;
    }
    let t0 = Instant::now();
    let env = Command::new(script("local-cluster.sh")).arg("env").output().unwrap();
    let conf = text(&env.stdout).trim().trim_start_matches("export SLURM_CONF=").to_owned();
    assert!(conf.ends_with("slurm.conf"), "local-cluster.sh env printed {conf:?}");

    let _lock = MachineLock::acquire("/var/tmp/collabsim-slurm-test.lock");
    let already = run(Command::new(script("local-cluster.sh")).arg("status"), &conf).status.success();
    let cluster = Cluster { conf: conf.clone(), stop: !already };
    let out = run(Command::new(script("local-cluster.sh")).arg("start"), &conf);
    assert!(out.status.success(), "local-cluster.sh start failed:\n{}{}", text(&out.stdout), text(&out.stderr));
    let started = t0.elapsed();

    let tmp = tempfile::tempdir().unwrap();
    let sweep_out = tmp.path().join("slurm");
    let bin = env!("CARGO_BIN_EXE_collabsim");
    let out = run(
        Command::new(script("submit-sweep.sh"))
            .args([EXPERIMENT, &SHARDS.to_string(), sweep_out.to_str().unwrap()])
            .env("COLLABSIM", bin),
        &conf,
    );
    assert!(out.status.success(), "submit-sweep.sh failed:\n{}{}", text(&out.stdout), text(&out.stderr));
    let printed = text(&out.stdout);
    let id = |kind: &str| {
        printed
            .lines()
            .find_map(|l| l.strip_prefix(kind).map(|s| s.trim().to_owned()))
            .unwrap_or_else(|| panic!("no `{kind}` job id in {printed:?}"))
    };
    let (array, merge) = (id("array "), id("merge "));

    // Wait for the merge job to finish; it is cancelled if a shard fails (kill_invalid_depend).
    let submitted = Instant::now();
    let merge_state = loop {
        let state = cluster.states(&merge).first().and_then(|l| l.split_whitespace().nth(1).map(str::to_owned));
        match state.as_deref() {
            Some("PENDING" | "RUNNING" | "CONFIGURING" | "COMPLETING") | None => {}
            Some(s) => break s.to_owned(),
        }
        assert!(
            submitted.elapsed() < JOB_TIMEOUT,
            "the merge job {merge} did not finish in {JOB_TIMEOUT:?}\n{}",
            cluster.diagnostics(&sweep_out)
        );
        std::thread::sleep(Duration::from_millis(500));
    };
    let on_slurm = submitted.elapsed();
    let array_states = cluster.states(&array);
    assert!(
        merge_state == "COMPLETED"
            && array_states.len() == SHARDS
            && array_states.iter().all(|l| l.ends_with(" COMPLETED")),
        "merge job {merge}: {merge_state}; array {array}: {array_states:?}\n{}",
        cluster.diagnostics(&sweep_out)
    );
    for k in 1..=SHARDS {
        assert!(sweep_out.join(format!("shards/shard-{k}")).is_dir(), "shard {k} wrote no folder");
    }

    // The same sweep, unsharded, without Slurm.
    let local = tmp.path().join("local");
    let out = run(Command::new(bin).args(["sweep", EXPERIMENT, "--quiet", "--out", local.to_str().unwrap()]), &conf);
    assert!(out.status.success(), "collabsim sweep failed: {}", text(&out.stderr));

    let merged = files(&sweep_out.join("final"));
    let unsharded = files(&local);
    let names = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&merged), names(&unsharded), "the merged folder and the unsharded folder hold different files");
    assert!(unsharded.contains_key("sweep.csv"), "no sweep.csv in {:?}", names(&unsharded));
    assert!(unsharded.contains_key("manifest.json"), "no manifest.json in {:?}", names(&unsharded));
    let mut compared = 0;
    for (name, bytes) in &unsharded {
        if name == "manifest.json" {
            continue;
        }
        assert!(merged[name] == *bytes, "{name} differs between the merged and the unsharded sweep");
        compared += 1;
    }
    let rows = text(&unsharded["sweep.csv"]).lines().count();
    assert!(rows >= 10, "sweep.csv should hold a header and 9 design points, has {rows} lines");
    println!(
        "slurm: cluster up in {:.1}s, {SHARDS} shards + merge on Slurm in {:.1}s, {compared} files identical, total {:.1}s",
        started.as_secs_f64(),
        on_slurm.as_secs_f64(),
        t0.elapsed().as_secs_f64()
    );
    drop(cluster);
}
