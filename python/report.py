"""Renders evaluate.py's results as a self-contained Markdown and HTML report
with inline SVG bar charts (no plotting library, no external files)."""

import html
import math

CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
           "Shirt", "Sneaker", "Bag", "Ankle boot"]


def svg_bars(labels, values, title, unit="", width=640, bar_height=22,
             fmt="{:.2f}", lo=None, hi=None):
    """A horizontal bar chart as an SVG string."""
    finite = [v for v in values if v is not None and math.isfinite(v)]
    lo = min(finite + [0.0]) if lo is None else lo
    hi = max(finite + [1e-9]) if hi is None else hi
    # Room for the longest label (at most about 7.2 px a character at 12 px).
    label_w = max(190, 16 + int(7.2 * max([len(str(l)) for l in labels] + [0])))
    value_w, pad = 80, 8
    width = max(width, label_w + value_w + 2 * pad + 240)
    plot_w = width - label_w - value_w - 2 * pad
    height = 30 + bar_height * len(labels) + pad
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="12" role="img" aria-label="{html.escape(title)}">',
           f'<text x="{pad}" y="18" font-weight="bold">{html.escape(title)}</text>']
    for i, (label, v) in enumerate(zip(labels, values)):
        y = 30 + i * bar_height
        shown = v if v is not None and math.isfinite(v) else hi
        w = 0 if hi == lo else max(1.0, plot_w * (shown - lo) / (hi - lo))
        text = "inf" if v is not None and not math.isfinite(v) else fmt.format(v)
        out.append(f'<text x="{label_w - 4}" y="{y + 15}" text-anchor="end">'
                   f'{html.escape(str(label))}</text>')
        out.append(f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{bar_height - 6}" '
                   f'fill="#3b7dd8"/>')
        out.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 15}">{text}{unit}</text>')
    out.append("</svg>")
    return "\n".join(out)


def _table_md(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _table_html(header, rows):
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>"
                   for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def sections(results):
    """(title, header, rows) tables and (title, svg) charts of the results."""
    r = results
    tables, charts = [], []
    summary = [
        ("Float accuracy (ONNX Runtime)", f"{100 * r['accuracy_float_ort']:.2f}%"),
        ("Int8 accuracy (QuantOpt C)", f"{100 * r['accuracy_int8_quantopt']:.2f}%"),
        ("Top-1 agreement float vs int8", f"{100 * r['top1_agreement']:.2f}%"),
        ("Float weights", f"{r['weight_bytes_float']} B"),
        ("Int8 constants (weights, biases, tables)", f"{r['const_bytes_int8']} B"),
        ("Code", f"{r['code_bytes']} B"),
        ("Arena", f"{r['arena_bytes']} B"),
    ]
    if "latency" in r:
        lat = r["latency"]
        summary += [("Latency QuantOpt / ORT FP32 / ORT INT8 (median, us)",
                     f"{lat['quantopt']:.1f} / {lat['ort_fp32']:.1f} / {lat['ort_int8']:.1f}")]
    if "qdq_int8_outputs_differing" in r:
        summary += [("QDQ model: int8 outputs differing from ONNX Runtime",
                     f"{100 * r['qdq_int8_outputs_differing']:.3f}% "
                     f"(largest difference {r['qdq_int8_max_abs_diff']})")]
    tables.append(("Summary", ["", "value"], summary))
    if r.get("changed_predictions"):
        rows = [(f"{CLASSES[a]} ({a})", f"{CLASSES[b]} ({b})", n)
                for (a, b), n in r["changed_predictions"]]
        tables.append(("Predictions that changed (float -> int8), most frequent first",
                       ["float says", "int8 says", "images"], rows))
    if r.get("layers"):
        layers = r["layers"]
        charts.append(("Per-layer SQNR",
                       svg_bars([f"{l['layer']} ({l['op']})" for l in layers],
                                [l["sqnr_db"] for l in layers],
                                "SQNR of each layer's output vs float (dB, higher is better)",
                                unit=" dB", fmt="{:.1f}")))
        tables.append(("Per-layer error (QDQ simulation vs float)",
                       ["layer", "op", "SQNR dB", "cosine"],
                       [(l["layer"], l["op"], f"{l['sqnr_db']:.2f}", f"{l['cosine']:.5f}")
                        for l in layers]))
    if r.get("strategies"):
        st = r["strategies"]
        accs = [100 * s["accuracy"] for s in st] + [100 * r["accuracy_float_ort"]]
        # The axis starts 1 point below the lowest bar so that differences
        # of a few tenths stay visible; the title says so.
        charts.append(("Accuracy per strategy",
                       svg_bars([s["name"] for s in st] + ["float (ORT)"], accs,
                                f"Top-1 accuracy on the test set (%, axis from "
                                f"{math.floor(min(accs)) - 1}%)", unit="%",
                                lo=math.floor(min(accs)) - 1, hi=max(accs) + 0.2)))
        tables.append(("Strategies", ["strategy", "quant-opt options", "accuracy",
                                      "drop (points)", "constants B", "arena B"],
                       [(s["name"], s["options"], f"{100 * s['accuracy']:.2f}%",
                         f"{100 * (r['accuracy_float_ort'] - s['accuracy']):+.2f}",
                         s["const_bytes"], s["arena_bytes"]) for s in st]))
    return tables, charts


def write_markdown(path, results, svg_dir=None):
    tables, charts = sections(results)
    out = [f"# QuantOpt report: {results['model']}", "",
           f"{results['test_images']} test images, calibration on "
           f"{results['calibration_images']} training images.", ""]
    title, header, rows = tables[0]
    out += [f"## {title}", "", _table_md(header, rows), ""]
    for title, svg in charts:
        name = title.lower().replace(" ", "-") + ".svg"
        if svg_dir:
            with open(f"{svg_dir}/{name}", "w") as f:
                f.write(svg)
            out += [f"## {title}", "", f"![{title}]({name})", ""]
    for title, header, rows in tables[1:]:
        out += [f"## {title}", "", _table_md(header, rows), ""]
    with open(path, "w") as f:
        f.write("\n".join(out))


def write_html(path, results):
    tables, charts = sections(results)
    style = ("body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#222}"
             "table{border-collapse:collapse;margin:.5em 0 1.5em}"
             "td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}"
             "th{background:#eef}")
    out = [f"<!DOCTYPE html><html><head><meta charset='utf-8'>"
           f"<title>QuantOpt report: {html.escape(results['model'])}</title>"
           f"<style>{style}</style></head><body>",
           f"<h1>QuantOpt report: {html.escape(results['model'])}</h1>",
           f"<p>{results['test_images']} test images, calibration on "
           f"{results['calibration_images']} training images.</p>"]
    title, header, rows = tables[0]
    out += [f"<h2>{html.escape(title)}</h2>", _table_html(header, rows)]
    for title, svg in charts:
        out += [f"<h2>{html.escape(title)}</h2>", svg]
    for title, header, rows in tables[1:]:
        out += [f"<h2>{html.escape(title)}</h2>", _table_html(header, rows)]
    out.append("</body></html>")
    with open(path, "w") as f:
        f.write("\n".join(out))
