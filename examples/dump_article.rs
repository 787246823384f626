//! Print how a plain-text file parses: `cargo run --example dump_article -- FILE`.
fn main() {
    let path = std::env::args().nth(1).expect("usage: dump_article FILE");
    let raw = std::fs::read_to_string(&path).expect("readable UTF-8 file");
    let a = claimmark::core::parse::plain::parse_plain_text(&raw, Some(path));
    println!("title: {}\nid: {}", a.title, a.id.0);
    for m in &a.metadata {
        println!("meta {:?}: {}", m.kind, m.value);
    }
    for (i, b) in a.blocks.iter().enumerate() {
        let t = a.block_text(i);
        let short: String = t.chars().take(70).collect();
        println!(
            "{:?} {}..{} {}",
            b.kind,
            b.span.start(),
            b.span.end(),
            short
        );
    }
}
