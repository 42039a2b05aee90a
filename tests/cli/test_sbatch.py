"""The `#SBATCH` parser and SLURM time formats: every form, precedence, and typed errors only."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from s3m_grpc.cli.errors import ScriptError
from s3m_grpc.cli.jobspec import DEFAULT_PATH, environment, job_description
from s3m_grpc.cli.sbatch import JobOptions, options_from_flags, parse_script
from s3m_grpc.cli.slurmtime import TimeLimit, format_duration, parse_time_limit
from s3m_grpc.errors import S3MError


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("30", 30),
        ("0:30", 1),
        ("5:00", 5),
        ("5:01", 6),
        ("1:30:00", 90),
        ("2-0", 2880),
        ("1-12", 2160),
        ("1-2:30", 1590),
        ("1-2:30:01", 1591),
        ("UNLIMITED", None),
        ("infinite", None),
        ("0", None),
        ("-1", None),
    ],
)
def test_time_limit_formats(text: str, minutes: int | None) -> None:
    assert parse_time_limit(text) == TimeLimit(minutes)


@pytest.mark.parametrize("text", ["", "1h", "1:2:3:4", "-5", "1-", "a-1:00", "1.5", "٣"])
def test_bad_time_limit_is_a_script_error(text: str) -> None:
    with pytest.raises(ScriptError, match="time limit"):
        parse_time_limit(text)


def test_durations_print_like_squeue() -> None:
    assert [format_duration(s) for s in (5, 65, 3600, 90061)] == [
        "0:05",
        "1:05",
        "1:00:00",
        "1-01:01:01",
    ]
    assert str(TimeLimit(None)) == "UNLIMITED"
    assert str(TimeLimit(90)) == "1:30:00"


SCRIPT = """#!/bin/bash
# a comment before the directives
#SBATCH -A abc123
#SBATCH --partition=batch
#SBATCH -t 1-02:00:00
#SBATCH -N 2 -n 8   # two nodes, eight tasks
#SBATCH --cpus-per-task 4
#SBATCH -J "my job"
#SBATCH -D/tmp/run
#SBATCH --output=out-%j.txt
#SBATCH -e err-%j.txt
#SBATCH --export=ALL,OMP_NUM_THREADS=4,HOME
#SBATCH --mem=4G
#SBATCH --exclusive
#SBATCH --mem 8G
#SBATCH -C nvme

srun hostname
#SBATCH --account=ignored-after-first-command
"""


def test_every_directive_long_and_short() -> None:
    parsed = parse_script(SCRIPT)
    assert parsed.options == JobOptions(
        account="abc123",
        partition="batch",
        time_limit=TimeLimit(26 * 60),
        nodes="2",
        tasks=8,
        cpus_per_task=4,
        name="my job",
        chdir="/tmp/run",
        output="out-%j.txt",
        error="err-%j.txt",
        environment=("OMP_NUM_THREADS=4",),
        export_names=("HOME",),
    )
    assert parsed.script == SCRIPT


def test_unknown_directives_are_kept_and_reported_once() -> None:
    parsed = parse_script(SCRIPT)
    assert parsed.unknown == ("--mem", "--exclusive", "-C")
    note = parsed.unknown_note()
    assert note is not None
    assert note.count("--mem") == 1
    assert "stay in the script" in note
    assert parse_script("#!/bin/sh\n#SBATCH -N 1\n").unknown_note() is None


def test_equals_forms_and_time_formats_in_scripts() -> None:
    script = "#SBATCH -A=acct\n#SBATCH --time 45\n#SBATCH -t=2:00\n#SBATCH --nodes 1-4\n"
    opts = parse_script(script).options
    assert (opts.account, opts.time_limit, opts.nodes) == ("acct", TimeLimit(2), "1-4")


def test_flags_win_over_directives() -> None:
    from_script = parse_script(SCRIPT).options
    flags = options_from_flags({"partition": "debug", "time_limit": "10", "account": None})
    merged = from_script.overridden_by(flags)
    assert merged.partition == "debug"
    assert merged.time_limit == TimeLimit(10)
    assert merged.account == "abc123"
    override_env = JobOptions(environment=("OMP_NUM_THREADS=8",))
    env = environment(from_script.overridden_by(override_env), {"HOME": "/h", "X": "1"}, False)
    assert env == [f"PATH={DEFAULT_PATH}", "HOME=/h", "OMP_NUM_THREADS=8"]
    assert environment(JobOptions(environment=("PATH=/opt/bin",)), {}, False) == ["PATH=/opt/bin"]


def test_job_description_uses_contract_names() -> None:
    opts = parse_script(SCRIPT).options
    desc = job_description(opts, local_env={}, default_chdir="/elsewhere")
    assert desc["current_working_directory"] == "/tmp/run"
    assert desc["time_limit"] == {"set": True, "infinite": False, "number": 1560}
    assert desc["cpus_per_task"] == 4
    assert desc["standard_output"] == "out-%j.txt"
    unlimited = job_description(JobOptions(time_limit=TimeLimit(None)), local_env={})
    assert unlimited["time_limit"]["infinite"] is True
    assert unlimited["environment"] == [f"PATH={DEFAULT_PATH}"]


@pytest.mark.parametrize(
    ("script", "message"),
    [
        ("#SBATCH -N\n", "needs a value"),
        ("#SBATCH -N two\n", "--nodes"),
        ("#SBATCH -n 0\n", "--ntasks"),
        ("#SBATCH -c 99999999999\n", "--cpus-per-task"),
        ("#SBATCH -t soon\n", "time limit"),
        ("#SBATCH -J 'unclosed\n", "line 1"),
        ("#SBATCH account\n", "options start with -"),
        ("#SBATCH --export=1BAD=x\n", "variable name"),
        ("#SBATCH -A ''\n", "non-empty"),
        ("bin\x00ary", "NUL"),
    ],
)
def test_bad_directives_name_the_problem(script: str, message: str) -> None:
    with pytest.raises(ScriptError, match=message):
        parse_script(script)


_directive_words = st.sampled_from(
    [
        "-A",
        "-p",
        "-t",
        "-N",
        "-n",
        "-c",
        "-J",
        "-D",
        "-o",
        "-e",
        "--export",
        "--time",
        "--mem",
        "--nodes=",
        "-t=",
        "'",
        '"',
        "#",
        "=",
        "-",
        "--",
        "1-2:3:4",
        "UNLIMITED",
        "x",
        "0",
        "\t",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_directive_words | st.text(max_size=6), max_size=6), max_size=6))
def test_random_directives_raise_only_typed_errors(lines: list[list[str]]) -> None:
    script = "".join("#SBATCH " + " ".join(words) + "\n" for words in lines)
    try:
        parsed = parse_script(script)
    except S3MError:
        return
    job_description(parsed.options, local_env={"HOME": "/h"})


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_random_scripts_and_times_raise_only_typed_errors(text: str) -> None:
    for call in (parse_script, parse_time_limit):
        with contextlib.suppress(S3MError):
            call(text)


def test_export_env_never_sends_the_token() -> None:
    local = {"S3M_TOKEN": "secret", "S3M_TOKEN_COMMAND": "pass x", "HOME": "/h"}
    env = environment(JobOptions(), local, export_all=True)
    assert env == [f"PATH={DEFAULT_PATH}", "HOME=/h"]


def test_directives_start_in_the_first_column_and_stop_at_the_first_command() -> None:
    script = (
        "#!/bin/sh\n  #SBATCH -J indented\n#SBATCHX -J glued\n#SBATCH -p real\n"
        "\ntrue\n#SBATCH -A late\n"
    )
    parsed = parse_script(script)
    assert parsed.options == JobOptions(partition="real")
    assert parsed.unknown == ()


_flag_names = st.sampled_from(
    ["account", "partition", "time_limit", "nodes", "tasks", "cpus_per_task", "name", "chdir",
     "output", "error", "export"]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(_flag_names, st.text(max_size=10)))
def test_random_flag_values_raise_only_typed_errors(flags: dict[str, str]) -> None:
    try:
        options = options_from_flags(flags)
    except S3MError:
        return
    job_description(parse_script("#!/bin/sh\n").options.overridden_by(options), local_env={})
