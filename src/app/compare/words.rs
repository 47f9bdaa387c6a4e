//! The comparison in plain sentences, for the terminal and the `serve` page: one paragraph
//! per arm (median lifetime, survival at the years that matter, the end seen most often,
//! savings), then each variant's difference in mean lifetime with its statistics on an
//! indented line below.

use super::facts::CompareFacts;
use crate::output::comparison::p_words;

/// The facts in sentences: one paragraph per arm, then one per variant's difference with
/// its statistics on an indented line below.
pub fn summary_lines(f: &CompareFacts) -> Vec<String> {
    let mut v = vec![format!(
        "{} simulated futures per arm on the same seeds (seed {}), followed for {} years:",
        thousands(f.replicates),
        f.seed,
        num(f.horizon_years, 1)
    )];
    if !f.every_variant_also.is_empty() {
        v.push(format!("  Every variant also sets {}.", f.every_variant_also.join(", ")));
    }
    for (i, a) in f.arms.iter().enumerate() {
        let role = match (i, f.arms.len()) {
            (0, _) => "Baseline".to_string(),
            (_, 2) => "Variant".to_string(),
            (i, _) => format!("Variant {i}"),
        };
        let mut s = format!("{role}, {}: ", a.label);
        match a.median_years {
            Some(m) => s.push_str(&format!("half of the collaborations had ended by {} years.", num(m, 1))),
            None => s.push_str(&format!("more than half were still running after {} years.", num(f.horizon_years, 1))),
        }
        if !a.survival.is_empty() {
            let parts: Vec<String> = a
                .survival
                .iter()
                .map(|(y, p)| format!("{} after {} {}", pct(*p), num(*y, 0), if *y == 1.0 { "year" } else { "years" }))
                .collect();
            s.push_str(&format!(" Still running: {}.", parts.join(", ")));
        }
        match &a.main_cause {
            Some((cause, share)) => {
                s.push_str(&format!(" It most often ended because {cause} ({} of runs).", pct(*share)))
            }
            None => s.push_str(" No run ended."),
        }
        s.push_str(&format!(" It saved {} on average.", money(a.mean_savings_gbp)));
        v.push(format!("  {s}"));
    }
    for d in &f.variants {
        if d.identical {
            v.push(format!("  '{}' is the baseline again: every parameter is the same, so every run is too.", d.label));
            continue;
        }
        let Some(r) = d.rmst_difference_years else { continue };
        let more_less = |x: f64| {
            if x < 0.0 { format!("{} years less", num(-x, 2)) } else { format!("{} years more", num(x, 2)) }
        };
        let interval = if r.lower < 0.0 && r.upper > 0.0 {
            format!("{} to {}; it could be no difference", more_less(r.lower), more_less(r.upper))
        } else if r.upper <= 0.0 {
            format!("{} to {} years less", num(-r.upper, 2), num(-r.lower, 2))
        } else {
            format!("{} to {} years more", num(r.lower, 2), num(r.upper, 2))
        };
        v.push(format!(
            "  Under '{}' a collaboration lasts on average {} than in the baseline over the first {} years (95% interval: {interval}).",
            d.label,
            more_less(r.estimate),
            num(f.horizon_years, 1)
        ));
        let test = match d.logrank {
            Some((chi, p)) => format!("log-rank test: chi-square {}, {}", num(chi, 1), p_words(p)),
            None => "log-rank test: no run ended in either arm".into(),
        };
        v.push(format!(
            "    statistics: restricted mean lifetime {} vs {} years, difference {:+.2} (95% CI {:+.2} to {:+.2}); {test}",
            num(d.rmst_years[0], 2),
            num(d.rmst_years[1], 2),
            r.estimate,
            r.lower,
            r.upper
        ));
    }
    v
}

fn num(x: f64, digits: usize) -> String {
    format!("{x:.digits$}")
}

fn thousands(n: usize) -> String {
    crate::output::report::thousands(n as u64)
}

fn pct(x: f64) -> String {
    crate::output::report::pct(x)
}

/// Money for people: £1.41m, £400,000.
fn money(x: f64) -> String {
    if x.abs() >= 1e6 { format!("£{:.2}m", x / 1e6) } else { format!("£{}", thousands(x.round().max(0.0) as usize)) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::compare::{ArmFacts, Estimate, VariantFacts};

    fn facts(p: f64, identical: bool) -> CompareFacts {
        let arm = |label: &str, folder: &str| ArmFacts {
            label: label.into(),
            folder: folder.into(),
            median_years: Some(4.25),
            survival: vec![(1.0, 0.97), (2.0, 0.8), (5.0, 0.41)],
            main_cause: Some(("ForceA withdrew after a leader change".into(), 0.31)),
            mean_savings_gbp: 1_407_692.0,
        };
        CompareFacts {
            replicates: 1000,
            every_variant_also: vec![],
            seed: 2010,
            horizon_years: 6.0,
            arms: vec![arm("CS1", "baseline"), arm("turnover 0.33", "variant")],
            variants: vec![VariantFacts {
                label: "turnover 0.33".into(),
                rmst_years: [5.1, 4.23],
                rmst_difference_years: Some(Estimate { estimate: -0.87, lower: -1.09, upper: -0.65 }),
                logrank: Some((408.06, p)),
                identical,
            }],
        }
    }

    #[test]
    fn the_terminal_leads_with_sentences_and_formats_numbers_for_people() {
        let text = summary_lines(&facts(9.714e-91, false)).join("\n");
        let first = text.lines().nth(1).unwrap();
        assert!(first.contains("half of the collaborations had ended by 4.2 years"), "{text}");
        assert!(first.contains("97% after 1 year, 80% after 2 years, 41% after 5 years"), "{text}");
        assert!(
            first.contains("most often ended because ForceA withdrew after a leader change (31% of runs)"),
            "{text}"
        );
        assert!(first.contains("£1.41m"), "{text}");
        assert!(text.contains("lasts on average 0.87 years less than in the baseline over the first 6.0 years (95% interval: 0.65 to 1.09 years less)"), "{text}");
        // The statistics come after the sentence, on their own line, and p reads as people write it.
        let stats = text.lines().position(|l| l.contains("statistics:")).unwrap();
        let said = text.lines().position(|l| l.contains("lasts on average")).unwrap();
        assert_eq!(stats, said + 1, "{text}");
        assert!(text.contains("p < 0.0001") && !text.contains("e-91") && !text.contains("GBP"), "{text}");
        assert!(summary_lines(&facts(1.0, false)).join("\n").contains("p > 0.999"));
        assert!(!summary_lines(&facts(1.0, false)).join("\n").contains("1.000e0"));
        let same = summary_lines(&facts(1.0, true)).join("\n");
        assert!(same.contains("is the baseline again") && !same.contains("statistics:"), "{same}");
    }
}
