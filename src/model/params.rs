//! The model's parameters, each declared once (see `registry.rs`): path, type, default,
//! range, unit, meaning, source and effect on one line. `scenario/` fills them from a file
//! and checks them against these declarations; the rules read the structs; `collabsim
//! params` and docs/ODD.md's table list them. Adding a parameter is one line here plus
//! the rule that reads it. A few values follow from the declared ones (the lead partner's
//! index, each partner's turnover and shares); `Params::derive` computes them.

use super::registry::{OrgName, ParamType, Section, Spec, Value, declare_choice, declare_section};

declare_choice! {
    /// How the partners' staff are brought together.
    pub enum Form {
        /// One joint unit, teams mixed across partners (CS1).
        Merged = "merged",
        /// Separate teams on one floor, sharing desks and equipment (CS2).
        CoLocated = "co-located",
        /// Separate sites; contact only through formal channels and few informal ties.
        Virtual = "virtual",
    }
}

declare_choice! {
    /// What the collaboration does about the partners' differing rules and norms.
    pub enum CulturePolicy {
        /// A new culture separate from both parents (CS1): norms converge through contact.
        NewShared = "new-shared",
        /// Each partner keeps its rules, pay and terms (CS2): norms stay anchored to the parent.
        KeepSeparate = "keep-separate",
        /// Everyone adopts the lead partner's norms.
        AdoptLead = "adopt-lead",
    }
}

declare_choice! {
    /// How the unit is staffed at the start.
    pub enum Selection {
        /// Every employee re-applies; the most willing fill the posts (CS1).
        ReApply = "re-apply",
        /// Everyone transfers as they are.
        TransferAll = "transfer-all",
    }
}

/// Staff role: seniors and managers network more across partners and weigh more in
/// their organization's view of the collaboration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Senior,
    Manager,
    Staff,
}

/// Organizations at most (partners are indexed by u16 in the state; 64 keeps the per-agent
/// trust rows small).
pub const MAX_ORGS: usize = 64;
/// Staff of all partners together at most: agents x weeks x replicates stay bounded.
pub const MAX_AGENTS: u64 = 2_000_000;
/// Components of a norm vector at most.
pub const MAX_NORM_DIMS: usize = 32;

declare_section! {
    /// One partner organization (`[organizations.NAME]`).
    pub struct OrgParams ("organizations.<NAME>", "Organizations (one table per partner)",
        "`organizations.<NAME>`: one table per partner, 2 to 64 tables; names of letters, digits, `_` and `-`.") {
        staff: u32 = 0, Closed(1.0, 2e6), "count", Outcome,
            "staff the organization brings before selection (required)",
            Paper("CS1 'over 150 IS staff'; the split between partners is assumed");
        leader_turnover_per_year: Option<f64> = None, Closed(0.0, 52.0), "1/year", Lever(0.1, 0.6),
            "this partner's leader changes a year; unset: `leadership.turnover_per_year`",
            Figure("as `leadership.turnover_per_year`; plausible as it");
        leader_commitment: f64 = 0.7, Closed(0.0, 1.0), "0..1", Outcome,
            "commitment of the leader in post at the start",
            Paper("'committed to publicly by Chief Officers' (interviewee P26); value assumed");
        engagement: f64 = 0.7, Closed(0.0, 1.0), "0..1", Outcome,
            "the organization's strategic engagement at the start",
            Assumption("calibrated with P1 and P9");
        cost_share: Option<f64> = None, Closed(0.0, 1.0), "0..1", Outcome,
            "share of the running cost; unset: an equal split (give all or none; they sum to 1)",
            Paper("CS2 10/50/40, cost assumed equal to benefit; host-exits 80% (HMICFRS)");
        benefit_share: Option<f64> = None, Closed(0.0, 1.0), "0..1", Outcome,
            "share of the savings; unset: an equal split (give all or none; they sum to 1)",
            Paper("'10% savings to PF, 50% FRS1, and 40% FRS2' (P8)");
        reputation_sensitivity: f64 = 0.5, Closed(0.0, 1.0), "0..1", Outcome,
            "weight of visible failure in its engagement",
            Paper("'reputation management', an organizational-level factor; value assumed");
        participation: f64 = 1.0, Closed(0.0, 1.0), "0..1", Lever(0.0, 1.0),
            "part in joint decisions (matters for a non-lead partner)",
            Paper("'ensuring the active participation by partners in the decision-making process' (P7); plausible from none to every decision (the cases: 0.5 to 1)");
        norms: Vec<f64> = vec![0.5; 4], Closed(0.0, 1.0), "each 0..1", Outcome,
            "parent culture, a trait vector of 1 to 32 components, the same length for all partners",
            Paper("abstract traits (Axelrod 1997); vectors differ with 'different terms and conditions'");
        initial_trust: f64 = 0.5, Closed(0.0, 1.0), "0..1", Outcome,
            "mean initial trust of its staff in each partner",
            Assumption("");
        initial_motivation: f64 = 0.6, Closed(0.0, 1.0), "0..1", Outcome,
            "mean initial motivation of its staff",
            Assumption("");
        initial_willingness: f64 = 0.6, Closed(0.0, 1.0), "0..1", Outcome,
            "mean initial willingness of its staff",
            Assumption("");
        prior_experience: f64 = 0.3, Closed(0.0, 1.0), "0..1", Outcome,
            "mean prior collaboration experience of its staff",
            Paper("CS2 staff 'brought into the project because of the past collaboration experiences'; value assumed");
    }
}

declare_section! {
    /// Leader turnover, new leaders' commitment and the strategy re-alignment (ODD 7.2, 7.11).
    pub struct LeadershipParams ("leadership", "Leadership (M2)", "") {
        turnover_per_year: f64 = 0.27, Closed(0.0, 52.0), "1/year", Lever(0.1, 0.6),
            "leader changes per partner a year (Poisson)",
            Figure("chief constable tenure about 3.5-3.8 years (NPCC 2018; FactCheckNI): 1 / 0.27 = 3.7 years; plausible tenures 10 to 1.7 years (0.1 to 0.6, the ladders of calibration/behaviour.toml)");
        new_leader_commitment: f64 = 0.4, Closed(0.0, 1.0), "0..1", Outcome,
            "mean commitment of a new leader, who questions the collaboration",
            Paper("a new chief officer questions approaches (P3); value calibrated on CS1, CS2 and the HR case (calibration/cases.toml)");
        new_leader_spread: f64 = 0.2, Closed(0.0, 0.5), "0..1", Outcome,
            "half-width of the uniform spread of a new leader's commitment",
            Assumption("");
        adapt_per_year: f64 = 0.5, Closed(0.0, 52.0), "1/year", Outcome,
            "rate at which leader commitment follows vision and trust (7.11)",
            Assumption("calibrated on CS1, CS2 and the HR case (calibration/cases.toml)");
        realign_delay_weeks: u32 = 4, Closed(0.0, 520.0), "weeks", Outcome,
            "weeks from a leader change to the strategy re-alignment presentation",
            Paper("'the same 10-15 min presentation' given to each new chief officer; delay assumed");
        realign_strength: f64 = 0.9, Closed(0.0, 1.0), "0..1", Outcome,
            "share of the lost commitment the re-alignment restores",
            Paper("the presentation 're-aligns their thinking' and 'saved me a number of times' (P3): much, not all; value calibrated on CS1, CS2 and the HR case (calibration/cases.toml)");
    }
}

declare_section! {
    /// The arrangement itself: form, culture policy, transparency, strategy, lead partner,
    /// selection and the size of the network (ODD 5.1, 7.4, 7.5, 7.12, 7.13).
    pub struct CollaborationParams ("collaboration", "Collaboration", "") {
        form: Form = Form::Merged, Any, "choice", Outcome,
            "team composition (5.1)",
            Paper("CS1 one merged unit; CS2 teams on one floor");
        culture_policy: CulturePolicy = CulturePolicy::NewShared, Any, "choice", Lever,
            "norm anchor and mixing (7.4); `adopt-lead` needs `lead_partner`",
            Paper("'We created our own culture' (CS1); 'alignment was not achieved' (CS2)");
        transparency: f64 = 0.5, Closed(0.0, 1.0), "0..1", Lever(0.2, 1.0),
            "openness on finance, resourcing, planning and timing: contact success and open failure (7.4)",
            Paper("'Absolute transparency on all information ... That helped build trust' (P4); plausible from guarded (0.2) to absolute (1), as in calibration/behaviour.toml");
        strategy_document: bool = false, Any, "bool", Lever,
            "a written strategy is in force at the start",
            Paper("'as individuals at the top changed, ... the strategy didn't' (interviewee P3)");
        strategy_survival: f64 = 1.0, Closed(0.0, 1.0), "0..1", Outcome,
            "chance that a new leader keeps the strategy",
            Paper("the CS1 strategy of 2012 was still used in 2018; value assumed");
        lead_partner: Option<OrgName> = None, Any, "name", Outcome,
            "the lead organization; unset: no lead",
            Paper("'the concept of having a \"lead\" organization/partner'");
        nonlead_disengagement: f64 = 0.2, Closed(0.0, 1.0), "0..1", Outcome,
            "engagement-target loss of a non-lead partner with no participation (7.13)",
            Paper("'the non-lead partner slowly became less engaged at a strategic level' (P7); value assumed");
        lead_decision_speedup: f64 = 0.3, Closed(0.0, 1.0), "0..1", Outcome,
            "share by which a lead shortens the savings ramp, and so the quarters that fall short of the plan; acts only with `savings.ramp_weeks` > 0 (7.12)",
            Paper("a lead 'facilitated decision-making'; value assumed");
        selection: Selection = Selection::TransferAll, Any, "choice", Outcome,
            "start staffing (5.1)",
            Paper("CS1: 'only committed people joined the endeavour' (interviewee P1)");
        posts: Option<u32> = None, Any, "count", Outcome,
            "posts in the joint unit; required with `re-apply`, else all staff",
            Paper("CS1 'from about 150 staff to a single entity which is about 115' (P8)");
        shared_resources: f64 = 0.2, Closed(0.0, 1.0), "0..1", Lever(0.1, 0.7),
            "contention for shared desks and equipment (7.5)",
            Paper("'They've got green dots on the back of the chair' (interviewee I17; P5); plausible as the cases span: CS1 0.1 to CS2 0.7");
        team_size: u32 = 8, Closed(1.0, 10000.0), "agents", Outcome,
            "team size (5.1)",
            Assumption("");
        formal_ties: u32 = 4, Closed(0.0, 64.0), "count", Outcome,
            "team ties per agent",
            Assumption("");
        informal_ties: u32 = 2, Closed(0.0, 32.0), "count", Outcome,
            "cross-partner ties per staff member (x1.5 managers, x2 seniors)",
            Paper("'informal and formal connections'; value assumed");
        contacts_per_week: u32 = 2, Closed(0.0, 50.0), "count", Outcome,
            "contacts per agent per week",
            Assumption("");
        virtual_contact_penalty: f64 = 0.1, Closed(0.0, 1.0), "probability", Outcome,
            "contact success lost when the partners work on separate sites (`form = \"virtual\"`)",
            Paper("'a highly visible single new entity ... new team, new vision, single location' sent 'a really powerful message' (interviewee P26)");
        running_cost_per_year: f64 = 0.0, AtLeast(0.0), "GBP/year", Outcome,
            "running cost of the arrangement, shared by cost shares",
            Assumption("");
    }
}

declare_section! {
    /// The shared vision, its decay and its re-statement (ODD 7.7).
    pub struct VisionParams ("vision", "Vision (M5)", "") {
        defined: bool = true, Any, "bool", Outcome,
            "a shared vision exists",
            Paper("HR case: 'in reality there was no shared vision' (interviewee P16; P2)");
        initial: f64 = 0.6, Closed(0.0, 1.0), "0..1", Outcome,
            "vision at the start (ignored if not defined)",
            Assumption("");
        decay_per_year: f64 = 0.5, Closed(0.0, 52.0), "1/year", Outcome,
            "decay rate of the vision",
            Paper("the vision must be communicated 'throughout the process'; value calibrated with P1 and P2");
        restate_per_meeting: f64 = 0.02, Closed(0.0, 1.0), "0..1", Outcome,
            "share of the gap to 1 closed per meeting",
            Paper("'continuously emphasized'; value assumed");
        strategy_restate_per_year: f64 = 0.3, Closed(0.0, 52.0), "1/year", Outcome,
            "re-statement by a strategy in force",
            Paper("the strategy as 'a blueprint'; value assumed (P3)");
    }
}

declare_section! {
    /// Communication channels that re-state the vision (ODD 7.7).
    pub struct CommunicationParams ("communication", "Communication (M5)", "") {
        meetings_per_month: f64 = 2.0, Closed(0.0, 100.0), "1/month", Lever(1.0, 6.0),
            "meetings that re-state the vision",
            Paper("'Frequent communication, via three main communication channels'; plausible as the cases span: 1 (FiReControl) to 6 (CS2)");
        two_way: bool = true, Any, "bool", Lever,
            "communication runs upward and downward",
            Paper("'A two-way communication process (i.e. upward and downward) was observed to be crucial'");
        one_way_effectiveness: f64 = 0.5, Closed(0.0, 1.0), "0..1", Outcome,
            "effect of one-way communication relative to two-way",
            Assumption("");
    }
}

declare_section! {
    /// Informal gatherings and engagement meetings (ODD 7.6).
    pub struct GatheringParams ("gatherings", "Gatherings (M8)", "") {
        per_year: f64 = 2.0, Closed(0.0, 52.0), "1/year", Lever(0.0, 6.0),
            "gatherings a year (every `round(52 / per_year)` weeks)",
            Paper("'several staff gatherings' (CS1); 'staff engagement group meetings' (CS2); plausible as the cases span: none (FiReControl) to 6 (CS2)");
        attendance: f64 = 0.6, Closed(0.0, 1.0), "0..1", Outcome,
            "chance an agent attends",
            Assumption("");
        trust_gain: f64 = 0.05, Closed(0.0, 1.0), "share of gap", Outcome,
            "trust gain per attendance",
            Paper("'trust was developed during staff engagement meetings and staff gatherings'; value assumed");
    }
}

declare_section! {
    /// Trust through contacts (ODD 7.4).
    pub struct TrustParams ("trust", "Trust (M1)", "`gain * loss_ratio` must be at most 1 (keeps trust in 0..1).") {
        gain: f64 = 0.02, Closed(0.0, 1.0), "share of gap", Outcome,
            "trust gain per successful cross-partner contact",
            Assumption("Pant and Yu's 0.08-0.10 is per yearly step, not per contact");
        loss_ratio: f64 = 3.0, Closed(0.0, 100.0), "ratio", Outcome,
            "loss rate of a failed contact relative to the gain",
            Figure("alliance trust losses about 3x gains (Pant and Yu, Renault-Nissan fit)");
        open_failure_discount: f64 = 0.7, Closed(0.0, 1.0), "0..1", Outcome,
            "share of a failure's trust cost waived when it is openly communicated",
            Paper("'if something had failed, to effectively communicate that'; value assumed");
        success_base: f64 = 0.5, Closed(0.0, 1.0), "probability", Outcome,
            "contact success with no transparency",
            Assumption("calibrated with P4");
        success_from_transparency: f64 = 0.3, Closed(0.0, 1.0), "probability", Outcome,
            "added contact success per unit of transparency",
            Paper("'nothing failed ... buys you more trust' (interviewee I8); value assumed (P4)");
        success_overload_penalty: f64 = 0.5, AtLeast(0.0), "probability", Outcome,
            "contact success lost per unit of overload",
            Assumption("P6");
        experience_gain: f64 = 0.01, Closed(0.0, 1.0), "share of gap", Outcome,
            "experience gained per successful contact",
            Assumption("");
    }
}

declare_section! {
    /// Norm convergence and friction (ODD 7.4, 7.5).
    pub struct CultureParams ("culture", "Culture (M3)", "") {
        convergence_rate: f64 = 0.01, Closed(0.0, 1.0), "share", Outcome,
            "norm step toward a similar contact",
            Paper("similarity-weighted interaction (Axelrod 1997); value assumed (P5)");
        anchor_pull: f64 = 0.003, Closed(0.0, 1.0), "share", Outcome,
            "weekly pull toward the anchor culture",
            Paper("socialization under turnover (Harrison and Carroll 1991); value assumed (P5)");
        norm_spread: f64 = 0.1, Closed(0.0, 1.0), "norm units", Outcome,
            "half-width of individual norm spread",
            Assumption("");
        friction_rate: f64 = 0.05, Closed(0.0, 1.0), "probability/week", Outcome,
            "friction chance per unit of norm distance and contention",
            Paper("'green dots' (interviewee I17); value assumed (P5)");
        friction_trust_loss: f64 = 0.05, Closed(0.0, 1.0), "share of trust", Outcome,
            "trust lost per friction event",
            Assumption("");
        friction_motivation_loss: f64 = 0.02, Closed(0.0, 1.0), "motivation units", Outcome,
            "motivation lost per friction event",
            Assumption("");
    }
}

declare_section! {
    /// Project work and go-live peaks (ODD 7.3).
    pub struct ProjectParams ("project", "Project (M6)", "") {
        overload: f64 = 1.0, Closed(0.0, 10.0), "ratio", Lever(1.0, 2.0),
            "multiplier on project work (1 = as planned)",
            Paper("overload 'more frequently when systems were near to the \"going live\" stage'; plausible from as planned (1) to double (2), as in calibration/behaviour.toml");
        base_workload: f64 = 0.85, Closed(0.0, 10.0), "capacity units", Outcome,
            "routine demand per full post",
            Assumption("");
        ongoing_load: f64 = 0.2, Closed(0.0, 10.0), "capacity units", Outcome,
            "ongoing project work on top of the routine demand",
            Paper("overload 'occurred during the collaboration process, but more frequently' near go-live (P6); value calibrated on CS1, CS2 and the HR case (calibration/cases.toml)");
        go_live_weeks: Vec<u32> = Vec::new(), Week(1), "weeks", Outcome,
            "go-live weeks, each from 1 to the file's horizon",
            Paper("overload near the 'going live' stage (P6)");
        go_live_peak: f64 = 0.3, Closed(0.0, 10.0), "capacity units", Outcome,
            "height of a go-live bump",
            Assumption("P6");
        go_live_width_weeks: f64 = 4.0, Closed(0.1, 520.0), "weeks", Outcome,
            "standard deviation of a go-live bump",
            Assumption("");
    }
}

declare_section! {
    /// Leaving and hiring (ODD 7.8, 7.9).
    pub struct StaffParams ("staff", "Staff (M6, M7)", "`senior_share + manager_share` must be at most 1.") {
        turnover_per_year: f64 = 0.06, Closed(0.0, 52.0), "1/year", Outcome,
            "base leaving hazard",
            Figure("police leaver rate about 6% a year (Home Office workforce statistics)");
        quit_per_year: f64 = 1.0, Closed(0.0, 52.0), "1/year", Outcome,
            "extra leaving hazard at zero willingness",
            Assumption("P6");
        quit_below_willingness: f64 = 0.35, Closed(0.0, 1.0), "0..1", Outcome,
            "willingness below which the extra hazard starts",
            Assumption("");
        quit_overload_per_year: f64 = 0.5, Closed(0.0, 52.0), "1/year", Outcome,
            "extra leaving hazard per unit of overload, scaled by 1 - motivation (7.8)",
            Paper("under overload, unmotivated staff lose willingness and leave (M6, P6); value assumed");
        hiring_delay_weeks: u32 = 13, Closed(0.0, 520.0), "weeks", Lever(4.0, 26.0),
            "delay before a vacant post is refilled (7.9)",
            Assumption("plausible from a month to half a year of public-sector recruitment");
        replace_leavers: bool = true, Any, "bool", Lever,
            "vacant posts are refilled",
            Paper("overload grows 'when leavers are not replaced' (M6)");
        remove_unwilling: bool = false, Any, "bool", Lever,
            "'stay on the bus or leave early': the unwilling are moved out faster",
            Paper("'if you're on the bus, stay on the bus ... If you're not on the bus, then leave early' (interviewee P16, CS1)");
        remove_unwilling_factor: f64 = 3.0, Closed(1.0, 100.0), "ratio", Outcome,
            "multiplier on the extra hazard when removing the unwilling",
            Assumption("");
        remove_below_willingness: f64 = 0.55, Closed(0.0, 1.0), "0..1", Outcome,
            "willingness below which staff are persuaded out when removing the unwilling (in place of `quit_below_willingness`)",
            Paper("CS1 budgeted management time 'to persuade out and select in for collaborative motivation'; value assumed");
        hire_willingness: f64 = 0.7, Closed(0.0, 1.0), "0..1", Outcome,
            "mean willingness of selected hires",
            Paper("'persuade out and select in for collaborative motivation'; value assumed");
        senior_share: f64 = 0.05, Closed(0.0, 1.0), "0..1", Outcome,
            "share of seniors",
            Assumption("");
        manager_share: f64 = 0.15, Closed(0.0, 1.0), "0..1", Outcome,
            "share of managers",
            Assumption("");
        init_spread: f64 = 0.15, Closed(0.0, 0.5), "state units", Outcome,
            "half-width of individual spreads of initial states",
            Assumption("");
    }
}

declare_section! {
    /// The motivation target and its adjustment (ODD 7.8).
    pub struct MotivationParams ("motivation", "Motivation (M5, M6)",
        "Every weight here is an assumption, calibrated with the others so that P1, P2 and P9 hold.") {
        adapt_per_year: f64 = 4.0, Closed(0.0, 52.0), "1/year", Outcome,
            "adjustment rate of motivation",
            Assumption("");
        base: f64 = 0.05, Closed(0.0, 1.0), "0..1", Outcome,
            "constant term of the target",
            Assumption("");
        vision_weight: f64 = 0.45, Closed(0.0, 1.0), "0..1", Outcome,
            "weight of the shared vision",
            Paper("'grounding the collaborative endeavour on a clear shared vision ... to foster stronger member motivation' (P2)");
        leader_weight: f64 = 0.2, Closed(0.0, 1.0), "0..1", Outcome,
            "weight of leader commitment",
            Paper("'a lack of leadership support will potentially result in members doubting the benefits'");
        trust_weight: f64 = 0.3, Closed(0.0, 1.0), "0..1", Outcome,
            "weight of trust in the partners",
            Paper("'without trust, nothing works'");
        overload_weight: f64 = 0.5, AtLeast(0.0), "per unit", Outcome,
            "loss per unit of overload",
            Paper("work overload has 'strong connections with motivation' (P6)");
    }
}

declare_section! {
    /// Willingness to stay in the collaboration (ODD 7.8).
    pub struct WillingnessParams ("willingness", "Willingness (M7)", "") {
        adapt_per_year: f64 = 2.0, Closed(0.0, 52.0), "1/year", Outcome,
            "adjustment rate of willingness",
            Assumption("");
        motivation_weight: f64 = 0.5, Closed(0.0, 1.0), "0..1", Outcome,
            "weight of motivation",
            Paper("'Commitment to the team ... influences the motivation'");
        trust_weight: f64 = 0.25, Closed(0.0, 1.0), "0..1", Outcome,
            "weight of trust in the partners",
            Paper("trust as an individual-level factor");
        experience_weight: f64 = 0.1, Closed(0.0, 1.0), "0..1", Outcome,
            "weight of prior collaboration experience",
            Paper("'Individual experience'");
        connection_weight: f64 = 0.15, Closed(0.0, 1.0), "0..1", Outcome,
            "weight of cross-partner connections",
            Paper("'Individual informal and formal connections'");
        overload_loss: f64 = 0.01, Closed(0.0, 1.0), "per week", Outcome,
            "weekly drain per unit of overload x (1 - motivation)",
            Paper("unmotivated staff lose willingness under overload (M6, P6); value assumed");
    }
}

declare_section! {
    /// Each partner's strategic engagement (ODD 7.13).
    pub struct EngagementParams ("engagement", "Engagement (M9)", "") {
        adapt_per_year: f64 = 3.0, Closed(0.0, 52.0), "1/year", Outcome,
            "adjustment rate of engagement",
            Assumption("");
        leader_weight: f64 = 0.35, Closed(0.0, 1.0), "0..1", Outcome,
            "weight of leader commitment",
            Paper("leadership 'played a significant role in both case studies' (P3)");
        willingness_weight: f64 = 0.15, Closed(0.0, 1.0), "0..1", Outcome,
            "weight of the staff's role-weighted willingness",
            Assumption("");
        trust_weight: f64 = 0.15, Closed(0.0, 1.0), "0..1", Outcome,
            "weight of trust in the partners",
            Assumption("");
        value_weight: f64 = 0.35, Closed(0.0, 1.0), "0..1", Outcome,
            "weight of value for money",
            Paper("organizational motivation: austerity, savings; partners 'evaluate whether their investments are ... financially viable'; value calibrated on CS1, CS2 and the HR case (calibration/cases.toml)");
        reputation_weight: f64 = 0.3, Closed(0.0, 1.0), "0..1", Outcome,
            "weight of visible failure",
            Paper("'reputation management'");
        failure_memory_per_year: f64 = 1.0, Closed(0.1, 52.0), "1/year", Outcome,
            "rate at which partners' view of the unit's visible failure follows the current failure (1: a bad spell weighs for about a year)",
            Paper("'reputation management' is an organizational-level factor; a failed go-live is remembered; value assumed");
    }
}

declare_section! {
    /// One item of the savings plan (`[[savings.items]]`).
    pub struct SavingsItem ("savings.items[]", "Savings items", "") {
        name: String = String::new(), Any, "text", Label,
            "label of the item",
            None;
        annual_gbp: f64 = 0.0, AtLeast(0.0), "GBP/year", Outcome,
            "planned saving a year",
            Paper("CS1 network GBP 400,000 a year; CS2 GBP 1m a year");
        start_week: u32 = 0, Week(0), "week", Outcome,
            "first week it saves, from 0 to the file's horizon",
            Paper("CS1 week 104, after two years of staff savings");
        annual_change: f64 = 0.0, Closed(-1.0, 10.0), "ratio", Outcome,
            "relative change a year after the start (negative: benefits reverse)",
            Paper("host-exits: benefits 'went into reverse'");
    }
}

declare_section! {
    /// What the collaboration saves (ODD 7.12).
    pub struct SavingsParams ("savings", "Savings (P8)",
        "`savings.items` is a list of tables; `--set` addresses an element by index (`--set savings.items[0].annual_gbp=250000`) or replaces the list, e.g. `--set 'savings.items=[{name=\"network\", annual_gbp=400000, start_week=104}]'`.") {
        per_removed_post_gbp: f64 = 20_000.0, AtLeast(0.0), "GBP/year", Outcome,
            "saving per removed post",
            Figure("CS1: 35 posts x GBP 20,000 x 2 years = GBP 1.4m (the paper, P8)");
        ramp_weeks: u32 = 0, Closed(0.0, 5200.0), "weeks", Outcome,
            "linear ramp of realised post savings; the plan promises them in full, so a ramp's quarters can fall short of it (7.12)",
            Assumption("0: the posts go at the start, as in CS1 ('we reduced number of staff from about 150 ... to about 115')");
        delivery_sensitivity: f64 = 1.0, Closed(0.0, 1.0), "0..1", Outcome,
            "share of a started item's saving lost per unit of visible failure (0: the plan is delivered whatever happens)",
            Paper("partners judge the collaboration by the savings it delivers ('we made year on year savings'); value assumed");
        items: Vec<SavingsItem> = Vec::new(), Any, "list", Outcome,
            "savings plan items",
            None;
    }
}

declare_section! {
    /// Major incidents (ODD 7.1).
    pub struct IncidentParams ("incidents", "Incidents (P10)", "") {
        per_year: f64 = 0.5, Closed(0.0, 52.0), "1/year", Outcome,
            "random major incidents a year",
            Assumption("");
        duration_weeks: u32 = 8, Closed(0.0, 520.0), "weeks", Outcome,
            "weeks the effect lasts",
            Paper("cooperation rises 'for a while'; value assumed");
        scheduled_weeks: Vec<u32> = Vec::new(), Week(1), "weeks", Outcome,
            "incidents at fixed weeks, each from 1 to the file's horizon",
            Paper("'When something big happens' (P10); the weeks are the scenario's");
        cooperation_boost: f64 = 0.1, Closed(0.0, 1.0), "0..1", Outcome,
            "added to contact success, motivation and engagement targets",
            Paper("'When something big happens, we put aside our differences and make it work' (interviewee P26); value assumed");
        friction_suppression: f64 = 0.8, Closed(0.0, 1.0), "0..1", Outcome,
            "share of friction suppressed",
            Paper("as `cooperation_boost`; value assumed");
    }
}

declare_section! {
    /// How a partner decides to leave, and when the unit cannot go on (ODD 7.14).
    pub struct EndParams ("end", "End (M10)",
        "At each review (7.15) a partner leaves with chance `max_leave_chance / (1 + exp((s - support_midpoint) / support_width))`, `s` its support.") {
        leader_say: f64 = 0.5, Closed(0.0, 1.0), "0..1", Outcome,
            "weight of the leader's own commitment, against the organization's engagement, in a partner's support at a review",
            Paper("new chief officers 'question' approaches and need re-aligning (interviewee P3)");
        support_midpoint: f64 = 0.45, Closed(0.0, 1.0), "0..1", Outcome,
            "support at which a review's chance of leaving is half the largest",
            Assumption("calibrated on CS1, CS2 and the HR case (calibration/cases.toml)");
        support_width: f64 = 0.03, Closed(0.005, 1.0), "0..1", Outcome,
            "how gradually the chance of leaving rises as support falls (the logistic's scale)",
            Assumption("calibrated on CS1, CS2 and the HR case (calibration/cases.toml)");
        max_leave_chance: f64 = 0.5, Closed(0.0, 1.0), "probability", Outcome,
            "chance of leaving at a review with no support at all",
            Assumption("calibrated on CS1, CS2 and the HR case (calibration/cases.toml)");
        staff_floor: f64 = 0.5, Closed(0.0, 1.0), "0..1", Outcome,
            "share of posts that must be filled for the unit to operate",
            Assumption("");
    }
}

declare_section! {
    /// When partners review their participation (ODD 7.15).
    pub struct ReviewParams ("reviews", "Reviews (M10: decision points)",
        "Each review falls at a random week within `window_weeks` after its trigger, so no end is tied to one week.") {
        budget_week: u32 = 40, Closed(1.0, 52.0), "week of the year", Outcome,
            "week of each collaboration year in which the budget season opens",
            Paper("austerity and savings are the partners' motive (organizational motivation); UK police budgets are set in the winter for an April year");
        window_weeks: u32 = 26, Closed(1.0, 52.0), "weeks", Outcome,
            "spread of a review after its trigger (budget season, a new leader's re-alignment, a go-live, an incident's end, a savings shortfall)",
            Figure("half a year: a police budget is prepared from the autumn and set with the precept by February for an April year (Home Office funding settlement timetable)");
        new_leader: bool = true, Any, "bool", Outcome,
            "a new leader reviews the collaboration after the re-alignment (if any)",
            Paper("a change of chief officer makes them 'question' approaches (interviewee P3)");
        go_live: bool = true, Any, "bool", Outcome,
            "each partner reviews after every go-live",
            Paper("overload is worst near the 'going live' stage");
        after_incident: bool = true, Any, "bool", Outcome,
            "each partner reviews after a major incident ends",
            Paper("'When we have time to think about collaborating, then people get cold feet' (interviewee P26)");
        savings_shortfall: f64 = 0.1, Closed(0.0, 1.0), "share",  Outcome,
            "each partner reviews after a quarter whose delivered savings fall short of the plan by more than this share (1: never)",
            Paper("arrangements 'face challenges in arriving at benefits and, hence, the majority fail'; managers 'evaluate whether their investments are ... financially viable'");
    }
}

declare_section! {
    /// The sponsor that imposed a collaboration, if any (ODD 7.14).
    pub struct SponsorParams ("sponsor", "Sponsor (imposed collaborations)",
        "With `commitment` above 0 the collaboration is imposed: the sponsor holds the partners in place and reviews the programme itself.") {
        commitment: f64 = 0.0, Closed(0.0, 1.0), "0..1", Outcome,
            "initial commitment of a sponsor that imposed the collaboration (0: none; the partners chose it)",
            Figure("FiReControl was imposed nationally, never supported by the fire services, and cancelled after six years (NAO 2011)");
        hold: f64 = 2.0, Closed(0.0, 10.0), "ratio", Outcome,
            "how firmly the sponsor holds partners in place: their chance of leaving times max(0, 1 - hold x commitment)",
            Assumption("the fire services could not leave FiReControl; the government cancelled it");
        erosion_per_year: f64 = 0.15, Closed(0.0, 52.0), "1/year", Outcome,
            "rate at which the sponsor's commitment wears down per unit of local resistance and of cost not met by savings",
            Figure("FiReControl: planned GBP 120m, at least GBP 469m spent, 'mistrust and some antagonism' (NAO 2011; PAC 2013)");
    }
}

/// The savings plan as a list of tables.
impl ParamType for Vec<SavingsItem> {
    const KIND: super::registry::Kind = super::registry::Kind::Tables(SavingsItem::SPECS);
    fn to_value(&self) -> Value {
        Value::Tables(
            self.iter()
                .map(|it| SavingsItem::SPECS.iter().map(|s| (s.key, it.get(s.key).unwrap_or(Value::Unset))).collect())
                .collect(),
        )
    }
    fn from_value(v: Value) -> Option<Self> {
        let Value::Tables(rows) = v else { return None };
        rows.into_iter()
            .map(|row| {
                let mut it = SavingsItem::default();
                row.into_iter().all(|(k, v)| it.set(k, v)).then_some(it)
            })
            .collect()
    }
}

/// Values that follow from the declared parameters (`Params::derive`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Derived {
    /// Index of the lead partner, if `collaboration.lead_partner` names one.
    pub lead_partner: Option<usize>,
    /// Posts in the joint unit: `collaboration.posts`, or all staff.
    pub posts: u32,
    /// Per partner: its own leader turnover or `leadership.turnover_per_year`.
    pub leader_turnover_per_year: Vec<f64>,
    /// Per partner: its cost and benefit shares, or an equal split.
    pub cost_share: Vec<f64>,
    pub benefit_share: Vec<f64>,
}

/// Everything one replicate needs. `horizon_weeks` bounds the run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Params {
    pub horizon_weeks: u32,
    /// The partners' names, in file order; an organization's index is its place here.
    pub org_names: Vec<String>,
    pub organizations: Vec<OrgParams>,
    pub leadership: LeadershipParams,
    pub collaboration: CollaborationParams,
    pub vision: VisionParams,
    pub communication: CommunicationParams,
    pub gatherings: GatheringParams,
    pub trust: TrustParams,
    pub culture: CultureParams,
    pub project: ProjectParams,
    pub staff: StaffParams,
    pub motivation: MotivationParams,
    pub willingness: WillingnessParams,
    pub engagement: EngagementParams,
    pub savings: SavingsParams,
    pub incidents: IncidentParams,
    pub end: EndParams,
    pub reviews: ReviewParams,
    pub sponsor: SponsorParams,
    pub derived: Derived,
}

/// A section seen through `dyn`: what generic code (parsing, listings) needs of any section.
pub trait DynSection {
    fn specs(&self) -> &'static [Spec];
    fn value(&self, key: &str) -> Option<Value>;
    fn set_value(&mut self, key: &str, v: Value) -> bool;
}

impl<S: Section> DynSection for S {
    fn specs(&self) -> &'static [Spec] {
        S::SPECS
    }
    fn value(&self, key: &str) -> Option<Value> {
        self.get(key)
    }
    fn set_value(&mut self, key: &str, v: Value) -> bool {
        self.set(key, v)
    }
}

/// A section's heading, note and parameters, without an instance.
#[derive(Clone, Copy, Debug)]
pub struct SectionInfo {
    pub prefix: &'static str,
    pub title: &'static str,
    pub note: &'static str,
    pub specs: &'static [Spec],
}

const fn info<S: Section>() -> SectionInfo {
    SectionInfo { prefix: S::PREFIX, title: S::TITLE, note: S::NOTE, specs: S::SPECS }
}

/// The sections of one table each, in file (and output) order; `organizations` follows them.
pub const SECTIONS: [SectionInfo; 17] = [
    info::<LeadershipParams>(),
    info::<CollaborationParams>(),
    info::<VisionParams>(),
    info::<CommunicationParams>(),
    info::<GatheringParams>(),
    info::<TrustParams>(),
    info::<CultureParams>(),
    info::<ProjectParams>(),
    info::<StaffParams>(),
    info::<MotivationParams>(),
    info::<WillingnessParams>(),
    info::<EngagementParams>(),
    info::<SavingsParams>(),
    info::<IncidentParams>(),
    info::<EndParams>(),
    info::<ReviewParams>(),
    info::<SponsorParams>(),
];

/// The per-partner section and the savings plan's elements.
pub const ORG_SECTION: SectionInfo = info::<OrgParams>();
pub const SAVINGS_ITEM_SECTION: SectionInfo = info::<SavingsItem>();

impl Params {
    /// The sections of `SECTIONS`, in the same order.
    pub fn sections(&self) -> [&dyn DynSection; 17] {
        [
            &self.leadership,
            &self.collaboration,
            &self.vision,
            &self.communication,
            &self.gatherings,
            &self.trust,
            &self.culture,
            &self.project,
            &self.staff,
            &self.motivation,
            &self.willingness,
            &self.engagement,
            &self.savings,
            &self.incidents,
            &self.end,
            &self.reviews,
            &self.sponsor,
        ]
    }

    /// As `sections`, to change.
    pub fn sections_mut(&mut self) -> [&mut dyn DynSection; 17] {
        [
            &mut self.leadership,
            &mut self.collaboration,
            &mut self.vision,
            &mut self.communication,
            &mut self.gatherings,
            &mut self.trust,
            &mut self.culture,
            &mut self.project,
            &mut self.staff,
            &mut self.motivation,
            &mut self.willingness,
            &mut self.engagement,
            &mut self.savings,
            &mut self.incidents,
            &mut self.end,
            &mut self.reviews,
            &mut self.sponsor,
        ]
    }

    pub fn n_orgs(&self) -> usize {
        self.organizations.len()
    }
    pub fn norm_dims(&self) -> usize {
        self.organizations.first().map_or(0, |o| o.norms.len())
    }
    /// Staff of all partners before selection.
    pub fn baseline_staff(&self) -> u32 {
        self.organizations.iter().map(|o| o.staff).sum()
    }

    /// Computes `derived` from the declared values (call after changing them).
    pub fn derive(&mut self) {
        let n = self.organizations.len();
        let equal = if n > 0 { 1.0 / n as f64 } else { 0.0 };
        let lead = self.collaboration.lead_partner.as_ref();
        self.derived = Derived {
            lead_partner: lead.and_then(|l| self.org_names.iter().position(|x| *x == l.0)),
            posts: self.collaboration.posts.unwrap_or_else(|| self.baseline_staff()),
            leader_turnover_per_year: self
                .organizations
                .iter()
                .map(|o| o.leader_turnover_per_year.unwrap_or(self.leadership.turnover_per_year))
                .collect(),
            cost_share: self.organizations.iter().map(|o| o.cost_share.unwrap_or(equal)).collect(),
            benefit_share: self.organizations.iter().map(|o| o.benefit_share.unwrap_or(equal)).collect(),
        };
    }
}
