//! `sorot`: find gazetteer entities in text files, check and convert gazetteers.

use std::io::{self, BufWriter, Read, Write};
use std::process::ExitCode;

use serde::Serialize;
use sorot::lint::{lint, Reviewed, StopWords, WarningKind};
use sorot::{
    default_gazetteer, is_language_tag, Duplicates, FindOptions, Format, Gazetteer, Matcher,
    Overlap,
};

const FIND_USAGE: &str =
    "  sorot find [--gazetteer FILE]... [--lines] [--overlap longest|all] [--lang LANG] [FILE ...]
      print one JSON object per match per line:
      {\"file\", \"line\", \"start\", \"end\", \"text\", \"id\", \"type\", \"name\", ...}
      start/end are UTF-16 code units (as in JavaScript) within the file, or within
      the line with --lines (each line is then its own document). Without FILE, or
      with -, reads standard input. Without --gazetteer, uses the default gazetteer;
      several --gazetteer merge in order (text or compiled gazetteers). --lang LANG
      (a language tag such as en) adds \"label\": the entity's title in LANG (its
      name or alias in LANG, else its name). Several files are read one per core
      (SOROT_THREADS=N to change), the output in the order of the arguments.
";

const COMPILE_USAGE: &str = "  sorot compile [FILE...] -o OUT
      write the gazetteer (the files merged in order, or the default one) as a
      compiled gazetteer, which loads without parsing or building anything; find,
      check and the wasm engine read it (by its content, whatever its name)
";

const CHECK_USAGE: &str = "  sorot check [--reviewed FILE] [--strict] [--verbose] [FILE...]
      validate gazetteers (JSON, JSON Lines, TSV, CSV or compiled; without FILE, the default
      gazetteer); print counts and warnings (forms several entities share, common
      words matched in any case, descriptions in one language only when the
      gazetteer uses several), or the errors (exit code 2). A warning listed in the
      review file (form<TAB>ambiguous|common-word|one-language<TAB>reason; for
      one-language, the form is the language, e.g. id) is explained.
      --strict: exit code 1 when a warning is left unexplained.
      --verbose: list every entity of a one-language warning, one per line.
";

const CONVERT_USAGE: &str = "  sorot convert [--compact] [FILE...]
      print the gazetteer (the files merged, or the default one) as JSON; reads
      JSON, JSON Lines (.jsonl), TSV and CSV (by extension, else by content)
";

const OTHER_USAGE: &str = "  sorot --help | sorot COMMAND --help | sorot help [COMMAND]
      print this usage, or one command's
  sorot --version
      print the version
";

const EXIT_USAGE: &str = "exit status (every command):
  0  success
  1  check --strict: a warning is left unexplained (a finding, not a failure)
  2  an error: a wrong argument, a file that cannot be read or is not UTF-8, an
     invalid gazetteer or one over a limit (the message names the limit, the
     entity and the field), output that cannot be written
";

/// The usage of one command, or of all (`None`).
fn usage(command: Option<&str>) -> String {
    let text = match command {
        Some("find") => FIND_USAGE.to_string(),
        Some("check") => CHECK_USAGE.to_string(),
        Some("convert") => CONVERT_USAGE.to_string(),
        Some("compile") => COMPILE_USAGE.to_string(),
        _ => format!("{FIND_USAGE}{COMPILE_USAGE}{CHECK_USAGE}{CONVERT_USAGE}{OTHER_USAGE}"),
    };
    format!("usage:\n{text}{EXIT_USAGE}")
}

/// Whether an argument asks for help.
fn is_help(arg: &str) -> bool {
    arg == "-h" || arg == "--help"
}

/// Prints a command's usage to standard output (asked for: exit code 0).
fn print_usage(command: Option<&str>) -> Result<(), Failure> {
    write_result(write!(io::stdout().lock(), "{}", usage(command)))
}

/// A usage error of `command`: the message, the command's usage, exit code 2.
fn usage_error(command: &str, message: impl std::fmt::Display) -> Failure {
    Failure(format!("{message}\n{}", usage(Some(command))), ERROR)
}

/// `1 entity`, `2 entities`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A failure: its message and the exit code.
struct Failure(String, u8);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("find") => find(&args[1..]),
        Some("check") => check(&args[1..]),
        Some("convert") => convert(&args[1..]),
        Some("compile") => compile(&args[1..]),
        Some("-h" | "--help") => print_usage(None),
        Some("help") => match args.get(1).map(String::as_str) {
            None => print_usage(None),
            Some(command @ ("find" | "check" | "convert" | "compile")) => {
                print_usage(Some(command))
            }
            Some(other) => Err(Failure(
                format!("unknown command {other:?}\n{}", usage(None)),
                ERROR,
            )),
        },
        Some("-V" | "--version") => write_result(writeln!(
            io::stdout().lock(),
            "sorot {}",
            env!("CARGO_PKG_VERSION")
        )),
        Some(other) => Err(Failure(
            format!("unknown command {other:?}\n{}", usage(None)),
            ERROR,
        )),
        None => Err(Failure(usage(None), ERROR)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(message, code)) => {
            eprintln!("sorot: {message}");
            ExitCode::from(code)
        }
    }
}

/// The exit code of every error (usage, unreadable or non-UTF-8 input, an invalid
/// gazetteer, output that cannot be written).
const ERROR: u8 = 2;

/// The exit code of `check --strict` when warnings are left unexplained.
const FINDING: u8 = 1;

fn read_bytes(path: &str) -> Result<Vec<u8>, Failure> {
    let read = if path == "-" {
        let mut bytes = Vec::new();
        io::stdin().read_to_end(&mut bytes).map(|_| bytes)
    } else {
        // Sized from the file's length: no reallocation, so no second copy.
        std::fs::read(path)
    };
    let name = if path == "-" { "standard input" } else { path };
    read.map_err(|e| Failure(format!("{name}: {e}"), ERROR))
}

/// A gazetteer file's bytes: a text gazetteer over the size limit is refused before
/// it is read (only its first bytes, to tell a compiled one, which has no such
/// limit).
fn read_gazetteer_bytes(path: &str) -> Result<Vec<u8>, Failure> {
    let name = if path == "-" { "standard input" } else { path };
    let failed = |e: io::Error| Failure(format!("{name}: {e}"), ERROR);
    let limit = sorot::limits::MAX_INPUT_BYTES;
    if path == "-" {
        let mut bytes = Vec::new();
        let mut stdin = io::stdin().lock();
        (&mut stdin)
            .take(limit as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(failed)?;
        if bytes.len() > limit {
            if !sorot::is_compiled(&bytes) {
                return Err(Failure(
                    format!(
                        "{name}: more than the limit of {} bytes (256 MiB) for a text gazetteer",
                        grouped_len(limit)
                    ),
                    ERROR,
                ));
            }
            stdin.read_to_end(&mut bytes).map_err(failed)?;
        }
        return Ok(bytes);
    }
    let len = std::fs::metadata(path).map_err(failed)?.len();
    if len > limit as u64 {
        let mut magic = [0u8; 8];
        let mut file = std::fs::File::open(path).map_err(failed)?;
        let n = file.read(&mut magic).map_err(failed)?;
        if !sorot::is_compiled(&magic[..n]) {
            let e = sorot::limits::check_input_size(len as usize, name).err();
            return Err(Failure(
                e.map_or_else(String::new, |e| e.to_string()),
                ERROR,
            ));
        }
    }
    read_bytes(path)
}

/// `n` with commas between thousands.
fn grouped_len(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

fn read_input(path: &str) -> Result<String, Failure> {
    let bytes = read_bytes(path)?;
    let name = if path == "-" { "standard input" } else { path };
    bytes_to_text(bytes, name)
}

/// The bytes as text, or an error that says where the first byte that is not UTF-8
/// is: its line, column (in characters) and offset.
fn bytes_to_text(bytes: Vec<u8>, name: &str) -> Result<String, Failure> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        // Valid UTF-8 up to `at`: the line and column count its characters.
        let before = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Failure(
            format!(
                "{name}: not UTF-8 text: byte 0x{:02X} at line {line}, column {column} (byte offset {at}) does not start a UTF-8 character",
                bytes[at]
            ),
            ERROR,
        )
    })
}

fn load_gazetteers(paths: &[String]) -> Result<Gazetteer, Failure> {
    if paths.is_empty() {
        return default_gazetteer().map_err(|e| Failure(e.to_string(), ERROR));
    }
    let mut parts = Vec::new();
    for path in paths {
        parts.push((load_one(path)?, path.clone()));
    }
    Gazetteer::merge(parts, Duplicates::Replace).map_err(|e| Failure(e.to_string(), ERROR))
}

/// One gazetteer file: compiled (told by its first bytes) or text.
fn load_one(path: &str) -> Result<Gazetteer, Failure> {
    let bytes = read_gazetteer_bytes(path)?;
    if sorot::is_compiled(&bytes) {
        return Gazetteer::from_compiled(&bytes, path).map_err(|e| Failure(e.to_string(), ERROR));
    }
    let text = bytes_to_text(bytes, path)?;
    Gazetteer::parse_as(&text, path, Format::from_path(path))
        .map_err(|e| Failure(e.to_string(), ERROR))
}

/// The matcher of `find`: a single compiled gazetteer loads as it is; anything else
/// is read, merged and compiled.
fn load_matcher(paths: &[String]) -> Result<Matcher, Failure> {
    if let [path] = paths {
        let bytes = read_gazetteer_bytes(path)?;
        if sorot::is_compiled(&bytes) {
            return Matcher::from_compiled(&bytes, path).map_err(|e| Failure(e.to_string(), ERROR));
        }
    }
    Matcher::new(load_gazetteers(paths)?).map_err(|e| Failure(e.to_string(), ERROR))
}

fn compile(args: &[String]) -> Result<(), Failure> {
    let mut files = Vec::new();
    let mut out = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            help if is_help(help) => return print_usage(Some("compile")),
            "-o" | "--output" => match it.next() {
                Some(path) => out = Some(path.clone()),
                None => return Err(usage_error("compile", "-o needs a file")),
            },
            flag if flag.starts_with('-') && flag != "-" => {
                return Err(usage_error("compile", format!("unknown option {flag:?}")))
            }
            _ => files.push(arg.clone()),
        }
    }
    let Some(out) = out else {
        return Err(usage_error("compile", "compile needs -o OUT"));
    };
    let matcher =
        Matcher::new(load_gazetteers(&files)?).map_err(|e| Failure(e.to_string(), ERROR))?;
    let bytes = matcher.compile();
    let result = if out == "-" {
        io::stdout().lock().write_all(&bytes)
    } else {
        std::fs::write(&out, &bytes)
    };
    result.map_err(|e| Failure(format!("{out}: {e}"), ERROR))
}

#[derive(Serialize)]
struct Found<'a> {
    file: &'a str,
    line: usize,
    start: usize,
    end: usize,
    text: &'a str,
    id: &'a str,
    #[serde(rename = "type")]
    type_key: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<&'a str>,
    reason: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    candidates: Vec<&'a str>,
}

fn find(args: &[String]) -> Result<(), Failure> {
    let mut gazetteers = Vec::new();
    let mut files = Vec::new();
    let mut lines = false;
    let mut lang = None;
    let mut options = FindOptions::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            help if is_help(help) => return print_usage(Some("find")),
            "--gazetteer" | "-g" => match it.next() {
                Some(path) => gazetteers.push(path.clone()),
                None => return Err(usage_error("find", "--gazetteer needs a file")),
            },
            "--lines" => lines = true,
            "--overlap" => {
                options.overlap = match it.next().map(String::as_str) {
                    Some("longest") => Overlap::Longest,
                    Some("all") => Overlap::All,
                    _ => return Err(usage_error("find", "--overlap takes longest or all")),
                }
            }
            "--lang" => match it.next() {
                Some(tag) if is_language_tag(tag) => lang = Some(tag.clone()),
                Some(tag) => {
                    return Err(usage_error(
                        "find",
                        format!("--lang: {tag:?} is not a language tag (such as en, id or pt-BR)"),
                    ))
                }
                None => {
                    return Err(usage_error(
                        "find",
                        "--lang needs a language tag (such as en, id or pt-BR)",
                    ))
                }
            },
            "-" => files.push(arg.clone()),
            flag if flag.starts_with('-') => {
                return Err(usage_error("find", format!("unknown option {flag:?}")))
            }
            _ => files.push(arg.clone()),
        }
    }
    if files.is_empty() {
        files.push("-".to_string());
    }
    let matcher = load_matcher(&gazetteers)?;
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let one = |file: &str, out: &mut dyn Write| -> Result<io::Result<()>, Failure> {
        let text = read_input(file)?;
        Ok(find_in(
            out,
            &matcher,
            file,
            &text,
            lines,
            options,
            lang.as_deref(),
        ))
    };
    // SOROT_THREADS=N sets the number of files read at once (default: the cores).
    let workers = std::env::var("SOROT_THREADS")
        .ok()
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .min(files.len());
    if workers <= 1 {
        for file in &files {
            write_result(one(file, &mut out)?)?;
        }
        return write_result(out.flush());
    }
    // Several files: one per core at a time, each into its own buffer, written in
    // the order of the arguments (at most two buffers per core wait their turn).
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let written = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let tx = tx.clone();
            let (next, written, stop, files, one) = (&next, &written, &stop, &files, &one);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= files.len() {
                    return;
                }
                while i >= written.load(Ordering::SeqCst) + 2 * workers {
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(1));
                }
                if stop.load(Ordering::SeqCst) {
                    return;
                }
                let mut buffer = Vec::new();
                let result = one(&files[i], &mut buffer).map(|w| w.map(|()| buffer));
                if tx.send((i, result)).is_err() {
                    return;
                }
            });
        }
        drop(tx);
        let mut pending = std::collections::BTreeMap::new();
        let mut result = Ok(());
        for (i, r) in rx {
            pending.insert(i, r);
            while let Some(r) = pending.remove(&written.load(Ordering::SeqCst)) {
                let done = match r {
                    Ok(Ok(bytes)) => write_result(out.write_all(&bytes)),
                    Ok(Err(e)) => write_result(Err(e)),
                    Err(failure) => Err(failure),
                };
                if let Err(failure) = done {
                    stop.store(true, Ordering::SeqCst);
                    result = Err(failure);
                    break;
                }
                written.fetch_add(1, Ordering::SeqCst);
            }
            if result.is_err() {
                break;
            }
        }
        result
    })?;
    write_result(out.flush())
}

/// The matches of one file, whole or line by line.
fn find_in(
    out: &mut dyn Write,
    matcher: &Matcher,
    file: &str,
    text: &str,
    lines: bool,
    options: FindOptions,
    lang: Option<&str>,
) -> io::Result<()> {
    if lines {
        text.split('\n').enumerate().try_for_each(|(i, line)| {
            print_matches(
                out,
                matcher,
                file,
                line.strip_suffix('\r').unwrap_or(line),
                Some(i + 1),
                options,
                lang,
            )
        })
    } else {
        print_matches(out, matcher, file, text, None, options, lang)
    }
}

/// Output errors: a closed pipe (`sorot find | head`) is not a failure.
fn write_result(r: io::Result<()>) -> Result<(), Failure> {
    match r {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(Failure(format!("cannot write output: {e}"), ERROR)),
        Ok(()) => Ok(()),
    }
}

fn print_matches(
    out: &mut dyn Write,
    matcher: &Matcher,
    file: &str,
    text: &str,
    line: Option<usize>,
    options: FindOptions,
    lang: Option<&str>,
) -> io::Result<()> {
    let matches = matcher.find_with(text, options);
    let entities = matcher.gazetteer().entities();
    let mut line_no = 1;
    let mut counted = 0;
    for m in &matches {
        let e = &entities[m.entity];
        let line = line.unwrap_or_else(|| {
            line_no += text.as_bytes()[counted..m.start_byte]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            counted = m.start_byte;
            line_no
        });
        let found = Found {
            file: if file == "-" { "-" } else { file },
            line,
            start: m.start_utf16,
            end: m.end_utf16,
            text: &text[m.start_byte..m.end_byte],
            id: &e.id,
            type_key: &e.type_key,
            name: &e.name.text,
            label: lang.map(|l| e.title(l)),
            reason: m.reason.as_str(),
            candidates: if m.candidates.len() > 1 {
                m.candidates
                    .iter()
                    .map(|&c| entities[c].id.as_str())
                    .collect()
            } else {
                Vec::new()
            },
        };
        serde_json::to_writer(&mut *out, &found)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// The common-word lists `sorot check` uses, embedded from `data/stopwords/`.
const STOP_WORDS: [&str; 2] = [
    include_str!("../data/stopwords/id.txt"),
    include_str!("../data/stopwords/en.txt"),
];

/// The review file of the default gazetteer.
const DEFAULT_REVIEWED: &str = include_str!("../data/default/reviewed.tsv");

fn check(args: &[String]) -> Result<(), Failure> {
    let mut files = Vec::new();
    let mut reviewed_path = None;
    let mut strict = false;
    let mut verbose = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            help if is_help(help) => return print_usage(Some("check")),
            "--reviewed" => match it.next() {
                Some(path) => reviewed_path = Some(path.clone()),
                None => return Err(usage_error("check", "--reviewed needs a file")),
            },
            "--strict" => strict = true,
            "--verbose" | "-v" => verbose = true,
            flag if flag.starts_with('-') && flag != "-" => {
                return Err(usage_error("check", format!("unknown option {flag:?}")))
            }
            _ => files.push(arg.clone()),
        }
    }
    let reviewed = match &reviewed_path {
        Some(path) => Reviewed::parse(&read_input(path)?, path),
        None if files.is_empty() => Reviewed::parse(DEFAULT_REVIEWED, "data/default/reviewed.tsv"),
        None => Ok(Reviewed::default()),
    }
    .map_err(|e| Failure(e.to_string(), ERROR))?;
    let stop_words = StopWords::new(STOP_WORDS);
    let mut gazetteers = Vec::new();
    let mut failed = false;
    if files.is_empty() {
        match default_gazetteer() {
            Ok(g) => gazetteers.push(("default gazetteer".to_string(), g)),
            Err(e) => {
                eprintln!("{e}");
                failed = true;
            }
        }
    }
    for path in &files {
        let bytes = read_gazetteer_bytes(path)?;
        let parsed = if sorot::is_compiled(&bytes) {
            Gazetteer::from_compiled(&bytes, path)
        } else {
            Gazetteer::parse_as(&bytes_to_text(bytes, path)?, path, Format::from_path(path))
        };
        match parsed {
            Ok(g) => gazetteers.push((path.clone(), g)),
            Err(e) => {
                eprintln!("{e}");
                failed = true;
            }
        }
    }
    let mut unexplained = 0;
    for (name, g) in &gazetteers {
        let entities = g.entities();
        let aliases: usize = entities.iter().map(|e| e.aliases.len()).sum();
        let short: usize = entities.iter().map(|e| e.short.len()).sum();
        println!(
            "{name}: ok: {}, {}, {}, {}",
            count(entities.len(), "entity", "entities"),
            count(aliases, "alias", "aliases"),
            count(short, "short form", "short forms"),
            count(g.types().len(), "type", "types")
        );
        let warnings = lint(g, &stop_words, &reviewed);
        let open: Vec<_> = warnings.iter().filter(|w| w.explained.is_none()).collect();
        for w in &open {
            println!("{name}: warning: {}", w.message);
            if verbose && w.kind == WarningKind::OneLanguage {
                for id in &w.entities {
                    println!("{name}:   {id}");
                }
            }
        }
        if !warnings.is_empty() {
            println!(
                "{name}: {}, {} explained in the review file",
                count(warnings.len(), "warning", "warnings"),
                warnings.len() - open.len()
            );
        }
        unexplained += open.len();
    }
    if failed {
        Err(Failure("the gazetteer has errors".into(), ERROR))
    } else if strict && unexplained > 0 {
        Err(Failure(
            format!(
                "{} not explained",
                if unexplained == 1 {
                    "1 warning is".to_string()
                } else {
                    format!("{unexplained} warnings are")
                }
            ),
            FINDING,
        ))
    } else {
        Ok(())
    }
}

fn convert(args: &[String]) -> Result<(), Failure> {
    let mut compact = false;
    let mut files = Vec::new();
    for arg in args {
        match arg.as_str() {
            help if is_help(help) => return print_usage(Some("convert")),
            "--compact" => compact = true,
            flag if flag.starts_with('-') && flag != "-" => {
                return Err(usage_error("convert", format!("unknown option {flag:?}")))
            }
            _ => files.push(arg.clone()),
        }
    }
    let g = load_gazetteers(&files)?;
    let json = if compact {
        serde_json::to_string(&g.to_json())
    } else {
        serde_json::to_string_pretty(&g.to_json())
    };
    let json = json.map_err(|e| Failure(e.to_string(), ERROR))?;
    write_result(writeln!(io::stdout().lock(), "{json}"))
}
