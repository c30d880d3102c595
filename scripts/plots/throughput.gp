# Throughput against threads, per kernel and churn series, with the 95%
# confidence interval of the harmonic mean as error bars.
set title sprintf("guest_memfd create+close throughput: %s\n%s", kernels, machine)
set xlabel 'threads'
set ylabel 'creates+closes per second (harmonic mean, 95% CI)'
set xtics 1
set yrange [0:*]
set offsets 0.25, 0.25, 0, 0
set key outside right top
plot for [i=0:nblocks-1] datadir.'/throughput.dat' index i using 1:2:3:4 \
	with yerrorlines lt (i + 1) title columnheader(1)
