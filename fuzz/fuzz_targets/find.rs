//! `./build.sh fuzz` (or `RUSTC_BOOTSTRAP=1 cargo +stable fuzz run find`): random
//! gazetteer forms and text through `Matcher::find`, checking every invariant (see
//! `sorot::fuzzing`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| sorot::fuzzing::fuzz_find(data));
