//! The [`Nlu`]: compiled samples of one model and locale, and the scoring that picks an intent.
//!
//! Confidence of a match (exact or near) is a Dice-style agreement between the sample and
//! the utterance in which every utterance token counts, weighted by how well it is
//! explained:
//!
//! ```text
//!                2·Σ similarity(matched sample words) + 2·Σ weight(slot)·tokens(slot)
//! conf = P · ──────────────────────────────────────────────────────────────────────────
//!            matched sample words + ½·unsaid sample words + utterance words outside slots
//!                                             + 2·slot tokens + slots left empty
//! ```
//!
//! with slot weights 1 (custom value matched, built-in value parsed), 0.8 (free-form type),
//! 0.4 (custom value unknown: `ER_SUCCESS_NO_MATCH`) and 0.1 (built-in parser failed), and
//! P = [`FAILED_PENALTY`] per failed built-in slot. A sample word the user left out weighs
//! half ([`UNSAID_WEIGHT`]): people drop words ("joue radiohead" for "joue {performer} en
//! direct") more often than they say wrong ones. An exact match whose slots all resolve
//! scores 1; "play blorp" against "play {station}" scores 0.7; near matches are further
//! multiplied by [`FUZZY_FACTOR`] so they never beat an exact one. Ties go to the sample
//! with more literal words (more specific), then to the one filling more slots, then to
//! the earlier intent in the model. Below [`CONFIDENCE_THRESHOLD`] the answer is the fallback.
//!
//! Dates that imply a part of the day move a bare hour said with them: "tonight at nine"
//! gives `21:00` (see `time::shift_bare_time`).

use jiff::Zoned;

use super::builtin_intents::phrasings;
use super::invocation::{invocation_key, strip, Stripped};
use super::matcher::{
    compile, exact, fuzzy, Captures, Elem, Fuzzy, Pattern, SimTable, Vocab, FUZZY_MAX_TOKENS,
};
use super::model::InteractionModel;
use super::normalize::{normalize, texts};
use super::resolve::Catalog;
use super::slot_types::{Fill, FillContext, Quality, SlotKind};
use super::time::shift_bare_time;
use super::{
    Lang, NluError, Resolution, ResolvedSlot, CONFIDENCE_THRESHOLD, FALLBACK_INTENT, LAUNCH_REQUEST,
};

/// Near matches are worth at most this fraction of an exact one.
const FUZZY_FACTOR: f32 = 0.95;
/// An exact match at least this good makes near matching pointless.
const GOOD_ENOUGH: f32 = 0.9;
/// Weight, in the denominator, of a sample word the user did not say (near matches only).
const UNSAID_WEIGHT: f32 = 0.5;
/// Each slot whose built-in parser rejected its words multiplies the confidence by this:
/// a `{date}` holding "fip" means the sample does not apply, however many words around it fit.
const FAILED_PENALTY: f32 = 0.6;
/// Segmentations examined per sample.
const EXACT_LIMIT: usize = 32;

/// Utterance understanding for one interaction model and locale. Build once, share freely
/// (it is immutable; `resolve` takes `&self`).
#[derive(Debug, Clone)]
pub struct Nlu {
    model: InteractionModel,
    lang: Lang,
    invocation: String,
    intents: Vec<IntentInfo>,
    patterns: Vec<Pattern>,
    vocab: Vocab,
    catalog: Catalog,
}

#[derive(Debug, Clone)]
struct IntentInfo {
    name: String,
    slots: Vec<(String, SlotKind)>,
}

/// A scored interpretation.
struct Candidate {
    intent: usize,
    fills: Vec<Option<Fill>>,
    confidence: f32,
    literals: usize,
    /// Slots filled: among otherwise equal matches the one that says more wins.
    filled: usize,
}

impl Nlu {
    /// Compile `model` for `locale` ("en-US", "en-GB", "fr-FR", …; the language decides the
    /// built-in phrasings and the date/time/number grammars).
    pub fn new(model: InteractionModel, locale: &str) -> Result<Self, NluError> {
        let lang = Lang::from_locale(locale)?;
        let catalog = Catalog::new(&model, lang);
        let mut intents: Vec<IntentInfo> = model
            .intents()
            .iter()
            .map(|i| IntentInfo {
                name: i.name.clone(),
                slots: i
                    .slots
                    .iter()
                    .map(|s| (s.name.clone(), SlotKind::of(&s.slot_type, &catalog)))
                    .collect(),
            })
            .collect();
        let mut patterns = Vec::new();
        let mut vocab = Vocab::default();
        for (ii, intent) in model.intents().iter().enumerate() {
            let names: Vec<&str> = intent.slots.iter().map(|s| s.name.as_str()).collect();
            for (xi, sample) in intent.samples.iter().enumerate() {
                let elems = compile(sample, &names, lang, &mut vocab).ok_or_else(|| {
                    NluError::model(
                        format!("interactionModel.languageModel.intents[{ii}].samples[{xi}]"),
                        format!("sample cannot be compiled: {sample:?}"),
                    )
                })?;
                push_pattern(&mut patterns, ii, elems, &intents[ii]);
            }
        }
        for (name, phrases) in phrasings(lang) {
            let ii = match intents.iter().position(|i| i.name == name) {
                Some(ii) => ii,
                None => {
                    intents.push(IntentInfo {
                        name: name.to_string(),
                        slots: Vec::new(),
                    });
                    intents.len() - 1
                }
            };
            for phrase in phrases {
                if let Some(elems) = compile(phrase, &[], lang, &mut vocab) {
                    push_pattern(&mut patterns, ii, elems, &intents[ii]);
                }
            }
        }
        Ok(Nlu {
            invocation: invocation_key(model.invocation_name(), lang),
            model,
            lang,
            intents,
            patterns,
            vocab,
            catalog,
        })
    }

    /// The model this was built from.
    pub fn model(&self) -> &InteractionModel {
        &self.model
    }

    /// Understand `utterance`; dates are relative to `now` (the listener's local time).
    pub fn resolve(&self, utterance: &str, now: &Zoned) -> Resolution {
        match self.interpret(utterance, now, 1) {
            Interpretation::Launch => Resolution {
                intent: LAUNCH_REQUEST.to_string(),
                slots: Vec::new(),
                confidence: 1.0,
            },
            Interpretation::Ranked(mut ranked) => match ranked.drain(..).next() {
                Some(best) if best.confidence >= CONFIDENCE_THRESHOLD => best,
                other => fallback(other.map_or(0.0, |b| b.confidence)),
            },
        }
    }

    /// The `limit` best interpretations, one per intent, best first, without applying the
    /// fallback threshold: for debugging a model ("why did this go to Fallback?").
    pub fn rank(&self, utterance: &str, now: &Zoned, limit: usize) -> Vec<Resolution> {
        match self.interpret(utterance, now, limit) {
            Interpretation::Launch => vec![Resolution {
                intent: LAUNCH_REQUEST.to_string(),
                slots: Vec::new(),
                confidence: 1.0,
            }],
            Interpretation::Ranked(r) => r,
        }
    }

    fn interpret(&self, utterance: &str, now: &Zoned, limit: usize) -> Interpretation {
        let tokens = match strip(normalize(utterance, self.lang), &self.invocation, self.lang) {
            Stripped::Launch => return Interpretation::Launch,
            Stripped::Command(t) => t,
        };
        if tokens.is_empty() {
            return Interpretation::Ranked(Vec::new());
        }
        let ctx = FillContext {
            original: utterance,
            tokens: &tokens,
            lang: self.lang,
            today: now.date(),
            catalog: &self.catalog,
        };
        let mut best: Vec<Option<Candidate>> = (0..self.intents.len()).map(|_| None).collect();
        let words = texts(&tokens);
        let ids = self.vocab.lookup(&words);
        let mut top = 0.0f32;
        for p in &self.patterns {
            for caps in exact(p, &ids, EXACT_LIMIT) {
                let c = self.score(p, &caps, None, &ctx);
                top = top.max(c.confidence);
                keep_better(&mut best, c);
            }
        }
        if top < GOOD_ENOUGH && words.len() <= FUZZY_MAX_TOKENS {
            let sims = SimTable::new(&self.vocab, &words);
            for p in self.patterns.iter().filter(|p| p.literals > 0) {
                // A near match must share at least one sample word: a bare "radiohead"
                // is not a near match of "follow {performer}".
                if let Some(f) = fuzzy(p, &sims).filter(|f| f.lits_matched > 0) {
                    let c = self.score(p, &f.captures, Some(&f), &ctx);
                    keep_better(&mut best, c);
                }
            }
        }
        let mut ranked: Vec<Candidate> = best.into_iter().flatten().collect();
        ranked.sort_by(|a, b| {
            b.confidence
                .total_cmp(&a.confidence)
                .then(b.literals.cmp(&a.literals))
                .then(b.filled.cmp(&a.filled))
                .then(a.intent.cmp(&b.intent))
        });
        ranked.truncate(limit);
        Interpretation::Ranked(ranked.into_iter().map(|c| self.to_resolution(c)).collect())
    }

    /// Fill the slots of one match and compute its confidence (formula in the module doc).
    /// `near` is the alignment of a near match (`None` for an exact one).
    fn score(
        &self,
        p: &Pattern,
        caps: &Captures,
        near: Option<&Fuzzy>,
        ctx: &FillContext<'_>,
    ) -> Candidate {
        let info = &self.intents[p.intent];
        let mut fills: Vec<Option<Fill>> = vec![None; info.slots.len()];
        let (mut slot_tokens, mut slot_weight) = (0.0f32, 0.0f32);
        let mut penalty = 1.0f32;
        for &(e, start, end) in caps {
            let n = (end - start) as f32;
            slot_tokens += n;
            let quality = match p.elems.get(e) {
                Some(Elem::Slot(i)) => match info.slots.get(*i) {
                    Some((_, kind)) => put(&mut fills, *i, ctx.fill(*kind, start, end)),
                    None => Quality::Failed,
                },
                Some(Elem::DatePeriod { date, time }) => {
                    match ctx.fill_date_with_period(start, end) {
                        Some((d, t)) => {
                            put(&mut fills, *date, d);
                            put(&mut fills, *time, t)
                        }
                        None => Quality::Failed,
                    }
                }
                _ => Quality::Failed,
            };
            slot_weight += n * quality.weight();
            if quality == Quality::Failed {
                penalty *= FAILED_PENALTY;
            }
        }
        if let Some(period) = fills.iter().flatten().find_map(|f| f.period) {
            for f in fills.iter_mut().flatten().filter(|f| f.bare_time) {
                if let Some(v) = shift_bare_time(&f.value, period) {
                    f.value = v;
                }
            }
        }
        let lits = p.literals as f32;
        let (lit_sim, sample_words, outside, missing, factor) = match near {
            Some(f) => {
                let matched = f.lits_matched as f32;
                let sample_words = matched + UNSAID_WEIGHT * (lits - matched);
                let outside = f.non_slot_tokens as f32;
                (
                    f.lit_sim,
                    sample_words,
                    outside,
                    f.missing_slots as f32,
                    FUZZY_FACTOR,
                )
            }
            None => (lits, lits, lits, 0.0, 1.0),
        };
        let denom = sample_words + outside + 2.0 * slot_tokens + missing;
        let confidence = if denom > 0.0 {
            (penalty * factor * (2.0 * lit_sim + 2.0 * slot_weight) / denom).clamp(0.0, 1.0)
        } else {
            0.0
        };
        Candidate {
            intent: p.intent,
            filled: fills.iter().filter(|f| f.is_some()).count(),
            fills,
            confidence,
            literals: p.literals,
        }
    }

    fn to_resolution(&self, c: Candidate) -> Resolution {
        let info = &self.intents[c.intent];
        let slots = info
            .slots
            .iter()
            .zip(c.fills)
            .map(|((name, _), fill)| match fill {
                Some(f) => ResolvedSlot {
                    name: name.clone(),
                    value: Some(f.value),
                    entity: f.entity,
                },
                None => ResolvedSlot {
                    name: name.clone(),
                    value: None,
                    entity: None,
                },
            })
            .collect();
        Resolution {
            intent: info.name.clone(),
            slots,
            confidence: c.confidence,
        }
    }
}

/// Store a fill (ignoring an out-of-range index) and return its quality.
fn put(fills: &mut [Option<Fill>], i: usize, f: Fill) -> Quality {
    let q = f.quality;
    if let Some(slot) = fills.get_mut(i) {
        *slot = Some(f);
    }
    q
}

enum Interpretation {
    Launch,
    Ranked(Vec<Resolution>),
}

fn fallback(confidence: f32) -> Resolution {
    Resolution {
        intent: FALLBACK_INTENT.to_string(),
        slots: Vec::new(),
        confidence,
    }
}

/// Keep, per intent, the better of two candidates (confidence, then specificity, then
/// the number of slots filled; on a full tie the earlier sample stays).
fn keep_better(best: &mut [Option<Candidate>], c: Candidate) {
    let Some(slot) = best.get_mut(c.intent) else {
        return;
    };
    let better = match slot {
        None => true,
        Some(old) => {
            (c.confidence, c.literals, c.filled) > (old.confidence, old.literals, old.filled)
        }
    };
    if better {
        *slot = Some(c);
    }
}

/// Add a compiled sample, plus a variant where a `{date}` written right next to a `{time}`
/// is captured together (so "tonight" can fill both), and skip exact duplicates.
fn push_pattern(patterns: &mut Vec<Pattern>, intent: usize, elems: Vec<Elem>, info: &IntentInfo) {
    let kind = |e: &Elem| match e {
        Elem::Slot(i) => info.slots.get(*i).map(|(_, k)| *k),
        _ => None,
    };
    let mut variant: Option<Vec<Elem>> = None;
    for i in 0..elems.len().saturating_sub(1) {
        let pair = (kind(&elems[i]), kind(&elems[i + 1]));
        let (date, time) = match (pair, &elems[i], &elems[i + 1]) {
            ((Some(SlotKind::Date), Some(SlotKind::Time)), Elem::Slot(d), Elem::Slot(t)) => {
                (*d, *t)
            }
            ((Some(SlotKind::Time), Some(SlotKind::Date)), Elem::Slot(t), Elem::Slot(d)) => {
                (*d, *t)
            }
            _ => continue,
        };
        let mut v = elems.clone();
        v.splice(i..i + 2, [Elem::DatePeriod { date, time }]);
        variant = Some(v);
        break;
    }
    for e in std::iter::once(elems).chain(variant) {
        if !patterns.iter().any(|p| p.intent == intent && p.elems == e) {
            patterns.push(Pattern::new(intent, e));
        }
    }
}
