"""Backup and restore of the whole database and every file the product keeps.

A backup is one gzip-compressed tar archive, written member by member (memory stays bounded):

- the database dump, first, in one of three kinds:
  - SQLite: the online backup API copies a consistent snapshot page by page while the app
    keeps serving (WAL mode), into a file that is itself a working SQLite database.
  - PostgreSQL: ``pg_dump --format=custom`` (a consistent snapshot by design) when the tool
    is installed; ``pg_restore`` brings it back.
  - ``json`` (either database, or PostgreSQL without its tools): Django's own dump of every
    table, read in one repeatable-read transaction; restored with ``loaddata`` after the
    schema is built by ``migrate``. Slower, but moves data between SQLite and PostgreSQL.
- every file under the product's file storage (``file_roots``): request attachments, generated
  reports, uploaded ledgers;
- ``manifest.json``, last: the database kind and every member's size and SHA-256.

A restore reads the archive through once to check every checksum before it changes anything,
and goes only into an empty database: it never mixes a backup with live records. A bare dump
written by earlier versions (database only) still restores.
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
import zlib
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
GZIP_MAGIC = b"\x1f\x8b"
ARCHIVE_FORMAT = "kaifaqu-backup"
MANIFEST = "manifest.json"
DUMP_NAMES = {"sqlite": "database.sqlite3", "pg_dump": "database.pgdump", "json": "database.json"}
FILES_PREFIX = "files/"
CHUNK = 1024 * 1024
# Rows that make a database "not empty" for a restore: people and ledger records.
CONTENT_TABLES = ("auth_user", "zones_zone", "enterprises_enterprise", "projects_project", "audit_auditentry")
# Rebuilt by Django itself; dumping them would clash with what ``migrate`` creates.
JSON_EXCLUDE = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]


class BackupError(Exception):
    """A refusal with a one-line Chinese reason."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    kind: str
    size: int
    files: int = 0
    file_bytes: int = 0


@dataclass(frozen=True)
class RestoreResult:
    kind: str
    files: int | None  # None: a database-only backup of an earlier version
    file_bytes: int = 0


def file_roots() -> dict[str, Path]:
    """Where the product keeps files, by the name they carry in the archive.

    Attachments (``FileField``s) live under MEDIA_ROOT; generated reports and uploaded ledgers
    (kept for the import's preview and error workbook) under the data directory.
    """
    data = Path(settings.DATA_DIR)
    return {"media": Path(settings.MEDIA_ROOT), "reports": data / "reports", "imports": data / "imports"}


def backup(path: Path, *, kind: str = "auto") -> BackupResult:
    path = Path(path)
    if path.exists() and path.is_dir():
        raise BackupError(f"“{path}”是目录，请给出备份文件的路径。")
    path.parent.mkdir(parents=True, exist_ok=True)
    kind = _chosen_kind(kind)
    # Built beside the target and renamed at the end: a failed backup leaves no half archive.
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".kaifaqu-backup-") as work:
        dump = Path(work) / DUMP_NAMES[kind]
        # The database first: every file its snapshot names already exists when the files are read.
        _dump_database(dump, kind)
        partial = Path(work) / "archive.tar.gz"
        entries = _write_archive(partial, dump, kind)
        partial.replace(path)
    size = sum(entry["size"] for entry in entries)
    return BackupResult(path, kind, path.stat().st_size, files=len(entries), file_bytes=size)


def _chosen_kind(kind: str) -> str:
    vendor = connection.vendor
    if kind == "auto":
        return "sqlite" if vendor == "sqlite" else "pg_dump" if shutil.which("pg_dump") else "json"
    if kind == "sqlite" and vendor != "sqlite":
        raise BackupError("当前数据库不是 SQLite，不能做 SQLite 备份；请用默认格式或 --format json。")
    return kind


def _dump_database(dump: Path, kind: str) -> None:
    if kind == "sqlite":
        _sqlite_backup(dump)
    elif kind == "pg_dump":
        _pg_dump(dump)
    else:
        _json_backup(dump)


def _write_archive(target: Path, dump: Path, kind: str) -> list[dict]:
    """The dump, every stored file, then the manifest of them all; returns the files' entries."""
    entries = []
    # Level 6 (gzip's own default): level 9 costs far more time for a few percent on a large dump.
    with (
        gzip.open(target, "wb", compresslevel=6) as compressed,
        tarfile.open(fileobj=compressed, mode="w|", format=tarfile.PAX_FORMAT) as archive,
    ):
        database = _add_file(archive, DUMP_NAMES[kind], dump)
        for name, root in file_roots().items():
            for file in _files_under(root):
                relative = f"{name}/{file.relative_to(root).as_posix()}"
                entries.append({"path": relative, **_add_file(archive, FILES_PREFIX + relative, file)})
        manifest = {
            "format": ARCHIVE_FORMAT,
            "version": 1,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
            "database": {"kind": kind, "name": DUMP_NAMES[kind], **database},
            "files": entries,
        }
        data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mtime = len(data), int(time.time())
        archive.addfile(info, BytesIO(data))
    return entries


def _files_under(root: Path) -> list[Path]:
    found = []
    for folder, subfolders, names in os.walk(root):  # a missing root yields nothing
        subfolders.sort()
        found += [Path(folder) / name for name in sorted(names) if (Path(folder) / name).is_file()]
    return [file for file in found if not file.is_symlink()]


class _Hashing:
    """A reader that hashes what passes through it, so each file is read once."""

    def __init__(self, handle):
        self.handle, self.sha256, self.size = handle, hashlib.sha256(), 0

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data


def _add_file(archive: tarfile.TarFile, member: str, file: Path) -> dict:
    stat = file.stat()
    info = tarfile.TarInfo(member)
    info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o644
    with open(file, "rb") as handle:
        reader = _Hashing(handle)
        archive.addfile(info, reader)  # copies exactly info.size bytes, chunk by chunk
    return {"size": reader.size, "sha256": reader.sha256.hexdigest()}


def restore(path: Path) -> RestoreResult:
    """Restore ``path`` into the (empty) current database and the data directory."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"找不到备份文件“{path}”。")
    if not _is_archive(path):
        kind = detect(path)
        _ensure_empty()
        _restore_database(path, kind)
        return RestoreResult(kind, None)
    manifest = verify(path)
    kind = manifest["database"]["kind"]
    _ensure_empty()
    _ensure_vendor(kind)
    targets = {entry["path"]: _target(path, entry["path"]) for entry in manifest["files"]}
    taken = [relative for relative, target in targets.items() if target.exists()]
    if taken:
        raise BackupError(f"数据目录中已有文件“{taken[0]}”等 {len(taken)} 个同名文件；恢复只能在空的数据目录上进行。")
    data_dir = Path(settings.DATA_DIR)
    data_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=data_dir, prefix=".kaifaqu-restore-") as work:
        staged = _unpack(path, manifest, Path(work))
        _restore_database(Path(work) / DUMP_NAMES[kind], kind)
        for relative, source in staged.items():
            targets[relative].parent.mkdir(parents=True, exist_ok=True)
            shutil.move(source, targets[relative])
    size = sum(entry["size"] for entry in manifest["files"])
    return RestoreResult(kind, len(targets), size)


def _is_archive(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(2) == GZIP_MAGIC


def detect(path: Path) -> str:
    """The database kind of a bare dump (the backups of earlier versions)."""
    with open(path, "rb") as handle:
        head = handle.read(16)
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_MAGIC):
        return "pg_dump"
    if head.lstrip()[:1] in (b"[", b"{"):
        return "json"
    raise BackupError(f"无法识别“{path}”的格式：不是本系统生成的备份文件。")


def verify(path: Path) -> dict:
    """Read the whole archive once; return its manifest if every member matches it, else refuse."""
    digests: dict[str, tuple[int, str]] = {}
    manifest = None
    with _members(path) as members:
        for member, handle in members:
            if member.name == MANIFEST:
                manifest = _manifest(path, handle)
            else:
                digests[member.name] = _digest(handle)
    if manifest is None:
        raise _damaged(path, "缺少文件清单（manifest.json），不是完整的 kaifaqu 备份")
    expected = _expected(path, manifest)
    for name, entry in expected.items():
        if name not in digests:
            raise _damaged(path, f"清单中的“{name}”不在备份中")
        if digests[name] != (entry["size"], entry["sha256"]):
            raise _damaged(path, f"“{name}”的大小或校验值（SHA-256）与清单不符")
    extra = sorted(set(digests) - set(expected))
    if extra:
        raise _damaged(path, f"含有清单之外的“{extra[0]}”")
    return manifest


class _members:
    """``with _members(path) as members``: (member, reader) pairs, read as a stream; damage is a refusal."""

    def __init__(self, path: Path):
        self.path, self.current = path, "（开头）"

    def __enter__(self):
        # gzip checks its own CRC and length at the end: a damaged or cut archive fails there too.
        self.compressed = gzip.open(self.path, "rb")
        try:
            self.archive = tarfile.open(fileobj=self.compressed, mode="r|")
        except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
            self.compressed.close()
            raise _damaged(self.path, "无法打开") from error
        return self._iterate()

    def _iterate(self):
        for member in self.archive:
            self.current = member.name
            if not member.isfile():
                raise _damaged(self.path, f"含有非普通文件“{member.name}”")
            yield member, self.archive.extractfile(member)

    def __exit__(self, kind, error, trace):
        self.archive.close()
        self.compressed.close()
        if isinstance(error, tarfile.TarError | EOFError | zlib.error | gzip.BadGzipFile):
            raise _damaged(self.path, f"读到“{self.current}”时中断，文件不完整") from error
        return False


def _damaged(path: Path, reason: str) -> BackupError:
    return BackupError(f"备份文件“{path}”已损坏：{reason}。未做任何恢复，数据库和文件均未改动。")


def _digest(handle) -> tuple[int, str]:
    sha256, size = hashlib.sha256(), 0
    while chunk := handle.read(CHUNK):
        sha256.update(chunk)
        size += len(chunk)
    return size, sha256.hexdigest()


def _manifest(path: Path, handle) -> dict:
    try:
        manifest = json.loads(handle.read())
    except ValueError as error:
        raise _damaged(path, "文件清单无法读取") from error
    if not isinstance(manifest, dict) or manifest.get("format") != ARCHIVE_FORMAT:
        raise _damaged(path, "文件清单不是 kaifaqu 备份的清单")
    if manifest.get("database", {}).get("kind") not in DUMP_NAMES:
        raise _damaged(path, "文件清单没有写明数据库格式")
    return manifest


def _expected(path: Path, manifest: dict) -> dict[str, dict]:
    expected = {DUMP_NAMES[manifest["database"]["kind"]]: manifest["database"]}
    for entry in manifest.get("files", []):
        _target(path, entry["path"])  # refuses paths that would leave the data directory
        expected[FILES_PREFIX + entry["path"]] = entry
    return expected


def _target(path: Path, relative: str) -> Path:
    """Where a file of the archive goes; never outside its root (a crafted name could try)."""
    parts = PurePosixPath(relative).parts
    roots = file_roots()
    if len(parts) < 2 or parts[0] not in roots or any(part in ("..", "") or "\\" in part for part in parts):
        raise _damaged(path, f"文件名“{relative}”不合法")
    return roots[parts[0]].joinpath(*parts[1:])


def _unpack(path: Path, manifest: dict, work: Path) -> dict[str, Path]:
    """Second pass: the dump and the files into ``work``, checked again as they are written."""
    expected = _expected(path, manifest)
    staged: dict[str, Path] = {}
    with _members(path) as members:
        for member, handle in members:
            if member.name == MANIFEST:
                continue
            entry = expected.get(member.name)
            if entry is None:
                raise _damaged(path, f"“{member.name}”在两次读取之间出现")
            target = work / member.name
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "wb") as out:
                if _digest(_Copying(handle, out)) != (entry["size"], entry["sha256"]):
                    raise _damaged(path, f"“{member.name}”在两次读取之间变了")
            if member.name.startswith(FILES_PREFIX):
                staged[member.name.removeprefix(FILES_PREFIX)] = target
    return staged


class _Copying:
    def __init__(self, handle, out):
        self.handle, self.out = handle, out

    def read(self, size: int) -> bytes:
        data = self.handle.read(size)
        self.out.write(data)
        return data


def _ensure_empty() -> None:
    if not database_is_empty():
        raise BackupError(
            "目标数据库中已有数据（用户、开发区、企业、项目或操作记录），为防止混入，恢复只能在空数据库上进行。"
        )


def _ensure_vendor(kind: str) -> None:
    vendor = connection.vendor
    if kind == "sqlite" and vendor != "sqlite":
        raise BackupError("这是 SQLite 备份，只能恢复到 SQLite 数据库；跨数据库迁移请用 --format json 备份。")
    if kind == "pg_dump" and vendor != "postgresql":
        raise BackupError("这是 PostgreSQL 备份（pg_dump），只能恢复到 PostgreSQL 数据库。")


def _restore_database(dump: Path, kind: str) -> None:
    _ensure_vendor(kind)
    if kind == "sqlite":
        _sqlite_restore(dump)
    elif kind == "pg_dump":
        _pg_restore(dump)
    else:
        _json_restore(dump)


def database_is_empty() -> bool:
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in CONTENT_TABLES:
            if table in existing:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
                if cursor.fetchone():
                    return False
    return True


def _sqlite_backup(path: Path) -> None:
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()


def _sqlite_restore(path: Path) -> None:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(f"备份文件“{path}”已损坏（完整性检查未通过）。")
        connection.ensure_connection()
        source.backup(connection.connection)
    finally:
        source.close()


def _pg_arguments() -> list[str]:
    settings = connection.settings_dict
    arguments = ["--dbname", settings["NAME"]]
    if settings.get("HOST"):
        arguments += ["--host", settings["HOST"]]
    if settings.get("PORT"):
        arguments += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        arguments += ["--username", settings["USER"]]
    return arguments


def _pg_env() -> dict:
    password = connection.settings_dict.get("PASSWORD")
    return os.environ | ({"PGPASSWORD": password} if password else {})


def _pg_tool(name: str) -> str:
    tool = shutil.which(name)
    if tool is None:
        raise BackupError(f"未找到 PostgreSQL 工具 {name}；请安装 postgresql-client，或用 --format json。")
    return tool


def _pg_dump(path: Path) -> None:
    command = [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(path)]
    _run(command + _pg_arguments(), "pg_dump")


def _pg_restore(path: Path) -> None:
    # The target may already hold the (empty) tables of a migrated database: replace them.
    command = [_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--clean", "--if-exists", "--exit-on-error"]
    connection.close()
    _run([*command, *_pg_arguments(), str(path)], "pg_restore")


def _run(command: list[str], tool: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, env=_pg_env(), check=False)
    if result.returncode:
        detail = (result.stderr.strip().splitlines() or ["（无输出）"])[-1]
        raise BackupError(f"{tool} 失败：{detail}")


def _json_restore(path: Path) -> None:
    """Build the schema, clear the reference rows ``migrate`` wrote, then load the dump.

    The dump holds the source's own regions, roles and plan categories (possibly edited);
    loading them over the freshly migrated defaults could clash on unique names.
    """
    call_command("migrate", verbosity=0, interactive=False)
    call_command("flush", verbosity=0, interactive=False)
    with transaction.atomic():
        call_command("loaddata", str(path), verbosity=0)


def _json_backup(path: Path) -> None:
    """Every row of every model, in Django's fixture format, read in one consistent snapshot.

    Written by hand rather than by ``dumpdata``: its encoder cuts timestamps to the
    millisecond, and an audit trail must come back exactly as it was.
    """
    excluded = {label for label in JSON_EXCLUDE if "." in label}
    excluded_apps = {label for label in JSON_EXCLUDE if "." not in label}
    chosen = [
        model
        for model in apps.get_models()
        if not model._meta.proxy
        and model._meta.managed
        and model._meta.app_label not in excluded_apps
        and model._meta.label_lower not in excluded
    ]
    with transaction.atomic(), open(path, "w", encoding="utf-8") as out:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        out.write("[")
        first = True
        for model in chosen:
            rows = model._base_manager.order_by("pk").iterator(chunk_size=2000)
            for item in serializers.serialize("python", rows):
                out.write("\n" if first else ",\n")
                json.dump(item, out, cls=_ExactEncoder, ensure_ascii=False)
                first = False
        out.write("\n]\n")


class _ExactEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()  # keep the microseconds
        return super().default(o)
