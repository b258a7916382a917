//! The intents the skill handles. The interaction models are checked against these lists.

/// Custom intents, defined in every interaction model.
pub const CUSTOM: &[&str] = &[
    "WhatsOnIntent",
    "PlayLiveIntent",
    "PlayStationIntent",
    "PlayItemIntent",
    "NowPlayingIntent",
    "PlayEpisodeIntent",
    "RemindMeIntent",
    "FollowIntent",
    "UnfollowIntent",
    "ListFollowsIntent",
    "PlayForMeIntent",
    "ForgetHistoryIntent",
];

/// Built-in intents with a defined answer. Alexa routes the playback ones to the active audio
/// skill even when a model omits them, so each must be handled.
pub const BUILTIN: &[&str] = &[
    "AMAZON.PauseIntent",
    "AMAZON.ResumeIntent",
    "AMAZON.StopIntent",
    "AMAZON.CancelIntent",
    "AMAZON.HelpIntent",
    "AMAZON.FallbackIntent",
    "AMAZON.NavigateHomeIntent",
    "AMAZON.NextIntent",
    "AMAZON.PreviousIntent",
    "AMAZON.StartOverIntent",
    "AMAZON.LoopOnIntent",
    "AMAZON.LoopOffIntent",
    "AMAZON.ShuffleOnIntent",
    "AMAZON.ShuffleOffIntent",
    "AMAZON.RepeatIntent",
];

/// Built-in intents every audio skill's model must list (certification rules).
pub const REQUIRED_IN_MODEL: &[&str] = &[
    "AMAZON.PauseIntent",
    "AMAZON.ResumeIntent",
    "AMAZON.StopIntent",
    "AMAZON.CancelIntent",
    "AMAZON.HelpIntent",
    "AMAZON.FallbackIntent",
    "AMAZON.NavigateHomeIntent",
];

/// Whether `name` has its own handler (anything else gets the fallback answer).
pub fn is_handled(name: &str) -> bool {
    CUSTOM.contains(&name) || BUILTIN.contains(&name)
}
