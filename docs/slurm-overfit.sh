#!/bin/bash
# An example Slurm batch script: the full overfitting sweep on 4 nodes,
# 8 ranks per node (each rank then uses cores-per-node / 8 threads).
# Submit from the repository root: sbatch docs/slurm-overfit.sh
#SBATCH --job-name=reluvet-overfit
#SBATCH --nodes=4
#SBATCH --ntasks-per-node=8
#SBATCH --time=02:00:00
#SBATCH --output=reluvet-overfit-%j.log
set -euo pipefail
# Build once with MPI (Open MPI from Debian: openmpi-bin, libopenmpi-dev).
[ -x build-mpi/cli/reluvet ] || {
  cmake -S . -B build-mpi -DRELUVET_MPI=ON >/dev/null && cmake --build build-mpi -j
}
# Results must be on a file system every node sees; rank 0 writes them.
# Resubmitting the same script after a time-out resumes from the checkpoints.
srun build-mpi/cli/reluvet overfit --profile full --out "$PWD/sweep-full"
