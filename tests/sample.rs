//! The sample article of the demo, with the default gazetteer, gives exactly the
//! reviewed entities of tests/fixtures/lavrov-kim-id.expected.tsv.

use sorot::{default_gazetteer, Matcher};

#[test]
fn sample_article_gives_every_entity_and_nothing_else() {
    let text = include_str!("../www/demo/sample/lavrov-kim-id.txt");
    let expected: Vec<(usize, String, String, String)> =
        include_str!("fixtures/lavrov-kim-id.expected.tsv")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .skip(1)
            .map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                (f[0].parse().unwrap(), f[1].into(), f[2].into(), f[3].into())
            })
            .collect();
    let m = Matcher::new(default_gazetteer().unwrap()).unwrap();
    let got: Vec<(usize, String, String, String)> = m
        .find(text)
        .iter()
        .map(|x| {
            let e = &m.gazetteer().entities()[x.entity];
            let line = text[..x.start_byte].matches('\n').count() + 1;
            (
                line,
                text[x.start_byte..x.end_byte].into(),
                e.type_key.clone(),
                e.id.clone(),
            )
        })
        .collect();
    let missing: Vec<_> = expected.iter().filter(|e| !got.contains(e)).collect();
    let extra: Vec<_> = got.iter().filter(|g| !expected.contains(g)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing: {missing:?}\nextra (false positives): {extra:?}"
    );
    assert_eq!(got, expected);
}
