"""The subject casebook as a PDF, drawn with QPdfWriter.

A4, fonts embedded by Qt (the Chinese labels need a CJK font on the machine: Noto Sans CJK on
Linux, the system's on Windows and macOS), every page headed with the subject, study and site
and footed with "printed by … at …" and "page x of y" (``pages``). Its words are English and
Chinese side by side, whatever the user's language.

The subject's Transactional ODM is attached inside the PDF (``addFileAttachment``). That is
why the file is PDF 1.6 and not PDF/A: the only PDF/A level Qt writes (PDF/A-1b) forbids
embedded files.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO

from PySide6.QtGui import QPagedPaintDevice

from desktop_crf.printing.pages import Frame, Pages, Pdf, font, render
from desktop_crf.services.casebook import Casebook, FormPage, QueryLine, VisitPart


def render_casebook(book: Casebook, odm: bytes, out: IO[bytes]) -> None:
    """Draw ``book`` as a PDF into ``out``, with ``odm`` attached."""
    pdf = Pdf(
        f"Casebook {book.subject_id} — {book.study_id}",
        version=QPagedPaintDevice.PdfVersion.PdfVersion_1_6,
        attachments=[(f"{book.subject_id}-odm.xml", odm, "application/xml")],
    )
    frame = Frame(
        title=f"Casebook · 病例报告 — {book.subject_id}",
        where=f"{book.study_id} · site {book.site}",
        printed=f"Printed by {book.printed_by} at {book.printed_at} (UTC)",
        page_of="Page {0} of {1}",
    )
    render(pdf, frame, lambda pages: _Casebook(pages, book).draw(), write=out.write)


class _Casebook:
    """The casebook's content: the cover, each visit's forms, the audit trail appendix."""

    def __init__(self, pages: Pages, book: Casebook) -> None:
        self.pages, self.book = pages, book

    def draw(self) -> None:
        self._cover()
        for visit in self.book.visits:
            self._visit(visit)
        self._appendix()

    def _cover(self) -> None:
        book = self.book
        self.pages.line(f"Subject {book.subject_id}", font(16, bold=True))
        self.pages.line(book.study_title.en, font(10))
        self.pages.line(book.study_title.zh, font(10), grey=True)
        self.pages.gap()
        subject = book.subject
        for label, field in (
            ("Status · 状态", "status"),
            ("Arm · 组别", "arm"),
            ("Screened on · 筛选日期", "screened_on"),
            ("Enrolled on · 入组日期", "enrolled_on"),
            ("Anchor date · 基线日期", "anchor_date"),
            ("NA drug · 核苷（酸）类药物", "na_drug"),
            ("Consent · 知情同意", "consent_date"),
            ("Study version · 方案版本", "study_version"),
        ):
            self.pages.row(
                [(label, font(9), True), (str(subject.get(field) or "—"), font(9), False)],
                [0.35, 0.65],
            )
        self._queries(book.subject_queries)
        self.pages.gap(30)

    def _visit(self, visit: VisitPart) -> None:
        repeat = f" #{visit.event_repeat}" if visit.event_repeat > 1 else ""
        self.pages.need(220)
        self.pages.gap(24)
        self.pages.line(f"{visit.label.en}{repeat}  ·  {visit.label.zh}", font(13, bold=True))
        self.pages.line(f"{visit.event}{repeat}", font(8), grey=True)
        for page in visit.forms:
            self._form(page)

    def _form(self, page: FormPage) -> None:
        self.pages.need(160)
        self.pages.gap(12)
        status = {"complete": "complete · 已完成", "draft": "draft · 草稿"}.get(
            page.status or "", page.status or "—"
        )
        self.pages.line(f"{page.label.en} · {page.label.zh}", font(11, bold=True))
        self.pages.line(f"{page.form} — {status}", font(8), grey=True)
        if not page.values:
            self.pages.line("No values recorded · 无数据", font(9), grey=True)
        for value in page.values:
            label = f"{value.label.en}\n{value.label.zh}"
            if value.repeat is not None:
                label = f"[{value.repeat}] {label}"
            shown = value.value
            if value.decoded is not None:
                shown += f"  ({value.decoded.en} · {value.decoded.zh})"
            self.pages.row(
                [
                    (label, font(8.5), False),
                    (shown, font(9), False),
                    (value.unit or "", font(8.5), True),
                ],
                [0.48, 0.38, 0.14],
            )
        self._signature(page)
        self._queries(page.queries)

    def _signature(self, page: FormPage) -> None:
        sig = page.signature
        if sig is None:
            self.pages.line("Not signed · 未签名", font(8.5), grey=True)
            return
        state = "valid" if sig.get("state") == "valid" else "BROKEN: the form changed after it"
        text = (
            f"Signed by {sig['signer_name']} ({sig['signer']}) at {sig['signed_at']} — "
            f'"{sig["meaning"]}" — content SHA-256 {sig["content_hash"]} — signature {state}'
        )
        self.pages.gap(6)
        self.pages.line(text, font(8.5, bold=True))

    def _queries(self, queries: tuple[QueryLine, ...]) -> None:
        for query in queries:
            self.pages.gap(4)
            self.pages.line(
                f"Query ({query.status}) on {query.where}, opened {query.opened}: {query.text}",
                font(8.5),
            )
            for answer in query.answers:
                self.pages.line(f"Answer: {answer}", font(8.5), grey=True, indent=40)

    def _appendix(self) -> None:
        self.pages.new_page()
        self.pages.line("Appendix: audit trail · 附录：稽查轨迹", font(13, bold=True))
        self.pages.line(
            "Every change recorded for this subject, oldest first; each entry's hash chains "
            "to its device's previous entry (the attached ODM file carries them all).",
            font(8.5),
            grey=True,
        )
        self.pages.gap()
        small, tiny = font(7.5), font(7)
        self.pages.row(
            [
                ("Time (UTC) · entry", small, True),
                ("User · action", small, True),
                ("Where", small, True),
                ("Old → new · reason", small, True),
            ],
            [0.2, 0.2, 0.25, 0.35],
        )
        for entry in self.book.trail:
            where = " / ".join(str(entry[k]) for k in ("event", "form", "item") if entry.get(k))
            change = ""
            if entry.get("old") is not None or entry.get("new") is not None:
                change = f"{_text(entry.get('old'))} → {_text(entry.get('new'))}"
                if entry.get("unit"):
                    change += f" {entry['unit']}"
            if entry.get("reason"):
                change += f"\nReason: {entry['reason']}"
            self.pages.row(
                [
                    (f"{entry['ts']}\n{entry['device']}#{entry['seq']}", tiny, False),
                    (f"{entry['user']} ({entry['role']})\n{entry['action']}", tiny, False),
                    (where, tiny, False),
                    (change, tiny, False),
                ],
                [0.2, 0.2, 0.25, 0.35],
            )


def _text(value: object) -> str:
    return "—" if value is None else str(value)


Renderer = Callable[[Casebook, bytes, IO[bytes]], None]
