//! Progress on standard error for the library's `Progress`: indicatif's bar on a terminal;
//! when standard error is not a terminal (nohup, Slurm, a pipe), where the bar would draw
//! nothing, a plain line at every 5% of the work and, for slow work, at the first finished
//! replicate after 30 s without a line (whichever comes sooner), so that a log shows how
//! far a long run has got. Nothing at all with `--quiet`.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A plain line at least every this share of the work...
const LINE_STEP: f64 = 0.05;
/// ...or after this long without one.
const LINE_EVERY: Duration = Duration::from_secs(30);

pub struct Bar {
    bar: ProgressBar,
    /// Plain lines instead of the bar (standard error is not a terminal).
    lines: Option<Mutex<Lines>>,
}

/// The state of the plain lines.
struct Lines {
    message: String,
    total: u64,
    done: u64,
    started: Instant,
    last_line: Instant,
    /// The number of `LINE_STEP`s reported so far.
    steps: u64,
}

impl Bar {
    /// A bar on standard error, plain lines when it is not a terminal, or nothing when `quiet`.
    pub fn new(quiet: bool) -> Bar {
        let plain = !quiet && !std::io::stderr().is_terminal();
        let bar = if quiet || plain {
            ProgressBar::hidden()
        } else {
            ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
        };
        bar.set_style(
            ProgressStyle::with_template("{msg} [{elapsed_precise}] {wide_bar} {pos}/{len} replicates, ETA {eta}")
                .expect("valid template"),
        );
        let now = Instant::now();
        let lines = plain.then(|| {
            Mutex::new(Lines { message: String::new(), total: 0, done: 0, started: now, last_line: now, steps: 0 })
        });
        Bar { bar, lines }
    }
}

impl Lines {
    /// The line for the work done so far.
    fn line(&self) -> String {
        let elapsed = self.started.elapsed().as_secs_f64();
        let share = if self.total > 0 { self.done as f64 / self.total as f64 } else { 1.0 };
        let left = if self.done > 0 && self.done < self.total {
            format!(", about {} left", seconds(elapsed / share - elapsed))
        } else {
            String::new()
        };
        format!(
            "collabsim: {}: {}/{} replicates ({:.0}%), {} elapsed{left}",
            self.message,
            self.done,
            self.total,
            100.0 * share,
            seconds(elapsed)
        )
    }

    fn print(&mut self) {
        self.last_line = Instant::now();
        // A log that cannot be written to is no reason to stop the run.
        let _ = writeln!(std::io::stderr().lock(), "{}", self.line());
    }
}

fn seconds(s: f64) -> String {
    if s < 120.0 { format!("{s:.0} s") } else { format!("{:.0} min", s / 60.0) }
}

impl collabsim::app::Progress for Bar {
    fn start(&self, total: u64, message: &str) {
        self.bar.set_length(total);
        self.bar.set_position(0);
        self.bar.set_message(message.to_string());
        self.bar.reset_eta();
        if let Some(l) = &self.lines {
            let mut l = l.lock().unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            *l = Lines { message: message.to_string(), total, done: 0, started: now, last_line: now, steps: 0 };
            l.print();
        }
    }
    fn set_message(&self, message: &str) {
        self.bar.set_message(message.to_string());
        if let Some(l) = &self.lines {
            l.lock().unwrap_or_else(|e| e.into_inner()).message = message.to_string();
        }
    }
    fn inc(&self, n: u64) {
        self.bar.inc(n);
        if let Some(l) = &self.lines {
            let mut l = l.lock().unwrap_or_else(|e| e.into_inner());
            l.done += n;
            let steps = if l.total > 0 { (l.done as f64 / l.total as f64 / LINE_STEP).floor() as u64 } else { 0 };
            if steps > l.steps || l.last_line.elapsed() >= LINE_EVERY {
                l.steps = steps;
                l.print();
            }
        }
    }
    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
