"""Checks a running gongshu with the real CKAN client, ckanapi (OPN-1).

    python3 ci/ckan_check.py http://127.0.0.1:8080

Exits 0 when every check holds, 1 when one fails, 2 when ckanapi is not installed.
Checks: at least 20 datasets; package_list, package_search and package_show agree;
each resource's DataStore answers with its records; a missing dataset is NotFound;
a write through SQL is refused.
"""
import sys

try:
    import ckanapi
except ImportError:
    print("ckanapi not installed")
    sys.exit(2)


def main(url):
    ckan = ckanapi.RemoteCKAN(url)
    names = ckan.action.package_list()
    assert len(names) >= 20, f"only {len(names)} datasets"
    found = ckan.action.package_search(rows=1000, **{"facet.field": ["organization", "res_format"]})
    assert found["count"] == len(names), (found["count"], len(names))
    assert sorted(p["name"] for p in found["results"]) == sorted(names), "package_search differs from package_list"
    assert found["search_facets"]["organization"]["items"], "facets"
    with_data = 0
    for p in found["results"]:
        shown = ckan.action.package_show(id=p["name"])
        assert shown["name"] == p["name"] and shown["title"] == p["title"], p["name"]
        assert len(shown["resources"]) == len(p["resources"])
        if shown["resources"] and with_data < 10:
            r = shown["resources"][0]
            ds = ckan.action.datastore_search(resource_id=r["id"], limit=5)
            assert ds["total"] == r["records"], (r["id"], ds["total"], r["records"])
            assert len(ds["records"]) == min(5, ds["total"])
            assert ds["fields"][0]["id"] == "_id"
            with_data += 1
    assert with_data >= 1, "no dataset has data"
    try:
        ckan.action.package_show(id="no-such-dataset")
        raise AssertionError("a missing dataset was found")
    except ckanapi.NotFound:
        pass
    try:
        ckan.action.datastore_search_sql(sql="DROP TABLE x")
        raise AssertionError("a write was accepted")
    except ckanapi.ValidationError:
        pass
    print(f"ckanapi: {len(names)} datasets, {with_data} DataStore resources checked: OK")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(3)
    try:
        main(sys.argv[1])
    except AssertionError as e:
        print(f"FAILED: {e}")
        sys.exit(1)
