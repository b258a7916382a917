//! Entity resolution for custom slot types: spoken words → canonical value ids.
//!
//! Like Alexa, a value matches when the words equal a value's name or one of its synonyms
//! once both are normalised (case, accents, punctuation: "beyonce" = "Beyoncé",
//! "lumiere" = "Lumière FM"'s synonym "lumiere"), compared with spaces removed so
//! "a c d c" = "AC/DC". Failing that, a looser key is tried: number words as digits
//! ("radio one" = "radio 1") and no leading article ("the rolling stones" = "Rolling
//! Stones"). No fuzzy spelling match: a wrong id is worse for the skill than `NO_MATCH`,
//! which it can answer with "I don't know that station".

use std::collections::HashMap;

use super::model::InteractionModel;
use super::normalize::{compact, normalize, texts};
use super::number::cardinal_prefix;
use super::{EntityResolution, EntityValue, ErStatus, Lang};

/// Lookup tables for every custom slot type of a model.
#[derive(Debug, Clone)]
pub(crate) struct Catalog {
    types: Vec<TypeIndex>,
    by_name: HashMap<String, usize>,
}

#[derive(Debug, Clone)]
struct TypeIndex {
    name: String,
    values: Vec<EntityValue>,
    /// Words run together → value indexes (exact key).
    exact: HashMap<String, Vec<usize>>,
    /// Looser keys (digits for number words, no article) → value indexes.
    loose: HashMap<String, Vec<usize>>,
}

impl Catalog {
    /// Index the values and synonyms of every custom type in `model`.
    pub(crate) fn new(model: &InteractionModel, lang: Lang) -> Self {
        let mut types = Vec::new();
        let mut by_name = HashMap::new();
        for def in model.slot_types() {
            let mut idx = TypeIndex {
                name: def.name.clone(),
                values: Vec::new(),
                exact: HashMap::new(),
                loose: HashMap::new(),
            };
            for (vi, value) in def.values.iter().enumerate() {
                idx.values.push(EntityValue {
                    id: value.id.clone(),
                    name: value.name.clone(),
                });
                for phrase in std::iter::once(&value.name).chain(&value.synonyms) {
                    let toks = normalize(phrase, lang);
                    let words = texts(&toks);
                    insert(&mut idx.exact, compact(&words), vi);
                    for key in loose_keys(&words, lang) {
                        insert(&mut idx.loose, key, vi);
                    }
                }
            }
            by_name.insert(def.name.clone(), types.len());
            types.push(idx);
        }
        Catalog { types, by_name }
    }

    /// Index of a custom type by name.
    pub(crate) fn type_index(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }

    /// Resolve normalised spoken words against custom type number `ty`.
    pub(crate) fn resolve(&self, ty: usize, words: &[&str], lang: Lang) -> EntityResolution {
        let Some(idx) = self.types.get(ty) else {
            return EntityResolution {
                slot_type: String::new(),
                status: ErStatus::SuccessNoMatch,
                values: Vec::new(),
            };
        };
        let hits = idx
            .exact
            .get(&compact(words))
            .or_else(|| {
                loose_keys(words, lang)
                    .into_iter()
                    .find_map(|k| idx.loose.get(&k))
            })
            .cloned()
            .unwrap_or_default();
        let values: Vec<EntityValue> = hits
            .iter()
            .filter_map(|i| idx.values.get(*i).cloned())
            .collect();
        EntityResolution {
            slot_type: idx.name.clone(),
            status: if values.is_empty() {
                ErStatus::SuccessNoMatch
            } else {
                ErStatus::SuccessMatch
            },
            values,
        }
    }
}

fn insert(map: &mut HashMap<String, Vec<usize>>, key: String, value: usize) {
    if key.is_empty() {
        return;
    }
    let list = map.entry(key).or_default();
    if !list.contains(&value) {
        list.push(value);
    }
}

const EN_ARTICLES: &[&str] = &["the", "a", "an"];
const FR_ARTICLES: &[&str] = &["le", "la", "les", "l", "un", "une", "des"];

/// Looser spellings of the same words: digits for number words, then without the article.
fn loose_keys(words: &[&str], lang: Lang) -> Vec<String> {
    let articles = match lang {
        Lang::En => EN_ARTICLES,
        Lang::Fr => FR_ARTICLES,
    };
    let bare = match words {
        [first, rest @ ..] if !rest.is_empty() && articles.contains(first) => rest,
        w => w,
    };
    let mut keys = vec![digitize(words, lang), compact(bare), digitize(bare, lang)];
    keys.dedup();
    keys
}

/// Words run together with every number spelled as digits ("fm four" → "fm4").
fn digitize(words: &[&str], lang: Lang) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < words.len() {
        match cardinal_prefix(&words[i..], lang) {
            Some((v, n)) if n > 0 => {
                out.push_str(&v.to_string());
                i += n;
            }
            _ => {
                out.push_str(words[i]);
                i += 1;
            }
        }
    }
    out
}
