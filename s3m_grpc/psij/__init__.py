"""PSI/J on S3M: the `s3m` executor (`JobExecutor.get_instance("s3m")`), batch jobs sent through
S3M's API instead of `sbatch`. Needs the `[psij]` extra (`pip install 's3m-grpc[psij]'`):
without it importing this package raises `s3m_grpc.extras.MissingExtraError` saying so. The core
package never imports it.
"""

from s3m_grpc.extras import require

require("psij")
