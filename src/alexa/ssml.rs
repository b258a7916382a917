//! SSML output built safely: every piece of user or schedule text is escaped exactly once.

/// Escapes text for inclusion in SSML. Titles from feeds contain `&` and `<` ("Simon & Garfunkel"),
/// and an unescaped one makes Alexa reject the whole response.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are invalid in XML 1.0; drop them rather than fail the response.
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// A `<speak>` document assembled from escaped text and a few safe elements.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ssml {
    body: String,
}

impl Ssml {
    /// An empty document.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends plain text, escaped. Adjacent texts are separated by a space.
    pub fn text(mut self, text: &str) -> Self {
        if !self.body.is_empty() && !self.body.ends_with(' ') {
            self.body.push(' ');
        }
        self.body.push_str(&escape(text));
        self
    }

    /// Appends a pause; clamped to Alexa's 10 s maximum.
    pub fn pause_ms(mut self, ms: u32) -> Self {
        self.body
            .push_str(&format!("<break time=\"{}ms\"/>", ms.min(10_000)));
        self
    }

    /// Appends text in another language so a French title inside English speech is pronounced
    /// as French.
    pub fn lang(mut self, bcp47: &str, text: &str) -> Self {
        if !self.body.is_empty() && !self.body.ends_with(' ') {
            self.body.push(' ');
        }
        self.body.push_str(&format!(
            "<lang xml:lang=\"{}\">{}</lang>",
            escape(bcp47),
            escape(text)
        ));
        self
    }

    /// True when nothing has been added.
    pub fn is_empty(&self) -> bool {
        self.body.trim().is_empty()
    }

    /// The finished document, wrapped in `<speak>`.
    pub fn build(&self) -> String {
        format!("<speak>{}</speak>", self.body.trim())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_characters() {
        assert_eq!(
            escape("Simon & Garfunkel <live>"),
            "Simon &amp; Garfunkel &lt;live&gt;"
        );
        assert_eq!(escape("l'été \"fou\""), "l&apos;été &quot;fou&quot;");
    }

    #[test]
    fn drops_control_characters() {
        assert_eq!(escape("a\u{0}b\u{7}c"), "abc");
    }

    #[test]
    fn builds_speak_document() {
        let s = Ssml::new()
            .text("Now playing")
            .pause_ms(300)
            .text("AC/DC & friends");
        assert_eq!(
            s.build(),
            "<speak>Now playing<break time=\"300ms\"/> AC/DC &amp; friends</speak>"
        );
    }

    #[test]
    fn pause_is_clamped() {
        assert!(Ssml::new().pause_ms(60_000).build().contains("10000ms"));
    }

    #[test]
    fn injection_attempt_stays_text() {
        let s = Ssml::new()
            .text("</speak><audio src=\"http://evil\"/>")
            .build();
        assert!(!s.contains("<audio"));
        assert_eq!(s.matches("</speak>").count(), 1);
    }
}
