//! `./build.sh fuzz` (or `RUSTC_BOOTSTRAP=1 cargo +stable fuzz run tsv`): arbitrary
//! bytes through the TSV reader, then whatever loads through the warnings, the
//! matcher, `find` and the compiled gazetteer; nothing may panic or hang (see
//! `sorot::fuzzing::fuzz_reader`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    sorot::fuzzing::fuzz_reader(data, sorot::Format::Tsv);
});
