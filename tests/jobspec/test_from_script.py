"""`JobSpec.from_script`: every directive form, every field a script can set, what sbatch ignores,
unsupported directives, precedence, and typed errors only."""

from __future__ import annotations

import contextlib
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from s3m_grpc.errors import InvalidRequestError, S3MError
from s3m_grpc.jobspec import DEFAULT_PATH, JobSpec, exportable
from s3m_grpc.slurmtime import UNLIMITED, TimeLimit

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
#SBATCH --export=ALL,OMP_NUM_THREADS=4,HOME,S3M_TOKEN
#SBATCH --mem=4G
#SBATCH --exclusive
#SBATCH --array 1-4
#SBATCH -C nvme

srun hostname
#SBATCH --account=ignored-after-first-command
"""
ENVIRON = {"HOME": "/h", "S3M_TOKEN": "secret", "OTHER": "x"}


def test_every_directive_long_and_short() -> None:
    spec = JobSpec.from_script(SCRIPT, environ=ENVIRON)
    assert spec == JobSpec(
        script=SCRIPT,
        account="abc123",
        partition="batch",
        time_limit=26 * 60,
        nodes="2",
        tasks=8,
        cpus_per_task=4,
        name="my job",
        current_working_directory="/tmp/run",
        standard_output="out-%j.txt",
        standard_error="err-%j.txt",
        environment={"OMP_NUM_THREADS": "4", "HOME": "/h"},
        memory_per_node=4096,
    )
    assert spec.script == SCRIPT
    assert "S3M_TOKEN" not in spec.environment


@pytest.mark.parametrize(
    "line",
    ["-A x", "-Ax", "-A=x", "--account=x", "--account x", "-A 'x'", '--account="x"',
     "-A x  # trailing comment", "-p p -A x", "\t-A\tx"],
)  # fmt: skip
def test_every_option_form(line: str) -> None:
    assert JobSpec.from_script(f"#!/bin/sh\n#SBATCH {line}\n").account == "x"


def test_quoted_values_keep_spaces_and_quotes() -> None:
    spec = JobSpec.from_script("#!/bin/sh\n#SBATCH -J \"two words\" --comment='it''s'\n")
    assert (spec.name, spec.comment) == ("two words", "its")
    assert JobSpec.from_script('#!/bin/sh\n#SBATCH --comment "a # b"\n').comment == "a # b"


def test_every_field_a_script_can_set() -> None:
    script = "\n".join(
        [
            "#!/bin/bash",
            "#SBATCH --time-min=30 --input=in.txt -q debug --reservation=maint",
            "#SBATCH --comment=hello -L fs:2 --begin=2026-12-24T10:00 --priority=7",
            "#SBATCH --mem-per-cpu=100K --mincpus=2 --sockets-per-node=2",
            "#SBATCH --threads-per-core=1 --ntasks-per-node=4 --ntasks-per-socket=2",
            "#SBATCH --ntasks-per-core=1 --ntasks-per-gpu=3 --wait-all-nodes=1",
            "#SBATCH --workdir=/old/name --nodes=1-4 -t UNLIMITED",
            "true",
        ]
    )
    spec = JobSpec.from_script(script, environ={})
    assert spec == JobSpec(
        script=script,
        time_minimum=30,
        standard_input="in.txt",
        qos="debug",
        reservation="maint",
        comment="hello",
        licenses="fs:2",
        begin_time=datetime(2026, 12, 24, 10, 0),
        priority=7,
        memory_per_cpu=1,
        minimum_cpus_per_node=2,
        sockets_per_node=2,
        threads_per_core=1,
        tasks_per_node=4,
        tasks_per_socket=2,
        tasks_per_core=1,
        ntasks_per_tres=3,
        wait_all_nodes=True,
        current_working_directory="/old/name",
        nodes="1-4",
        time_limit="UNLIMITED",
    )
    assert spec.time_limit is UNLIMITED or spec.time_limit == TimeLimit(None)
    assert spec.unsupported == ()


def test_directives_start_in_the_first_column_and_stop_at_the_first_command() -> None:
    script = (
        "#!/bin/sh\n  #SBATCH -J indented\n#SBATCHX -J glued\n#SBATCH -p real\n"
        "\ntrue\n#SBATCH -A late\n#SBATCH --array=1-3\n"
    )
    spec = JobSpec.from_script(script)
    assert spec == JobSpec(script=script, partition="real")
    assert spec.unsupported == ()


def test_later_directives_win() -> None:
    spec = JobSpec.from_script("#!/bin/sh\n#SBATCH -t 5\n#SBATCH --time 10\n#SBATCH -p a -p b\n")
    assert (spec.time_limit, spec.partition) == (TimeLimit(10), "b")


def test_unsupported_directives_are_listed_once_in_order() -> None:
    spec = JobSpec.from_script(SCRIPT + "", environ=ENVIRON)
    assert spec.unsupported == ("--exclusive", "--array", "-C")
    again = JobSpec.from_script("#!/bin/sh\n#SBATCH --array=1-2 --dependency afterok:1 -a 3\n")
    assert again.unsupported == ("--array", "--dependency", "-a")
    note = again.unsupported_note()
    assert note is not None
    assert note.count("--array") == 1
    assert "stay in the script" in note
    assert JobSpec.from_script("#!/bin/sh\n#SBATCH -N 1\n").unsupported_note() is None


def test_flags_and_keywords_win_over_directives_and_environments_merge() -> None:
    from_script = JobSpec.from_script(SCRIPT, environ=ENVIRON)
    flags = JobSpec.from_options({"partition": "debug", "time": "10", "account": None})
    merged = from_script.merge(flags).merge(JobSpec(environment={"OMP_NUM_THREADS": "8"}))
    assert merged.partition == "debug"
    assert merged.time_limit == TimeLimit(10)
    assert merged.account == "abc123"
    assert merged.script == SCRIPT
    assert merged.unsupported == from_script.unsupported
    assert merged.description()["environment"] == [
        f"PATH={DEFAULT_PATH}",
        "OMP_NUM_THREADS=8",
        "HOME=/h",
    ]
    own_path = JobSpec(environment={"PATH": "/opt/bin"}).description()["environment"]
    assert own_path == ["PATH=/opt/bin"]


def test_exportable_never_includes_the_token() -> None:
    local = {"S3M_TOKEN": "secret", "S3M_TOKEN_COMMAND": "pass x", "HOME": "/h"}
    assert exportable(local) == {"HOME": "/h"}


@pytest.mark.parametrize(
    ("script", "message"),
    [
        ("#SBATCH -N\n", "line 1: -N needs a value"),
        ("#SBATCH -N two\n", "line 1: invalid --nodes"),
        ("#!/bin/sh\n#SBATCH -n 0\n", "line 2: invalid --ntasks '0'"),
        ("#SBATCH -c 99999999999\n", "--cpus-per-task"),
        ("#SBATCH -t soon\n", "time limit"),
        ("#SBATCH -J 'unclosed\n", "line 1"),
        ("#SBATCH account\n", "options start with -"),
        ("#SBATCH --export=1BAD=x\n", "variable name"),
        ("#SBATCH -A ''\n", "non-empty"),
        ("#SBATCH --mem=lots\n", "--mem"),
        ("#SBATCH --priority=-1\n", "--priority"),
        ("#SBATCH --wait-all-nodes=yes\n", "--wait-all-nodes"),
        ("#SBATCH --begin=someday\n", "begin time"),
        ("bin\x00ary", "NUL"),
    ],
)
def test_bad_directives_name_the_problem(script: str, message: str) -> None:
    with pytest.raises(InvalidRequestError, match=message):
        JobSpec.from_script(script)


_directive_words = st.sampled_from(
    ["-A", "-p", "-t", "-N", "-n", "-c", "-J", "-D", "-o", "-e", "--export", "--time", "--mem",
     "--nodes=", "-t=", "--begin", "--priority", "--mem-per-cpu=", "--wait-all-nodes", "'", '"',
     "#", "=", "-", "--", "1-2:3:4", "UNLIMITED", "4G", "now+1", "x", "0", "\t"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_directive_words | st.text(max_size=6), max_size=6), max_size=6))
def test_random_directives_raise_only_typed_errors(lines: list[list[str]]) -> None:
    script = "#!/bin/sh\n" + "".join("#SBATCH " + " ".join(words) + "\n" for words in lines)
    try:
        spec = JobSpec.from_script(script, environ={"HOME": "/h"})
    except S3MError:
        return
    spec.description()


_option_names = st.sampled_from(
    ["account", "partition", "time", "nodes", "ntasks", "cpus-per-task", "job-name", "chdir",
     "output", "error", "export", "mem", "begin", "priority"]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(_option_names, st.text(max_size=10)))
def test_random_option_values_raise_only_typed_errors(options: dict[str, str]) -> None:
    with contextlib.suppress(S3MError):
        JobSpec.from_options(options, environ={}).description()
