//! The vocabulary of the parameter registry. Every parameter is declared once, in
//! `params.rs`, with `declare_section!`: its dotted path, type, default, allowed range,
//! unit, one-line meaning, source and effect. The macro makes the typed struct the rules
//! read and, from the same lines, the `Spec` list that `scenario/` parses and validates
//! files with, that `collabsim params` lists and that docs/ODD.md's table is generated from.
//! Plain data: no parsing and no I/O here.

/// A parameter's value, independent of the file format it came from.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Number(f64),
    Count(u64),
    Bool(bool),
    /// Text, a choice's name or an organization's name.
    Text(String),
    Numbers(Vec<f64>),
    Counts(Vec<u64>),
    /// An optional parameter left out (its rule says what that means).
    Unset,
    /// A list of tables (`savings.items`): each element's (key, value) pairs in spec order.
    Tables(Vec<Vec<(&'static str, Value)>>),
}

/// What a parameter holds, as a file writes it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    Number,
    /// A whole number of 0 or more, at most `max`.
    Count {
        max: u64,
    },
    Bool,
    Text,
    /// One of these names.
    Choice(&'static [&'static str]),
    /// The name of one of the scenario's organizations.
    OrgName,
    Numbers,
    /// Whole numbers of 0 or more, each at most `max`.
    Counts {
        max: u64,
    },
    /// A list of tables, each with these parameters.
    Tables(&'static [Spec]),
}

impl Kind {
    /// How a scenario file writes a value of this kind, for messages and listings.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Number => "a number",
            Kind::Count { .. } => "a whole number of 0 or more",
            Kind::Bool => "true or false",
            Kind::Text => "text",
            Kind::Choice(_) => "one of the names listed",
            Kind::OrgName => "an organization's name",
            Kind::Numbers => "a list of numbers",
            Kind::Counts { .. } => "a list of whole numbers",
            Kind::Tables(_) => "a list of tables",
        }
    }
}

/// The values a parameter may take beyond its kind. Bounds are closed; numbers must also
/// be finite. For lists the bound applies to each element.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Range {
    /// Anything of the kind.
    Any,
    Closed(f64, f64),
    AtLeast(f64),
    /// A week from this one to the end of the horizon of the file.
    Week(u32),
    /// A horizon in years: one week to `MAX_YEARS`.
    Years,
}

/// The most years a run may simulate (agents x weeks x replicates are bounded).
pub const MAX_YEARS: f64 = 200.0;

/// What a parameter changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// A policy lever an analyst varies: acts on the simulated outcome.
    Lever,
    /// Acts on the simulated outcome.
    Outcome,
    /// Changes only what is reported (figures the rules never read).
    Reported,
    /// Says how to run (seed, replicates, horizon), not what is simulated.
    Run,
    /// A label for the outputs.
    Label,
}

impl Effect {
    pub fn describe(self) -> &'static str {
        match self {
            Effect::Lever => "policy lever",
            Effect::Outcome => "acts on the outcome",
            Effect::Reported => "changes only what is reported",
            Effect::Run => "how to run",
            Effect::Label => "label",
        }
    }
}

/// Where a parameter's value (or the rule it feeds) comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// A finding of the paper (Zaghoul and Partridge); the value is assumed unless stated.
    Paper(&'static str),
    /// A published figure sets the value.
    Figure(&'static str),
    /// No published source: an assumption, with the pattern it was calibrated to, if any.
    Assumption(&'static str),
    /// Not a modelling choice (labels, seeds, run sizes).
    None,
}

impl Source {
    /// One line for tables: `paper: ...`, `figure: ...`, `assumption (...)`.
    pub fn describe(self) -> String {
        match self {
            Source::Paper(t) => format!("paper: {t}"),
            Source::Figure(t) => format!("figure: {t}"),
            Source::Assumption("") => "assumption".into(),
            Source::Assumption(t) => format!("assumption; {t}"),
            Source::None => "-".into(),
        }
    }
}

/// One declared parameter, as `declare_section!` records it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spec {
    /// The key inside its section, e.g. `turnover_per_year`.
    pub key: &'static str,
    pub kind: Kind,
    /// May be left out (`Value::Unset`); the meaning says what that stands for.
    pub optional: bool,
    pub range: Range,
    pub unit: &'static str,
    pub effect: Effect,
    /// A numeric lever's plausible range (low, high): the values an analyst would consider
    /// for a real collaboration, narrower than `range` (which only keeps the model sound).
    /// `collabsim levers` moves the lever to each end. `None` for every other parameter, and
    /// for boolean and choice levers, whose plausible values are all their values.
    pub plausible: Option<(f64, f64)>,
    pub meaning: &'static str,
    pub source: Source,
}

/// The plausible range written after `Lever` in a declaration (`Lever(0.1, 0.6)`), or none.
pub const fn plausible(ends: &[f64]) -> Option<(f64, f64)> {
    match ends {
        [lo, hi] => Some((*lo, *hi)),
        _ => None,
    }
}

/// A group of parameters under one path prefix (`leadership`, `organizations.<NAME>`).
pub trait Section: Default + Clone {
    /// The dotted prefix; `<NAME>` and `[]` mark a map entry and a list element.
    const PREFIX: &'static str;
    /// A heading for listings and the ODD table.
    const TITLE: &'static str;
    /// A note printed under the heading (may be empty).
    const NOTE: &'static str;
    const SPECS: &'static [Spec];
    fn get(&self, key: &str) -> Option<Value>;
    /// Sets `key` from a value of its kind; false if the key or the kind does not fit.
    fn set(&mut self, key: &str, v: Value) -> bool;
}

/// A Rust type a parameter can have, with its kind and its conversions.
pub trait ParamType: Sized {
    const KIND: Kind;
    const OPTIONAL: bool = false;
    fn to_value(&self) -> Value;
    fn from_value(v: Value) -> Option<Self>;
}

impl ParamType for f64 {
    const KIND: Kind = Kind::Number;
    fn to_value(&self) -> Value {
        Value::Number(*self)
    }
    fn from_value(v: Value) -> Option<Self> {
        match v {
            Value::Number(x) => Some(x),
            _ => None,
        }
    }
}

impl ParamType for u32 {
    const KIND: Kind = Kind::Count { max: u32::MAX as u64 };
    fn to_value(&self) -> Value {
        Value::Count(u64::from(*self))
    }
    fn from_value(v: Value) -> Option<Self> {
        match v {
            Value::Count(x) => u32::try_from(x).ok(),
            _ => None,
        }
    }
}

impl ParamType for u64 {
    const KIND: Kind = Kind::Count { max: u64::MAX };
    fn to_value(&self) -> Value {
        Value::Count(*self)
    }
    fn from_value(v: Value) -> Option<Self> {
        match v {
            Value::Count(x) => Some(x),
            _ => None,
        }
    }
}

impl ParamType for bool {
    const KIND: Kind = Kind::Bool;
    fn to_value(&self) -> Value {
        Value::Bool(*self)
    }
    fn from_value(v: Value) -> Option<Self> {
        match v {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }
}

impl ParamType for String {
    const KIND: Kind = Kind::Text;
    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }
    fn from_value(v: Value) -> Option<Self> {
        match v {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }
}

impl ParamType for Vec<f64> {
    const KIND: Kind = Kind::Numbers;
    fn to_value(&self) -> Value {
        Value::Numbers(self.clone())
    }
    fn from_value(v: Value) -> Option<Self> {
        match v {
            Value::Numbers(x) => Some(x),
            _ => None,
        }
    }
}

impl ParamType for Vec<u32> {
    const KIND: Kind = Kind::Counts { max: u32::MAX as u64 };
    fn to_value(&self) -> Value {
        Value::Counts(self.iter().map(|&x| u64::from(x)).collect())
    }
    fn from_value(v: Value) -> Option<Self> {
        match v {
            Value::Counts(x) => x.into_iter().map(|x| u32::try_from(x).ok()).collect(),
            _ => None,
        }
    }
}

/// An optional parameter: `Value::Unset` when left out.
impl<T: ParamType> ParamType for Option<T> {
    const KIND: Kind = T::KIND;
    const OPTIONAL: bool = true;
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Unset, T::to_value)
    }
    fn from_value(v: Value) -> Option<Self> {
        match v {
            Value::Unset => Some(None),
            v => T::from_value(v).map(Some),
        }
    }
}

/// The name of an organization (`collaboration.lead_partner`): text that must name one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrgName(pub String);

impl ParamType for OrgName {
    const KIND: Kind = Kind::OrgName;
    fn to_value(&self) -> Value {
        Value::Text(self.0.clone())
    }
    fn from_value(v: Value) -> Option<Self> {
        String::from_value(v).map(OrgName)
    }
}

/// A choice between named alternatives: an enum whose variants a file writes by name.
macro_rules! declare_choice {
    ($(#[$attr:meta])* pub enum $name:ident { $( $(#[$vattr:meta])* $variant:ident = $text:literal, )* }) => {
        $(#[$attr])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name { $( $(#[$vattr])* $variant, )* }

        impl $name {
            pub fn name(self) -> &'static str {
                match self { $( $name::$variant => $text, )* }
            }
        }

        impl $crate::model::registry::ParamType for $name {
            const KIND: $crate::model::registry::Kind = $crate::model::registry::Kind::Choice(&[$($text),*]);
            fn to_value(&self) -> $crate::model::registry::Value {
                $crate::model::registry::Value::Text(self.name().to_string())
            }
            fn from_value(v: $crate::model::registry::Value) -> Option<Self> {
                match v {
                    $crate::model::registry::Value::Text(s) => match s.as_str() { $( $text => Some($name::$variant), )* _ => None },
                    _ => None,
                }
            }
        }
    };
}
pub(crate) use declare_choice;

/// Declares a section of parameters: the struct the rules read (each field documented by
/// its meaning, `Default` from the declared defaults) and its `Section` impl with one
/// `Spec` a field. One line a parameter:
///
/// `key: Type = default, Range, "unit", Effect, "meaning", Source;`
///
/// A numeric policy lever gives its plausible range after the effect: `Lever(low, high)`.
macro_rules! declare_section {
    (
        $(#[$attr:meta])*
        pub struct $name:ident ($prefix:literal, $title:literal, $note:literal) {
            $(
                $field:ident : $ty:ty = $default:expr,
                $rk:ident $( ( $($ra:expr),* ) )?, $unit:literal, $effect:ident $( ( $($ea:expr),* ) )?,
                $meaning:literal, $sk:ident $( ( $st:literal ) )? ;
            )*
        }
    ) => {
        $(#[$attr])*
        #[derive(Clone, Debug, PartialEq)]
        pub struct $name {
            $( #[doc = $meaning] pub $field: $ty, )*
        }

        impl Default for $name {
            fn default() -> Self {
                $name { $( $field: $default, )* }
            }
        }

        impl $crate::model::registry::Section for $name {
            const PREFIX: &'static str = $prefix;
            const TITLE: &'static str = $title;
            const NOTE: &'static str = $note;
            const SPECS: &'static [$crate::model::registry::Spec] = &[
                $( $crate::model::registry::Spec {
                    key: stringify!($field),
                    kind: <$ty as $crate::model::registry::ParamType>::KIND,
                    optional: <$ty as $crate::model::registry::ParamType>::OPTIONAL,
                    range: $crate::model::registry::Range::$rk $( ( $($ra),* ) )?,
                    unit: $unit,
                    effect: $crate::model::registry::Effect::$effect,
                    plausible: $crate::model::registry::plausible(&[$( $($ea),* )?]),
                    meaning: $meaning,
                    source: $crate::model::registry::Source::$sk $( ( $st ) )?,
                }, )*
            ];

            fn get(&self, key: &str) -> Option<$crate::model::registry::Value> {
                match key {
                    $( stringify!($field) => Some($crate::model::registry::ParamType::to_value(&self.$field)), )*
                    _ => None,
                }
            }

            fn set(&mut self, key: &str, v: $crate::model::registry::Value) -> bool {
                match key {
                    $( stringify!($field) => match <$ty as $crate::model::registry::ParamType>::from_value(v) {
                        Some(x) => {
                            self.$field = x;
                            true
                        }
                        None => false,
                    }, )*
                    _ => false,
                }
            }
        }
    };
}
pub(crate) use declare_section;
