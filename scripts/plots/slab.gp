# Slab bytes per open file, per cache, a bar per kernel (start to peak).
set title sprintf("%s: slab bytes per open file, per cache: %s\n%s", slab_case, kernels, machine)
set style data histograms
set style histogram clustered gap 1
set style fill solid 1.0 border -1
set ylabel 'bytes per file'
set yrange [0:*]
set xtics noenhanced rotate by -20
set key top right
plot for [i=2:nsets+1] datadir.'/slab.dat' using i:xtic(1) lt (i - 1) title columnheader(i)
