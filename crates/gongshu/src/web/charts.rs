//! Charts drawn on the server as SVG, so numbers people compare are seen at a glance
//! without any script: horizontal bars with their values, a title, and `role="img"`
//! with an `aria-label` for screen readers (the same numbers are also in a table).

/// Escapes text for XML.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A horizontal bar chart of `items` (label, value), largest first.
pub fn bars(title: &str, items: &[(String, f64)]) -> String {
    let mut items: Vec<&(String, f64)> = items.iter().collect();
    items.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    items.truncate(15);
    let max = items.iter().map(|i| i.1).fold(0.0_f64, f64::max).max(1.0);
    let (label_w, bar_w, row_h) = (180.0, 300.0, 24.0);
    let height = 30.0 + row_h * items.len() as f64;
    let mut svg = format!(
        r##"<svg class="chart" role="img" aria-label="{t}" viewBox="0 0 {w} {height}" width="100%" xmlns="http://www.w3.org/2000/svg"><title>{t}</title><text x="0" y="16" font-size="14" font-weight="bold" fill="#1f2933">{t}</text>"##,
        t = esc(title),
        w = label_w + bar_w + 80.0,
    );
    for (i, (label, value)) in items.iter().enumerate() {
        let y = 30.0 + row_h * i as f64;
        let len = (value / max * bar_w).max(1.0);
        let shown: String = label.chars().take(14).collect();
        svg.push_str(&format!(
            r##"<text x="{lx}" y="{ty}" font-size="12" text-anchor="end" fill="#1f2933">{l}</text><rect x="{bx}" y="{y}" width="{len:.1}" height="{h}" fill="#1c6bb0"/><text x="{vx:.1}" y="{ty}" font-size="12" fill="#1f2933">{v}</text>"##,
            lx = label_w - 6.0,
            ty = y + 14.0,
            l = esc(&shown),
            bx = label_w,
            h = row_h - 6.0,
            vx = label_w + len + 4.0,
            v = if value.fract() == 0.0 { format!("{value:.0}") } else { format!("{value:.1}") },
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sup_4_bars_escape_labels_and_scale_to_the_largest() {
        let svg = bars("下载 <次数>", &[("a&b".into(), 10.0), ("c".into(), 5.0)]);
        assert!(svg.contains("<title>下载 &lt;次数&gt;</title>"));
        assert!(svg.contains(">a&amp;b<"));
        assert!(svg.contains(r#"width="300.0""#), "the largest bar is full width");
        assert!(svg.contains(r#"width="150.0""#));
        assert!(bars("空", &[]).ends_with("</svg>"));
    }
}
