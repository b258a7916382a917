//! Filling one slot from the words a sample captured for it, for every kind of slot type.
//!
//! The result also says how trustworthy the fill is ([`Quality`]); the engine weighs the
//! captured words by it, so a sample whose slot holds a known station beats one whose slot
//! holds unknown words, and a `{date}` that is not a date all but disqualifies a sample.

use jiff::civil::Date;

use super::date::parse_date;
use super::normalize::Token;
use super::number::{parse_cardinal, parse_ordinal};
use super::resolve::Catalog;
use super::time::{parse_time, Period};
use super::{EntityResolution, ErStatus, Lang};

/// What kind of values a slot takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SlotKind {
    /// A custom type of the model (index into the [`Catalog`]).
    Custom(usize),
    Date,
    Time,
    Number,
    Ordinal,
    /// Other `AMAZON.*` types (SearchQuery, catalog types…): the words are taken as said.
    FreeForm,
}

impl SlotKind {
    /// Kind for a slot type name of the model.
    pub(crate) fn of(type_name: &str, catalog: &Catalog) -> Self {
        match type_name {
            "AMAZON.DATE" => SlotKind::Date,
            "AMAZON.TIME" => SlotKind::Time,
            "AMAZON.NUMBER" | "AMAZON.FOUR_DIGIT_NUMBER" => SlotKind::Number,
            "AMAZON.ORDINAL" => SlotKind::Ordinal,
            other => catalog
                .type_index(other)
                .map_or(SlotKind::FreeForm, SlotKind::Custom),
        }
    }
}

/// How well captured words fit their slot type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Quality {
    /// Custom value matched, or built-in value parsed.
    Resolved,
    /// Free-form type: nothing to check.
    Free,
    /// Custom type, but no value or synonym matched (`ER_SUCCESS_NO_MATCH`).
    Unresolved,
    /// Built-in type whose parser rejected the words.
    Failed,
}

impl Quality {
    /// Weight of each captured token in the confidence (literal words weigh 1).
    pub(crate) fn weight(self) -> f32 {
        match self {
            Quality::Resolved => 1.0,
            Quality::Free => 0.8,
            Quality::Unresolved => 0.4,
            Quality::Failed => 0.1,
        }
    }
}

/// A filled slot.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Fill {
    pub value: String,
    pub entity: Option<EntityResolution>,
    pub quality: Quality,
    /// Dates: the part of the day the words implied ("tonight" → night).
    pub period: Option<Period>,
    /// Times: hour said without am/pm (see `time::TimeParse::bare`).
    pub bare_time: bool,
}

impl Fill {
    fn new(value: String, entity: Option<EntityResolution>, quality: Quality) -> Self {
        Fill {
            value,
            entity,
            quality,
            period: None,
            bare_time: false,
        }
    }
}

/// Context shared by all fills of one utterance.
pub(crate) struct FillContext<'a> {
    pub original: &'a str,
    pub tokens: &'a [Token],
    pub lang: Lang,
    pub today: Date,
    pub catalog: &'a Catalog,
}

impl FillContext<'_> {
    /// The user's own text for tokens `start..end`, without surrounding punctuation.
    pub(crate) fn raw(&self, start: usize, end: usize) -> String {
        let span = match (
            self.tokens.get(start),
            end.checked_sub(1).and_then(|e| self.tokens.get(e)),
        ) {
            (Some(a), Some(b)) if a.start <= b.end => self.original.get(a.start..b.end),
            _ => None,
        };
        match span {
            Some(s) => s.to_string(),
            None => self.words(start, end).join(" "),
        }
    }

    fn words(&self, start: usize, end: usize) -> Vec<&str> {
        self.tokens
            .get(start..end)
            .unwrap_or_default()
            .iter()
            .map(|t| t.text.as_str())
            .collect()
    }

    /// Fill a slot of `kind` from tokens `start..end`.
    pub(crate) fn fill(&self, kind: SlotKind, start: usize, end: usize) -> Fill {
        let words = self.words(start, end);
        let parsed = match kind {
            SlotKind::Custom(ty) => {
                let er = self.catalog.resolve(ty, &words, self.lang);
                let quality = if er.status == ErStatus::SuccessMatch {
                    Quality::Resolved
                } else {
                    Quality::Unresolved
                };
                return Fill::new(self.raw(start, end), Some(er), quality);
            }
            SlotKind::FreeForm => return Fill::new(self.raw(start, end), None, Quality::Free),
            SlotKind::Date => parse_date(&words, self.lang, self.today).map(|d| {
                let mut f = Fill::new(d.value, None, Quality::Resolved);
                f.period = d.period;
                f
            }),
            SlotKind::Time => parse_time(&words, self.lang).map(|t| {
                let mut f = Fill::new(t.value, None, Quality::Resolved);
                f.bare_time = t.bare;
                f
            }),
            SlotKind::Number => parse_cardinal(&words, self.lang)
                .map(|n| Fill::new(n.to_string(), None, Quality::Resolved)),
            SlotKind::Ordinal => parse_ordinal(&words, self.lang)
                .map(|n| Fill::new(n.to_string(), None, Quality::Resolved)),
        };
        // Unparsable: keep the words, the caller can at least log or echo them.
        parsed.unwrap_or_else(|| Fill::new(self.raw(start, end), None, Quality::Failed))
    }

    /// One span read as a date that implies a part of the day ("tonight", "demain soir"),
    /// for samples with `{date}` and `{time}` side by side: fills both slots.
    pub(crate) fn fill_date_with_period(&self, start: usize, end: usize) -> Option<(Fill, Fill)> {
        let words = self.words(start, end);
        let d = parse_date(&words, self.lang, self.today)?;
        let period = d.period?;
        let ok = |value: String| Fill::new(value, None, Quality::Resolved);
        Some((ok(d.value), ok(period.code().to_string())))
    }
}
