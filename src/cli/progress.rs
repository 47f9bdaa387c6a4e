//! A progress bar on standard error (indicatif) for the library's `Progress`.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Bar(ProgressBar);

impl Bar {
    /// A bar on standard error, or none at all when `quiet`.
    pub fn new(quiet: bool) -> Bar {
        let bar = if quiet {
            ProgressBar::hidden()
        } else {
            ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
        };
        bar.set_style(
            ProgressStyle::with_template("{msg} [{elapsed_precise}] {wide_bar} {pos}/{len} replicates, ETA {eta}")
                .expect("valid template"),
        );
        Bar(bar)
    }
}

impl collabsim::app::Progress for Bar {
    fn start(&self, total: u64, message: &str) {
        self.0.set_length(total);
        self.0.set_position(0);
        self.0.set_message(message.to_string());
        self.0.reset_eta();
    }
    fn set_message(&self, message: &str) {
        self.0.set_message(message.to_string());
    }
    fn inc(&self, n: u64) {
        self.0.inc(n);
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}
