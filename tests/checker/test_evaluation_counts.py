"""The parsing measurement in 'replycheck eval': message counts read without being told the agent."""
from __future__ import annotations

import yaml

from checker.evaluation import EvalResult, check_message_counts, render_eval_text


def test_counts_are_compared_without_the_agent(tmp_path):
    (tmp_path / "good.txt").write_text("Dev: my bill is wrong\nAsha: Thanks for getting in touch, I'm Asha. "
                                       "Could you confirm your account number?\nDev: 1234\n", encoding="utf-8")
    (tmp_path / "bad.txt").write_text("Agent: Hello\nCustomer: Hi\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    labels = {
        "good.txt": {"agent": "Asha", "agent_turns": 1, "customer_turns": 2, "labels": {}},
        "bad.txt": {"agent": "Agent", "agent_turns": 2, "customer_turns": 1, "labels": {}},
        "empty.txt": {"agent": "Agent", "agent_turns": 1, "customer_turns": 1, "labels": {}},
        "unlabelled.txt": {"agent": "Agent", "labels": {}},
    }
    (tmp_path / "labels.yml").write_text(yaml.safe_dump(labels), encoding="utf-8")
    checks = {c.file: c for c in check_message_counts(tmp_path, labels)}
    assert set(checks) == {"good.txt", "bad.txt", "empty.txt"}
    assert checks["good.txt"].matched and checks["good.txt"].got == (1, 2)
    assert not checks["bad.txt"].matched and checks["bad.txt"].got == (1, 1)
    assert checks["empty.txt"].got is None and "empty" in checks["empty.txt"].error

    result = EvalResult("default", str(tmp_path), {}, {}, [], [], (), list(checks.values()))
    text = render_eval_text(result)
    assert "Message counts match the labels without --agent: 1/3" in text
    assert "count mismatch bad.txt: labelled 2 agent / 1 customer, read 1 agent / 1 customer" in text
    data = result.to_dict()["message_counts"]
    assert data["checked"] == 3 and data["matched"] == 1 and len(data["mismatches"]) == 2


def test_the_agent_count_is_the_learners_not_a_colleagues_before_a_transfer(tmp_path):
    # the chat tool decorates its transfer line; the colleague's two messages are an agent's, not
    # the customer's, and not the learner's
    (tmp_path / "transfer.txt").write_text(
        "[11:02] Liam Brennan: it says I owe £412 in arrears but I paid in March\n"
        "[11:03] Tom: Hi Liam, you're through to Tom. Can I take your agreement number and date of birth please?\n"
        "[11:04] Liam Brennan: HMF-0098213, 14/06/1988\n"
        "[11:05] Tom: Thanks, you're through security. I'm transferring you to our Payments team now.\n"
        "[11:05] *** Chat transferred from Tom (Customer Services) to Nadia (Payments) ***\n"
        "[11:07] Nadia: Hello Liam, I'm Nadia from the Payments team. I can see Tom has confirmed your details.\n"
        "[11:08] Nadia: I've found your £412 payment and moved it to the right agreement.\n"
        "[11:09] Liam Brennan: thanks\n", encoding="utf-8")
    labels = {"transfer.txt": {"agent": "Nadia", "agent_turns": 2, "customer_turns": 3, "labels": {}}}
    check = check_message_counts(tmp_path, labels)[0]
    assert check.got == (2, 3) and check.matched
