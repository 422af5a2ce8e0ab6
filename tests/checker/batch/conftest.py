"""Fixtures for the batch tests: cohorts built from the labelled corpus, and a mixed folder with
every kind of input an assessor meets (good, broken, duplicate, empty).

Kept beside the batch tests rather than in the global conftest because only they use them.
"""
from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from checker.batch.sample import make_cohort

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "corpora" / "labelled"
SAMPLES = ROOT / "corpora" / "samples"

# name → (bytes, what the batch must say); the "why" is matched against errors.csv
BROKEN = {
    "picture.png": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG image"),
    "scan.pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "PDF document"),
    "garbled.txt": (b"\x81\x8d\x8f\x90\x9d" * 40, "cannot decode"),
    "empty.txt": (b"", "empty"),
    "blank.txt": (b"  \n\n \t\n", "empty"),
    "prose.txt": (b"I went to the shop and bought some milk. It was a nice day and nothing else happened.", "no chat turns"),
    "who.txt": (b"Sam: hi there, my parcel is late\nAlex: oh no, that is bad\nSam: yes it is\nAlex: ok then\n",
                "cannot tell which speaker"),
    "badrole.json": (b'{"messages": [{"role": "boss", "text": "hi"}]}', "role 'boss'"),
}


@pytest.fixture
def mixed_folder(tmp_path) -> Path:
    """cohort/ with 6 good transcripts, 8 broken ones, 2 duplicates and ignored system files.

    Good: chat .txt, email .txt, .eml, .json, and the two samples. Duplicates: chat_good.txt
    again under another learner, and with Windows line endings under a third.
    """
    root = tmp_path / "cohort"
    alice, bob, carol = root / "alice", root / "bob", root / "carol"
    for d in (alice, bob, carol):
        d.mkdir(parents=True)
    shutil.copy(CORPUS / "chat" / "c01_retail_store_hours_paint_stock.txt", alice / "c01.txt")
    shutil.copy(CORPUS / "email" / "e01_retail_cracked_table_refund.txt", alice / "e01.txt")
    shutil.copy(CORPUS / "email" / "e19_telecoms_upgrade_battery.eml", bob / "e19.eml")
    shutil.copy(CORPUS / "chat" / "c39_utilities_house_move_final_reading.json", bob / "c39.json")
    shutil.copy(SAMPLES / "chat_good.txt", carol / "chat_good.txt")
    shutil.copy(SAMPLES / "chat_weak.txt", carol / "chat_weak.txt")
    # duplicates: the same content handed in again (one with CRLF line endings)
    shutil.copy(SAMPLES / "chat_good.txt", bob / "copied.txt")
    (alice / "again.txt").write_bytes((SAMPLES / "chat_good.txt").read_bytes().replace(b"\n", b"\r\n"))
    broken = root / "dave"
    broken.mkdir()
    for name, (data, _) in BROKEN.items():
        (broken / name).write_bytes(data)
    # system files that are not submissions
    (root / ".DS_Store").write_bytes(b"\x00\x01junk")
    (alice / "Thumbs.db").write_bytes(b"\x00junk")
    (root / ".hidden").mkdir()
    (root / ".hidden" / "x.txt").write_text("Agent: hi\nCustomer: hello\n")
    return root


MIXED_GOOD = 6
MIXED_DUPLICATES = 2


@pytest.fixture
def cohort(tmp_path_factory):
    """make(count) → a folder named 'cohort' of distinct transcripts built from the labelled corpus."""

    def make(count: int, per_learner: int = 5) -> Path:
        root = tmp_path_factory.mktemp("c") / "cohort"
        make_cohort(CORPUS, root, count, per_learner=per_learner)
        return root

    return make


def zip_folder(folder: Path, target: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, prefix + path.relative_to(folder).as_posix())
    return target


def read_outputs(out: Path) -> dict[str, bytes]:
    """Every output file of a batch (pages included), for comparing two runs byte for byte."""
    files = {name: (out / name).read_bytes() for name in ("results.csv", "results.jsonl", "errors.csv", "summary.html")}
    for page in sorted((out / "transcripts").glob("*.html")):
        files[f"transcripts/{page.name}"] = page.read_bytes()
    return files


@pytest.fixture(scope="session")
def batch_helpers():
    """The helpers above, for test modules (which cannot import this conftest by name)."""
    from types import SimpleNamespace

    return SimpleNamespace(zip_folder=zip_folder, read_outputs=read_outputs, BROKEN=BROKEN, MIXED_GOOD=MIXED_GOOD,
                           MIXED_DUPLICATES=MIXED_DUPLICATES, CORPUS=CORPUS, SAMPLES=SAMPLES)
