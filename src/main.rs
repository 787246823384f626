//! The browser entry point: mount the app on `<body>`.

#[cfg(target_arch = "wasm32")]
fn main() {
    claimmark::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("claimmark runs in the browser: `make serve`, then open http://127.0.0.1:8080");
}
