#!/usr/bin/env python3
"""Check a DCAT-AP document against the DCAT-AP 3.0.0 SHACL shapes (OPN-1).

Usage:
    python3 ci/shacl_check.py DATA_FILE [--format turtle|json-ld] [--shapes SHAPES]
    python3 ci/shacl_check.py DATA_FILE [--format turtle|json-ld] --list-datasets

Validation runs pyshacl on DATA_FILE with the shapes vendored at
crates/gongshu-open/tests/dcat-ap-3.0.0-SHACL.ttl (or --shapes) and prints pyshacl's
report. The format is taken from --format, else from the extension (.jsonld and .json
are JSON-LD, anything else Turtle).

Options passed to pyshacl.validate:
- inference="rdfs": the shapes give access and download URLs (and the targets of
  dct:relation and dct:isReferencedBy) the class rdfs:Resource, which every IRI has
  under RDFS entailment but which no publisher states; without inference these
  constraints fail on every correct document. The entailment only adds what the
  document's own triples imply (the shapes graph is not mixed in, and no outside
  ontology is loaded), so a missing foaf:Agent, dct:Frequency, ... type still fails.
- abort_on_first=False: the report lists every result.
- allow_warnings=True: results of severity sh:Warning or sh:Info are printed but do
  not fail the check; only sh:Violation does. (The 3.0.0 shapes set no severity, so
  all their results are violations; the rule matters for shapes added later.)

Two more checks fail a document, since the shapes cannot see them:
- it has no dcat:Catalog and no dcat:Dataset (an empty or wrong document would
  otherwise conform, having nothing for the shapes to target);
- it has an IRI resolved against the file's own location (file:...), i.e. a relative
  or empty IRI in the document.

--list-datasets prints the dct:identifier of each dcat:Dataset, one per line, sorted,
and validates nothing (so a test can compare them with the CKAN API).

Exit status: 0 conforms (or the list was printed), 1 does not conform (including a
document that does not parse), 2 pyshacl is not installed ("pyshacl not installed";
install with `python3 -m pip install pyshacl`), 3 bad usage or unreadable shapes.
"""

import argparse
import os
import sys

SHAPES = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "..",
    "crates",
    "gongshu-open",
    "tests",
    "dcat-ap-3.0.0-SHACL.ttl",
)

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
SH = "http://www.w3.org/ns/shacl#"


def guess_format(path):
    ext = os.path.splitext(path)[1].lower()
    return "json-ld" if ext in (".jsonld", ".json") else "turtle"


class Parser(argparse.ArgumentParser):
    """argparse, but bad usage exits 3: 2 means pyshacl is missing."""

    def error(self, message):
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        sys.exit(3)


def main(argv):
    parser = Parser(description="Check a DCAT-AP document against the DCAT-AP 3.0.0 SHACL shapes.")
    parser.add_argument("data_file", metavar="DATA_FILE")
    parser.add_argument("--format", choices=["turtle", "json-ld"], help="the data's syntax (default: from the extension)")
    parser.add_argument("--shapes", default=SHAPES, help="the SHACL shapes (default: the vendored DCAT-AP 3.0.0 shapes)")
    parser.add_argument("--list-datasets", action="store_true", help="print the datasets' dct:identifier, sorted, and stop")
    args = parser.parse_args(argv)

    try:
        import pyshacl
        import rdflib
    except ImportError:
        print("pyshacl not installed")
        return 2

    fmt = args.format or guess_format(args.data_file)
    data = rdflib.Graph()
    try:
        data.parse(args.data_file, format=fmt)
    except Exception as exc:  # any parser error means the document does not conform
        print(f"{args.data_file}: not valid {fmt}: {exc}")
        return 1

    rdf_type = rdflib.RDF.type
    datasets = set(data.subjects(rdf_type, rdflib.URIRef(DCAT + "Dataset")))

    if args.list_datasets:
        identifiers = set()
        for dataset in datasets:
            identifiers.update(str(o) for o in data.objects(dataset, rdflib.URIRef(DCT + "identifier")))
        for identifier in sorted(identifiers):
            print(identifier)
        return 0

    shapes = rdflib.Graph()
    try:
        shapes.parse(args.shapes, format="turtle")
    except Exception as exc:
        print(f"{args.shapes}: cannot read the shapes: {exc}")
        return 3

    failed = False
    catalogs = set(data.subjects(rdf_type, rdflib.URIRef(DCAT + "Catalog")))
    if not catalogs and not datasets:
        print(f"{args.data_file}: no dcat:Catalog and no dcat:Dataset: nothing for the shapes to check")
        failed = True
    local = sorted({str(t) for triple in data for t in triple if isinstance(t, rdflib.URIRef) and str(t).startswith("file:")})
    for iri in local:
        print(f"{args.data_file}: relative or empty IRI (resolved to {iri})")
        failed = True

    conforms, report, text = pyshacl.validate(
        data,
        shacl_graph=shapes,
        inference="rdfs",
        abort_on_first=False,
        allow_warnings=True,
    )
    print(text)
    counts = {}
    for severity in report.objects(None, rdflib.URIRef(SH + "resultSeverity")):
        name = str(severity).rsplit("#", 1)[-1]
        counts[name] = counts.get(name, 0) + 1
    print(
        f"{len(catalogs)} catalog(s), {len(datasets)} dataset(s); "
        f"violations: {counts.get('Violation', 0)}, warnings: {counts.get('Warning', 0)}, infos: {counts.get('Info', 0)}"
    )
    if not conforms:
        failed = True
    print("CONFORMS" if not failed else "DOES NOT CONFORM")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
