# New slab objects per NUMA node and cache, a bar per kernel (start to peak).
set title sprintf("%s: new slab objects per NUMA node: %s\n%s", slab_case, kernels, machine)
set style data histograms
set style histogram clustered gap 1
set style fill solid 1.0 border -1
set ylabel 'objects (mean over runs)'
set yrange [0:*]
set xtics noenhanced rotate by -20
set key top right
plot for [i=2:nsets+1] datadir.'/numa.dat' using i:xtic(1) lt (i - 1) title columnheader(i)
