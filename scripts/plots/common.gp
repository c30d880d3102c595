# Shared by every plot: terminal, output and series colours.
# Loaded by plot.gp, which sets datadir, fmt ("png" or "svg"), out, nsets,
# nblocks, kernels, machine and the case of the plot.
if (fmt eq 'svg') {
	set terminal svg size 1024,640 dynamic font 'sans,11' background '#ffffff'
} else {
	set terminal pngcairo size 1024,640 font 'sans,10' background '#ffffff'
}
set output out
set grid
set key noenhanced
set title noenhanced
# Fixed colours, one per kernel (and series), so a reader can match plots
# and the tests can find the plotted data.
set linetype 1 lc rgb '#0060ad' lw 2 pt 7 ps 1.2
set linetype 2 lc rgb '#dd181f' lw 2 pt 5 ps 1.2
set linetype 3 lc rgb '#00a000' lw 2 pt 9 ps 1.2
set linetype 4 lc rgb '#9400d3' lw 2 pt 11 ps 1.2
set linetype 5 lc rgb '#ff8c00' lw 2 pt 13 ps 1.2
set linetype 6 lc rgb '#008b8b' lw 2 pt 3 ps 1.2
set linetype 7 lc rgb '#8b4513' lw 2 pt 1 ps 1.2
set linetype 8 lc rgb '#505050' lw 2 pt 2 ps 1.2
set linetype cycle 8
