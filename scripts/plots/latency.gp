# Create and close latency percentiles of one case, a bar per kernel.
set multiplot layout 1,2 title sprintf("%s latency percentiles (all runs): %s\n%s", latency_case, kernels, machine) noenhanced
set style data histograms
set style histogram clustered gap 1
set style fill solid 1.0 border -1
set logscale y
set ylabel 'ns'
set key top left
set title 'create'
plot for [i=2:nsets+1] datadir.'/latency-create.dat' using i:xtic(1) lt (i - 1) title columnheader(i)
set title 'close'
plot for [i=2:nsets+1] datadir.'/latency-close.dat' using i:xtic(1) lt (i - 1) title columnheader(i)
unset multiplot
