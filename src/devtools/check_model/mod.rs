//! `onair check-model`: the interaction models checked before Amazon's model build (or a
//! listener) finds the problem.
//!
//! The files are read leniently and every problem is reported, not just the first, each with
//! its locale, intent and sample. Checked: slot references and slot types, samples that two
//! intents share, the invocation name and sample character rules (protocol.md §7), that all
//! locales define the same intents and slots, the built-in intents every audio skill needs,
//! and that the models and the skill's dispatch table (`skill::intents`) agree.

mod checks;
mod rules;

use super::DevtoolsError;
use serde_json::Value;
use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

/// One problem, located as precisely as possible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The model's locale (its file name).
    pub locale: String,
    /// The intent concerned, if any.
    pub intent: Option<String>,
    /// The sample concerned, if any.
    pub sample: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.locale)?;
        if let Some(intent) = &self.intent {
            write!(f, " {intent}")?;
        }
        if let Some(sample) = &self.sample {
            write!(f, " {sample:?}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// What was checked and what was found.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Locales checked, sorted.
    pub locales: Vec<String>,
    /// Intents, summed over locales.
    pub intents: usize,
    /// Samples (intent and slot samples), summed over locales.
    pub samples: usize,
    /// Every problem found.
    pub problems: Vec<Problem>,
}

/// An intent as read from a file.
#[derive(Debug, Clone, Default)]
struct IntentInfo {
    name: String,
    /// (slot name, slot type).
    slots: Vec<(String, String)>,
    samples: Vec<String>,
    /// (slot name, sample) from `slots[].samples` (slot elicitation).
    slot_samples: Vec<(String, String)>,
}

/// A locale's model as read from a file.
#[derive(Debug, Clone, Default)]
struct LocaleModel {
    locale: String,
    invocation: Option<String>,
    intents: Vec<IntentInfo>,
    types: BTreeSet<String>,
}

/// Checks every `interactionModels/custom/*.json` under the skill package directory `dir`.
pub fn check_dir(dir: &Path) -> Result<Report, DevtoolsError> {
    let models_dir = dir.join("interactionModels/custom");
    let entries = std::fs::read_dir(&models_dir).map_err(|cause| DevtoolsError::Read {
        path: models_dir.clone(),
        cause,
    })?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "json") {
            files.push(path);
        }
    }
    files.sort();
    let mut documents = Vec::new();
    for path in files {
        let locale = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read(&path).map_err(|cause| DevtoolsError::Read {
            path: path.clone(),
            cause,
        })?;
        documents.push((locale, text));
    }
    if documents.is_empty() {
        return Err(DevtoolsError::Usage(format!(
            "no interaction models (*.json) in {}",
            models_dir.display()
        )));
    }
    Ok(check(&documents))
}

/// Checks model documents given as (locale, file bytes).
pub fn check(documents: &[(String, Vec<u8>)]) -> Report {
    let mut problems = Vec::new();
    let mut models = Vec::new();
    for (locale, bytes) in documents {
        let mut problem = |intent: Option<&str>, message: String| {
            problems.push(Problem {
                locale: locale.clone(),
                intent: intent.map(str::to_string),
                sample: None,
                message,
            })
        };
        match serde_json::from_slice::<Value>(bytes) {
            Ok(doc) => models.push(read_model(locale, &doc, &mut problem)),
            Err(e) => problem(None, format!("not valid JSON: {e}")),
        }
    }
    for model in &models {
        checks::check_locale(model, &mut problems);
    }
    checks::check_across(&models, &mut problems);
    Report {
        locales: models.iter().map(|m| m.locale.clone()).collect(),
        intents: models.iter().map(|m| m.intents.len()).sum(),
        samples: models
            .iter()
            .flat_map(|m| &m.intents)
            .map(|i| i.samples.len() + i.slot_samples.len())
            .sum(),
        problems,
    }
}

fn read_model(
    locale: &str,
    doc: &Value,
    problem: &mut impl FnMut(Option<&str>, String),
) -> LocaleModel {
    let lm = &doc["interactionModel"]["languageModel"];
    let mut model = LocaleModel {
        locale: locale.to_string(),
        ..LocaleModel::default()
    };
    if !lm.is_object() {
        problem(None, "interactionModel.languageModel is missing".into());
        return model;
    }
    model.invocation = lm["invocationName"].as_str().map(str::to_string);
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    for t in lm["types"].as_array().into_iter().flatten() {
        if let Some(name) = t["name"].as_str() {
            model.types.insert(name.to_string());
        }
    }
    let Some(intents) = lm["intents"].as_array() else {
        problem(None, "languageModel.intents is missing".into());
        return model;
    };
    for (i, intent) in intents.iter().enumerate() {
        let Some(name) = intent["name"].as_str() else {
            problem(None, format!("intents[{i}] has no name"));
            continue;
        };
        let mut info = IntentInfo {
            name: name.to_string(),
            samples: strings(&intent["samples"]),
            ..IntentInfo::default()
        };
        for slot in intent["slots"].as_array().into_iter().flatten() {
            let slot_name = slot["name"].as_str().unwrap_or_default().to_string();
            let slot_type = slot["type"].as_str().unwrap_or_default().to_string();
            for sample in strings(&slot["samples"]) {
                info.slot_samples.push((slot_name.clone(), sample));
            }
            info.slots.push((slot_name, slot_type));
        }
        model.intents.push(info);
    }
    model
}

#[cfg(test)]
mod tests;
