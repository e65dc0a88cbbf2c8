//! What changes between two versions of an organisation file, for a person to read before an
//! import writes: the changed lines with a little context, each group headed by where in the
//! file it is (`[[locations]] raadhuset › [[locations.desks]] Skranke 3`), because a line
//! such as `desks = 2` means nothing without its table.

/// Lines of unchanged context shown around each change.
const CONTEXT: usize = 2;
/// Past this many cells the comparison is not worth its memory: the differing middle is then
/// shown as wholly replaced, which is still true, only less precise.
const MAX_CELLS: usize = 16_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line<'a> {
    Same(&'a str),
    Removed(&'a str),
    Added(&'a str),
}

/// The lines of `after` that are not in `before` (`+ `) and the reverse (`- `), in groups
/// with their place in the file; empty when the two are the same.
pub fn line_diff(before: &str, after: &str) -> String {
    let script = edit_script(
        &before.lines().collect::<Vec<_>>(),
        &after.lines().collect::<Vec<_>>(),
    );
    let changed: Vec<usize> = script
        .iter()
        .enumerate()
        .filter(|(_, l)| !matches!(l, Line::Same(_)))
        .map(|(i, _)| i)
        .collect();
    let mut out = String::new();
    let mut i = 0;
    while i < changed.len() {
        let first = changed[i];
        let start = first.saturating_sub(CONTEXT);
        let mut end = first;
        while i < changed.len() && changed[i] <= end + 2 * CONTEXT + 1 {
            end = changed[i];
            i += 1;
        }
        let end = (end + CONTEXT + 1).min(script.len());
        out.push_str(&format!("@@ {}\n", place(&script[..=first])));
        for line in &script[start..end] {
            let (mark, text) = match line {
                Line::Same(t) => (' ', t),
                Line::Removed(t) => ('-', t),
                Line::Added(t) => ('+', t),
            };
            out.push_str(&format!("{mark} {text}\n"));
        }
    }
    out
}

/// The tables that the last line of `lines` (the first change of a group) lies in, named by
/// their first `slug`, `name`, `username` or `service`.
fn place(lines: &[Line]) -> String {
    let mut path: Vec<(String, Option<String>)> = Vec::new();
    let (last, before) = lines.split_last().expect("a group has a change");
    let kept = before.iter().filter_map(|line| match line {
        Line::Same(t) | Line::Added(t) => Some(*t),
        Line::Removed(_) => None,
    });
    let changed = match last {
        Line::Same(t) | Line::Added(t) | Line::Removed(t) => *t,
    };
    for text in kept.chain([changed]) {
        if let Some(header) = text.strip_prefix('[') {
            let name = header.trim_matches(['[', ']']).to_owned();
            let depth = name.matches('.').count();
            path.truncate(depth);
            path.push((text.to_owned(), None));
        } else if let Some((key, value)) = text.split_once(" = ") {
            if let Some((_, label @ None)) = path.last_mut() {
                if matches!(key, "slug" | "name" | "username" | "service") {
                    *label = Some(value.trim_matches(['"', '\'']).to_owned());
                }
            }
        }
    }
    let parts: Vec<String> = path
        .into_iter()
        .map(|(header, label)| match label {
            Some(label) => format!("{header} {label}"),
            None => header,
        })
        .collect();
    if parts.is_empty() {
        "(start of file)".to_owned()
    } else {
        parts.join(" › ")
    }
}

/// The shortest way from `a` to `b` in kept, removed and added lines (a longest common
/// subsequence, after the common start and end are set aside).
fn edit_script<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<Line<'a>> {
    let head = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    let mut script: Vec<Line<'a>> = a[..head].iter().map(|l| Line::Same(l)).collect();
    if ma.len().saturating_mul(mb.len()) > MAX_CELLS {
        script.extend(ma.iter().map(|l| Line::Removed(l)));
        script.extend(mb.iter().map(|l| Line::Added(l)));
    } else {
        script.extend(common(ma, mb));
    }
    script.extend(a[a.len() - tail..].iter().map(|l| Line::Same(l)));
    script
}

fn common<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<Line<'a>> {
    let width = b.len() + 1;
    // lcs[i * width + j]: the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![0u32; (a.len() + 1) * width];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i * width + j] = if a[i] == b[j] {
                lcs[(i + 1) * width + j + 1] + 1
            } else {
                lcs[(i + 1) * width + j].max(lcs[i * width + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(a.len() + b.len());
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            out.push(Line::Same(a[i]));
            i += 1;
            j += 1;
        } else if lcs[(i + 1) * width + j] >= lcs[i * width + j + 1] {
            out.push(Line::Removed(a[i]));
            i += 1;
        } else {
            out.push(Line::Added(b[j]));
            j += 1;
        }
    }
    out.extend(a[i..].iter().map(|l| Line::Removed(l)));
    out.extend(b[j..].iter().map(|l| Line::Added(l)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_text_has_no_differences() {
        let text = "[organisation]\nslug = \"a\"\n";
        assert_eq!(line_diff(text, text), "");
    }

    #[test]
    fn a_changed_line_is_shown_with_its_table_and_context() {
        let before = "[[locations]]\nslug = \"raadhuset\"\nname = \"Rådhuset\"\n\n[[locations.desks]]\nname = \"Skranke 1\"\nkind = \"counter\"\nservices = [\"pas\"]\n";
        let after = before.replace("[\"pas\"]", "[\"pas\", \"koerekort\"]");
        let diff = line_diff(before, &after);
        assert_eq!(
            diff,
            "@@ [[locations]] raadhuset › [[locations.desks]] Skranke 1\n  \
             name = \"Skranke 1\"\n  kind = \"counter\"\n- services = [\"pas\"]\n\
             + services = [\"pas\", \"koerekort\"]\n"
        );
    }

    #[test]
    fn changes_far_apart_make_groups_of_their_own() {
        let before: Vec<String> = (0..30).map(|i| format!("n{i} = {i}")).collect();
        let mut after = before.clone();
        after[3] = "n3 = 33".into();
        after[25] = "n25 = 55".into();
        let diff = line_diff(&before.join("\n"), &after.join("\n"));
        assert_eq!(diff.matches("@@").count(), 2, "{diff}");
        assert!(diff.contains("- n3 = 3\n+ n3 = 33\n"), "{diff}");
        assert!(diff.contains("- n25 = 25\n+ n25 = 55\n"), "{diff}");
        assert!(!diff.contains("n14"), "far from both changes: {diff}");
    }

    #[test]
    fn an_added_table_keeps_the_lines_around_it() {
        let before = "[[departments]]\nslug = \"a\"\n\n[[departments]]\nslug = \"c\"\n";
        let after = "[[departments]]\nslug = \"a\"\n\n[[departments]]\nslug = \"b\"\n\n[[departments]]\nslug = \"c\"\n";
        let diff = line_diff(before, after);
        let added: Vec<&str> = diff.lines().filter(|l| l.starts_with('+')).collect();
        let removed = diff.lines().filter(|l| l.starts_with('-')).count();
        assert_eq!(removed, 0, "{diff}");
        assert_eq!(added.len(), 3, "{diff}");
    }
}
