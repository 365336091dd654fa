# Drawn by sluice-pktgen --plot; re-draw with: gnuplot doc/img/pktgen-rfc2544.gp
set terminal svg size 900,760 dynamic enhanced font 'sans,11' background '#ffffff'
set output 'doc/img/pktgen-rfc2544.svg'
$rfc << EOD
64 0.186842 1.000000 0.0330 0.1700 0.7990 8033.5120
128 0.203126 1.000000 0.0320 0.0400 0.7990 2383.8880
256 0.202530 1.000000 0.0340 0.1100 0.7990 1739.8890
512 0.187416 1.000000 0.0340 0.0490 0.9270 8076.0520
1024 0.159393 1.000000 0.0330 0.0590 1.0870 319.1000
1280 0.187501 1.000000 0.0330 0.1140 1.1430 30.2360
1514 0.203127 1.000000 0.0330 0.1930 1.3270 4419.3490
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
plot $rfc using 1:2 with linespoints pt 7 lw 2 title 'throughput', $rfc using 1:3 with lines dt 2 title 'upper bound'
set title 'Latency at the throughput'
set ylabel 'latency (us)'
set logscale y
set yrange [*:*]
set offsets 0, 0, 0, 0
plot $rfc using 1:6 with linespoints pt 7 title 'p99', $rfc using 1:5 with linespoints pt 6 title 'p50', $rfc using 1:7 with linespoints pt 2 dt 2 title 'max', $rfc using 1:4 with linespoints pt 1 dt 3 title 'min'
unset multiplot
