//! Sample utterances compiled to token patterns, and matching them against an utterance.
//!
//! A pattern is a list of literal words and slot captures (`{slot}` takes 1+ tokens).
//! [`exact`] lists every way the utterance fits the pattern word for word — there can be
//! several ("{performer} at {station}" when a name contains "at"), and the engine picks the
//! one whose slot values resolve best. [`fuzzy`] finds the cheapest token-level edit
//! alignment (typos, an extra or a missing word) for when nothing fits exactly.
//!
//! Sample words are interned in a [`Vocab`]: exact matching compares ids, and near matching
//! reads word similarities from one [`SimTable`] per utterance instead of recomputing edit
//! distances for every sample.

use std::collections::HashMap;

use strsim::normalized_damerau_levenshtein;

use super::model::slot_references;
use super::normalize::{canonicalize, leading_politeness_len, tokenize, Token};
use super::Lang;

/// Every distinct literal word of the compiled samples.
#[derive(Debug, Clone, Default)]
pub(crate) struct Vocab {
    words: Vec<String>,
    ids: HashMap<String, usize>,
}

impl Vocab {
    fn intern(&mut self, word: String) -> usize {
        if let Some(id) = self.ids.get(&word) {
            return *id;
        }
        let id = self.words.len();
        self.ids.insert(word.clone(), id);
        self.words.push(word);
        id
    }

    /// Ids of utterance words (`None` for words no sample uses).
    pub(crate) fn lookup(&self, words: &[&str]) -> Vec<Option<usize>> {
        words.iter().map(|w| self.ids.get(*w).copied()).collect()
    }
}

/// Spelling similarity of every vocabulary word to every utterance token.
pub(crate) struct SimTable {
    n: usize,
    sims: Vec<f32>,
}

impl SimTable {
    /// Built only when near matching is needed; `words.len()` is at most [`FUZZY_MAX_TOKENS`].
    pub(crate) fn new(vocab: &Vocab, words: &[&str]) -> Self {
        let n = words.len();
        let mut sims = vec![0.0; vocab.words.len() * n];
        for (i, lit) in vocab.words.iter().enumerate() {
            for (u, w) in words.iter().enumerate() {
                sims[i * n + u] = similarity(lit, w);
            }
        }
        SimTable { n, sims }
    }

    fn get(&self, lit: usize, u: usize) -> f32 {
        self.sims.get(lit * self.n + u).copied().unwrap_or(0.0)
    }
}

/// One element of a compiled sample.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Elem {
    /// A word that must be said (id in the [`Vocab`]).
    Lit(usize),
    /// A slot (index into the intent's slots) capturing one or more tokens.
    Slot(usize),
    /// A `{date}` and a `{time}` written side by side, captured together by one phrase
    /// that implies both ("tonight", "demain soir").
    DatePeriod { date: usize, time: usize },
}

/// A compiled sample of an intent.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    /// Index of the intent in the engine's intent list.
    pub intent: usize,
    pub elems: Vec<Elem>,
    /// Number of literal words (more literals = more specific sample).
    pub literals: usize,
    /// Minimum tokens needed from element `i` to the end (`elems.len() + 1` entries).
    min_rest: Vec<usize>,
}

impl Pattern {
    pub(crate) fn new(intent: usize, elems: Vec<Elem>) -> Self {
        let literals = elems.iter().filter(|e| matches!(e, Elem::Lit(_))).count();
        let mut min_rest = vec![0; elems.len() + 1];
        for i in (0..elems.len()).rev() {
            min_rest[i] = min_rest[i + 1] + 1;
        }
        Pattern {
            intent,
            elems,
            literals,
            min_rest,
        }
    }
}

/// Compile a sample. `slot_names` are the intent's slots; a reference to an unknown slot
/// yields `None` (the model validator already rejects those).
pub(crate) fn compile(
    sample: &str,
    slot_names: &[&str],
    lang: Lang,
    vocab: &mut Vocab,
) -> Option<Vec<Elem>> {
    let refs = slot_references(sample).ok()?;
    let mut raw: Vec<Token> = Vec::new();
    let mut rest = sample;
    for name in refs {
        let open = rest.find('{')?;
        raw.extend(tokenize(&rest[..open], lang));
        let idx = slot_names.iter().position(|s| *s == name)?;
        raw.push(Token {
            text: format!("{{{idx}}}"),
            start: 0,
            end: 0,
        });
        let close = rest[open..].find('}')? + open;
        rest = &rest[close + 1..];
    }
    raw.extend(tokenize(rest, lang));
    let mut toks = canonicalize(raw, lang);
    toks.drain(..leading_politeness_len(&toks, lang));
    let elems: Vec<Elem> = toks
        .into_iter()
        .map(|t| {
            let slot = t.text.strip_prefix('{').and_then(|s| s.strip_suffix('}'));
            match slot.and_then(|n| n.parse().ok()) {
                Some(i) => Elem::Slot(i),
                None => Elem::Lit(vocab.intern(t.text)),
            }
        })
        .collect();
    (!elems.is_empty()).then_some(elems)
}

/// Slot spans of one match: `(element index, first token, end token)`.
pub(crate) type Captures = Vec<(usize, usize, usize)>;

/// Work bound per pattern for [`exact`]; adjacent slots over long input are combinatorial.
const EXACT_STEPS: usize = 20_000;

/// Every exact fit of the utterance (word ids from [`Vocab::lookup`]) to the pattern
/// (at most `limit`).
pub(crate) fn exact(p: &Pattern, toks: &[Option<usize>], limit: usize) -> Vec<Captures> {
    let mut out = Vec::new();
    if toks.len() < p.min_rest[0] {
        return out;
    }
    // Cheap rejection: every literal must occur somewhere.
    let all_present = p.elems.iter().all(|e| match e {
        Elem::Lit(l) => toks.contains(&Some(*l)),
        _ => true,
    });
    if !all_present {
        return out;
    }
    let mut search = Exact {
        p,
        toks,
        limit,
        steps: EXACT_STEPS,
        caps: Vec::new(),
        out: &mut out,
    };
    search.run(0, 0);
    out
}

struct Exact<'a> {
    p: &'a Pattern,
    toks: &'a [Option<usize>],
    limit: usize,
    steps: usize,
    caps: Captures,
    out: &'a mut Vec<Captures>,
}

impl Exact<'_> {
    fn run(&mut self, e: usize, u: usize) {
        if self.steps == 0 || self.out.len() >= self.limit {
            return;
        }
        self.steps -= 1;
        let n = self.toks.len();
        let Some(elem) = self.p.elems.get(e) else {
            if u == n {
                self.out.push(self.caps.clone());
            }
            return;
        };
        if n - u < self.p.min_rest[e] {
            return;
        }
        match elem {
            Elem::Lit(l) => {
                if self.toks[u] == Some(*l) {
                    self.run(e + 1, u + 1);
                }
            }
            Elem::Slot(_) | Elem::DatePeriod { .. } => {
                let max_end = n - self.p.min_rest[e + 1];
                for end in u + 1..=max_end {
                    if let Some(Elem::Lit(next)) = self.p.elems.get(e + 1) {
                        if self.toks[end] != Some(*next) {
                            continue;
                        }
                    }
                    self.caps.push((e, u, end));
                    self.run(e + 1, end);
                    self.caps.pop();
                }
            }
        }
    }
}

/// Result of a near match.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Fuzzy {
    pub captures: Captures,
    /// Sum of similarities of the literal words that were matched (1 each when identical).
    pub lit_sim: f32,
    /// Literal words of the sample that were matched (identical or near spelling).
    pub lits_matched: usize,
    /// Utterance tokens outside slots.
    pub non_slot_tokens: usize,
    /// Slots of the pattern that got no words.
    pub missing_slots: usize,
}

/// Below this spelling similarity two words count as different.
const NEAR_SIM: f32 = 0.7;
const COST_INSERT: f32 = 0.6;
const COST_DELETE: f32 = 1.0;
const COST_SUBSTITUTE: f32 = 1.0;
const COST_SLOT_SKIP: f32 = 1.0;
/// Tiny, so that a slot does not swallow words that a literal could match.
const COST_SLOT_TOKEN: f32 = 0.02;

/// Longest utterance for which near matches are tried (the table is patterns × n²).
pub(crate) const FUZZY_MAX_TOKENS: usize = 32;

fn similarity(a: &str, b: &str) -> f32 {
    if a == b {
        return 1.0;
    }
    // The edit distance is at least the length difference: skip pairs that cannot reach
    // NEAR_SIM (they count as different whatever their exact score).
    let (la, lb) = (a.len() as f32, b.len() as f32);
    if (la - lb).abs() > (1.0 - NEAR_SIM) * la.max(lb) {
        return 0.0;
    }
    normalized_damerau_levenshtein(a, b) as f32
}

#[derive(Clone, Copy)]
enum Step {
    End,
    Match,
    Delete,
    Insert,
    SlotSkip,
    SlotTo(usize),
}

/// Cheapest edit alignment of the utterance (as seen by `sims`) to the pattern.
pub(crate) fn fuzzy(p: &Pattern, sims: &SimTable) -> Option<Fuzzy> {
    let (m, n) = (p.elems.len(), sims.n);
    if n > FUZZY_MAX_TOKENS || m == 0 {
        return None;
    }
    let w = n + 1;
    let mut cost = vec![f32::INFINITY; (m + 1) * w];
    let mut step = vec![Step::End; (m + 1) * w];
    for u in 0..=n {
        cost[m * w + u] = (n - u) as f32 * COST_INSERT;
        step[m * w + u] = if u < n { Step::Insert } else { Step::End };
    }
    for e in (0..m).rev() {
        for u in (0..=n).rev() {
            let mut best = (f32::INFINITY, Step::End);
            let mut consider = |c: f32, s: Step| {
                if c < best.0 {
                    best = (c, s);
                }
            };
            match &p.elems[e] {
                Elem::Lit(l) => {
                    consider(COST_DELETE + cost[(e + 1) * w + u], Step::Delete);
                    if u < n {
                        let sim = sims.get(*l, u);
                        let sub = if sim >= NEAR_SIM {
                            1.0 - sim
                        } else {
                            COST_SUBSTITUTE
                        };
                        consider(sub + cost[(e + 1) * w + u + 1], Step::Match);
                        consider(COST_INSERT + cost[e * w + u + 1], Step::Insert);
                    }
                }
                Elem::Slot(_) | Elem::DatePeriod { .. } => {
                    consider(COST_SLOT_SKIP + cost[(e + 1) * w + u], Step::SlotSkip);
                    for end in u + 1..=n {
                        let c = (end - u) as f32 * COST_SLOT_TOKEN + cost[(e + 1) * w + end];
                        consider(c, Step::SlotTo(end));
                    }
                    if u < n {
                        consider(COST_INSERT + cost[e * w + u + 1], Step::Insert);
                    }
                }
            }
            cost[e * w + u] = best.0;
            step[e * w + u] = best.1;
        }
    }
    // Walk the choices from the start.
    let mut res = Fuzzy {
        captures: Vec::new(),
        lit_sim: 0.0,
        lits_matched: 0,
        non_slot_tokens: 0,
        missing_slots: 0,
    };
    let (mut e, mut u) = (0, 0);
    while e < m || u < n {
        match step[e * w + u] {
            Step::End => break,
            Step::Match => {
                if let Elem::Lit(l) = &p.elems[e] {
                    let sim = sims.get(*l, u);
                    if sim >= NEAR_SIM {
                        res.lit_sim += sim;
                        res.lits_matched += 1;
                    }
                }
                res.non_slot_tokens += 1;
                e += 1;
                u += 1;
            }
            Step::Delete => e += 1,
            Step::Insert => {
                res.non_slot_tokens += 1;
                u += 1;
            }
            Step::SlotSkip => {
                res.missing_slots += 1;
                e += 1;
            }
            Step::SlotTo(end) => {
                res.captures.push((e, u, end));
                e += 1;
                u = end;
            }
        }
    }
    Some(res)
}
