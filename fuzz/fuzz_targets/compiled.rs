//! `./build.sh fuzz` (or `RUSTC_BOOTSTRAP=1 cargo +stable fuzz run compiled`):
//! arbitrary and damaged compiled gazetteers through `Matcher::from_compiled`, then
//! `find` on whatever loads; nothing may panic or hang (see
//! `sorot::fuzzing::fuzz_compiled`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| sorot::fuzzing::fuzz_compiled(data));
