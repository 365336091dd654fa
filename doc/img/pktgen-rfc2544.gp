# Drawn by sluice-pktgen --plot; re-draw with: gnuplot doc/img/pktgen-rfc2544.gp
set terminal svg size 900,760 dynamic enhanced font 'sans,11' background '#ffffff'
set output 'doc/img/pktgen-rfc2544.svg'
$sizes << EOD
60 0.174377 nan 1.000000 0.0200 0.0400 1.2870 3700.2360
124 0.200835 nan 1.000000 0.0200 0.0600 0.8430 37.0250
252 0.200274 nan 1.000000 0.0200 0.0400 2.1590 31.8870
508 0.203126 nan 1.000000 0.0200 0.0400 2.5750 1971.4980
1020 0.198295 nan 1.000000 0.0200 0.0400 3.6470 4369.6610
1276 0.202571 nan 1.000000 0.0200 0.0400 3.8230 8042.0560
1514 0.162011 nan 1.000000 0.0200 0.0400 4.1910 2999.0550
EOD
set multiplot layout 2,1 title 'sluice-pktgen: RFC 2544 throughput (loss <= 0 %, trials of 1 s, resolution 2 %)'
set grid
set key outside right top
set lmargin 12
set rmargin 24
set logscale x 2
set xlabel 'frame size (bytes, without FCS)'
set title 'Throughput by frame size'
set ylabel 'Mpps'
set yrange [0:*]
set offsets 0, 0, graph 0.1, 0
plot $sizes using 1:2 with linespoints pt 7 lw 2 title 'throughput', $sizes using 1:4 with lines dt 2 title 'upper bound'
set title 'Latency by frame size'
set ylabel 'latency (us)'
set logscale y
set yrange [*:*]
set offsets 0, 0, 0, 0
plot $sizes using 1:7 with linespoints pt 7 title 'p99', $sizes using 1:6 with linespoints pt 6 title 'p50', $sizes using 1:8 with linespoints pt 2 dt 2 title 'max', $sizes using 1:5 with linespoints pt 1 dt 3 title 'min'
unset multiplot
