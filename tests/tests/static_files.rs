//! The web app's files as the server serves them: modules with the WebAssembly type, the page
//! for the app's own addresses, a 404 for a missing file, a year's caching for hashed files and
//! none for the page, Brotli or gzip as the browser asks (page bundles too).

use server::config::AppConfig;
use tests::TestApp;

#[tokio::test]
async fn app_files_are_typed_cached_by_hash_and_compressed_as_asked() {
    let dist = std::env::temp_dir().join(format!("crm-static-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(dist.join("app-1")).unwrap();
    std::fs::create_dir_all(dist.join("app-0123456789abcdef")).unwrap();
    let start = r#"import init from "/app-1/frontend.js"; init();"#;
    std::fs::write(
        dist.join("index.html"),
        format!(r#"<!DOCTYPE html><title>CRM</title><script type="module">{start}</script>"#),
    )
    .unwrap();
    std::fs::write(dist.join("app-1/split_x.wasm"), b"\0asm\x01\0\0\0").unwrap();
    let script = "export function start() { return 'the app'; }\n".repeat(200);
    std::fs::write(dist.join("app-0123456789abcdef/frontend.js"), &script).unwrap();
    // A page group's bundle (scripts/bundle-split.py): modules one after another.
    let bundle = b"\0asm\x01\0\0\0 a page group's code ".repeat(300);
    std::fs::write(dist.join("app-0123456789abcdef/bundle_x.bin"), &bundle).unwrap();
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
    assert!(missing.headers().get("cache-control").is_none());

    // A file under a hashed address is kept for a year; the page is always revalidated.
    let hashed = get("/app-0123456789abcdef/frontend.js").await.unwrap();
    assert_eq!(hashed.status(), 200);
    assert_eq!(
        hashed.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let page = page_headers(&client, &app.url, "/").await;
    assert_eq!(page["cache-control"], "no-cache");
    // The app's page runs only this origin's scripts, its own start script (by hash) and
    // WebAssembly; every HTML page: no framing by other sites, no sniffing, no referrer beyond
    // this origin.
    let policy = page["content-security-policy"].to_str().unwrap();
    let hash = {
        use base64::Engine;
        use sha2::Digest;
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(start.as_bytes()))
    };
    assert!(
        policy.contains(&format!(
            "script-src 'self' 'wasm-unsafe-eval' 'sha256-{hash}';"
        )),
        "{policy}"
    );
    for part in [
        "default-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(policy.contains(part), "{part} missing from {policy}");
    }
    assert_eq!(page["x-frame-options"], "DENY");
    assert_eq!(page["x-content-type-options"], "nosniff");
    assert_eq!(page["referrer-policy"], "same-origin");
    assert_eq!(hashed.headers()["x-content-type-options"], "nosniff");
    assert_eq!(
        page_headers(&client, &app.url, "/parties/UGFydHk6MTIz").await["cache-control"],
        "no-cache"
    );

    // Brotli when the browser takes it, else gzip; both decode to the file.
    for (accept, encoding) in [("br, gzip", "br"), ("gzip", "gzip")] {
        let res = client
            .get(format!("{}/app-0123456789abcdef/frontend.js", app.url))
            .header("accept-encoding", accept)
            .send()
            .await
            .unwrap();
        assert_eq!(res.headers()["content-encoding"], encoding, "for {accept}");
        let body = res.bytes().await.unwrap();
        assert!(body.len() < script.len() / 4, "{encoding} did not compress");
        let mut plain = Vec::new();
        if encoding == "br" {
            brotli::BrotliDecompress(&mut &body[..], &mut plain).unwrap();
        } else {
            std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&body[..]), &mut plain)
                .unwrap();
        }
        assert_eq!(plain, script.as_bytes());
    }

    // A bundle is cached like every hashed file and compressed on the way.
    let res = client
        .get(format!("{}/app-0123456789abcdef/bundle_x.bin", app.url))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(res.headers()["content-encoding"], "gzip");
    let body = res.bytes().await.unwrap();
    let mut plain = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&body[..]), &mut plain).unwrap();
    assert!(body.len() < plain.len() / 4);
    assert_eq!(plain, bundle);
    let _ = std::fs::remove_dir_all(&dist);
}

async fn page_headers(
    client: &reqwest::Client,
    base: &str,
    path: &str,
) -> reqwest::header::HeaderMap {
    let res = client.get(format!("{base}{path}")).send().await.unwrap();
    assert_eq!(res.status(), 200, "{path}");
    res.headers().clone()
}
