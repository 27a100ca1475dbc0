"""``ssb-twin validate`` / ``schema`` and the CLI's exit-code contract (0 ok, 2 bad input, 1 "
    "internal error)."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys

import pytest
import yaml

from twin import cli
from twin.scenario import Scenario, apply_overrides, read_scenario_document
from twin.scenario.library import library_dir, library_path

BASELINE = read_scenario_document(library_path("oxide_baseline"))


def run_cli(args: list[str], capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        cli.main(args)
    captured = capsys.readouterr()
    # rich wraps long lines at the console width; compare on single-spaced text
    return exited.value.code, " ".join(captured.out.split()), " ".join(captured.err.split())


def write_scenario(tmp_path, overrides: dict) -> str:
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(apply_overrides(BASELINE, overrides), sort_keys=False), encoding="utf-8")
    return str(path)


@pytest.mark.component
def test_validate_accepts_every_library_scenario(capsys):
    files = [str(path) for path in sorted(library_dir().glob("*.yaml"))]
    code, out, err = run_cli(["validate", *files], capsys)
    assert (code, err) == (0, "")
    assert out.count("ok: ") == len(files)


@pytest.mark.unit
def test_validate_rejects_a_typo_with_exit_2(tmp_path, capsys):
    path = write_scenario(tmp_path, {"route[2].cover_powdr": True})
    code, _, err = run_cli(["validate", path], capsys)
    assert code == 2
    assert "route[2].sintering.cover_powdr: unknown field 'cover_powdr'; did you mean 'cover_powder'?" in err


@pytest.mark.unit
def test_validate_rejects_a_negative_thickness_with_exit_2(tmp_path, capsys):
    path = write_scenario(tmp_path, {"cell.anode.thickness_um": -5})
    code, _, err = run_cli(["validate", path], capsys)
    assert code == 2
    assert "cell.anode.thickness_um: -5 is below 0 (thickness cannot be negative)" in err


@pytest.mark.integration
def test_impossible_temperature_through_a_subprocess(tmp_path):
    path = write_scenario(tmp_path, {"route[2].profile[1].temperature_C": 1900})
    done = subprocess.run([sys.executable, "-m", "twin.cli", "validate", path], capture_output=True,
                          text=True, timeout=60, env={"COLUMNS": "300", "PATH": ""})
    assert done.returncode == 2
    expected = ("route[2].sintering.profile[1].temperature_C: 1900 is above 1600 (garnet melts/decomposes "
                "within seconds; ultrafast sintering of garnets runs at ~1500 C (Wang et al. 2020))")
    assert expected in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.unit
def test_validate_reports_every_bad_file_and_still_checks_the_good_ones(tmp_path, capsys):
    bad = write_scenario(tmp_path, {"cell.anode.thickness_um": -5})
    missing = str(tmp_path / "missing.yaml")
    code, out, err = run_cli(["validate", str(library_path("oxide_baseline")), bad, missing], capsys)
    assert code == 2
    assert "ok: " in out and "oxide_baseline" in out
    assert f"file not found: {missing}" in err and "cell.anode.thickness_um" in err


@pytest.mark.unit
def test_schema_prints_json_schema_that_forbids_unknown_fields(capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(["schema"])
    assert exited.value.code == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "Scenario"
    assert schema["additionalProperties"] is False
    blocks = [definition for definition in schema["$defs"].values() if "properties" in definition]
    assert len(blocks) >= 20
    assert all(block.get("additionalProperties") is False for block in blocks)
    segment = schema["$defs"]["ProfileSegment"]["properties"]["temperature_C"]
    assert (segment["minimum"], segment["maximum"]) == (0, 1600)
    assert schema == Scenario.model_json_schema()


@pytest.mark.unit
def test_help_lists_only_commands_whose_modules_exist(capsys):
    code, out, _ = run_cli(["--help"], capsys)
    assert code == 0
    commands_section = out.split("Commands:")[1]
    names = "|".join(cli.COMMAND_MODULES)
    listed = set(re.findall(rf"\b({names})\b", commands_section))
    present = {name for name in cli.COMMAND_MODULES if importlib.util.find_spec(f"twin.commands.{name}")}
    assert {"validate", "schema"} <= present
    assert listed == present


@pytest.mark.unit
def test_a_command_module_that_does_not_exist_is_not_offered(monkeypatch, capsys):
    monkeypatch.setattr(cli, "COMMAND_MODULES", ("validate", "frobnicate"))
    code, out, _ = run_cli(["--help"], capsys)
    assert code == 0
    assert "validate" in out and "frobnicate" not in out and "schema" not in out


@pytest.mark.unit
def test_unknown_command_exits_2(capsys):
    code, _, err = run_cli(["frobnicate"], capsys)
    assert code == 2
    assert "No such command 'frobnicate'" in err


@pytest.mark.unit
def test_internal_error_exits_1_without_traceback(monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(Scenario, "model_json_schema", classmethod(broken))
    code, _, err = run_cli(["schema"], capsys)
    assert code == 1
    assert err.startswith("internal error: RuntimeError: boom")
    assert "Traceback" not in err


@pytest.mark.component
def test_an_unwritable_output_path_is_bad_input_naming_the_option(tmp_path, capsys):
    # a --json / --out path that cannot be written is the user's to fix: exit 2 naming it, not "internal error"
    missing = tmp_path / "no_such_dir" / "result.json"
    code, _, err = run_cli(["evaluate", "scenarios/pilot_line.yaml", "--json", str(missing)], capsys)
    assert code == 2
    assert err.startswith(f"invalid input: --json: cannot write '{missing}' (No such file or directory)")
    blocker = tmp_path / "a_file"
    blocker.write_text("", encoding="utf-8")
    code, _, err = run_cli(["compare", "oxide_baseline", f"--out={blocker / 'sub'}"], capsys)
    assert code == 2
    assert err.startswith(f"invalid input: --out: cannot write '{blocker / 'sub'}'")


@pytest.mark.unit
def test_debug_flag_lets_the_traceback_through(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(Scenario, "model_json_schema", classmethod(broken))
    with pytest.raises(RuntimeError, match="boom"):
        cli.main(["--debug", "schema"])


@pytest.mark.unit
def test_validate_and_evaluate_word_bad_input_alike(tmp_path, capsys):
    # new-user trial: validate said "invalid:" where evaluate said "invalid input:"; both exit 2
    path = write_scenario(tmp_path, {"cell.anode.thickness_um": -5})
    for command in ("validate", "evaluate"):
        code, _, err = run_cli([command, path], capsys)
        assert code == 2, command
        assert err.startswith(f"invalid input: {path}: "), (command, err)
