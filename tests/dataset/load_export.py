#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Loads a KernelForge export with Hugging Face `datasets` the way users will, and checks its shape.

usage: load_export.py EXPORT_DIR config/split=ROWS ...

Each config is loaded twice: load_dataset("json", data_files=...) per split, and load_dataset(EXPORT_DIR, config),
which reads the configs from the dataset card's YAML front matter. Row counts must match the arguments; `sft`
rows must have TRL's conversational shape (messages, prompt, completion: lists of {role, content} strings).
"""
import sys

from datasets import load_dataset

ROLES = {"system", "user", "assistant"}


def check_turns(turns, what):
    assert isinstance(turns, list) and turns, f"{what}: not a non-empty list: {turns!r}"
    for t in turns:
        assert isinstance(t, dict) and set(t) == {"role", "content"}, f"{what}: not {{role, content}}: {t!r}"
        assert t["role"] in ROLES, f"{what}: role {t['role']!r}"
        assert isinstance(t["content"], str), f"{what}: content not a string"


def main():
    root = sys.argv[1]
    expect = {}
    for arg in sys.argv[2:]:
        key, rows = arg.split("=")
        expect[key] = int(rows)
    for config in ("sft", "full", "preference"):
        files = {s: f"{root}/data/{config}/{s}-00000.jsonl" for s in ("train", "validation")}
        by_files = load_dataset("json", data_files=files)
        by_card = load_dataset(root, config)
        for split in files:
            want = expect[f"{config}/{split}"]
            got = len(by_files[split])
            assert got == want, f"{config}/{split}: {got} rows, expected {want}"
            assert len(by_card[split]) == want, f"{config}/{split} via the card: {len(by_card[split])} rows"
            print(f"{config}/{split}: {got} rows, {len(by_files[split].column_names)} columns")
        if config == "sft":
            for split in files:
                for row in by_files[split]:
                    check_turns(row["messages"], "messages")
                    check_turns(row["prompt"], "prompt")
                    check_turns(row["completion"], "completion")
                    assert row["messages"][-1]["role"] == "assistant"
                    assert row["prompt"][-1]["role"] == "user"
                    assert len(row["completion"]) == 1 and row["completion"][0]["role"] == "assistant"
                    assert row["messages"] == row["prompt"] + row["completion"]
                    assert row["has_reasoning"] == row["completion"][0]["content"].startswith("<think>\n")
        if config == "full":
            features = by_files["train"].features
            for col in ("speedup", "rel_l2_tol", "review_agreement"):
                assert features[col].dtype == "float64", f"{col}: {features[col]}"
            for col in ("input_tokens", "n_reviews", "review_rating"):
                assert features[col].dtype == "int64", f"{col}: {features[col]}"
        if config == "preference":
            for row in by_files["train"]:
                check_turns(row["prompt"], "prompt")
                check_turns(row["chosen"], "chosen")
                check_turns(row["rejected"], "rejected")
    print("ok")


if __name__ == "__main__":
    main()
