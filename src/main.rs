//! `sorot`: find gazetteer entities in text files, check and convert gazetteers.

use std::io::{self, BufWriter, Read, Write};
use std::process::ExitCode;

use serde::Serialize;
use sorot::{
    default_gazetteer, utf16_offsets, Duplicates, FindOptions, Gazetteer, Matcher, Overlap,
};

const USAGE: &str = "\
usage:
  sorot find [--gazetteer FILE]... [--lines] [--overlap longest|all] [FILE ...]
      print one JSON object per match per line:
      {\"file\", \"line\", \"start\", \"end\", \"text\", \"id\", \"type\", \"name\", ...}
      start/end are UTF-16 code units (as in JavaScript) within the file, or within
      the line with --lines (each line is then its own document). Without FILE, or
      with -, reads standard input. Without --gazetteer, uses the default gazetteer;
      several --gazetteer merge in order.
  sorot check FILE...
      validate gazetteers (JSON or TSV); print counts, or the errors (exit code 2)
  sorot convert [--compact] [FILE...]
      print the gazetteer (the files merged, or the default one) as JSON
";

/// A failure: its message and the exit code.
struct Failure(String, u8);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("find") => find(&args[1..]),
        Some("check") => check(&args[1..]),
        Some("convert") => convert(&args[1..]),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(Failure(format!("unknown command {other:?}\n{USAGE}"), 2)),
        None => Err(Failure(USAGE.to_string(), 2)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(message, code)) => {
            eprintln!("sorot: {message}");
            ExitCode::from(code)
        }
    }
}

fn read_input(path: &str) -> Result<String, Failure> {
    let mut bytes = Vec::new();
    let read = if path == "-" {
        io::stdin().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes).map(|_| ()))
    };
    let name = if path == "-" { "standard input" } else { path };
    read.map_err(|e| Failure(format!("{name}: {e}"), 1))?;
    String::from_utf8(bytes).map_err(|e| {
        Failure(
            format!(
                "{name}: not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
            1,
        )
    })
}

fn load_gazetteers(paths: &[String]) -> Result<Gazetteer, Failure> {
    if paths.is_empty() {
        return default_gazetteer().map_err(|e| Failure(e.to_string(), 2));
    }
    let mut parts = Vec::new();
    for path in paths {
        let text = read_input(path)?;
        let g = Gazetteer::parse(&text, path).map_err(|e| Failure(e.to_string(), 2))?;
        parts.push((g, path.clone()));
    }
    Gazetteer::merge(parts, Duplicates::Replace).map_err(|e| Failure(e.to_string(), 2))
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
    reason: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    candidates: Vec<&'a str>,
}

fn find(args: &[String]) -> Result<(), Failure> {
    let mut gazetteers = Vec::new();
    let mut files = Vec::new();
    let mut lines = false;
    let mut options = FindOptions::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--gazetteer" | "-g" => match it.next() {
                Some(path) => gazetteers.push(path.clone()),
                None => return Err(Failure(format!("--gazetteer needs a file\n{USAGE}"), 2)),
            },
            "--lines" => lines = true,
            "--overlap" => {
                options.overlap = match it.next().map(String::as_str) {
                    Some("longest") => Overlap::Longest,
                    Some("all") => Overlap::All,
                    _ => {
                        return Err(Failure(
                            format!("--overlap takes longest or all\n{USAGE}"),
                            2,
                        ))
                    }
                }
            }
            "-" => files.push(arg.clone()),
            flag if flag.starts_with('-') => {
                return Err(Failure(format!("unknown option {flag:?}\n{USAGE}"), 2))
            }
            _ => files.push(arg.clone()),
        }
    }
    if files.is_empty() {
        files.push("-".to_string());
    }
    let matcher =
        Matcher::new(load_gazetteers(&gazetteers)?).map_err(|e| Failure(e.to_string(), 2))?;
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for file in &files {
        let text = read_input(file)?;
        let write = if lines {
            text.split('\n').enumerate().try_for_each(|(i, line)| {
                print_matches(
                    &mut out,
                    &matcher,
                    file,
                    line.strip_suffix('\r').unwrap_or(line),
                    Some(i + 1),
                    options,
                )
            })
        } else {
            print_matches(&mut out, &matcher, file, &text, None, options)
        };
        write_result(write)?;
    }
    write_result(out.flush())
}

/// Output errors: a closed pipe (`sorot find | head`) is not a failure.
fn write_result(r: io::Result<()>) -> Result<(), Failure> {
    match r {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(Failure(format!("cannot write output: {e}"), 1)),
        Ok(()) => Ok(()),
    }
}

fn print_matches(
    out: &mut impl Write,
    matcher: &Matcher,
    file: &str,
    text: &str,
    line: Option<usize>,
    options: FindOptions,
) -> io::Result<()> {
    let matches = matcher.find_with(text, options);
    let bytes: Vec<usize> = matches
        .iter()
        .flat_map(|m| [m.start_byte, m.end_byte])
        .collect();
    let units = utf16_offsets(text, &bytes);
    let entities = matcher.gazetteer().entities();
    let mut line_no = 1;
    let mut counted = 0;
    for (i, m) in matches.iter().enumerate() {
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
            start: units[2 * i],
            end: units[2 * i + 1],
            text: &text[m.start_byte..m.end_byte],
            id: &e.id,
            type_key: &e.type_key,
            name: &e.name.text,
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

fn check(args: &[String]) -> Result<(), Failure> {
    if args.is_empty() {
        return Err(Failure(format!("check needs a gazetteer file\n{USAGE}"), 2));
    }
    let mut failed = false;
    for path in args {
        let text = read_input(path)?;
        match Gazetteer::parse(&text, path) {
            Ok(g) => {
                let entities = g.entities();
                let aliases: usize = entities.iter().map(|e| e.aliases.len()).sum();
                let short: usize = entities.iter().map(|e| e.short.len()).sum();
                println!(
                    "{path}: ok: {} entities, {aliases} aliases, {short} short forms, {} types",
                    entities.len(),
                    g.types().len()
                );
            }
            Err(e) => {
                eprintln!("{e}");
                failed = true;
            }
        }
    }
    if failed {
        Err(Failure("the gazetteer has errors".into(), 2))
    } else {
        Ok(())
    }
}

fn convert(args: &[String]) -> Result<(), Failure> {
    let compact = args.iter().any(|a| a == "--compact");
    let files: Vec<String> = args.iter().filter(|a| *a != "--compact").cloned().collect();
    let g = load_gazetteers(&files)?;
    let json = if compact {
        serde_json::to_string(&g.to_json())
    } else {
        serde_json::to_string_pretty(&g.to_json())
    };
    let json = json.map_err(|e| Failure(e.to_string(), 1))?;
    write_result(writeln!(io::stdout().lock(), "{json}"))
}
