//! The NLU over the real interaction model: any utterance resolves or is refused, never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use onair::nlu::{InteractionModel, Nlu};
use std::sync::OnceLock;

fn nlu() -> &'static Nlu {
    static NLU: OnceLock<Nlu> = OnceLock::new();
    NLU.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../skill-manifest/interactionModels/custom/en-US.json");
        let model = InteractionModel::load(std::path::Path::new(path)).expect("model loads");
        Nlu::new(model, "en-US").expect("model compiles")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(utterance) = std::str::from_utf8(data) else {
        return;
    };
    let now = jiff::Timestamp::from_second(1_795_000_000)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned(jiff::tz::TimeZone::UTC);
    let _ = nlu().resolve(utterance, &now);
});
