"""The optional C extension, which pyproject.toml holds only in an experimental table; all
other metadata is in pyproject.toml.

`s3m_grpc.fastcodec._jsonclean` is the local server's JSON writer's check in C (ADR 0002).
Where it cannot be built (no C compiler) the install goes on and the same check runs in Python.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "s3m_grpc.fastcodec._jsonclean",
            ["s3m_grpc/fastcodec/_jsonclean.c"],
            optional=True,
        )
    ]
)
