#!/bin/bash
# #SBATCH directives s3m translates into the job description, in long and short forms (the
# full list: `s3m submit --help`). Flags given to `s3m submit` win over these; directives the
# S3M job description cannot carry (like --mail-type) stay in the script and s3m prints one
# note naming them.
#SBATCH --account=stf040
#SBATCH -p batch-cpu               # a partition of `s3m --local`
#SBATCH --time=0-01:30:00         # also M, M:S, H:M:S, D-H, D-H:M, UNLIMITED
#SBATCH -N 1
#SBATCH --ntasks 4
#SBATCH -c 2
#SBATCH -J directives-demo
#SBATCH --output=directives-%j.out
#SBATCH -e directives-%j.err
#SBATCH --export=OMP_NUM_THREADS=2
#SBATCH --mem=1G
#SBATCH --mail-type=END

echo "job ${SLURM_JOB_ID:-?}: ${SLURM_JOB_NAME:-?}, OMP_NUM_THREADS=${OMP_NUM_THREADS:-unset}"
