"""A Globus Compute endpoint whose worker pools run as batch jobs sent through S3M.

Copy to ~/.globus_compute/<endpoint>/config.py (in place of config.yaml: a YAML config can only
name providers that ship with Parsl). The endpoint reads S3M_TOKEN (and S3M_ENDPOINT,
S3M_RESOURCE when the arguments below are left out) from its environment.
"""

import os

from globus_compute_endpoint.endpoint.config import UserEndpointConfig
from globus_compute_endpoint.engines import GlobusComputeEngine

from s3m_grpc.parsl import S3MProvider

config = UserEndpointConfig(
    display_name="S3M odo",
    engine=GlobusComputeEngine(
        max_workers_per_node=4,
        provider=S3MProvider(
            os.environ.get("S3M_RESOURCE", "odo"),
            account=os.environ.get("S3M_ACCOUNT"),
            partition="batch",
            nodes_per_block=1,
            init_blocks=0,
            min_blocks=0,
            max_blocks=4,
            walltime="01:00:00",
            # The pilot job starts with no environment: load the Python that has
            # globus-compute-endpoint (its worker pool) on the cluster.
            worker_init="source ~/globus-compute/bin/activate",
            environment={"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": os.environ["HOME"]},
        ),
    ),
)
