//! Application-id allow-list (protocol.md §5.7).
//!
//! The context id is always required (it is the one present on every request type).
//! When a session is present its id must be allowed too and equal the context's:
//! a request whose two ids disagree was not built by Alexa.

use super::error::{clip, VerifyError};

/// Checks the application ids of one request against `allowed`.
pub(super) fn check(
    context_id: Option<&str>,
    session_id: Option<Option<&str>>,
    allowed: &[String],
) -> Result<(), VerifyError> {
    let is_allowed = |id: &str| allowed.iter().any(|a| a == id);
    let context_id = context_id.ok_or(VerifyError::MissingApplicationId)?;
    if !is_allowed(context_id) {
        return Err(VerifyError::UnknownApplication(clip(context_id)));
    }
    match session_id {
        None => Ok(()),
        Some(None) => Err(VerifyError::MissingApplicationId),
        Some(Some(id)) if id == context_id => Ok(()),
        Some(Some(id)) => Err(VerifyError::SessionApplicationMismatch(clip(id))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed() -> Vec<String> {
        vec![
            "amzn1.ask.skill.a".to_owned(),
            "amzn1.ask.skill.b".to_owned(),
        ]
    }

    #[test]
    fn accepts_allowed_ids() {
        assert_eq!(check(Some("amzn1.ask.skill.a"), None, &allowed()), Ok(()));
        let both = Some(Some("amzn1.ask.skill.b"));
        assert_eq!(check(Some("amzn1.ask.skill.b"), both, &allowed()), Ok(()));
    }

    #[test]
    fn refuses_each_kind_of_mismatch() {
        let reason = |c, s| check(c, s, &allowed()).map_err(|e| e.reason());
        assert_eq!(reason(None, None), Err("missing_application_id"));
        assert_eq!(
            reason(Some("amzn1.ask.skill.x"), None),
            Err("unknown_application")
        );
        assert_eq!(
            reason(Some("AMZN1.ASK.SKILL.A"), None),
            Err("unknown_application")
        );
        assert_eq!(
            reason(Some("amzn1.ask.skill.a"), Some(Some("amzn1.ask.skill.x"))),
            Err("session_application_mismatch")
        );
        // Both allowed, but not the same skill: still a forgery.
        assert_eq!(
            reason(Some("amzn1.ask.skill.a"), Some(Some("amzn1.ask.skill.b"))),
            Err("session_application_mismatch")
        );
        assert_eq!(
            reason(Some("amzn1.ask.skill.a"), Some(None)),
            Err("missing_application_id")
        );
    }
}
