"""sdiag's statistics for the simulated controller, from the engine's counters."""

from __future__ import annotations

from s3m_grpc.server.backend import JSON
from s3m_grpc.server.sim import cluster as cl
from s3m_grpc.server.sim.engine import Stats

# RPC names and type ids as sdiag reports them.
RPC_TYPES = {
    "REQUEST_PING": 1008,
    "REQUEST_JOB_INFO": 2003,
    "REQUEST_NODE_INFO": 2007,
    "REQUEST_PARTITION_INFO": 2009,
    "REQUEST_RESERVATION_INFO": 2024,
    "REQUEST_STATS_INFO": 2035,
    "REQUEST_SUBMIT_BATCH_JOB": 4003,
    "REQUEST_KILL_JOB": 5032,
    "DBD_GET_JOBS_COND": 1444,
}


def statistics(st: Stats, pending: int, running: int, jobs: int, now: int, started: int) -> JSON:
    """The `statistics` object of DiagResp (v0.0.44 shape)."""
    return {
        "parts_packed": 1,
        "req_time": cl.noval(now),
        "req_time_start": cl.noval(started),
        "server_thread_count": 3,
        "agent_queue_size": 0,
        "agent_count": 0,
        "agent_thread_count": 0,
        "dbd_agent_queue_size": 0,
        "gettimeofday_latency": 12,
        "schedule_cycle_max": 150,
        "schedule_cycle_last": 40,
        "schedule_cycle_total": st.cycles,
        "schedule_cycle_mean": 40,
        "schedule_cycle_mean_depth": jobs,
        "schedule_cycle_per_minute": 0,
        "schedule_cycle_sum": 40 * st.cycles,
        "schedule_cycle_depth": jobs,
        "schedule_exit": {
            "end_job_queue": st.cycles,
            "default_queue_depth": 0,
            "max_job_start": 0,
            "max_rpc_cnt": 0,
            "max_sched_time": 0,
            "licenses": 0,
        },
        "schedule_queue_length": pending,
        "jobs_submitted": st.submitted,
        "jobs_started": st.started,
        "jobs_completed": st.completed,
        "jobs_canceled": st.canceled,
        "jobs_failed": st.failed,
        "jobs_pending": pending,
        "jobs_running": running,
        "job_states_ts": cl.noval(now),
        "bf_backfilled_jobs": 0,
        "bf_last_backfilled_jobs": 0,
        "bf_backfilled_het_jobs": 0,
        "bf_cycle_counter": 0,
        "bf_cycle_mean": 0,
        "bf_depth_mean": 0,
        "bf_depth_mean_try": 0,
        "bf_cycle_sum": 0,
        "bf_cycle_last": 0,
        "bf_last_depth": 0,
        "bf_last_depth_try": 0,
        "bf_depth_sum": 0,
        "bf_depth_try_sum": 0,
        "bf_queue_len": 0,
        "bf_queue_len_mean": 0,
        "bf_queue_len_sum": 0,
        "bf_table_size": 0,
        "bf_table_size_mean": 0,
        "bf_table_size_sum": 0,
        "bf_when_last_cycle": cl.noval(0),
        "bf_active": False,
        "rpcs_by_message_type": [
            {
                "message_type": name,
                "type_id": RPC_TYPES.get(name, 0),
                "count": count,
                "average_time": cl.noval(50),
                "total_time": 50 * count,
                "dropped": 0,
                "cycle_max": 0,
                "cycle_last": 0,
                "queued": 0,
            }
            for name, count in sorted(st.rpcs.items())
        ],
        "rpcs_by_user": [
            {
                "user_id": 0,
                "user": user,
                "count": count,
                "total_time": 50 * count,
                "average_time": cl.noval(50),
            }
            for user, count in sorted(st.rpcs_by_user.items())
        ],
        "bf_exit": {
            "end_job_queue": 0,
            "bf_max_job_start": 0,
            "bf_max_job_test": 0,
            "bf_max_time": 0,
            "bf_node_space_size": 0,
            "state_changed": 0,
        },
    }
