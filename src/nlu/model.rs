//! Loading and validating an ASK interaction model (`interactionModels/custom/<locale>.json`).
//!
//! The JSON is walked by hand rather than through `#[derive(Deserialize)]` so that every
//! error names the exact JSON path (`…intents[3].samples[2]`) — model files are edited by
//! people, and "missing field `name`" without a location is useless in a 2 000-line file.
//! Only what the NLU needs is kept; `dialog`, `prompts` and unknown fields are ignored.

use std::collections::HashSet;
use std::path::Path;

use serde_json::Value;

use super::NluError;

/// A parsed interaction model (one locale).
#[derive(Debug, Clone, PartialEq)]
pub struct InteractionModel {
    invocation_name: String,
    intents: Vec<IntentDef>,
    types: Vec<SlotTypeDef>,
}

/// One intent of the model.
#[derive(Debug, Clone, PartialEq)]
pub struct IntentDef {
    /// Intent name, e.g. `PlayStationIntent` or `AMAZON.PauseIntent`.
    pub name: String,
    /// Declared slots, in model order.
    pub slots: Vec<SlotDef>,
    /// Sample utterances with `{slot}` references.
    pub samples: Vec<String>,
}

/// One slot declaration.
#[derive(Debug, Clone, PartialEq)]
pub struct SlotDef {
    /// Slot name, as referenced by `{name}` in samples.
    pub name: String,
    /// Slot type: a custom type of the model or an `AMAZON.*` built-in.
    pub slot_type: String,
}

/// A custom slot type.
#[derive(Debug, Clone, PartialEq)]
pub struct SlotTypeDef {
    /// Type name, e.g. `STATION_NAME`.
    pub name: String,
    /// Canonical values.
    pub values: Vec<SlotValueDef>,
}

/// A canonical value of a custom slot type.
#[derive(Debug, Clone, PartialEq)]
pub struct SlotValueDef {
    /// Stable id (falls back to the name when the model gives none, so resolutions always
    /// carry something the skill can key on).
    pub id: String,
    /// Canonical name (`name.value`).
    pub name: String,
    /// Other ways of saying it (`name.synonyms`).
    pub synonyms: Vec<String>,
}

impl InteractionModel {
    /// Parse and validate a model document. Errors carry the JSON path of the problem.
    pub fn from_json(bytes: &[u8]) -> Result<Self, NluError> {
        let root: Value = serde_json::from_slice(bytes)?;
        let lm = Node::root(&root)
            .field("interactionModel")?
            .field("languageModel")?;
        let inv = lm.field("invocationName")?;
        let invocation_name = inv.non_empty_str()?.to_string();
        let types = match lm.opt_field("types") {
            Some(t) => t
                .array()?
                .iter()
                .map(parse_type)
                .collect::<Result<_, _>>()?,
            None => Vec::new(),
        };
        let intents_node = lm.field("intents")?;
        let intents: Vec<IntentDef> = intents_node
            .array()?
            .iter()
            .map(parse_intent)
            .collect::<Result<_, _>>()?;
        let model = InteractionModel {
            invocation_name,
            intents,
            types,
        };
        model.validate(&lm)?;
        Ok(model)
    }

    /// Read and parse a model file.
    pub fn load(path: &Path) -> Result<Self, NluError> {
        let bytes = std::fs::read(path).map_err(|source| NluError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_json(&bytes)
    }

    /// Intent names in model order.
    pub fn intent_names(&self) -> Vec<&str> {
        self.intents.iter().map(|i| i.name.as_str()).collect()
    }

    /// The invocation name ("on air").
    pub fn invocation_name(&self) -> &str {
        &self.invocation_name
    }

    /// All intents, in model order.
    pub fn intents(&self) -> &[IntentDef] {
        &self.intents
    }

    /// All custom slot types.
    pub fn slot_types(&self) -> &[SlotTypeDef] {
        &self.types
    }

    /// Intent by name.
    pub fn intent(&self, name: &str) -> Option<&IntentDef> {
        self.intents.iter().find(|i| i.name == name)
    }

    /// Cross-reference checks Alexa's model build would also reject: duplicate names,
    /// undeclared slot types, samples referring to undeclared slots, unbalanced braces.
    fn validate(&self, lm: &Node<'_>) -> Result<(), NluError> {
        let base = &lm.path;
        let type_names = unique_names(
            self.types.iter().map(|t| t.name.as_str()),
            "slot type",
            |i| format!("{base}.types[{i}].name"),
        )?;
        unique_names(
            self.intents.iter().map(|intent| intent.name.as_str()),
            "intent",
            |i| format!("{base}.intents[{i}].name"),
        )?;
        for (ii, intent) in self.intents.iter().enumerate() {
            let ipath = format!("{base}.intents[{ii}]");
            let slot_names = unique_names(
                intent.slots.iter().map(|slot| slot.name.as_str()),
                "slot",
                |si| format!("{ipath}.slots[{si}].name"),
            )?;
            for (si, slot) in intent.slots.iter().enumerate() {
                if !slot.slot_type.starts_with("AMAZON.")
                    && !type_names.contains(slot.slot_type.as_str())
                {
                    return Err(NluError::model(
                        format!("{ipath}.slots[{si}].type"),
                        format!("slot type {:?} is not declared in types", slot.slot_type),
                    ));
                }
            }
            for (xi, sample) in intent.samples.iter().enumerate() {
                let refs = slot_references(sample).map_err(|m| {
                    NluError::model(format!("{ipath}.samples[{xi}]"), format!("{m}: {sample:?}"))
                })?;
                if let Some(bad) = refs.iter().find(|r| !slot_names.contains(*r)) {
                    return Err(NluError::model(
                        format!("{ipath}.samples[{xi}]"),
                        format!("sample refers to undeclared slot {{{bad}}}: {sample:?}"),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// The set of `names`, or an error at the path of the first one that repeats an earlier one.
fn unique_names<'a>(
    names: impl IntoIterator<Item = &'a str>,
    what: &str,
    path: impl Fn(usize) -> String,
) -> Result<HashSet<&'a str>, NluError> {
    let mut seen = HashSet::new();
    for (i, name) in names.into_iter().enumerate() {
        if !seen.insert(name) {
            return Err(NluError::model(
                path(i),
                format!("duplicate {what} {name:?}"),
            ));
        }
    }
    Ok(seen)
}

/// Names referenced as `{name}` in a sample, or why the braces are malformed.
pub(crate) fn slot_references(sample: &str) -> Result<Vec<&str>, &'static str> {
    let mut refs = Vec::new();
    let mut rest = sample;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err("unbalanced '}'");
        }
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or("unclosed '{'")?;
        let name = after[..close].trim();
        if name.is_empty() || name.contains('{') {
            return Err("empty or nested slot reference");
        }
        refs.push(name);
        rest = &after[close + 1..];
    }
    Ok(refs)
}

fn parse_intent(node: &Node<'_>) -> Result<IntentDef, NluError> {
    let name = node.field("name")?.non_empty_str()?.to_string();
    let slots = match node.opt_field("slots") {
        Some(s) => s
            .array()?
            .iter()
            .map(|slot| {
                Ok(SlotDef {
                    name: slot.field("name")?.non_empty_str()?.to_string(),
                    slot_type: slot.field("type")?.non_empty_str()?.to_string(),
                })
            })
            .collect::<Result<_, NluError>>()?,
        None => Vec::new(),
    };
    let samples = match node.opt_field("samples") {
        Some(s) => s
            .array()?
            .iter()
            .map(|x| x.str().map(str::to_string))
            .collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    Ok(IntentDef {
        name,
        slots,
        samples,
    })
}

fn parse_type(node: &Node<'_>) -> Result<SlotTypeDef, NluError> {
    let name = node.field("name")?.non_empty_str()?.to_string();
    let values = match node.opt_field("values") {
        Some(v) => v
            .array()?
            .iter()
            .map(parse_value)
            .collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    Ok(SlotTypeDef { name, values })
}

fn parse_value(node: &Node<'_>) -> Result<SlotValueDef, NluError> {
    let name_node = node.field("name")?;
    let name = name_node.field("value")?.non_empty_str()?.to_string();
    let id = match node.opt_field("id") {
        Some(id) => id.non_empty_str()?.to_string(),
        None => name.clone(),
    };
    let synonyms = match name_node.opt_field("synonyms") {
        Some(s) => s
            .array()?
            .iter()
            .map(|x| x.str().map(str::to_string))
            .collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    Ok(SlotValueDef { id, name, synonyms })
}

/// A JSON value together with its path, so every accessor can report where it failed.
struct Node<'a> {
    value: &'a Value,
    path: String,
}

impl<'a> Node<'a> {
    fn root(value: &'a Value) -> Self {
        Node {
            value,
            path: "$".to_string(),
        }
    }

    fn child_path(&self, key: &str) -> String {
        if self.path == "$" {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    fn opt_field(&self, key: &str) -> Option<Node<'a>> {
        match self.value.get(key) {
            None | Some(Value::Null) => None,
            Some(value) => Some(Node {
                value,
                path: self.child_path(key),
            }),
        }
    }

    fn field(&self, key: &str) -> Result<Node<'a>, NluError> {
        if !self.value.is_object() {
            return Err(NluError::model(&self.path, "expected an object"));
        }
        self.opt_field(key)
            .ok_or_else(|| NluError::model(self.child_path(key), "missing required field"))
    }

    fn array(&self) -> Result<Vec<Node<'a>>, NluError> {
        let items = self
            .value
            .as_array()
            .ok_or_else(|| NluError::model(&self.path, "expected an array"))?;
        Ok(items
            .iter()
            .enumerate()
            .map(|(i, value)| Node {
                value,
                path: format!("{}[{i}]", self.path),
            })
            .collect())
    }

    fn str(&self) -> Result<&'a str, NluError> {
        self.value
            .as_str()
            .ok_or_else(|| NluError::model(&self.path, "expected a string"))
    }

    fn non_empty_str(&self) -> Result<&'a str, NluError> {
        let s = self.str()?;
        if s.trim().is_empty() {
            return Err(NluError::model(&self.path, "must not be empty"));
        }
        Ok(s)
    }
}
