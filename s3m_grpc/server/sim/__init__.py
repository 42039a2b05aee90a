"""The simulated SLURM backend: a small cluster in-process whose batch scripts really run."""

from s3m_grpc.server.sim.backend import SimBackend
from s3m_grpc.server.sim.clock import Clock, ManualClock, SystemClock

__all__ = ["Clock", "ManualClock", "SimBackend", "SystemClock"]
