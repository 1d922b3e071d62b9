# seeds.sh — the programs tests/fuzz.t runs (sourced by it and by
# tests/data/record.sh, which records their CPU outputs): one per seed,
# K cases of N instructions.
SEEDS="1 2 3 4"
K=250
N=12
