"""PSI/J on S3M: the `s3m` executor (`JobExecutor.get_instance("s3m")`), batch jobs sent through
S3M's API instead of `sbatch`. Needs the `[psij]` extra; the core package never imports it.
"""
