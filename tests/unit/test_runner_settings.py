"""Which task runner extraction uses, from the environment; bad values are named."""

from __future__ import annotations

import pytest
from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner
from prefect_dask import DaskTaskRunner

from flows.runners import _runner
from tasks.config import RunnerSettings, runner_settings
from tasks.errors import ConfigError


def test_the_default_is_a_process_per_core():
    assert runner_settings({}) == RunnerSettings("process", None, None)
    runner = _runner(runner_settings({}))
    assert type(runner) is ProcessPoolTaskRunner and runner._max_workers >= 1


def test_a_dask_address_selects_the_dask_runner_on_that_cluster():
    settings = runner_settings({"YUSUAN_DASK_ADDRESS": "tcp://10.0.0.5:8786"})
    assert settings == RunnerSettings("dask", None, "tcp://10.0.0.5:8786")
    runner = _runner(settings)
    assert isinstance(runner, DaskTaskRunner) and runner.address == "tcp://10.0.0.5:8786"


def test_threads_and_worker_counts():
    settings = runner_settings({"YUSUAN_EXTRACT_RUNNER": "thread",
                                "YUSUAN_EXTRACT_WORKERS": "3"})
    assert settings == RunnerSettings("thread", 3, None)
    assert type(_runner(settings)) is ThreadPoolTaskRunner
    assert _runner(runner_settings({"YUSUAN_EXTRACT_WORKERS": "5"}))._max_workers == 5


@pytest.mark.parametrize("env, message", [
    ({"YUSUAN_EXTRACT_RUNNER": "ray"}, "YUSUAN_EXTRACT_RUNNER: 'ray' must be one of process, "
                                       "thread, dask"),
    ({"YUSUAN_EXTRACT_RUNNER": "dask"}, "YUSUAN_EXTRACT_RUNNER=dask needs YUSUAN_DASK_ADDRESS"),
    ({"YUSUAN_EXTRACT_RUNNER": "thread", "YUSUAN_DASK_ADDRESS": "tcp://h:8786"},
     "YUSUAN_DASK_ADDRESS is set but YUSUAN_EXTRACT_RUNNER=thread"),
    ({"YUSUAN_EXTRACT_WORKERS": "0"}, "YUSUAN_EXTRACT_WORKERS: '0' must be a whole number"),
    ({"YUSUAN_EXTRACT_WORKERS": "two"}, "YUSUAN_EXTRACT_WORKERS: 'two' must be a whole number"),
    ({"YUSUAN_DASK_ADDRESS": "tcp://h:8786", "YUSUAN_EXTRACT_WORKERS": "2"},
     "YUSUAN_EXTRACT_WORKERS does not apply to a Dask cluster"),
])
def test_a_bad_setting_is_named(env: dict[str, str], message: str):
    with pytest.raises(ConfigError, match="^" + message.replace("(", r"\(")):
        runner_settings(env)
