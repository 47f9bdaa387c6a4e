//! Where each dotted key stands in the file: built once from toml's spanned parse tree, so
//! that errors found after deserialization (unknown keys, bad values) can name a line.

use std::collections::HashMap;

use toml::de::{DeTable, DeValue};

pub struct SpanIndex {
    line_starts: Vec<usize>,
    keys: HashMap<String, usize>,
}

impl SpanIndex {
    pub fn new(text: &str, root: Option<&DeTable<'_>>) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let mut idx = SpanIndex { line_starts, keys: HashMap::new() };
        if let Some(t) = root {
            idx.walk_table("", t);
        }
        idx
    }

    fn walk_table(&mut self, prefix: &str, t: &DeTable<'_>) {
        for (k, v) in t.iter() {
            let path = if prefix.is_empty() { k.get_ref().to_string() } else { format!("{prefix}.{}", k.get_ref()) };
            self.keys.entry(path.clone()).or_insert(k.span().start);
            self.walk_value(&path, v.get_ref());
        }
    }

    fn walk_value(&mut self, path: &str, v: &DeValue<'_>) {
        match v {
            DeValue::Table(t) => self.walk_table(path, t),
            DeValue::Array(a) => {
                for (i, e) in a.iter().enumerate() {
                    let p = format!("{path}[{i}]");
                    self.keys.entry(p.clone()).or_insert(e.span().start);
                    self.walk_value(&p, e.get_ref());
                }
            }
            _ => {}
        }
    }

    /// 1-based (line, column) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let line = self.line_starts.partition_point(|&s| s <= offset);
        (line, offset - self.line_starts[line - 1] + 1)
    }

    /// The position of `key`, or of its nearest ancestor that is in the file.
    pub fn locate(&self, key: &str) -> Option<(usize, usize)> {
        let mut k = key;
        loop {
            if let Some(&off) = self.keys.get(k) {
                return Some(self.line_col(off));
            }
            let cut = k.rfind(['.', '['])?;
            k = &k[..cut];
        }
    }
}
