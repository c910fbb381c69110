//! The web app's files as the server serves them: modules with the WebAssembly type, the page
//! for the app's own addresses, and a 404 for a missing file.

use server::config::AppConfig;
use tests::TestApp;

#[tokio::test]
async fn wasm_is_served_as_wasm_app_addresses_get_the_page_and_missing_files_404() {
    let dist = std::env::temp_dir().join(format!("crm-static-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(dist.join("app-1")).unwrap();
    std::fs::write(dist.join("index.html"), "<!DOCTYPE html><title>CRM</title>").unwrap();
    std::fs::write(dist.join("app-1/split_x.wasm"), b"\0asm\x01\0\0\0").unwrap();
    let app = TestApp::with_config(AppConfig {
        dist_dir: dist.clone(),
        ..AppConfig::default()
    })
    .await;
    let client = reqwest::Client::new();
    let get = |path: &str| client.get(format!("{}{path}", app.url)).send();

    let wasm = get("/app-1/split_x.wasm").await.unwrap();
    assert_eq!(wasm.status(), 200);
    assert_eq!(wasm.headers()["content-type"], "application/wasm");

    let page = get("/parties/UGFydHk6MTIz").await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("<title>CRM</title>"));

    let missing = get("/app-1/split_gone.wasm").await.unwrap();
    assert_eq!(missing.status(), 404);
    let _ = std::fs::remove_dir_all(&dist);
}
