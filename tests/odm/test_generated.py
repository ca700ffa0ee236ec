"""ODM files written from generated data (Hypothesis): any values, reasons, users and units
a site may hold. Both file types validate against the bundled schema, every OID they
reference is defined, values come back exactly as entered, and a Transactional file's chain
verifies from the file alone."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lxml import etree

from desktop_crf.studies import bundled_forms, load_study
from odm.document import UnwritableValue
from odm.entries import ROW_FIELDS
from odm.model import (
    AdminInfo,
    Definitions,
    FileInfo,
    FormRecord,
    SignatureInfo,
    SubjectRecord,
    UserInfo,
    ValueRow,
)
from odm.names import ODM_NS
from odm.references import check_references
from odm.schema import problems
from odm.snapshot import write_snapshot
from odm.transactional import (
    _AS_THEY_ARE,
    ChainHead,
    _escapes,
    _Placer,
    write_transactional,
)
from odm.verify import verify_file
from sync.entries import ENTRY_FIELDS, GENESIS_HASH, entry_hash

DEFINITIONS = Definitions(load_study("NCT07553767"), bundled_forms())
NS = {"odm": ODM_NS}
INFO = FileInfo(file_oid="ODM.TEST", created="2026-11-01T09:00:00.000000Z")
#: Every (visit, form, group, repeating, item) the study holds.
PLACES = [
    (visit.oid, form_oid, group.oid, group.repeating, item.oid)
    for visit in DEFINITIONS.study.visits
    for form_oid in visit.forms
    for group in DEFINITIONS.forms[form_oid].item_groups
    for item in group.items
]
ACTIONS = ("item.set", "conflict.resolve", "form.status", "query.raise", "session.login")
MEANINGS = ("I approve this form", "I approve the data of this visit")

# What a person can type: anything XML 1.0 carries (no control characters but tab and line
# breaks, no surrogates or non-characters).
texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cn")) | st.sampled_from("\t\n\r"),
    max_size=24,
)
logins = st.sampled_from(["nurse", "investigator", "monitor", "patient:NB02-0001", "王敏"])
units = st.sampled_from([None, "U/L", "IU/mL", "µmol/L", "10^9/L", "g/L"])


@st.composite
def entries(draw: st.DrawFn) -> dict[str, Any]:
    action = draw(st.sampled_from(ACTIONS))
    event, form, group, repeating, item = draw(st.sampled_from(PLACES))
    entry: dict[str, Any] = dict.fromkeys(ENTRY_FIELDS)
    entry.update(
        ts=f"2026-10-{draw(st.integers(1, 28)):02d}T08:00:00.{draw(st.integers(0, 999999)):06d}Z",
        user=draw(logins),
        role=draw(st.sampled_from(["nurse", "investigator", "monitor"])),
        action=action,
        reason=draw(st.none() | texts),
        detail=draw(st.none() | texts),
    )
    if action == "session.login":
        return entry
    entry.update(subject=draw(st.sampled_from(["NB02-0001", "NB02-0002"])))
    entry.update(event=event, event_repeat=1, form=form)
    if action in ("item.set", "conflict.resolve", "query.raise"):
        repeat = draw(st.integers(1, 3)) if repeating else 1
        entry.update(item_group=group, group_repeat=repeat, item=item)
        entry.update(old=draw(st.none() | texts), new=draw(st.none() | texts), unit=draw(units))
        entry.update(base_rev=draw(st.integers(0, 9)))
    else:
        entry.update(old="draft", new="complete")
    return entry


def chained(device: str, bodies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``bodies`` as one device's chain: sequence numbers, links and hashes."""
    previous, chain = GENESIS_HASH, []
    for seq, body in enumerate(sorted(bodies, key=lambda e: e["ts"]), start=1):
        entry = {**body, "device": device, "seq": seq, "prev_hash": previous}
        entry["hash"] = previous = entry_hash(entry)
        chain.append(entry)
    return chain


def admin_for(found: list[dict[str, Any]]) -> AdminInfo:
    return AdminInfo(
        site_code="NB02",
        site_name="Site NB02",
        users=tuple(UserInfo(login) for login in sorted({str(e["user"]) for e in found})),
        signature_meanings=MEANINGS,
        units=tuple(sorted({str(e["unit"]) for e in found if e.get("unit")})),
    )


def write_to(path: Path, write: Any) -> Path:
    buffer = io.BytesIO()
    write(buffer)
    path.write_bytes(buffer.getvalue())
    return path


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(first=st.lists(entries(), min_size=1, max_size=25), second=st.lists(entries(), max_size=10))
def test_generated_transactional_files_validate_and_verify(
    tmp_path: Path, first: list[dict[str, Any]], second: list[dict[str, Any]]
) -> None:
    chains = [chained("NB02-A1", first), chained("NB02-B2", second)]
    found = [e for chain in chains for e in chain]
    heads = [ChainHead(c[-1]["device"], c[-1]["seq"], c[-1]["hash"]) for c in chains if c]
    out = write_to(
        tmp_path / "tx.xml",
        lambda buffer: write_transactional(
            buffer, INFO, DEFINITIONS, admin_for(found), chains, heads=heads
        ),
    )
    assert problems(etree.parse(str(out))) == []
    assert check_references(out) == []
    report = verify_file(out)
    assert report.ok, str(report)
    assert report.records == len(found)


values = st.builds(
    lambda place, repeat, text, unit: (place, repeat, text, unit),
    st.sampled_from(PLACES),
    st.integers(1, 3),
    texts,
    units,
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(values, min_size=1, max_size=40), signed=st.booleans())
def test_generated_snapshots_validate_and_keep_values_as_entered(
    tmp_path: Path, rows: list[Any], signed: bool
) -> None:
    forms: dict[tuple[str, str], dict[tuple[str, int, str], ValueRow]] = {}
    for (event, form, group, repeating, item), repeat, text, unit in rows:
        place = (group, repeat if repeating else 1, item)
        forms.setdefault((event, form), {})[place] = ValueRow(*place, text, unit)
    signature = SignatureInfo("investigator", "2026-10-02T08:00:00Z", MEANINGS[0], "ab" * 32)
    records = tuple(
        FormRecord(event, 1, form, "draft", tuple(found.values()), signature if signed else None)
        for (event, form), found in forms.items()
    )
    subject = SubjectRecord("NB02-0001", {"status": "enrolled", "arm": "PEG_NA"}, records)
    admin = AdminInfo(
        "NB02",
        "Site NB02",
        (UserInfo("investigator", "Dr Fu", "investigator"),),
        MEANINGS,
        tuple(sorted({u for *_rest, u in rows if u})),
    )
    out = write_to(
        tmp_path / "snapshot.xml",
        lambda buffer: write_snapshot(buffer, INFO, DEFINITIONS, admin, [subject]),
    )
    assert problems(etree.parse(str(out))) == []
    assert check_references(out) == []
    written = sorted(
        (item.get("ItemOID"), item.get("Value"))
        for item in etree.parse(str(out)).iterfind(".//odm:ItemData", NS)
    )
    expected = sorted((v.item, v.value) for r in records for v in r.values)
    assert written == expected


# What needs no escaping in XML: no markup characters, no control characters.
plain_texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cn"), blacklist_characters='&<>"'),
    max_size=24,
).filter(str.isprintable)


@settings(max_examples=200, deadline=None)
@given(
    entry=entries(),
    old=st.none() | plain_texts,
    new=st.none() | plain_texts,
    reason=st.none() | plain_texts,
    detail=st.none() | plain_texts,
    unit=units,
)
def test_a_value_change_is_written_alike_by_the_short_and_the_general_way(
    entry: dict[str, Any],
    old: str | None,
    new: str | None,
    reason: str | None,
    detail: str | None,
    unit: str | None,
) -> None:
    """Most records are written in one go (nothing to escape); they must be the very bytes the
    general way writes, which escapes each value and reads each field by name."""
    entry = {**entry, "action": "item.set", "role": "nurse", "reason": reason, "detail": detail}
    entry.update(old=old, new=new, unit=unit)
    assume(entry["item"] is not None)  # else not a value change: the general way only
    [written] = chained("NB02-A1", [entry])
    row = tuple(written.get(name) for name in ROW_FIELDS)
    assume(_escapes(row) is _AS_THEY_ARE)
    placer = _Placer(io.BytesIO(), "", admin_for([written]), {})

    assert placer._item_data(row) == placer._any_item_data(row)


def test_a_value_xml_cannot_carry_is_named_not_written() -> None:
    body: dict[str, Any] = dict.fromkeys(ENTRY_FIELDS)
    body.update(ts="2026-10-01T08:00:00.000000Z", user="nurse", role="nurse", action="x")
    body.update(reason="bell\x07")
    chain = chained("NB02-A1", [body])
    with pytest.raises(UnwritableValue, match="NB02-A1#1"):
        write_transactional(io.BytesIO(), INFO, DEFINITIONS, admin_for(chain), [chain])
