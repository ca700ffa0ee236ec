"""Data out: CDISC ODM 1.3.2 (writing Snapshot and Transactional files, validating them,
checking their references, verifying the audit chain they carry, reading them back for an
import) and the same clinical data as tables for analysis.

Pure: lxml and the study and form definitions of ``forms``; no database, no Qt, no network.
The desktop app and the central server both write through it from what they read of their own
storage (:mod:`odm.model`).

Modules: :mod:`odm.names` (namespaces and OIDs), :mod:`odm.model` (what a writer is given),
:mod:`odm.metadata` (Study and AdminData), :mod:`odm.snapshot`, :mod:`odm.transactional`,
:mod:`odm.schema` (XSD validation), :mod:`odm.references` (every OID referenced is defined),
:mod:`odm.verify` (the audit chain recomputed from a file alone), :mod:`odm.reading` (a file
read back, validated as it streams), :mod:`odm.tabular` (the analysis zip) and
:mod:`odm.scripts` (its R, SAS and SPSS read scripts).
"""
