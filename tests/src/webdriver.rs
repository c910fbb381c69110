//! A small W3C WebDriver client over HTTP, driving headless Chromium through chromedriver.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A chromedriver process with one headless Chromium session.
pub struct Browser {
    driver: Child,
    base: String,
    session: String,
    client: reqwest::Client,
    _profile: std::path::PathBuf,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(9515)
}

impl Browser {
    /// Starts chromedriver and a headless Chromium session (binaries from `CRM_CHROMEDRIVER` and
    /// `CRM_CHROMIUM`, default `chromedriver` and `/usr/bin/chromium`).
    pub async fn start() -> anyhow::Result<Self> {
        let driver_bin =
            std::env::var("CRM_CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let chromium = std::env::var("CRM_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let port = free_port();
        let driver = Command::new(&driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| {
                anyhow::anyhow!("cannot start {driver_bin} (install chromium-driver): {e}")
            })?;
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(r) = client.get(format!("{base}/status")).send().await {
                if r.status().is_success() {
                    break;
                }
            }
            if Instant::now() > deadline {
                anyhow::bail!("chromedriver did not start");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = std::env::temp_dir().join(format!("crm-chromium-{}", uuid::Uuid::new_v4()));
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            // A page that asks before it is left (unsaved edits) is left when a test navigates
            // on; a test that wants to answer a prompt itself does so with the alert commands.
            "unhandledPromptBehavior": "accept",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.display()),
                ]
            }
        }}});
        let mut b = Browser {
            driver,
            base,
            session: String::new(),
            client,
            _profile: profile,
        };
        let v = b.call("POST", "/session", caps).await?;
        b.session = v["sessionId"]
            .as_str()
            .ok_or_else(|| anyhow::anyhow!("no session: {v}"))?
            .to_string();
        Ok(b)
    }

    async fn call(&self, method: &str, path: &str, body: Value) -> anyhow::Result<Value> {
        let url = format!("{}{}", self.base, path);
        let req = match method {
            "GET" => self.client.get(url),
            "DELETE" => self.client.delete(url),
            _ => self.client.post(url).json(&body),
        };
        let v: Value = req.send().await?.json().await?;
        if let Some(err) = v["value"].get("error") {
            anyhow::bail!("webdriver {path}: {err}: {}", v["value"]["message"]);
        }
        Ok(v["value"].clone())
    }

    fn s(&self, rest: &str) -> String {
        format!("/session/{}{rest}", self.session)
    }

    /// Opens a URL.
    pub async fn goto(&self, url: &str) -> anyhow::Result<()> {
        self.call("POST", &self.s("/url"), json!({"url": url}))
            .await
            .map(|_| ())
    }

    /// Finds an element by CSS selector, waiting up to `secs` seconds for it to appear.
    pub async fn wait_for(&self, css: &str, secs: u64) -> anyhow::Result<String> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            match self
                .call(
                    "POST",
                    &self.s("/element"),
                    json!({"using": "css selector", "value": css}),
                )
                .await
            {
                Ok(v) => {
                    if let Some(id) = v[ELEMENT_KEY].as_str() {
                        return Ok(id.to_string());
                    }
                }
                Err(e) if Instant::now() > deadline => return Err(e),
                Err(_) => {}
            }
            if Instant::now() > deadline {
                anyhow::bail!("{css} did not appear within {secs} s");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// How many elements match a CSS selector now.
    pub async fn count(&self, css: &str) -> anyhow::Result<usize> {
        let v = self
            .call(
                "POST",
                &self.s("/elements"),
                json!({"using": "css selector", "value": css}),
            )
            .await?;
        Ok(v.as_array().map(Vec::len).unwrap_or(0))
    }

    /// Types text into an element.
    pub async fn type_into(&self, css: &str, text: &str) -> anyhow::Result<()> {
        let id = self.wait_for(css, 10).await?;
        self.call(
            "POST",
            &self.s(&format!("/element/{id}/value")),
            json!({"text": text}),
        )
        .await
        .map(|_| ())
    }

    /// Clicks an element.
    pub async fn click(&self, css: &str) -> anyhow::Result<()> {
        let id = self.wait_for(css, 10).await?;
        self.call("POST", &self.s(&format!("/element/{id}/click")), json!({}))
            .await
            .map(|_| ())
    }

    /// The visible text of an element.
    pub async fn text(&self, css: &str) -> anyhow::Result<String> {
        let id = self.wait_for(css, 10).await?;
        let v = self
            .call("GET", &self.s(&format!("/element/{id}/text")), json!({}))
            .await?;
        Ok(v.as_str().unwrap_or_default().to_string())
    }

    /// Waits until an element's text contains `needle`.
    pub async fn wait_for_text(
        &self,
        css: &str,
        needle: &str,
        secs: u64,
    ) -> anyhow::Result<String> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let t = self.text(css).await.unwrap_or_default();
            if t.contains(needle) {
                return Ok(t);
            }
            if Instant::now() > deadline {
                anyhow::bail!("{css} never contained {needle:?}; last text {t:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Picks the option of the `<select>` `css` whose text contains `text`, as a person would
    /// (a `change` event follows).
    pub async fn choose(&self, css: &str, text: &str) -> anyhow::Result<()> {
        let found = self
            .execute(
                "const s = document.querySelector(arguments[0]); \
                 const o = s && [...s.options].find((o) => o.textContent.includes(arguments[1])); \
                 if (!o) return false; \
                 s.value = o.value; s.dispatchEvent(new Event('change', { bubbles: true })); return true;",
                json!([css, text]),
            )
            .await?;
        if found != json!(true) {
            anyhow::bail!("no option {text:?} in {css}");
        }
        Ok(())
    }

    /// The value of attribute `name` of an element (`None` when it has none).
    pub async fn attribute(&self, css: &str, name: &str) -> anyhow::Result<Option<String>> {
        let id = self.wait_for(css, 10).await?;
        let v = self
            .call(
                "GET",
                &self.s(&format!("/element/{id}/attribute/{name}")),
                json!({}),
            )
            .await?;
        Ok(v.as_str().map(str::to_string))
    }

    /// Runs a script in the page (`arguments` are passed as given) and returns its result.
    pub async fn execute(&self, script: &str, args: Value) -> anyhow::Result<Value> {
        self.call(
            "POST",
            &self.s("/execute/sync"),
            json!({"script": script, "args": args}),
        )
        .await
    }

    /// Runs an asynchronous script: it ends by calling its last argument with the result.
    pub async fn execute_async(&self, script: &str, args: Value) -> anyhow::Result<Value> {
        self.call(
            "POST",
            &self.s("/execute/async"),
            json!({"script": script, "args": args}),
        )
        .await
    }

    /// Runs one W3C action sequence, then releases whatever is still pressed.
    async fn perform(&self, actions: Value) -> anyhow::Result<()> {
        self.call("POST", &self.s("/actions"), json!({ "actions": actions }))
            .await?;
        self.call("DELETE", &self.s("/actions"), json!({}))
            .await
            .map(|_| ())
    }

    /// Drags the element `from` onto the element `to` with the mouse, as pointer events:
    /// press on the centre of `from`, move in steps to the centre of `to`, release.
    pub async fn drag(&self, from: &str, to: &str) -> anyhow::Result<()> {
        let source = self.wait_for(from, 10).await?;
        let target = self.wait_for(to, 10).await?;
        let mouse = json!([{
            "type": "pointer",
            "id": "mouse",
            "parameters": {"pointerType": "mouse"},
            "actions": [
                {"type": "pointerMove", "duration": 0, "origin": {ELEMENT_KEY: source}, "x": 0, "y": 0},
                {"type": "pointerDown", "button": 0},
                {"type": "pause", "duration": 100},
                {"type": "pointerMove", "duration": 150, "origin": "pointer", "x": 12, "y": 6},
                {"type": "pointerMove", "duration": 300, "origin": {ELEMENT_KEY: target}, "x": 0, "y": 0},
                {"type": "pause", "duration": 100},
                {"type": "pointerUp", "button": 0},
            ]
        }]);
        self.perform(mouse).await
    }

    /// Focuses an element and presses a key chord on it, e.g. `["\u{E00A}", "\u{E014}"]`
    /// (Alt + ArrowRight): keys go down in order and come up in reverse.
    pub async fn press_keys(&self, css: &str, keys: &[&str]) -> anyhow::Result<()> {
        let id = self.wait_for(css, 10).await?;
        self.execute("arguments[0].focus();", json!([{ ELEMENT_KEY: id }]))
            .await?;
        self.chord(keys).await
    }

    /// Presses a key chord on whatever has the focus (e.g. Alt + ArrowRight): keys go down in
    /// order and come up in reverse.
    pub async fn chord(&self, keys: &[&str]) -> anyhow::Result<()> {
        let mut actions: Vec<Value> = keys
            .iter()
            .map(|k| json!({"type": "keyDown", "value": k}))
            .collect();
        actions.extend(
            keys.iter()
                .rev()
                .map(|k| json!({"type": "keyUp", "value": k})),
        );
        self.perform(json!([{ "type": "key", "id": "keyboard", "actions": actions }]))
            .await
    }

    /// Presses keys, one after another, on whatever has the focus (e.g. `["\u{E004}"]`, Tab).
    pub async fn type_keys(&self, keys: &[&str]) -> anyhow::Result<()> {
        let actions: Vec<Value> = keys
            .iter()
            .flat_map(|k| {
                [
                    json!({"type": "keyDown", "value": k}),
                    json!({"type": "keyUp", "value": k}),
                ]
            })
            .collect();
        self.perform(json!([{ "type": "key", "id": "keyboard", "actions": actions }]))
            .await
    }

    /// The text of the open prompt (`confirm`, `alert`), if one is open.
    pub async fn alert_text(&self) -> Option<String> {
        self.call("GET", &self.s("/alert/text"), json!({}))
            .await
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
    }

    /// Answers the open prompt: OK (`true`) or Cancel.
    pub async fn answer_alert(&self, ok: bool) -> anyhow::Result<()> {
        let path = if ok {
            "/alert/accept"
        } else {
            "/alert/dismiss"
        };
        self.call("POST", &self.s(path), json!({}))
            .await
            .map(|_| ())
    }

    /// Saves a PNG screenshot of the page.
    pub async fn screenshot(&self, path: &std::path::Path) -> anyhow::Result<()> {
        use base64::Engine;
        let v = self.call("GET", &self.s("/screenshot"), json!({})).await?;
        let png =
            base64::engine::general_purpose::STANDARD.decode(v.as_str().unwrap_or_default())?;
        std::fs::write(path, png)?;
        Ok(())
    }

    /// Saves a screenshot into `$CRM_SCREENSHOT_DIR` when that is set (for looking at the app).
    pub async fn snap(&self, name: &str) {
        if let Ok(dir) = std::env::var("CRM_SCREENSHOT_DIR") {
            let _ = std::fs::create_dir_all(&dir);
            let _ = self
                .screenshot(&std::path::Path::new(&dir).join(format!("{name}.png")))
                .await;
        }
    }

    /// Ends the browser session (closes Chromium).
    pub async fn quit(&self) -> anyhow::Result<()> {
        self.call("DELETE", &self.s(""), json!({}))
            .await
            .map(|_| ())
    }

    /// Sets the window's size in CSS pixels (e.g. 390 wide for a phone).
    pub async fn set_window_size(&self, width: u32, height: u32) -> anyhow::Result<()> {
        self.call(
            "POST",
            &self.s("/window/rect"),
            json!({"width": width, "height": height}),
        )
        .await
        .map(|_| ())
    }

    /// Goes one step back in the session history, like the browser's back button.
    pub async fn back(&self) -> anyhow::Result<()> {
        self.call("POST", &self.s("/back"), json!({}))
            .await
            .map(|_| ())
    }

    /// Goes one step forward in the session history.
    pub async fn forward(&self) -> anyhow::Result<()> {
        self.call("POST", &self.s("/forward"), json!({}))
            .await
            .map(|_| ())
    }

    /// Waits until the current URL contains `needle`.
    pub async fn wait_for_url(&self, needle: &str, secs: u64) -> anyhow::Result<String> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let url = self.current_url().await?;
            if url.contains(needle) {
                return Ok(url);
            }
            if Instant::now() > deadline {
                anyhow::bail!("the URL never contained {needle:?}; last {url:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The current URL.
    pub async fn current_url(&self) -> anyhow::Result<String> {
        let v = self.call("GET", &self.s("/url"), json!({})).await?;
        Ok(v.as_str().unwrap_or_default().to_string())
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self._profile);
    }
}
