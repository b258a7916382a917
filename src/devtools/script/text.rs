//! Expectations on text (speech, reprompt, card, URLs, tokens): exact, contains, regex, or one
//! per locale.

use regex::Regex;
use serde_json::Value;
use std::collections::BTreeMap;

/// How a text must look.
#[derive(Debug, Clone)]
pub enum TextMatch {
    /// Exactly this.
    Exact(String),
    /// Containing this.
    Contains(String),
    /// Matching this regular expression.
    Regex(Regex),
    /// Depending on the locale of the run.
    PerLocale(BTreeMap<String, TextMatch>),
}

impl TextMatch {
    /// Reads `text`, `{exact: …}`, `{contains: …}`, `{regex: …}`, or a map of locales to
    /// any of those; a per-locale map must cover every locale the script runs in.
    pub fn parse(field: &str, value: &Value, locales: &[String]) -> Result<Self, String> {
        let usage =
            || format!("{field}: give the text, {{contains: …}}, {{regex: …}}, or one per locale");
        match value {
            Value::String(s) => Ok(Self::Exact(s.clone())),
            Value::Object(map) if map.len() == 1 && !is_locale(map.keys().next()) => {
                let (kind, v) = map.iter().next().ok_or_else(usage)?;
                let text = v.as_str().ok_or_else(usage)?.to_string();
                match kind.as_str() {
                    "exact" => Ok(Self::Exact(text)),
                    "contains" => Ok(Self::Contains(text)),
                    "regex" => Regex::new(&text)
                        .map(Self::Regex)
                        .map_err(|e| format!("{field}: bad regex {text:?}: {e}")),
                    other => Err(format!(
                        "{field}: unknown matcher `{other}` (use exact, contains or regex)"
                    )),
                }
            }
            Value::Object(map) if map.keys().all(|k| is_locale(Some(k))) => {
                let mut out = BTreeMap::new();
                for locale in locales {
                    let v = map
                        .get(locale)
                        .ok_or_else(|| format!("{field}: no expectation for locale {locale}"))?;
                    out.insert(
                        locale.clone(),
                        Self::parse(&format!("{field}.{locale}"), v, locales)?,
                    );
                }
                if let Some(extra) = map.keys().find(|k| !locales.contains(k)) {
                    return Err(format!(
                        "{field}: {extra} is not one of the script's locales"
                    ));
                }
                Ok(Self::PerLocale(out))
            }
            _ => Err(usage()),
        }
    }

    /// Whether `actual` satisfies this in `locale`.
    pub fn matches(&self, actual: &str, locale: &str) -> bool {
        match self {
            Self::Exact(s) => actual == s,
            Self::Contains(s) => actual.contains(s.as_str()),
            Self::Regex(r) => r.is_match(actual),
            Self::PerLocale(map) => map.get(locale).is_some_and(|m| m.matches(actual, locale)),
        }
    }

    /// The expectation as a report shows it.
    pub fn describe(&self, locale: &str) -> String {
        match self {
            Self::Exact(s) => format!("{s:?}"),
            Self::Contains(s) => format!("contains {s:?}"),
            Self::Regex(r) => format!("matches /{}/", r.as_str()),
            Self::PerLocale(map) => map.get(locale).map_or_else(
                || "(nothing for this locale)".into(),
                |m| m.describe(locale),
            ),
        }
    }
}

fn is_locale(key: Option<&String>) -> bool {
    key.is_some_and(|k| {
        let parts: Vec<&str> = k.split('-').collect();
        parts.len() == 2
            && parts[0].len() == 2
            && parts[0].chars().all(|c| c.is_ascii_lowercase())
            && parts[1].len() == 2
            && parts[1].chars().all(|c| c.is_ascii_uppercase())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn locales() -> Vec<String> {
        vec!["en-US".into(), "fr-FR".into()]
    }

    #[test]
    fn matchers() {
        let exact = TextMatch::parse("speech", &json!("Hi."), &locales()).expect("exact");
        assert!(exact.matches("Hi.", "en-US"));
        assert!(!exact.matches("Hi there.", "en-US"));
        let contains =
            TextMatch::parse("speech", &json!({"contains": "jazz"}), &locales()).expect("c");
        assert!(contains.matches("Late night jazz", "fr-FR"));
        let regex =
            TextMatch::parse("speech", &json!({"regex": "^\\d+ PM$"}), &locales()).expect("regex");
        assert!(regex.matches("9 PM", "en-US"));
        assert!(!regex.matches("at 9 PM", "en-US"));
        let per = TextMatch::parse(
            "speech",
            &json!({"en-US": {"contains": "tonight"}, "fr-FR": {"contains": "ce soir"}}),
            &locales(),
        )
        .expect("per locale");
        assert!(per.matches("on tonight", "en-US"));
        assert!(!per.matches("on tonight", "fr-FR"));
        assert!(per.matches("ce soir", "fr-FR"));
    }

    #[test]
    fn bad_matchers_are_named() {
        let l = locales();
        let err = TextMatch::parse("speech", &json!({"startswith": "x"}), &l).expect_err("bad");
        assert!(err.contains("unknown matcher `startswith`"), "{err}");
        let err = TextMatch::parse("speech", &json!({"regex": "("}), &l).expect_err("regex");
        assert!(err.contains("bad regex"), "{err}");
        let err = TextMatch::parse("speech", &json!({"en-US": "x"}), &l).expect_err("missing");
        assert!(err.contains("no expectation for locale fr-FR"), "{err}");
        assert!(TextMatch::parse("speech", &json!(3), &l).is_err());
    }
}
