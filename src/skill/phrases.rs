//! Every sentence the skill says, in every supported locale.
//!
//! The `phrases!` table forces each phrase to exist in all three locales at compile time; a test
//! checks that each translation uses the same placeholders.

use super::locale::Locale;

macro_rules! phrases {
    ($($name:ident { en_us: $us:expr, en_gb: $gb:expr, fr_fr: $fr:expr $(,)? })*) => {
        /// A sentence template; placeholders are written `{name}`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[allow(missing_docs)]
        pub enum Phrase { $($name,)* }

        impl Phrase {
            /// Every phrase, for completeness tests.
            pub const ALL: &'static [Phrase] = &[$(Phrase::$name,)*];

            /// The template in `locale`.
            pub fn template(self, locale: Locale) -> &'static str {
                match (self, locale) {
                    $(
                        (Phrase::$name, Locale::EnUs) => $us,
                        (Phrase::$name, Locale::EnGb) => $gb,
                        (Phrase::$name, Locale::FrFr) => $fr,
                    )*
                }
            }
        }
    };
}

phrases! {
    Welcome {
        en_us: "Welcome to On Air, live concerts and radio in your living room. You can say: what's on tonight, or: play the live concert. What would you like?",
        en_gb: "Welcome to On Air, live concerts and radio in your living room. You can say: what's on tonight, or: play the live concert. What would you like?",
        fr_fr: "Bienvenue sur On Air, les concerts et la radio en direct dans votre salon. Vous pouvez dire : qu'est-ce qu'il y a ce soir, ou : joue le concert en direct. Que voulez-vous écouter ?",
    }
    WelcomeReprompt {
        en_us: "Try: what's on tonight, or: play Radio Nova.",
        en_gb: "Try: what's on tonight, or: play Radio Nova.",
        fr_fr: "Essayez : qu'est-ce qu'il y a ce soir, ou : mets Radio Nova.",
    }
    Help {
        en_us: "With On Air you can ask what's on now, tonight or this weekend, ask for a genre like jazz, say: play the live concert, play a station like Radio Nova, or play the latest episode of a podcast. While something plays, say pause, resume, next or stop. What would you like to do?",
        en_gb: "With On Air you can ask what's on now, tonight or this weekend, ask for a genre like jazz, say: play the live concert, play a station like Radio Nova, or play the latest episode of a podcast. While something plays, say pause, resume, next or stop. What would you like to do?",
        fr_fr: "Avec On Air, vous pouvez demander ce qu'il y a maintenant, ce soir ou ce week-end, demander un genre comme le jazz, dire : joue le concert en direct, mets une station comme Radio Nova, ou joue le dernier épisode d'un podcast. Pendant l'écoute, dites pause, reprends, suivant ou stop. Que voulez-vous faire ?",
    }
    HelpReprompt {
        en_us: "You can say: what's on now, or: help. What would you like?",
        en_gb: "You can say: what's on now, or: help. What would you like?",
        fr_fr: "Vous pouvez dire : qu'est-ce qu'il y a maintenant, ou : aide. Que voulez-vous ?",
    }
    Fallback {
        en_us: "Sorry, On Air can't help with that. You can ask what's on tonight, or say: play the live concert. What would you like?",
        en_gb: "Sorry, On Air can't help with that. You can ask what's on tonight, or say: play the live concert. What would you like?",
        fr_fr: "Désolé, On Air ne sait pas faire ça. Vous pouvez demander ce qu'il y a ce soir, ou dire : joue le concert en direct. Que voulez-vous ?",
    }
    Goodbye {
        en_us: "Goodbye.",
        en_gb: "Goodbye.",
        fr_fr: "Au revoir.",
    }
    Apology {
        en_us: "Sorry, something went wrong on my side. Please try again in a moment.",
        en_gb: "Sorry, something went wrong on my side. Please try again in a moment.",
        fr_fr: "Désolé, un problème est survenu de mon côté. Réessayez dans un instant.",
    }
    NoAudioDevice {
        en_us: "Sorry, this device can't play audio streams. Try On Air on a speaker such as an Echo.",
        en_gb: "Sorry, this device can't play audio streams. Try On Air on a speaker such as an Echo.",
        fr_fr: "Désolé, cet appareil ne peut pas lire de flux audio. Essayez On Air sur une enceinte comme un Echo.",
    }
    WhichOneQuestion {
        en_us: "Which one would you like? You can say: play the first one.",
        en_gb: "Which one would you like? You can say: play the first one.",
        fr_fr: "Lequel voulez-vous ? Vous pouvez dire : joue le premier.",
    }
    ListingIntro {
        en_us: "Here's the line-up {when}: {items}.",
        en_gb: "Here's the line-up {when}: {items}.",
        fr_fr: "Voici le programme {when} : {items}.",
    }
    AndMore {
        en_us: "{count} more",
        en_gb: "{count} more",
        fr_fr: "{count} autres",
    }
    ItemLive {
        en_us: "{title}, live now{station}",
        en_gb: "{title}, live now{station}",
        fr_fr: "{title}, en direct{station}",
    }
    ItemUpcoming {
        en_us: "{title} {when}{station}",
        en_gb: "{title} {when}{station}",
        fr_fr: "{title} {when}{station}",
    }
    OnStation {
        en_us: " on {station}",
        en_gb: " on {station}",
        fr_fr: " sur {station}",
    }
    NothingOn {
        en_us: "Nothing is scheduled {when}.",
        en_gb: "Nothing is scheduled {when}.",
        fr_fr: "Il n'y a rien au programme {when}.",
    }
    NothingOnOffer {
        en_us: "You can ask what's on this weekend. What would you like?",
        en_gb: "You can ask what's on this weekend. What would you like?",
        fr_fr: "Vous pouvez demander le programme du week-end. Que voulez-vous ?",
    }
    WhenNow {
        en_us: "right now",
        en_gb: "right now",
        fr_fr: "en ce moment",
    }
    WhenTonight {
        en_us: "tonight",
        en_gb: "tonight",
        fr_fr: "ce soir",
    }
    WhenToday {
        en_us: "today",
        en_gb: "today",
        fr_fr: "aujourd'hui",
    }
    WhenTomorrow {
        en_us: "tomorrow",
        en_gb: "tomorrow",
        fr_fr: "demain",
    }
    WhenWeekend {
        en_us: "this weekend",
        en_gb: "this weekend",
        fr_fr: "ce week-end",
    }
    WhenWeek {
        en_us: "that week",
        en_gb: "that week",
        fr_fr: "cette semaine-là",
    }
    WhenMonth {
        en_us: "that month",
        en_gb: "that month",
        fr_fr: "ce mois-là",
    }
    WhenSoon {
        en_us: "in the next few hours",
        en_gb: "in the next few hours",
        fr_fr: "dans les prochaines heures",
    }
    WhenDay {
        en_us: "{day}",
        en_gb: "{day}",
        fr_fr: "{day}",
    }
    PartMorning {
        en_us: "{day} morning",
        en_gb: "{day} morning",
        fr_fr: "{day} matin",
    }
    PartAfternoon {
        en_us: "{day} afternoon",
        en_gb: "{day} afternoon",
        fr_fr: "{day} après-midi",
    }
    PartEvening {
        en_us: "{day} evening",
        en_gb: "{day} evening",
        fr_fr: "{day} soir",
    }
    PartNight {
        en_us: "{day} night",
        en_gb: "{day} night",
        fr_fr: "{day} dans la nuit",
    }
    WhenThisMorning {
        en_us: "this morning",
        en_gb: "this morning",
        fr_fr: "ce matin",
    }
    WhenThisAfternoon {
        en_us: "this afternoon",
        en_gb: "this afternoon",
        fr_fr: "cet après-midi",
    }
    WhenDayAt {
        en_us: "{day} {at}",
        en_gb: "{day} {at}",
        fr_fr: "{day} {at}",
    }
    ForGenre {
        en_us: "for {genre} {when}",
        en_gb: "for {genre} {when}",
        fr_fr: "{genre} {when}",
    }
    OnStationWhen {
        en_us: "{when} on {station}",
        en_gb: "{when} on {station}",
        fr_fr: "{when} sur {station}",
    }
    PlayingEvent {
        en_us: "Here's {title}, live{station}.",
        en_gb: "Here's {title}, live{station}.",
        fr_fr: "Voici {title}, en direct{station}.",
    }
    PlayingStation {
        en_us: "Here's {station}.",
        en_gb: "Here's {station}.",
        fr_fr: "Voici {station}.",
    }
    PlayingStationEvent {
        en_us: "Here's {station}, with {title}.",
        en_gb: "Here's {station}, with {title}.",
        fr_fr: "Voici {station}, avec {title}.",
    }
    NotStartedYet {
        en_us: "{title} hasn't started yet. It starts {when}. You can say: remind me when it starts.",
        en_gb: "{title} hasn't started yet. It starts {when}. You can say: remind me when it starts.",
        fr_fr: "{title} n'a pas encore commencé. Ça commence {when}. Vous pouvez dire : rappelle-moi quand ça commence.",
    }
    AlreadyOver {
        en_us: "{title} is over. It ended {when}.",
        en_gb: "{title} is over. It ended {when}.",
        fr_fr: "{title} est terminé. C'était {when}.",
    }
    NothingLiveNext {
        en_us: "Nothing like that is live right now. Next up: {title}, {when}.",
        en_gb: "Nothing like that is live right now. Next up: {title}, {when}.",
        fr_fr: "Rien de tel en direct en ce moment. Prochainement : {title}, {when}.",
    }
    NothingLiveAtAll {
        en_us: "Nothing like that is live right now, and nothing like it is scheduled.",
        en_gb: "Nothing like that is live right now, and nothing like it is scheduled.",
        fr_fr: "Rien de tel en direct en ce moment, et rien de prévu.",
    }
    NoStream {
        en_us: "{title} is in the schedule, but I don't have a stream for it.",
        en_gb: "{title} is in the schedule, but I don't have a stream for it.",
        fr_fr: "{title} est au programme, mais je n'ai pas de flux pour l'écouter.",
    }
    NotFound {
        en_us: "I couldn't find {name}.",
        en_gb: "I couldn't find {name}.",
        fr_fr: "Je n'ai pas trouvé {name}.",
    }
    NotFoundOffer {
        en_us: "I couldn't find {name}. Here's what's on instead: {items}.",
        en_gb: "I couldn't find {name}. Here's what's on instead: {items}.",
        fr_fr: "Je n'ai pas trouvé {name}. Voici ce qu'il y a à la place : {items}.",
    }
    DidYouMean {
        en_us: "Did you mean {choices}?",
        en_gb: "Did you mean {choices}?",
        fr_fr: "Vous voulez dire {choices} ?",
    }
    DidYouMeanReprompt {
        en_us: "Say the first, the second or the third one.",
        en_gb: "Say the first, the second or the third one.",
        fr_fr: "Dites le premier, le deuxième ou le troisième.",
    }
    ChoiceItem {
        en_us: "the {ordinal}, {name}",
        en_gb: "the {ordinal}, {name}",
        fr_fr: "le {ordinal}, {name}",
    }
    NoListing {
        en_us: "I haven't listed anything yet. Ask me what's on first, for example: what's on tonight?",
        en_gb: "I haven't listed anything yet. Ask me what's on first, for example: what's on tonight?",
        fr_fr: "Je n'ai encore rien proposé. Demandez d'abord le programme, par exemple : qu'est-ce qu'il y a ce soir ?",
    }
    OutOfRange {
        en_us: "I only listed {count}. Which one would you like?",
        en_gb: "I only listed {count}. Which one would you like?",
        fr_fr: "Je n'en ai proposé que {count}. Lequel voulez-vous ?",
    }
    WhichNumber {
        en_us: "Which one? Say for example: the second one.",
        en_gb: "Which one? Say for example: the second one.",
        fr_fr: "Lequel ? Dites par exemple : le deuxième.",
    }
    NowPlayingNothing {
        en_us: "Nothing is playing right now.",
        en_gb: "Nothing is playing right now.",
        fr_fr: "Rien n'est en cours de lecture.",
    }
    NowPlayingEvent {
        en_us: "You're listening to {title}{station}.",
        en_gb: "You're listening to {title}{station}.",
        fr_fr: "Vous écoutez {title}{station}.",
    }
    NowPlayingStation {
        en_us: "You're listening to {station}.",
        en_gb: "You're listening to {station}.",
        fr_fr: "Vous écoutez {station}.",
    }
    NowPlayingStationEvent {
        en_us: "You're listening to {station}. On air now: {title}.",
        en_gb: "You're listening to {station}. On air now: {title}.",
        fr_fr: "Vous écoutez {station}. En ce moment : {title}.",
    }
    NowPlayingEpisode {
        en_us: "You're listening to {title}, from {show}.",
        en_gb: "You're listening to {title}, from {show}.",
        fr_fr: "Vous écoutez {title}, de {show}.",
    }
    NowPlayingUnknown {
        en_us: "I can't tell what's playing; it didn't come from On Air's current schedule.",
        en_gb: "I can't tell what's playing; it didn't come from On Air's current schedule.",
        fr_fr: "Je ne sais pas ce qui est en cours ; ça ne vient pas du programme actuel d'On Air.",
    }
    WhichStation {
        en_us: "Which station would you like? For example: play Radio Nova.",
        en_gb: "Which station would you like? For example: play Radio Nova.",
        fr_fr: "Quelle station voulez-vous ? Par exemple : mets Radio Nova.",
    }
    StationNothingNow {
        en_us: "{station} has nothing on air right now. Next: {title}, {when}.",
        en_gb: "{station} has nothing on air right now. Next: {title}, {when}.",
        fr_fr: "{station} n'émet rien en ce moment. Ensuite : {title}, {when}.",
    }
    StationSilent {
        en_us: "{station} has nothing on air right now, and nothing scheduled.",
        en_gb: "{station} has nothing on air right now, and nothing scheduled.",
        fr_fr: "{station} n'émet rien en ce moment, et rien n'est prévu.",
    }
    NothingToResume {
        en_us: "There's nothing to resume. You can ask what's on, or say: play the live concert.",
        en_gb: "There's nothing to resume. You can ask what's on, or say: play the live concert.",
        fr_fr: "Il n'y a rien à reprendre. Vous pouvez demander le programme, ou dire : joue le concert en direct.",
    }
    EventEnded {
        en_us: "{title} has ended.",
        en_gb: "{title} has ended.",
        fr_fr: "{title} est terminé.",
    }
    EventEndedStation {
        en_us: "{title} has ended. Here's {station}.",
        en_gb: "{title} has ended. Here's {station}.",
        fr_fr: "{title} est terminé. Voici {station}.",
    }
    NothingToSkip {
        en_us: "Nothing is playing, so there's nothing to skip.",
        en_gb: "Nothing is playing, so there's nothing to skip.",
        fr_fr: "Rien n'est en cours de lecture, il n'y a rien à passer.",
    }
    SkipNotPossible {
        en_us: "Skipping isn't possible for this live broadcast.",
        en_gb: "Skipping isn't possible for this live broadcast.",
        fr_fr: "Impossible de passer à la suite pendant ce direct.",
    }
    NoNextStation {
        en_us: "That's the last station in your list.",
        en_gb: "That's the last station in your list.",
        fr_fr: "C'est la dernière station de votre liste.",
    }
    NoPreviousStation {
        en_us: "That's the first station in your list.",
        en_gb: "That's the first station in your list.",
        fr_fr: "C'est la première station de votre liste.",
    }
    NoNextEpisode {
        en_us: "That's the latest episode of {show}.",
        en_gb: "That's the latest episode of {show}.",
        fr_fr: "C'est le dernier épisode de {show}.",
    }
    NoPreviousEpisode {
        en_us: "That's the first episode of {show}.",
        en_gb: "That's the first episode of {show}.",
        fr_fr: "C'est le premier épisode de {show}.",
    }
    StartOverLive {
        en_us: "This is live, so it can't start over. I've rejoined the live broadcast.",
        en_gb: "This is live, so it can't start over. I've rejoined the live broadcast.",
        fr_fr: "C'est en direct, impossible de recommencer. J'ai rejoint le direct.",
    }
    StartingOver {
        en_us: "Starting {title} from the beginning.",
        en_gb: "Starting {title} from the beginning.",
        fr_fr: "Je reprends {title} depuis le début.",
    }
    NothingToStartOver {
        en_us: "Nothing is playing, so there's nothing to start over.",
        en_gb: "Nothing is playing, so there's nothing to start over.",
        fr_fr: "Rien n'est en cours de lecture, il n'y a rien à recommencer.",
    }
    NotSupportedLive {
        en_us: "Sorry, loop, shuffle and repeat aren't supported for live radio or podcasts.",
        en_gb: "Sorry, loop, shuffle and repeat aren't supported for live radio or podcasts.",
        fr_fr: "Désolé, la lecture en boucle, aléatoire ou répétée n'est pas disponible pour la radio en direct ni pour les podcasts.",
    }
    PlayingEpisode {
        en_us: "Here's {title}, from {show}.",
        en_gb: "Here's {title}, from {show}.",
        fr_fr: "Voici {title}, de {show}.",
    }
    ResumingEpisode {
        en_us: "Resuming {title}, from {show}, where you left off.",
        en_gb: "Resuming {title}, from {show}, where you left off.",
        fr_fr: "Je reprends {title}, de {show}, là où vous l'aviez laissé.",
    }
    WhichShow {
        en_us: "Which podcast would you like? For example: play the latest episode of Jazz Notes.",
        en_gb: "Which podcast would you like? For example: play the latest episode of Jazz Notes.",
        fr_fr: "Quel podcast voulez-vous ? Par exemple : joue le dernier épisode de Jazz Notes.",
    }
    ShowNotFound {
        en_us: "I couldn't find a podcast called {name}. Which podcast would you like?",
        en_gb: "I couldn't find a podcast called {name}. Which podcast would you like?",
        fr_fr: "Je n'ai pas trouvé de podcast nommé {name}. Quel podcast voulez-vous ?",
    }
    RemindConfirm {
        en_us: "Shall I remind you when {title} starts, {when}?",
        en_gb: "Shall I remind you when {title} starts, {when}?",
        fr_fr: "Voulez-vous un rappel quand {title} commencera, {when} ?",
    }
    RemindConfirmReprompt {
        en_us: "Shall I set the reminder? Say yes or no.",
        en_gb: "Shall I set the reminder? Say yes or no.",
        fr_fr: "Je programme le rappel ? Répondez oui ou non.",
    }
    RemindDenied {
        en_us: "OK, no reminder.",
        en_gb: "OK, no reminder.",
        fr_fr: "D'accord, pas de rappel.",
    }
    RemindCreated {
        en_us: "Done. I'll remind you when {title} starts, {when}.",
        en_gb: "Done. I'll remind you when {title} starts, {when}.",
        fr_fr: "C'est noté : je vous préviendrai quand {title} commencera, {when}.",
    }
    RemindAlready {
        en_us: "You already have a reminder for it: {title} starts {when}.",
        en_gb: "You already have a reminder for it: {title} starts {when}.",
        fr_fr: "Vous avez déjà un rappel pour ça : {title} commence {when}.",
    }
    RemindPermission {
        en_us: "To remind you, On Air needs your permission. I've sent a card to your Alexa app: allow reminders there, then ask me again.",
        en_gb: "To remind you, On Air needs your permission. I've sent a card to your Alexa app: allow reminders there, then ask me again.",
        fr_fr: "Pour vous envoyer un rappel, On Air a besoin de votre autorisation. Je vous ai envoyé une carte dans l'application Alexa : autorisez les rappels, puis redemandez-moi.",
    }
    RemindTooMany {
        en_us: "You already have as many reminders as Alexa allows. Delete some in the Alexa app, then ask me again.",
        en_gb: "You already have as many reminders as Alexa allows. Delete some in the Alexa app, then ask me again.",
        fr_fr: "Vous avez déjà autant de rappels qu'Alexa le permet. Supprimez-en dans l'application Alexa, puis redemandez-moi.",
    }
    RemindTryLater {
        en_us: "Sorry, I couldn't reach the reminders service just now, so no reminder was set. Please try again later.",
        en_gb: "Sorry, I couldn't reach the reminders service just now, so no reminder was set. Please try again later.",
        fr_fr: "Désolé, le service de rappels ne répond pas pour l'instant : aucun rappel n'a été créé. Réessayez plus tard.",
    }
    RemindRefused {
        en_us: "Sorry, Alexa didn't accept that reminder, so none was set.",
        en_gb: "Sorry, Alexa didn't accept that reminder, so none was set.",
        fr_fr: "Désolé, Alexa n'a pas accepté ce rappel : il n'a pas été créé.",
    }
    RemindDeviceUnsupported {
        en_us: "Sorry, this device can't take reminders.",
        en_gb: "Sorry, this device can't take reminders.",
        fr_fr: "Désolé, cet appareil ne prend pas en charge les rappels.",
    }
    RemindUnconfirmed {
        en_us: "Sorry, I couldn't tell whether the reminder was set. Please check your reminders in the Alexa app.",
        en_gb: "Sorry, I couldn't tell whether the reminder was set. Please check your reminders in the Alexa app.",
        fr_fr: "Désolé, je ne sais pas si le rappel a été créé. Vérifiez vos rappels dans l'application Alexa.",
    }
    RemindAlreadyOn {
        en_us: "{title} has already started{station}. To listen, say: play the first one.",
        en_gb: "{title} has already started{station}. To listen, say: play the first one.",
        fr_fr: "{title} a déjà commencé{station}. Pour écouter, dites : joue le premier.",
    }
    RemindAlreadyOnReprompt {
        en_us: "To listen, say: play the first one.",
        en_gb: "To listen, say: play the first one.",
        fr_fr: "Pour écouter, dites : joue le premier.",
    }
    RemindWhat {
        en_us: "Which program should I remind you of? Ask me what's on first, then say: remind me of the first one.",
        en_gb: "Which programme should I remind you of? Ask me what's on first, then say: remind me of the first one.",
        fr_fr: "De quelle émission voulez-vous un rappel ? Demandez-moi d'abord le programme, puis dites : rappelle-moi le premier.",
    }
    RemindOnlyEvents {
        en_us: "I can only set reminders for scheduled broadcasts, not for a station or a podcast.",
        en_gb: "I can only set reminders for scheduled broadcasts, not for a station or a podcast.",
        fr_fr: "Je ne peux programmer un rappel que pour une émission au programme, pas pour une station ni un podcast.",
    }
    RemindWhich {
        en_us: "Which one: {choices}? Say for example: remind me of the first one.",
        en_gb: "Which one: {choices}? Say for example: remind me of the first one.",
        fr_fr: "Lequel : {choices} ? Dites par exemple : rappelle-moi le premier.",
    }
    RemindWhichReprompt {
        en_us: "Say for example: remind me of the first one.",
        en_gb: "Say for example: remind me of the first one.",
        fr_fr: "Dites par exemple : rappelle-moi le premier.",
    }
    ReminderText {
        en_us: "{title} starts now{station}",
        en_gb: "{title} starts now{station}",
        fr_fr: "{title} commence maintenant{station}",
    }
    FollowWho {
        en_us: "Who would you like to follow? Say for example: follow Radiohead, or: follow Radio Nova.",
        en_gb: "Who would you like to follow? Say for example: follow Radiohead, or: follow Radio Nova.",
        fr_fr: "Qui voulez-vous suivre ? Dites par exemple : suis Radiohead, ou : suis Radio Nova.",
    }
    UnfollowWho {
        en_us: "Who should I stop following for you? Say for example: stop following Radiohead.",
        en_gb: "Who should I stop following for you? Say for example: stop following Radiohead.",
        fr_fr: "Qui ne voulez-vous plus suivre ? Dites par exemple : arrête de suivre Radiohead.",
    }
    FollowedPerformer {
        en_us: "You now follow {name}. Whenever {name} is on within the next day, I'll tell you as you open On Air.",
        en_gb: "You now follow {name}. Whenever {name} is on within the next day, I'll tell you as you open On Air.",
        fr_fr: "Vous suivez maintenant {name}. Quand {name} passe dans les prochaines 24 heures, je vous le dis à l'ouverture d'On Air.",
    }
    FollowNext {
        en_us: "Next up: {title}, {when}.",
        en_gb: "Next up: {title}, {when}.",
        fr_fr: "Prochain rendez-vous : {title}, {when}.",
    }
    FollowedUnknown {
        en_us: "You now follow {name}. {name} isn't in the schedule at the moment; I'll tell you when that changes.",
        en_gb: "You now follow {name}. {name} isn't in the schedule at the moment; I'll tell you when that changes.",
        fr_fr: "Vous suivez maintenant {name}. {name} n'est pas au programme pour l'instant ; je vous préviendrai dès que ce sera le cas.",
    }
    FollowedStation {
        en_us: "You now follow {station}. Whenever it has something on within the next day, I'll tell you as you open On Air.",
        en_gb: "You now follow {station}. Whenever it has something on within the next day, I'll tell you as you open On Air.",
        fr_fr: "Vous suivez maintenant {station}. Quand elle a une émission dans les prochaines 24 heures, je vous le dis à l'ouverture d'On Air.",
    }
    AlreadyFollowing {
        en_us: "You already follow {name}.",
        en_gb: "You already follow {name}.",
        fr_fr: "Vous suivez déjà {name}.",
    }
    Unfollowed {
        en_us: "OK, you no longer follow {name}.",
        en_gb: "OK, you no longer follow {name}.",
        fr_fr: "D'accord, vous ne suivez plus {name}.",
    }
    NotFollowing {
        en_us: "You don't follow {name}, so there's nothing to remove.",
        en_gb: "You don't follow {name}, so there's nothing to remove.",
        fr_fr: "Vous ne suivez pas {name}, il n'y a donc rien à retirer.",
    }
    FollowWhich {
        en_us: "Did you mean {choices}? Say for example: follow {example}.",
        en_gb: "Did you mean {choices}? Say for example: follow {example}.",
        fr_fr: "Vous voulez dire {choices} ? Dites par exemple : suis {example}.",
    }
    FollowWhichReprompt {
        en_us: "Say for example: follow {example}.",
        en_gb: "Say for example: follow {example}.",
        fr_fr: "Dites par exemple : suis {example}.",
    }
    FollowLimit {
        en_us: "You already follow {count} performers and stations, the most I can keep. Stop following one first.",
        en_gb: "You already follow {count} performers and stations, the most I can keep. Stop following one first.",
        fr_fr: "Vous suivez déjà {count} artistes et stations, le maximum possible. Arrêtez d'abord d'en suivre un.",
    }
    FollowsNone {
        en_us: "You don't follow anyone yet. Say for example: follow Radiohead.",
        en_gb: "You don't follow anyone yet. Say for example: follow Radiohead.",
        fr_fr: "Vous ne suivez encore personne. Dites par exemple : suis Radiohead.",
    }
    FollowsList {
        en_us: "You follow {items}.",
        en_gb: "You follow {items}.",
        fr_fr: "Vous suivez {items}.",
    }
    AnnouncePerformer {
        en_us: "{name} plays {when}{station}.",
        en_gb: "{name} plays {when}{station}.",
        fr_fr: "{name} joue {when}{station}.",
    }
    AnnouncePerformerLive {
        en_us: "{name} is live right now{station}.",
        en_gb: "{name} is live right now{station}.",
        fr_fr: "{name} est en direct en ce moment{station}.",
    }
    AnnounceStation {
        en_us: "On {station}: {title}, {when}.",
        en_gb: "On {station}: {title}, {when}.",
        fr_fr: "Sur {station} : {title}, {when}.",
    }
    AnnounceStationLive {
        en_us: "On {station}: {title}, live right now.",
        en_gb: "On {station}: {title}, live right now.",
        fr_fr: "Sur {station} : {title}, en direct en ce moment.",
    }
    ForMeEvent {
        en_us: "Here's {title}, live{station}, because {reason}.",
        en_gb: "Here's {title}, live{station}, because {reason}.",
        fr_fr: "Voici {title}, en direct{station}, parce que {reason}.",
    }
    ForMeStation {
        en_us: "Here's {station}, because {reason}.",
        en_gb: "Here's {station}, because {reason}.",
        fr_fr: "Voici {station}, parce que {reason}.",
    }
    ReasonFollowsPerformer {
        en_us: "you follow {name}",
        en_gb: "you follow {name}",
        fr_fr: "vous suivez {name}",
    }
    ReasonFollowsStation {
        en_us: "you follow {station}",
        en_gb: "you follow {station}",
        fr_fr: "vous suivez {station}",
    }
    ReasonGenre {
        en_us: "you listen to a lot of {genre}",
        en_gb: "you listen to a lot of {genre}",
        fr_fr: "vous écoutez beaucoup {genre}",
    }
    ReasonPerformer {
        en_us: "you often listen to {name}",
        en_gb: "you often listen to {name}",
        fr_fr: "vous écoutez souvent {name}",
    }
    ReasonStation {
        en_us: "you often listen to {station}",
        en_gb: "you often listen to {station}",
        fr_fr: "vous écoutez souvent {station}",
    }
    HistoryForgotten {
        en_us: "Done: I've forgotten your listening history, so my suggestions start afresh. Your follows and reminders are kept.",
        en_gb: "Done: I've forgotten your listening history, so my suggestions start afresh. Your follows and reminders are kept.",
        fr_fr: "C'est fait : j'ai oublié votre historique d'écoute, mes suggestions repartent de zéro. Vos abonnements et vos rappels sont conservés.",
    }
}

/// Fills `{name}` placeholders. Unknown placeholders are left as they are so a missing argument
/// shows up in tests rather than vanishing silently.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                let key = &after[..end];
                match args.iter().find(|(k, _)| *k == key) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(key);
                        out.push('}');
                    }
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

impl Locale {
    /// The phrase with its placeholders filled.
    pub fn say(self, phrase: Phrase, args: &[(&str, &str)]) -> String {
        fill(phrase.template(self), args)
    }

    /// The phrase as is.
    pub fn text(self, phrase: Phrase) -> &'static str {
        phrase.template(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn placeholders(t: &str) -> BTreeSet<String> {
        let mut set = BTreeSet::new();
        let mut rest = t;
        while let Some(s) = rest.find('{') {
            let after = &rest[s + 1..];
            if let Some(e) = after.find('}') {
                set.insert(after[..e].to_string());
                rest = &after[e + 1..];
            } else {
                break;
            }
        }
        set
    }

    #[test]
    fn every_locale_has_every_phrase_with_the_same_placeholders() {
        for phrase in Phrase::ALL {
            let reference = placeholders(phrase.template(Locale::EnUs));
            for locale in Locale::ALL {
                let t = phrase.template(locale);
                assert!(!t.trim().is_empty(), "{phrase:?} is empty in {locale:?}");
                assert_eq!(placeholders(t), reference, "{phrase:?} in {locale:?}");
            }
        }
    }

    #[test]
    fn french_is_really_french() {
        // A copy-pasted English sentence in the French column is the usual translation slip.
        for phrase in Phrase::ALL {
            let fr = phrase.template(Locale::FrFr);
            let en = phrase.template(Locale::EnUs);
            if en.split_whitespace().count() > 2 {
                assert_ne!(fr, en, "{phrase:?} is not translated");
            }
        }
    }

    #[test]
    fn fill_replaces_and_keeps_unknown() {
        assert_eq!(fill("a {x} b {y}", &[("x", "1")]), "a 1 b {y}");
        assert_eq!(fill("unclosed {x", &[("x", "1")]), "unclosed {x");
        assert_eq!(fill("{x}{x}", &[("x", "é")]), "éé");
    }
}
