"""The full schema of an audit entry: one model per action, shared by the server and the devices.

The server refuses a change set whose entries do not fit it (``schema``), and a device stores
only entries that fit it, so that whatever the server accepts every device of the site can store
exactly as it came (same types, same text) and its chain still verifies there.

Every entry has the fields of ``sync.entries.ENTRY_FIELDS`` plus ``hash``; the types are strict
(an integer is never accepted for a string nor a string for an integer) and:

- ``device`` is a device id, ``seq`` a positive integer, ``prev_hash`` and ``hash`` 64 lowercase
  hex digits;
- ``ts`` is an RFC 3339 time in UTC ending in ``Z`` that parses (``2026-11-22T09:14:03.120031Z``);
- ``user`` is a non-empty name, ``role`` one of ``ROLES``;
- the place (``PATH_FIELDS``) is a path from the subject down: a visit needs its subject and a
  repeat, a form its visit, an item group its form and a repeat, an item its group. Repeats are
  between 1 and ``MAX_REPEAT``. Each action says how deep its place must be (``item.set``: the
  whole item path);
- ``base_rev`` is a revision (0 or more) where the action changes an item, else null;
- texts are at most ``MAX_TEXT`` characters; JSON payloads (``detail`` of most actions, the
  subject fields of ``subject.create``) are objects of the expected shape.

An action without a model here is refused: a new kind of entry needs its model first.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from sync.entries import ENTRY_FIELDS, PATH_FIELDS, SUBJECT_FIELDS

__all__ = [
    "ENTRY_ACTIONS",
    "MAX_REPEAT",
    "MAX_TEXT",
    "ROLES",
    "SUBJECT_FIELDS",
    "EntrySchemaError",
    "check_entry",
    "check_place",
    "entry_problem",
    "is_timestamp",
]

#: The roles an entry may name (``patient``: a questionnaire filled in on the tablet).
ROLES: tuple[str, ...] = ("admin", "nurse", "investigator", "monitor", "patient")
#: The largest visit or group repeat: far above any schedule, far below any integer limit.
MAX_REPEAT = 10_000
#: The longest text of an entry (values, reasons, JSON payloads).
MAX_TEXT = 65_536
_MAX_NAME = 200
_MAX_SAFE_INT = 2**53 - 1

_TS = re.compile(r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d{1,9})?Z")
_DEVICE = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$"
_HEX64 = r"^[0-9a-f]{64}$"
_PUBLIC_KEY = re.compile(r"[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=")


class EntrySchemaError(ValueError):
    """An entry that does not fit the schema; the message names the field and the rule."""


def is_timestamp(value: object) -> bool:
    """Whether ``value`` is an RFC 3339 UTC time with a ``Z`` that parses (a real date)."""
    if type(value) is not str:
        return False
    if _TS.fullmatch(value) is None:
        return False
    try:
        if not value.isascii():  # other scripts' digits, which \d matches: as ever
            datetime.strptime(value[:19], "%Y-%m-%dT%H:%M:%S")
            return True
        # The same date and time rules as strptime, in C: a tenth of its time per entry.
        datetime.fromisoformat(value[:19])
    except ValueError:
        return False
    return True


def _timestamp(value: str) -> str:
    if not is_timestamp(value):
        raise ValueError("must be an RFC 3339 UTC time such as 2026-11-22T09:14:03.120031Z")
    return value


def _json_object(value: str | None) -> dict[str, Any] | None:
    if value is None:
        return None
    try:
        parsed = json.loads(value)
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) else None


Name = Annotated[str, StringConstraints(min_length=1, max_length=_MAX_NAME)]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
Repeat = Annotated[int, Field(ge=1, le=MAX_REPEAT)]
Hex64 = Annotated[str, StringConstraints(pattern=_HEX64)]
Timestamp = Annotated[str, AfterValidator(_timestamp)]

#: How deep a place goes: nothing, the subject, the form (with its visit) or the whole item.
Depth = Literal["none", "subject", "form", "item", "any"]
_DEPTHS: dict[str, tuple[str, ...]] = {
    "none": (),
    "subject": ("subject",),
    "form": ("subject", "event", "event_repeat", "form"),
    "item": PATH_FIELDS,
}


def check_place(place: Mapping[str, Any]) -> str | None:
    """Why a place (subject, event, event_repeat, form, item_group, group_repeat, item) is not
    a path from the subject down, or None if it is one. Types are checked by the models."""
    # Each field needs the one above it, then each repeat its level; written out, since every
    # entry of every upload is checked here.
    subject, event, event_repeat, form, item_group, group_repeat, item = [
        place.get(name) for name in PATH_FIELDS
    ]
    if event is not None and subject is None:
        return "event needs subject"
    if event_repeat is not None and event is None:
        return "event_repeat needs event"
    if form is not None and event is None:
        return "form needs event"
    if item_group is not None and form is None:
        return "item_group needs form"
    if group_repeat is not None and item_group is None:
        return "group_repeat needs item_group"
    if item is not None and item_group is None:
        return "item needs item_group"
    if event is not None and event_repeat is None:
        return "event needs event_repeat"
    if item_group is not None and group_repeat is None:
        return "item_group needs group_repeat"
    return None


class _Entry(BaseModel):
    """What every entry has. Subclasses fix the action, its place and its payloads."""

    # defer_build: the validators are built when an entry of that action is first checked, not
    # when the module is imported (the app's window comes up first; the store checks later)
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, defer_build=True)

    #: How deep the place must be ("any": whatever path, or none).
    depth: ClassVar[Depth] = "none"
    #: Whether the place may go deeper than ``depth`` (e.g. a query on a subject or an item).
    deeper: ClassVar[bool] = False
    #: Whether ``base_rev`` is a revision (item changes) rather than null.
    revision: ClassVar[bool] = False
    #: Whether ``detail`` must be a JSON object (else it may be null, or any text for items).
    detail_object: ClassVar[bool] = False

    device: Annotated[str, StringConstraints(pattern=_DEVICE)]
    seq: Annotated[int, Field(ge=1, le=_MAX_SAFE_INT)]
    ts: Timestamp
    user: Name
    role: Literal["admin", "nurse", "investigator", "monitor", "patient"]
    action: str
    subject: Name | None
    event: Name | None
    event_repeat: Repeat | None
    form: Name | None
    item_group: Name | None
    group_repeat: Repeat | None
    item: Name | None
    old: Text | None
    new: Text | None
    unit: Text | None
    reason: Text | None
    base_rev: Annotated[int, Field(ge=0, le=_MAX_SAFE_INT)] | None
    detail: Text | None
    prev_hash: Hex64
    hash: Hex64

    #: Whether ``item`` names a laboratory analyte, outside any subject (reference ranges).
    analyte: ClassVar[bool] = False

    @model_validator(mode="after")
    def _rules(self) -> _Entry:
        # the fields as validated, read from the instance's dict (no copy: this runs per entry)
        place: dict[str, Any] = self.__dict__
        if self.analyte:
            place = {name: place[name] for name in PATH_FIELDS}
            if self.item is None or any(place[n] is not None for n in PATH_FIELDS if n != "item"):
                raise ValueError(f"{self.action} names an analyte (item) and no other place")
            place["item"] = None
        problem = check_place(place)
        if problem is not None:
            raise ValueError(f"the place is not a path from the subject: {problem}")
        required = _DEPTHS.get(self.depth, ())
        missing = [name for name in required if place[name] is None]
        if missing:
            raise ValueError(f"{self.action} needs {', '.join(missing)}")
        if not self.deeper and self.depth != "any":
            extra = [n for n in PATH_FIELDS if n not in required and place[n] is not None]
            if extra:
                raise ValueError(f"{self.action} has no place for {', '.join(extra)}")
        if self.revision and self.base_rev is None:
            raise ValueError(f"{self.action} needs base_rev (the revision the user saw)")
        if not self.revision and self.base_rev is not None:
            raise ValueError(f"{self.action} has no base_rev")
        if self.detail_object and _json_object(self.detail) is None:
            raise ValueError(f"{self.action}: detail must be a JSON object")
        self.check_payload()
        return self

    def check_payload(self) -> None:
        """Rules of the action's own payloads (raise ValueError)."""


def _need_keys(obj: Mapping[str, Any] | None, keys: tuple[str, ...], what: str) -> None:
    if obj is None or any(not isinstance(obj.get(k), str) or not obj.get(k) for k in keys):
        raise ValueError(f"{what} must be a JSON object with the texts {', '.join(keys)}")


# -- item changes ------------------------------------------------------------------------------


class ItemSet(_Entry):
    """A value entered or changed (``new`` exactly as entered, null when cleared)."""

    depth: ClassVar[Depth] = "item"
    revision: ClassVar[bool] = True
    action: Literal["item.set"]


class ConflictResolve(_Entry):
    """The value a person chose for an item in conflict, with a reason."""

    depth: ClassVar[Depth] = "item"
    revision: ClassVar[bool] = True
    action: Literal["conflict.resolve"]


class AeSuggestionDecline(_Entry):
    """A lab value's AE suggestion declined, with why (``detail``: what was suggested)."""

    depth: ClassVar[Depth] = "item"
    detail_object: ClassVar[bool] = True
    action: Literal["ae.suggestion.decline"]


# -- forms -------------------------------------------------------------------------------------


class FormStatus(_Entry):
    """A form's status: a first save makes a draft; ``complete`` or back to ``draft``."""

    depth: ClassVar[Depth] = "form"
    action: Literal["form.status"]

    def check_payload(self) -> None:
        if self.new not in ("draft", "complete") or self.old not in (None, "draft", "complete"):
            raise ValueError("form.status goes from null, draft or complete to draft or complete")
        if self.detail is not None and _json_object(self.detail) is None:
            raise ValueError("form.status: detail must be a JSON object or null")


class FormSign(_Entry):
    """An electronic signature of a form, linked to the hash of its content."""

    depth: ClassVar[Depth] = "form"
    detail_object: ClassVar[bool] = True
    action: Literal["form.sign"]

    def check_payload(self) -> None:
        detail = _json_object(self.detail)
        _need_keys(detail, ("signer", "signer_name", "meaning", "signed_at"), "form.sign detail")
        assert detail is not None
        if not isinstance(detail.get("content_hash"), str) or not re.fullmatch(
            _HEX64, detail["content_hash"]
        ):
            raise ValueError("form.sign detail needs the content_hash (64 hex digits)")


# -- subjects ----------------------------------------------------------------------------------


class _SubjectChange(_Entry):
    depth: ClassVar[Depth] = "subject"

    def check_payload(self) -> None:
        for name in ("new", "old"):
            text = getattr(self, name)
            if name == "old" and text is None:
                continue
            fields = _json_object(text)
            if fields is None:
                raise ValueError(f"{self.action}: {name} must be a JSON object of subject fields")
            unknown = set(fields) - SUBJECT_FIELDS
            if unknown:
                raise ValueError(f"{self.action}: unknown subject fields {sorted(unknown)[:5]}")
            if any(v is not None and not isinstance(v, str) for v in fields.values()):
                raise ValueError(f"{self.action}: subject fields are texts or null")


class SubjectCreate(_SubjectChange):
    """A subject screened: ``new`` holds its fields."""

    action: Literal["subject.create"]


class SubjectUpdate(_SubjectChange):
    """A subject's fields changed (enrolment, status): ``old`` and ``new`` hold them."""

    action: Literal["subject.update"]


# -- queries -----------------------------------------------------------------------------------


class _QueryEntry(_Entry):
    depth: ClassVar[Depth] = "subject"
    deeper: ClassVar[bool] = True
    #: Whether ``detail`` names the query (``{"query_id": N}``).
    names_query: ClassVar[bool] = True

    def check_payload(self) -> None:
        if not self.new:
            raise ValueError(f"{self.action} needs its text in new")
        if not self.names_query:
            return
        detail = _json_object(self.detail)
        if detail is not None and set(detail) == {"query_origin"}:
            # a query raised at the site and not on the server yet: named by its raise entry
            origin = detail["query_origin"]
            if (
                isinstance(origin, dict)
                and set(origin) == {"device", "seq"}
                and isinstance(origin["device"], str)
                and re.fullmatch(_DEVICE, origin["device"])
                and type(origin["seq"]) is int
                and 0 < origin["seq"] <= _MAX_SAFE_INT
            ):
                return
            raise ValueError(f'{self.action}: query_origin must be {{"device": D, "seq": N}}')
        query_id = detail.get("query_id") if detail is not None else None
        if type(query_id) is not int or not 0 < query_id < 2**62:
            raise ValueError(
                f'{self.action}: detail must be {{"query_id": N}} or {{"query_origin": ...}}'
            )


class QueryRaise(_QueryEntry):
    """A monitor's query raised at the site; ``new`` is its text."""

    names_query: ClassVar[bool] = False
    action: Literal["query.raise"]


class QueryAnswer(_QueryEntry):
    """The site's answer to a query (``detail`` names it)."""

    action: Literal["query.answer"]


class QueryClose(_QueryEntry):
    """A monitor closing a query at the site, with a remark."""

    action: Literal["query.close"]


class QueryReopen(_QueryEntry):
    """A monitor reopening a query at the site, saying what is still needed."""

    action: Literal["query.reopen"]


# -- the site, its users and sessions ---------------------------------------------------------


class SiteCreate(_Entry):
    """The site was created (``detail``: study, site code, demo)."""

    detail_object: ClassVar[bool] = True
    action: Literal["site.create"]


class _UserEntry(_Entry):
    detail_object: ClassVar[bool] = True

    def check_payload(self) -> None:
        _need_keys(_json_object(self.detail), ("name",), f"{self.action} detail")


def _optional_public_key(detail: Mapping[str, Any] | None, what: str) -> None:
    key = (detail or {}).get("public_key")
    if key is not None and (not isinstance(key, str) or not _PUBLIC_KEY.fullmatch(key)):
        raise ValueError(f"{what}: public_key must be the base64 of 32 bytes")


class UserAdd(_UserEntry):
    """A user added with a role (``detail``: name, role, and the public key of the user's
    signing key; sites created before user signatures wrote none)."""

    action: Literal["user.add"]

    def check_payload(self) -> None:
        detail = _json_object(self.detail)
        _need_keys(detail, ("name", "role"), "user.add detail")
        _optional_public_key(detail, "user.add detail")


class UserPasswordChanged(_UserEntry):
    action: Literal["user.password_changed"]


class UserPasswordReset(_UserEntry):
    """A password reset with the recovery key (``detail``: name, and the user's new public
    key; resets written before user signatures have none)."""

    action: Literal["user.password_reset"]

    def check_payload(self) -> None:
        detail = _json_object(self.detail)
        _need_keys(detail, ("name",), "user.password_reset detail")
        _optional_public_key(detail, "user.password_reset detail")


class UserKey(_UserEntry):
    """A user of a site created before user signatures announces their first signing key
    (``detail``: name, role, public_key), signed with it."""

    action: Literal["user.key"]

    def check_payload(self) -> None:
        detail = _json_object(self.detail)
        _need_keys(detail, ("name", "role", "public_key"), "user.key detail")
        _optional_public_key(detail, "user.key detail")


class UserKeyBound(_UserEntry):
    """A monitor bound their key at the server with the data manager's one-time token
    (``detail``: name, key_id)."""

    action: Literal["user.key_bound"]

    def check_payload(self) -> None:
        _need_keys(_json_object(self.detail), ("name", "key_id"), "user.key_bound detail")


class SessionLogin(_Entry):
    action: Literal["session.login"]


class SessionUnlock(_Entry):
    action: Literal["session.unlock"]


class SessionLock(_Entry):
    action: Literal["session.lock"]


class SessionLogout(_Entry):
    action: Literal["session.logout"]


class SessionLoginFailed(_Entry):
    """A failed unlock, written at the next successful one (``detail``: who, when, why)."""

    detail_object: ClassVar[bool] = True
    action: Literal["session.login_failed"]


class SessionPatientMode(_Entry):
    """The tablet handed to a patient, locked to one subject."""

    depth: ClassVar[Depth] = "subject"
    action: Literal["session.patient_mode"]


class AuditExport(_Entry):
    """The audit trail exported (``detail``: the filter and the file)."""

    detail_object: ClassVar[bool] = True
    action: Literal["audit.export"]


class DataExport(_Entry):
    """Clinical data exported: ODM, CSV or a casebook (``detail``: kind, file, SHA-256)."""

    depth: ClassVar[Depth] = "any"
    detail_object: ClassVar[bool] = True
    action: Literal["data.export"]


class DataImport(_Entry):
    """A study's data imported from an ODM file into an empty site (``detail``: file name,
    SHA-256, file OID and type, counts). The entries it replayed follow it in the chain, each
    saying in ``detail`` which record of that file it comes from."""

    detail_object: ClassVar[bool] = True
    action: Literal["data.import"]

    def check_payload(self) -> None:
        detail = _json_object(self.detail)
        _need_keys(detail, ("file", "sha256", "file_oid"), "data.import detail")
        assert detail is not None
        if not re.fullmatch(_HEX64, detail["sha256"]):
            raise ValueError("data.import detail: sha256 is 64 hex digits")


class _LabRangeEntry(_Entry):
    """A laboratory's reference range for an analyte (``item``), as JSON in ``new``/``old``."""

    analyte: ClassVar[bool] = True
    #: Which of ``new``/``old`` holds the range.
    holds: ClassVar[str] = "new"

    def check_payload(self) -> None:
        doc = _json_object(getattr(self, self.holds))
        _need_keys(doc, ("laboratory", "analyte", "valid_from"), f"{self.action} {self.holds}")
        assert doc is not None
        if doc["analyte"] != self.item:
            raise ValueError(f"{self.action}: the range is not for the analyte named in item")


class LabRangeSet(_LabRangeEntry):
    """A laboratory's reference range recorded or corrected (``old``: what it replaced)."""

    action: Literal["labrange.set"]


class LabRangeRemove(_LabRangeEntry):
    """A laboratory's reference range removed, with a reason (``old``: the range)."""

    holds: ClassVar[str] = "old"
    action: Literal["labrange.remove"]

    def check_payload(self) -> None:
        super().check_payload()
        if not self.reason:
            raise ValueError("labrange.remove needs its reason")


class _KioskEntry(_Entry):
    """The tablet handed to a patient for one questionnaire (the form's place)."""

    depth: ClassVar[Depth] = "form"


class KioskHandOver(_KioskEntry):
    """Staff hand the tablet to the patient (``detail``: whether initials are shown)."""

    detail_object: ClassVar[bool] = True
    action: Literal["kiosk.hand_over"]


class KioskResume(_KioskEntry):
    """Staff go back to an open hand-over (after a lock or a crash)."""

    action: Literal["kiosk.resume"]


class KioskEnd(_KioskEntry):
    """Staff take the tablet back (``detail``: answered, finished, how they signed in)."""

    detail_object: ClassVar[bool] = True
    action: Literal["kiosk.end"]


class KioskLeaveRefused(_KioskEntry):
    """A refused attempt to leave the kiosk, written in the patient's session."""

    detail_object: ClassVar[bool] = True
    action: Literal["kiosk.leave_refused"]


class UserPinSet(_UserEntry):
    """A staff member set their PIN for taking the tablet back (never the PIN)."""

    action: Literal["user.pin_set"]


class WordingImport(_Entry):
    """A questionnaire wording imported (``detail``: instrument, language, fingerprint)."""

    detail_object: ClassVar[bool] = True
    action: Literal["wording.import"]


class SyncEnrol(_Entry):
    """This device enrolled with the sync server (``detail``: the server's answer)."""

    detail_object: ClassVar[bool] = True
    action: Literal["sync.enrol"]


# -- monitoring ---------------------------------------------------------------------------------


#: A visit report's id: 32 lowercase hex digits, made when the visit starts.
_VISIT_ID = r"^[0-9a-f]{32}$"


def _sdv_items(detail: Mapping[str, Any] | None) -> list[Any]:
    items = detail.get("items") if detail is not None else None
    if not isinstance(items, list) or not items:
        raise ValueError('sdv.verify: detail must be {"items": [[group, repeat, item, rev], …]}')
    for row in items:
        if (
            not isinstance(row, list)
            or len(row) != 4
            or not isinstance(row[0], str)
            or not row[0]
            or type(row[1]) is not int
            or not 1 <= row[1] <= MAX_REPEAT
            or not isinstance(row[2], str)
            or not row[2]
            or type(row[3]) is not int
            or not 0 <= row[3] <= _MAX_SAFE_INT
        ):
            raise ValueError("sdv.verify: each item is [group, repeat, item, revision]")
    return items


class SdvVerify(_Entry):
    """A monitor verified values against the source: a form (or one item of it); ``detail``
    lists each value verified with the revision it had (``{"items": [[group, repeat, item,
    rev], …]}``), so a later change shows as changed since verified."""

    depth: ClassVar[Depth] = "form"
    deeper: ClassVar[bool] = True
    detail_object: ClassVar[bool] = True
    action: Literal["sdv.verify"]

    def check_payload(self) -> None:
        items = _sdv_items(_json_object(self.detail))
        if self.item is not None and [r[:3] for r in items] != [
            [self.item_group, self.group_repeat, self.item]
        ]:
            raise ValueError("sdv.verify of one item lists that item only")


class _VisitEntry(_Entry):
    """A monitoring visit's step; ``detail`` names the visit (``visit``: 32 hex digits)."""

    detail_object: ClassVar[bool] = True
    #: The texts ``detail`` must hold besides the visit.
    needs: ClassVar[tuple[str, ...]] = ()

    def check_payload(self) -> None:
        detail = _json_object(self.detail)
        assert detail is not None
        if not isinstance(detail.get("visit"), str) or not re.fullmatch(_VISIT_ID, detail["visit"]):
            raise ValueError(f"{self.action}: detail needs the visit (32 hex digits)")
        _need_keys(detail, self.needs, f"{self.action} detail")


class MonitoringVisitStart(_VisitEntry):
    """A monitor starts a monitoring visit at the site (``new``: its purpose, if said)."""

    action: Literal["monitoring.visit.start"]


class MonitoringVisitClose(_VisitEntry):
    """A monitor closes a visit: ``new`` the remarks, ``detail`` the summary and its hash."""

    needs: ClassVar[tuple[str, ...]] = ("content_hash",)
    action: Literal["monitoring.visit.close"]

    def check_payload(self) -> None:
        super().check_payload()
        detail = _json_object(self.detail)
        assert detail is not None
        if not isinstance(detail.get("summary"), dict):
            raise ValueError("monitoring.visit.close detail needs the summary (an object)")
        if not re.fullmatch(_HEX64, detail["content_hash"]):
            raise ValueError("monitoring.visit.close: content_hash is 64 hex digits")


class MonitoringVisitSign(_VisitEntry):
    """The monitor's electronic signature of a closed visit's report (its content hash)."""

    needs: ClassVar[tuple[str, ...]] = (
        "signer",
        "signer_name",
        "meaning",
        "signed_at",
        "content_hash",
    )
    action: Literal["monitoring.visit.sign"]

    def check_payload(self) -> None:
        super().check_payload()
        detail = _json_object(self.detail)
        assert detail is not None
        if not re.fullmatch(_HEX64, detail["content_hash"]):
            raise ValueError("monitoring.visit.sign: content_hash is 64 hex digits")


_MODELS: tuple[type[_Entry], ...] = (
    ItemSet,
    ConflictResolve,
    AeSuggestionDecline,
    FormStatus,
    FormSign,
    SubjectCreate,
    SubjectUpdate,
    QueryRaise,
    QueryAnswer,
    QueryClose,
    QueryReopen,
    SiteCreate,
    UserAdd,
    UserPasswordChanged,
    UserPasswordReset,
    UserKey,
    UserKeyBound,
    SessionLogin,
    SessionUnlock,
    SessionLock,
    SessionLogout,
    SessionLoginFailed,
    SessionPatientMode,
    AuditExport,
    DataExport,
    DataImport,
    LabRangeSet,
    LabRangeRemove,
    KioskHandOver,
    KioskResume,
    KioskEnd,
    KioskLeaveRefused,
    UserPinSet,
    WordingImport,
    SyncEnrol,
    SdvVerify,
    MonitoringVisitStart,
    MonitoringVisitClose,
    MonitoringVisitSign,
)

#: Every action an entry may have, and its model.
MODELS: Mapping[str, type[_Entry]] = {
    model.model_fields["action"].annotation.__args__[0]: model  # type: ignore[union-attr]
    for model in _MODELS
}
ENTRY_ACTIONS: frozenset[str] = frozenset(MODELS)


_DEVICE_TEXT = re.compile(_DEVICE[1:-1])
_HEX64_TEXT = re.compile(_HEX64[1:-1])
_ITEM_SET_KEYS = frozenset((*ENTRY_FIELDS, "hash"))
_NAMES = ("user", "subject", "event", "form", "item_group", "item")
_TEXTS = ("old", "new", "unit", "reason", "detail")


def _text_ok(value: str) -> bool:
    """A text the models take: no lone surrogate (it has no UTF-8 form)."""
    if value.isascii():
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def plain_item_set(entry: dict[str, Any]) -> bool:
    """Whether ``entry`` is an ``item.set`` that its model (``ItemSet``) certainly accepts,
    checked as the model checks it, written out: most entries of an upload are these, and the
    model's validation was most of the server's work on them. False decides nothing: the
    model judges the entry and names the problem. A property test holds this to the model.
    """
    if entry.get("action") != "item.set" or entry.keys() != _ITEM_SET_KEYS:
        return False
    device, seq, base_rev = entry["device"], entry["seq"], entry["base_rev"]
    if type(device) is not str or _DEVICE_TEXT.fullmatch(device) is None:
        return False
    if type(seq) is not int or not 1 <= seq <= _MAX_SAFE_INT:
        return False
    if type(base_rev) is not int or not 0 <= base_rev <= _MAX_SAFE_INT:
        return False
    role, action = entry["role"], entry["action"]
    if type(role) is not str or role not in ROLES or type(action) is not str:
        return False
    if not is_timestamp(entry["ts"]):
        return False
    for name in _NAMES:  # the whole item path and the user: non-empty names
        value = entry[name]
        if type(value) is not str or not 0 < len(value) <= _MAX_NAME or not _text_ok(value):
            return False
    for name in ("event_repeat", "group_repeat"):
        value = entry[name]
        if type(value) is not int or not 1 <= value <= MAX_REPEAT:
            return False
    for name in _TEXTS:
        value = entry[name]
        if value is not None and (
            type(value) is not str or len(value) > MAX_TEXT or not _text_ok(value)
        ):
            return False
    for name in ("prev_hash", "hash"):
        value = entry[name]
        if type(value) is not str or _HEX64_TEXT.fullmatch(value) is None:
            return False
    return True


def entry_problem(entry: Any) -> str | None:
    """Why ``entry`` does not fit the schema (field and rule), or None if it fits."""
    if type(entry) is dict and plain_item_set(entry):
        return None
    return _model_problem(entry)


def _model_problem(entry: Any) -> str | None:
    """``entry_problem`` as the models alone judge it."""
    if not isinstance(entry, Mapping):
        return "an entry must be a JSON object"
    action = entry.get("action")
    model = MODELS.get(action) if type(action) is str else None
    if model is None:
        return f"action {str(action)[:40]!r} is not an action of this protocol"
    try:
        model.model_validate(entry if type(entry) is dict else dict(entry))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        message = str(first.get("msg", "invalid")).removeprefix("Value error, ")
        return f"{where}: {message}" if where else message
    return None


def check_entry(entry: Any) -> None:
    """Raise ``EntrySchemaError`` naming the field and the rule if ``entry`` does not fit."""
    problem = entry_problem(entry)
    if problem is not None:
        raise EntrySchemaError(problem)
