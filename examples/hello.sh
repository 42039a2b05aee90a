#!/bin/bash
#SBATCH --job-name=hello
#SBATCH --time=00:05:00
#SBATCH --nodes=1
#SBATCH --output=hello-%j.out

echo "Hello from job ${SLURM_JOB_ID:-?} on $(hostname)"
echo "working directory: $(pwd)"
