"""Discovery and reading of batch inputs: no model needed."""
from __future__ import annotations

import json
import zipfile

import pytest

from checker.batch.inputs import InputOptions, Submission, discover, iter_submissions
from checker.errors import InputError
from checker.parse import parse_bytes


def subs(paths, **options):
    plan = discover([str(p) for p in paths], InputOptions(**options))
    found = list(iter_submissions(plan))
    assert len(found) == plan.count  # the progress total is the real number of inputs
    return found


def write(path, text, encoding="utf-8"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


CHAT = "Agent: Hello, thanks for contacting us. How can I help?\nCustomer: My parcel is late.\n"


# ---------------------------------------------------------------- folders


def test_inputs_folder_is_walked_recursively_in_sorted_order_without_system_files(tmp_path):
    root = tmp_path / "cohort"
    for rel in ("b/2.txt", "b/1.txt", "a/z.txt", "top.txt", "a/deeper/x.eml", ".DS_Store", "a/Thumbs.db",
                ".git/config", "__MACOSX/a/._z.txt"):
        write(root / rel, CHAT)
    found = subs([root])
    assert [s.file for s in found] == ["cohort/a/deeper/x.eml", "cohort/a/z.txt", "cohort/b/1.txt", "cohort/b/2.txt",
                                       "cohort/top.txt"]
    assert all(s.key.startswith(str(root.resolve())) for s in found)
    assert found[1].data == CHAT.encode()


def test_inputs_symlink_loop_is_walked_once_and_listed(tmp_path):
    write(tmp_path / "cohort" / "a" / "x.txt", CHAT)
    (tmp_path / "cohort" / "a" / "loop").symlink_to(tmp_path / "cohort")
    found = subs([tmp_path / "cohort"])
    assert [s.file for s in found] == ["cohort/a/loop", "cohort/a/x.txt"]
    assert found[0].error is not None and "loop" in found[0].error.message and found[0].data == b""
    assert found[1].error is None


def test_inputs_output_folder_inside_inputs_is_not_an_input(tmp_path):
    write(tmp_path / "subs" / "a.txt", CHAT)
    write(tmp_path / "subs" / "results" / "results.csv", "learner,file\n")
    plan = discover([tmp_path / "subs"], exclude=[tmp_path / "subs" / "results"])
    assert [e.display for e in plan.entries()] == ["subs/a.txt"]


@pytest.mark.parametrize("learner_from, expected", [
    ("auto", ["sam", "sam", "top"]),
    ("folder", ["sam", "sam", "cohort"]),
    ("file", ["one", "two", "top"]),
])
def test_inputs_learner_from_folder_or_file(tmp_path, learner_from, expected):
    root = tmp_path / "cohort"
    write(root / "sam" / "one.txt", CHAT)
    write(root / "sam" / "two.txt", CHAT + "Agent: Bye\n")
    write(root / "top.txt", CHAT + "Agent: Bye now\n")
    assert [s.learner for s in subs([root], learner_from=learner_from)] == expected


def test_inputs_single_file_uses_its_name_as_learner(tmp_path):
    path = write(tmp_path / "x" / "Priya Shah.txt", CHAT)
    [sub] = subs([path])
    assert (sub.file, sub.learner, sub.name) == ("Priya Shah.txt", "Priya Shah", "Priya Shah.txt")


@pytest.mark.parametrize("a, b, same", [
    (CHAT, CHAT.replace("\n", "\r\n"), True),  # Windows line endings
    (CHAT, "\ufeff" + CHAT + "\n\n", True),  # BOM and trailing blank lines
    (CHAT, CHAT.replace("late.", "late.   "), True),  # trailing spaces
    (CHAT, CHAT.replace("late", "lost"), False),
])
def test_inputs_content_hash_ignores_line_endings_and_trailing_space(a, b, same):
    ha = Submission(key="a", file="a", learner="", name="a", data=a.encode()).content_hash
    hb = Submission(key="b", file="b", learner="", name="b", data=b.encode()).content_hash
    assert (ha == hb) is same


@pytest.mark.parametrize("data", [b"", b"  \n\r\n\t "])
def test_inputs_empty_content_has_no_hash_so_is_never_a_duplicate(data):
    assert Submission(key="a", file="a", learner="", name="a", data=data).content_hash is None


# ---------------------------------------------------------------- zips


def test_inputs_zip_members_sorted_with_one_top_folder_as_root(tmp_path):
    z = tmp_path / "cohort.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("cohort/zoe/b.txt", CHAT)
        zf.writestr("cohort/zoe/a.txt", CHAT + "Agent: bye\n")
        zf.writestr("cohort/amir.txt", CHAT + "Agent: bye bye\n")
        zf.writestr("__MACOSX/cohort/._amir.txt", "junk")
        zf.writestr("cohort/.DS_Store", "junk")
    found = subs([z])
    assert [s.file for s in found] == ["cohort.zip/cohort/amir.txt", "cohort.zip/cohort/zoe/a.txt", "cohort.zip/cohort/zoe/b.txt"]
    # the single top folder counts as the root: amir.txt is a learner's file, zoe/ a learner's folder
    assert [s.learner for s in found] == ["amir", "zoe", "zoe"]
    assert found[0].key == f"{z.resolve().as_posix()}/cohort/amir.txt"
    assert found[1].data == (CHAT + "Agent: bye\n").encode()


def test_inputs_zip_inside_zip_and_tables_inside_zip(tmp_path):
    inner = tmp_path / "inner.zip"
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("kim.txt", CHAT)
    z = tmp_path / "outer.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(inner, "sub/inner.zip")
        zf.writestr("msgs.csv", "conversation_id,role,text\n1,agent,Hello\n1,customer,Hi\n")
    found = subs([z])
    assert [s.file for s in found] == ["outer.zip/msgs.csv#1", "outer.zip/sub/inner.zip/kim.txt"]
    assert found[1].data == CHAT.encode()
    assert json.loads(found[0].data)["messages"][0] == {"role": "agent", "text": "Hello"}


def test_inputs_corrupt_zip_is_one_failed_input(tmp_path):
    z = write(tmp_path / "broken.zip", b"PK\x03\x04 this is not really a zip")
    [sub] = subs([z])
    assert isinstance(sub.error, InputError) and "cannot open the zip file" in sub.error.message
    assert sub.file == "broken.zip"


def test_inputs_zip_member_too_large_is_read_only_to_the_limit(tmp_path):
    z = tmp_path / "big.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.txt", "Agent: hi\n" + "x" * 5000)
    [sub] = subs([z], max_bytes=1000)
    assert len(sub.data) == 1001  # the parser then says "too large" with the limit
    with pytest.raises(InputError, match="too large"):
        parse_bytes(sub.data, name=sub.name, max_bytes=1000)


# ---------------------------------------------------------------- tables


def test_inputs_csv_messages_grouped_by_conversation_in_order_of_completion(tmp_path):
    csv_text = ("conversation_id,learner,role,text,time\n"
                "A,Ann,agent,\"Hello, I'm Ann. How can I help?\",10:00\n"
                "B,Ben,agent,Hi there,10:00\n"
                "A,,customer,\"My bill is wrong,\nit says £40\",10:01\n"
                "B,Ben,customer,Hello,10:02\n"
                "\n"
                "A,Ann,agent,Let me check that for you.,10:03\n")
    path = write(tmp_path / "chats.csv", csv_text)
    found = subs([path])
    assert [s.file for s in found] == ["chats.csv#B", "chats.csv#A"]  # B's last row comes first
    assert [s.learner for s in found] == ["Ben", "Ann"]
    a = json.loads(found[1].data)
    assert [m["role"] for m in a["messages"]] == ["agent", "customer", "agent"]
    assert a["messages"][1] == {"role": "customer", "text": "My bill is wrong,\nit says £40", "time": "10:01"}
    assert found[1].key == f"{path.resolve().as_posix()}#A"
    conv = parse_bytes(found[1].data, name=found[1].name)
    assert [t.text for t in conv.turns][0] == "Hello, I'm Ann. How can I help?"


def test_inputs_csv_without_id_column_is_one_conversation(tmp_path):
    path = write(tmp_path / "Jo Bloggs.csv", "role;text\nagent;Hello\ncustomer;Hi\n")  # Excel's semicolons
    [sub] = subs([path])
    assert (sub.file, sub.learner) == ("Jo Bloggs.csv", "Jo Bloggs")
    assert len(json.loads(sub.data)["messages"]) == 2


def test_inputs_csv_one_row_per_conversation_with_channel(tmp_path):
    path = write(tmp_path / "t.csv", "student,channel,transcript\nAmy,chat,\"Agent: Hi\nCustomer: Hello\"\n"
                                     "Raj,email,\"Dear Sir,\n\nThanks.\n\nKind regards,\nRaj\"\n")
    found = subs([path])
    assert [(s.file, s.learner, s.channel) for s in found] == [("t.csv#row2", "Amy", "chat"), ("t.csv#row3", "Raj", "email")]
    assert found[0].data == b"Agent: Hi\nCustomer: Hello"


def test_inputs_csv_windows_1252_and_learner_column_option(tmp_path):
    path = write(tmp_path / "m.csv", "id,tutor_group,role,text\n7,Café,agent,Price is £5\n", encoding="cp1252")
    [sub] = subs([path], learner_column="tutor_group")
    assert sub.learner == "Café"
    assert json.loads(sub.data)["messages"][0]["text"] == "Price is £5"


@pytest.mark.parametrize("content, message", [
    ("name,age\nx,1\n", "cannot tell the table's layout"),
    ("role,text\n", "header but no rows"),
    ("", "empty"),
])
def test_inputs_csv_that_cannot_be_read_is_one_failed_input(tmp_path, content, message):
    [sub] = subs([write(tmp_path / "bad.csv", content)])
    assert message in sub.error.message and sub.file == "bad.csv"


def test_inputs_missing_learner_column_named_by_the_assessor_is_reported(tmp_path):
    [sub] = subs([write(tmp_path / "m.csv", "role,text\nagent,hi\n")], learner_column="candidate_no")
    assert "candidate_no" in sub.error.message


def test_inputs_message_row_without_conversation_id_fails_alone(tmp_path):
    found = subs([write(tmp_path / "m.csv", "conversation_id,role,text\n1,agent,hi\n,customer,lost\n1,customer,hello\n")])
    assert [(s.file, s.error is None) for s in found] == [("m.csv#row3", False), ("m.csv#1", True)]
    assert found[0].error.line == 3


def test_inputs_jsonl_messages_conversations_and_bad_lines(tmp_path):
    lines = [
        {"conversation_id": "c1", "learner": "Lee", "role": "agent", "text": "Hello"},
        {"id": 9, "learner": "Mo", "channel": "chat", "messages": [{"role": "agent", "text": "Hi"}]},
        "not json",
        {"conversation_id": "c1", "role": "customer", "text": "Hi"},
        {"learner": "Nia", "transcript": "Agent: Hi\nCustomer: Hello"},
        [1, 2],
    ]
    path = write(tmp_path / "all.jsonl", "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n")
    found = subs([path])
    assert [s.file for s in found] == ["all.jsonl#9", "all.jsonl#line3", "all.jsonl#c1", "all.jsonl#line5",
                                       "all.jsonl#line6"]
    assert [found[i].learner for i in (0, 2, 3)] == ["Mo", "Lee", "Nia"]
    assert found[1].error.line == 3 and "invalid JSON" in found[1].error.message
    assert "JSON object" in found[4].error.message
    assert json.loads(found[0].data) == {"id": 9, "channel": "chat", "messages": [{"role": "agent", "text": "Hi"}]}
    assert [m["text"] for m in json.loads(found[2].data)["messages"]] == ["Hello", "Hi"]
