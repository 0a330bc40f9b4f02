//! The bindings are newtypes and conversions: the `Debug` forms that keep personal data out of
//! log lines live on the core's types, once, and no mirror type here grows its own.

use std::fs;
use std::path::Path;

#[test]
fn no_hand_written_debug_in_the_bindings() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut checked = 0;
    for entry in fs::read_dir(&src).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "rs") {
            let text = fs::read_to_string(&path).unwrap_or_default();
            checked += 1;
            assert!(
                !text.contains("impl std::fmt::Debug for") && !text.contains("impl fmt::Debug for"),
                "{} writes its own Debug",
                path.display()
            );
        }
    }
    assert!(checked > 5, "binding sources not found");
}
