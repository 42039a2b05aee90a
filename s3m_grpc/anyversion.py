"""Typing names for "this message, in whichever API version the client speaks".

A client talks one version, chosen at run time, so what it hands back is one of the versions'
generated classes. These unions say so to a type checker (and to an IDE's completion). At run
time each name is built on first use from the version registry (importing every version's
messages), so annotations may use them freely; the static spelling below lists the versions by
hand, and a test checks it against the registry (a new version adds its module to each union).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

# Each name and the generated class it unites across versions.
CLASSES = {
    "Stub": "SlurmIndirectStub",
    "PingReply": "PingResp",
    "ControllerPing": "ControllerPingResp",
    "DiagReply": "DiagResp",
    "JobsReply": "JobsResp",
    "JobReply": "JobIdResp",
    "QueueJob": "SlurmJobDescription",
    "AccountingJob": "SlurmDbJobDescription",
    "SubmitReply": "JobSubmitResp",
    "CancelReply": "DeleteJobResp",
    "PartitionsReply": "PartitionsResp",
    "PartitionMessage": "SlurmPartitionDescription",
    "NodesReply": "NodesResp",
    "NodeMessage": "SlurmNodeDescription",
    "ReservationsReply": "ReservationsResp",
    "ReservationMessage": "Reservation",
}

if TYPE_CHECKING:
    from s3m_grpc.slurm import v0042, v0043, v0044

    Stub: TypeAlias = v0042.SlurmIndirectStub | v0043.SlurmIndirectStub | v0044.SlurmIndirectStub
    PingReply: TypeAlias = v0042.PingResp | v0043.PingResp | v0044.PingResp
    ControllerPing: TypeAlias = (
        v0042.ControllerPingResp | v0043.ControllerPingResp | v0044.ControllerPingResp
    )
    DiagReply: TypeAlias = v0042.DiagResp | v0043.DiagResp | v0044.DiagResp
    JobsReply: TypeAlias = v0042.JobsResp | v0043.JobsResp | v0044.JobsResp
    JobReply: TypeAlias = v0042.JobIdResp | v0043.JobIdResp | v0044.JobIdResp
    QueueJob: TypeAlias = (
        v0042.SlurmJobDescription | v0043.SlurmJobDescription | v0044.SlurmJobDescription
    )
    AccountingJob: TypeAlias = (
        v0042.SlurmDbJobDescription | v0043.SlurmDbJobDescription | v0044.SlurmDbJobDescription
    )
    SubmitReply: TypeAlias = v0042.JobSubmitResp | v0043.JobSubmitResp | v0044.JobSubmitResp
    CancelReply: TypeAlias = v0042.DeleteJobResp | v0043.DeleteJobResp | v0044.DeleteJobResp
    PartitionsReply: TypeAlias = v0042.PartitionsResp | v0043.PartitionsResp | v0044.PartitionsResp
    PartitionMessage: TypeAlias = (
        v0042.SlurmPartitionDescription
        | v0043.SlurmPartitionDescription
        | v0044.SlurmPartitionDescription
    )
    NodesReply: TypeAlias = v0042.NodesResp | v0043.NodesResp | v0044.NodesResp
    NodeMessage: TypeAlias = (
        v0042.SlurmNodeDescription | v0043.SlurmNodeDescription | v0044.SlurmNodeDescription
    )
    ReservationsReply: TypeAlias = (
        v0042.ReservationsResp | v0043.ReservationsResp | v0044.ReservationsResp
    )
    ReservationMessage: TypeAlias = v0042.Reservation | v0043.Reservation | v0044.Reservation
else:

    def __getattr__(name: str) -> object:
        cls_name = CLASSES.get(name)
        if cls_name is None:
            raise AttributeError(f"module 's3m_grpc.anyversion' has no attribute {name!r}")
        import functools
        import operator

        from s3m_grpc import versions

        classes = [getattr(versions.get(v).module, cls_name) for v in versions.API_VERSIONS]
        union = functools.reduce(operator.or_, classes)
        globals()[name] = union
        return union
