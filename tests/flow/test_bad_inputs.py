"""Bad input gets a clear error and loses nothing: each bad file is recorded as failed with
a message that says what and what to do, and the good document in the same run loads."""

from __future__ import annotations

from pathlib import Path

import duckdb

from conftest import FIXTURES

BAD = {
    "corrupt": ("corrupt.pdf", "not a readable PDF"),
    "encrypted": ("encrypted.pdf", "encrypted with a password"),
    "scanned": ("scanned.pdf", "have no text layer (scanned images)"),
    "cid": ("cid.pdf", "extract as (cid:N)"),
    "html": ("not-a-pdf.pdf", "expected a PDF but got an HTML page"),
    "missing": ("no-such-file.pdf", "no such file"),
}


def test_bad_files_fail_alone_and_say_why(prefect_harness, workdir: Path):
    from flows.ingest import ingest_disclosures

    lines = ['[[source]]\ndepartment = "xj-hrss"\nname = "厅"\nyear = 2025\nkind = "budget"\n'
             f'url = "{FIXTURES / "xj-hrss-2025" / "document.pdf"}"\n']
    for dept, (file, _) in BAD.items():
        lines.append(f'[[source]]\ndepartment = "{dept}"\nname = "{dept}"\nyear = 2025\n'
                     f'kind = "budget"\nurl = "{FIXTURES / "bad" / file}"\n')
    sources = workdir / "sources.toml"
    sources.write_text("\n".join(lines), encoding="utf-8")

    results = ingest_disclosures(str(sources), str(workdir / "warehouse.duckdb"),
                                 compare=False)

    assert {r["source"].split("/")[0]: r["status"] for r in results} == {
        "xj-hrss": "loaded", **{dept: "failed" for dept in BAD}}
    con = duckdb.connect(str(workdir / "warehouse.duckdb"), read_only=True)
    try:
        errors = dict(con.execute(
            "SELECT department, error FROM documents WHERE status = 'failed'").fetchall())
        loaded = con.execute("SELECT count(*) FROM line_items JOIN documents USING (doc_id) "
                             "WHERE department = 'xj-hrss'").fetchone()[0]
    finally:
        con.close()
    for dept, (file, phrase) in BAD.items():
        assert phrase in errors[dept], (dept, errors[dept])
        assert file in errors[dept], "the message names the file by its URL"
    assert loaded > 400
