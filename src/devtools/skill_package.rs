//! `onair skill-package`: a copy of `skill-manifest/` ready for `ask deploy`, with the real
//! endpoint URL, certificate type and (optionally) skill id filled in.
//!
//! The output folder is an ASK CLI v2 project: `ask-resources.json` pointing at
//! `skill-package/`, the manifest and interaction models under it, and, with a skill id,
//! `.ask/ask-states.json` so `ask deploy` updates that skill instead of creating a new one.
//! The checked-in package keeps its placeholder endpoint; only the copy names a real host.

use super::DevtoolsError;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// How Alexa checks the endpoint's certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CertificateType {
    /// A certificate from a trusted authority for the endpoint's host.
    #[value(name = "Trusted")]
    Trusted,
    /// A wildcard certificate from a trusted authority (tunnels such as ngrok use these).
    #[value(name = "Wildcard")]
    Wildcard,
    /// A self-signed certificate, uploaded in the developer console (development only).
    #[value(name = "SelfSigned", alias = "self-signed")]
    SelfSigned,
}

impl CertificateType {
    /// The manifest's `sslCertificateType` value.
    pub fn manifest_name(self) -> &'static str {
        match self {
            Self::Trusted => "Trusted",
            Self::Wildcard => "Wildcard",
            Self::SelfSigned => "SelfSigned",
        }
    }
}

/// What to write.
#[derive(Debug, Clone)]
pub struct PackageOptions {
    /// The checked-in skill package.
    pub manifest_dir: PathBuf,
    /// Where the deployable project goes.
    pub out_dir: PathBuf,
    /// The public HTTPS URL of onair's `/alexa`.
    pub endpoint: String,
    /// How Alexa checks its certificate.
    pub certificate: CertificateType,
    /// An existing skill to update.
    pub skill_id: Option<String>,
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// Every file, in writing order.
    pub files: Vec<PathBuf>,
    /// The endpoint as written into the manifest.
    pub endpoint: String,
}

/// Checks the endpoint: an absolute `https://` URL with a host, no credentials, no fragment;
/// port 443 only, the one Alexa calls.
pub fn check_endpoint(raw: &str) -> Result<String, DevtoolsError> {
    let bad = |why: &str| DevtoolsError::Usage(format!("--endpoint {raw:?}: {why}"));
    let url = url::Url::parse(raw.trim()).map_err(|e| bad(&e.to_string()))?;
    if url.scheme() != "https" {
        return Err(bad("Alexa only calls https:// endpoints"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("credentials do not belong in the endpoint"));
    }
    if url.fragment().is_some() {
        return Err(bad("remove the #fragment"));
    }
    if url.port().is_some_and(|p| p != 443) {
        return Err(bad(
            "Alexa calls port 443 only; put a proxy or tunnel in front",
        ));
    }
    Ok(url.to_string())
}

/// Checks a skill id's shape (`amzn1.ask.skill.<uuid>`).
pub fn check_skill_id(raw: &str) -> Result<String, DevtoolsError> {
    let id = raw.trim();
    let rest = id.strip_prefix("amzn1.ask.skill.").unwrap_or("");
    if rest.is_empty() || !rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(DevtoolsError::Usage(format!(
            "--skill-id {raw:?}: expected amzn1.ask.skill.<id>, as the developer console shows it"
        )));
    }
    Ok(id.to_string())
}

fn read_json(path: &Path) -> Result<Value, DevtoolsError> {
    let text = std::fs::read_to_string(path).map_err(|cause| DevtoolsError::Read {
        path: path.to_path_buf(),
        cause,
    })?;
    serde_json::from_str(&text)
        .map_err(|e| DevtoolsError::Usage(format!("{}: not JSON: {e}", path.display())))
}

fn write_json(path: &Path, value: &Value, files: &mut Vec<PathBuf>) -> Result<(), DevtoolsError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut text = serde_json::to_string_pretty(value).map_err(std::io::Error::other)?;
    text.push('\n');
    std::fs::write(path, text)?;
    files.push(path.to_path_buf());
    Ok(())
}

/// Writes the deployable project.
pub fn write(options: &PackageOptions) -> Result<Written, DevtoolsError> {
    let endpoint = check_endpoint(&options.endpoint)?;
    let skill_id = options
        .skill_id
        .as_deref()
        .map(check_skill_id)
        .transpose()?;
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same(&options.manifest_dir, &options.out_dir) {
        return Err(DevtoolsError::Usage(
            "--out is the skill package itself; write the copy elsewhere".into(),
        ));
    }
    let mut manifest = read_json(&options.manifest_dir.join("skill.json"))?;
    let custom = manifest
        .pointer_mut("/manifest/apis/custom")
        .and_then(Value::as_object_mut)
        .ok_or_else(|| {
            DevtoolsError::Usage(format!(
                "{}: no manifest.apis.custom section",
                options.manifest_dir.join("skill.json").display()
            ))
        })?;
    custom.insert(
        "endpoint".into(),
        json!({"uri": endpoint, "sslCertificateType": options.certificate.manifest_name()}),
    );
    let package = options.out_dir.join("skill-package");
    let mut files = Vec::new();
    write_json(&package.join("skill.json"), &manifest, &mut files)?;
    let models = options.manifest_dir.join("interactionModels/custom");
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&models)
        .map_err(|cause| DevtoolsError::Read {
            path: models.clone(),
            cause,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    entries.sort();
    for model in entries {
        let value = read_json(&model)?;
        let name = model.file_name().unwrap_or_default();
        write_json(
            &package.join("interactionModels/custom").join(name),
            &value,
            &mut files,
        )?;
    }
    let resources = json!({
        "askcliResourcesVersion": "2020-03-31",
        "profiles": {"default": {"skillMetadata": {"src": "./skill-package"}}}
    });
    write_json(
        &options.out_dir.join("ask-resources.json"),
        &resources,
        &mut files,
    )?;
    if let Some(id) = skill_id {
        let states = json!({
            "askcliStatesVersion": "2020-03-31",
            "profiles": {"default": {"skillId": id}}
        });
        write_json(
            &options.out_dir.join(".ask/ask-states.json"),
            &states,
            &mut files,
        )?;
    }
    Ok(Written { files, endpoint })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_must_be_public_https() {
        assert_eq!(
            check_endpoint("https://onair.example.org/alexa").expect("ok"),
            "https://onair.example.org/alexa"
        );
        for bad in [
            "http://onair.example.org/alexa",
            "ftp://x/alexa",
            "https://user:pw@x.org/alexa",
            "https://x.org:8443/alexa",
            "https://x.org/alexa#a",
            "not a url",
            "",
        ] {
            assert!(check_endpoint(bad).is_err(), "{bad}");
        }
        assert!(check_skill_id("amzn1.ask.skill.1234-abcd").is_ok());
        assert!(check_skill_id("amzn1.ask.skill.").is_err());
        assert!(check_skill_id("skill-1").is_err());
    }

    #[test]
    fn writes_a_project_with_the_endpoint() {
        let out = tempfile::tempdir().expect("tmp");
        let written = write(&PackageOptions {
            manifest_dir: Path::new(env!("CARGO_MANIFEST_DIR")).join("skill-manifest"),
            out_dir: out.path().to_path_buf(),
            endpoint: "https://onair.example.net/alexa".into(),
            certificate: CertificateType::Wildcard,
            skill_id: Some("amzn1.ask.skill.0000-1111".into()),
        })
        .expect("written");
        let manifest = read_json(&out.path().join("skill-package/skill.json")).expect("json");
        let endpoint = &manifest["manifest"]["apis"]["custom"]["endpoint"];
        assert_eq!(endpoint["uri"], "https://onair.example.net/alexa");
        assert_eq!(endpoint["sslCertificateType"], "Wildcard");
        assert!(out
            .path()
            .join("skill-package/interactionModels/custom/fr-FR.json")
            .is_file());
        let states = read_json(&out.path().join(".ask/ask-states.json")).expect("states");
        assert_eq!(
            states["profiles"]["default"]["skillId"],
            "amzn1.ask.skill.0000-1111"
        );
        assert!(written.files.len() >= 5);
    }
}
