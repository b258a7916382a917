//! The Alexa service APIs the tests talk to: the library's fakes
//! ([`onair::devtools::fake_apis`]), reporting America/New_York as the device zone.

pub use onair::devtools::fake_apis::Answer;
use onair::devtools::fake_apis::{FakeApiOptions, FakeApis};

/// The running fakes, started with the default options.
pub struct FakeAlexa(FakeApis);

impl FakeAlexa {
    /// Starts the fakes on 127.0.0.1:0.
    pub async fn start() -> Self {
        Self(
            FakeApis::start(FakeApiOptions::default())
                .await
                .expect("fake Alexa APIs start"),
        )
    }
}

impl std::ops::Deref for FakeAlexa {
    type Target = FakeApis;

    fn deref(&self) -> &FakeApis {
        &self.0
    }
}
