# Draws one plot: gnuplot -c plot.gp DATADIR FMT PLOT NSETS NBLOCKS KERNELS MACHINE CASE
# (scripts/plot.sh).  Every value arrives as an argument, a string that is
# never parsed as gnuplot code: labels come from other people's result files.
datadir = ARG1
fmt = ARG2
plot = ARG3
nsets = int(ARG4)
nblocks = int(ARG5)
kernels = ARG6
machine = ARG7
latency_case = ARG8
slab_case = ARG8
out = datadir . '/' . plot . '.' . fmt . '.tmp'
plotsdir = ARG0[1:strlen(ARG0) - strlen('plot.gp')]
load plotsdir . 'common.gp'
load plotsdir . plot . '.gp'
