//! One version number: `Cargo.toml` (the CLI's `sorot --version`) and the npm
//! package's `www/lib/package.json`.

#[test]
fn the_package_and_the_crate_have_one_version() {
    let manifest: serde_json::Value =
        serde_json::from_str(include_str!("../www/lib/package.json")).unwrap();
    assert_eq!(
        manifest["version"].as_str(),
        Some(env!("CARGO_PKG_VERSION")),
        "www/lib/package.json and Cargo.toml disagree"
    );
}
