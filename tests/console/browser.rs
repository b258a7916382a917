//! Headless Chromium through chromedriver, one browser per test, one test at a time.
//!
//! Without `/usr/bin/chromium` and `/usr/bin/chromedriver` (or `CHROMIUM` / `CHROMEDRIVER`)
//! the page tests say they skipped and why; with `CI` set a missing browser fails them.
//! `ONAIR_BROWSER=firefox` runs the same tests in headless Firefox through geckodriver
//! (`FIREFOX`, default `/usr/bin/firefox-esr`; `GECKODRIVER`, default `/usr/bin/geckodriver`).

use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Page tests run one at a time: two cores do not run several browsers well.
pub static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn tool(var: &str, default: &str) -> Option<PathBuf> {
    let path = std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default));
    path.is_file().then_some(path)
}

/// Which browser the tests drive.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Chromium,
    Firefox,
}

/// The browser, or `None` (after saying why) when it is not installed outside CI.
pub async fn open() -> Option<Browser> {
    let kind = match std::env::var("ONAIR_BROWSER").as_deref() {
        Ok("firefox") => Kind::Firefox,
        _ => Kind::Chromium,
    };
    let (binary, driver, why) = match kind {
        Kind::Chromium => (
            tool("CHROMIUM", "/usr/bin/chromium"),
            tool("CHROMEDRIVER", "/usr/bin/chromedriver"),
            "chromium or chromedriver is missing (apt-get install -y chromium chromium-driver)",
        ),
        Kind::Firefox => (
            tool("FIREFOX", "/usr/bin/firefox-esr"),
            tool("GECKODRIVER", "/usr/bin/geckodriver"),
            "firefox or geckodriver is missing (apt-get install -y firefox-esr; cargo install geckodriver)",
        ),
    };
    let (Some(binary), Some(driver)) = (binary, driver) else {
        if std::env::var_os("CI").is_some() {
            panic!("CI is set and {why}");
        }
        eprintln!("skipped: {why}");
        return None;
    };
    Some(Browser::start(kind, &binary, &driver).await)
}

/// A chromedriver process and a session in a fresh profile.
pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Chromium headless in a fresh profile, allowed to play sound without a click.
fn chromium_capabilities(binary: &Path, profile: &Path) -> Capabilities {
    let args = [
        "--headless".to_string(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--no-first-run".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--disable-dev-shm-usage".into(),
        "--autoplay-policy=no-user-gesture-required".into(),
        "--window-size=1280,900".into(),
        format!("--user-data-dir={}", profile.display()),
    ];
    let mut caps = Capabilities::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({"binary": binary, "args": args}),
    );
    caps
}

/// Firefox headless (geckodriver makes the fresh profile), allowed to play sound.
fn firefox_capabilities(binary: &Path) -> Capabilities {
    let mut caps = Capabilities::new();
    caps.insert(
        "moz:firefoxOptions".into(),
        json!({
            "binary": binary,
            "args": ["-headless", "--width=1280", "--height=900"],
            "prefs": {"media.autoplay.default": 0, "media.autoplay.blocking_policy": 0},
        }),
    );
    caps
}

impl Browser {
    async fn start(kind: Kind, binary: &Path, driver: &Path) -> Self {
        let port = free_port();
        let mut child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the WebDriver server starts");
        let profile = tempfile::tempdir().expect("profile dir");
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while reqwest::get(format!("{url}/status")).await.is_err() {
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("the WebDriver server did not come up on {url}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let caps = match kind {
            Kind::Chromium => chromium_capabilities(binary, profile.path()),
            Kind::Firefox => firefox_capabilities(binary),
        };
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&url)
            .await
            .expect("a browser session");
        Self {
            client,
            driver: child,
            _profile: profile,
        }
    }

    /// Runs `script` (a function body) and returns its value.
    pub async fn eval(&self, script: &str) -> Value {
        self.client
            .execute(script, vec![])
            .await
            .expect("script runs")
    }

    /// Waits until `script` returns true.
    pub async fn until(&self, what: &str, script: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if self.eval(script).await == Value::Bool(true) {
                return;
            }
            if Instant::now() > deadline {
                let seen = self
                    .eval("const t = (css) => { const e = document.querySelector(css); return e ? e.textContent : ''; }; return [t('#status'), t('#device-events')]")
                    .await;
                panic!("timed out waiting for {what} (status line and device events: {seen})");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Text of the element `css`.
    pub async fn text(&self, css: &str) -> String {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css}: {e}"))
            .text()
            .await
            .expect("text")
    }

    /// Clears the input `css` and types `text` into it.
    pub async fn type_into(&self, css: &str, text: &str) {
        let input = self
            .client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css}: {e}"));
        input.clear().await.expect("clear");
        input.send_keys(text).await.expect("type");
    }

    /// Clicks the element `css`, scrolled to the middle of the window first (clear of the
    /// player bar at the bottom).
    pub async fn click(&self, css: &str) {
        self.eval(&format!(
            "const e = document.querySelector(\"{css}\"); if (e) e.scrollIntoView({{block: 'center'}}); return true"
        ))
        .await;
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css}: {e}"))
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// Signs in through the login form and waits for the console to be ready.
    pub async fn sign_in(&self, base: &str, token: &str) {
        self.client
            .goto(&format!("{base}/console/"))
            .await
            .expect("page loads");
        self.type_into("#token", token).await;
        self.click("#sign-in").await;
        self.until(
            "the console to start",
            "return document.body.dataset.ready === 'true'",
        )
        .await;
    }

    /// Saves a screenshot as `target/tmp/console-screenshots/<name>.png`.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self.client.screenshot().await.expect("screenshot");
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("console-screenshots");
        std::fs::create_dir_all(&dir).expect("screenshot dir");
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).expect("screenshot written");
        path
    }

    /// Ends the session.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}
