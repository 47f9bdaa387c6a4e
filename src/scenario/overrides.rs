//! `--set key.path=value` overrides applied to a parsed scenario tree: a dotted path (with
//! `[i]` for an element of a list of tables), and a TOML value, or bare text.

use std::collections::BTreeMap;

use super::error::ScenarioError;

/// Applies `key.path=value` overrides to the parsed tree. The value is read as a TOML
/// value (`0.5`, `true`, `[1, 2]`, `"text"`), or taken as a bare string if it is not one.
/// Returns the overridden keys with the argument each came from.
pub fn apply_overrides(
    table: &mut toml::Table,
    overrides: &[String],
) -> Result<BTreeMap<String, String>, ScenarioError> {
    let mut done = BTreeMap::new();
    for arg in overrides {
        let bad = |reason: &str| ScenarioError::BadOverride { arg: arg.clone(), reason: reason.into() };
        let (key, value) =
            arg.split_once('=').ok_or_else(|| bad("expected KEY.PATH=VALUE, e.g. collaboration.transparency=0.3"))?;
        let key = key.trim();
        if key.is_empty() || key.split('.').any(str::is_empty) {
            return Err(bad("the key must be a dotted path such as leadership.turnover_per_year"));
        }
        let parsed = toml::from_str::<toml::Table>(&format!("v = {}", value.trim()))
            .ok()
            .and_then(|mut t| t.remove("v"))
            .unwrap_or_else(|| toml::Value::String(value.trim().to_string()));
        let mut parts: Vec<&str> = key.split('.').collect();
        let last = parts.pop().expect("non-empty key");
        let mut cur = &mut *table;
        let mut walked = String::new();
        for part in parts {
            let (name, index) = split_index(part).map_err(|r| bad(&r))?;
            walked = if walked.is_empty() { name.to_string() } else { format!("{walked}.{name}") };
            let entry = cur.entry(name.to_string()).or_insert_with(|| toml::Value::Table(toml::Table::new()));
            let entry = match index {
                None => entry,
                Some(i) => element(entry, i, &walked).map_err(|r| bad(&r))?,
            };
            cur = entry
                .as_table_mut()
                .ok_or_else(|| bad(&format!("`{walked}` is a value, not a table, so it has no `{last}`")))?;
        }
        let (name, index) = split_index(last).map_err(|r| bad(&r))?;
        match index {
            None => {
                cur.insert(name.to_string(), parsed);
            }
            Some(i) => {
                let full = if walked.is_empty() { name.to_string() } else { format!("{walked}.{name}") };
                let entry = cur.get_mut(name).ok_or_else(|| bad(&format!("`{full}` is not in the scenario")))?;
                *element(entry, i, &full).map_err(|r| bad(&r))? = parsed;
            }
        }
        done.insert(key.to_string(), arg.clone());
    }
    Ok(done)
}

/// `items[2]` as (`items`, Some(2)); `items` as (`items`, None).
fn split_index(part: &str) -> Result<(&str, Option<usize>), String> {
    let Some(open) = part.find('[') else { return Ok((part, None)) };
    let index = part[open + 1..]
        .strip_suffix(']')
        .and_then(|i| i.parse::<usize>().ok())
        .ok_or_else(|| format!("`{part}`: an array element is written NAME[INDEX], e.g. savings.items[0]"))?;
    Ok((&part[..open], Some(index)))
}

/// Element `i` of the array at `path` (which must exist: overrides change entries, not add them).
fn element<'a>(value: &'a mut toml::Value, i: usize, path: &str) -> Result<&'a mut toml::Value, String> {
    let arr = value.as_array_mut().ok_or_else(|| format!("`{path}` is not an array, so it has no [{i}]"))?;
    let n = arr.len();
    arr.get_mut(i).ok_or_else(|| match n {
        0 => format!("`{path}` has no entries, so it has no [{i}]"),
        _ => format!("`{path}` has {n} entries, [0] to [{}], not [{i}]", n - 1),
    })
}
