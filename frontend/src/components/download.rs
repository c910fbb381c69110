//! Saving what the app fetched (a CSV export, a PDF) as a file.

use leptos::prelude::document;
use wasm_bindgen::JsCast;

/// Offers `text` as a download named `name`; `None` when the browser refused.
pub fn download(name: &str, text: &str) -> Option<()> {
    let parts = web_sys::js_sys::Array::of1(&text.into());
    let blob = web_sys::Blob::new_with_str_sequence(&parts).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let link = document().create_element("a").ok()?;
    link.set_attribute("href", &url).ok()?;
    link.set_attribute("download", name).ok()?;
    link.dyn_into::<web_sys::HtmlElement>().ok()?.click();
    web_sys::Url::revoke_object_url(&url).ok()
}

/// Offers `bytes` as a download named `name`; `None` when the browser refused.
pub fn download_bytes(name: &str, bytes: &[u8]) -> Option<()> {
    let array = web_sys::js_sys::Uint8Array::from(bytes);
    let parts = web_sys::js_sys::Array::of1(&array);
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let link = document().create_element("a").ok()?;
    link.set_attribute("href", &url).ok()?;
    link.set_attribute("download", name).ok()?;
    link.dyn_into::<web_sys::HtmlElement>().ok()?.click();
    web_sys::Url::revoke_object_url(&url).ok()
}
