# Drawn by sluice-pktgen --plot; re-draw with: gnuplot doc/img/pktgen-rfc2544.gp
set terminal svg size 900,760 dynamic enhanced font 'sans,11' background '#ffffff'
set output 'doc/img/pktgen-rfc2544.svg'
$sizes << EOD
64 0.187500 nan 1.000000 0.0350 0.0420 0.5750 4052.3690
128 0.203126 nan 1.000000 0.0320 0.0390 0.5950 136.2090
256 0.203125 nan 1.000000 0.0330 0.0390 0.5710 97.4220
512 0.203126 nan 1.000000 0.0350 0.0430 0.3830 43.6890
1024 0.203125 nan 1.000000 0.0350 0.0400 0.3110 82.2540
1280 0.203125 nan 1.000000 0.0350 0.0400 0.4010 129.9710
1514 0.203125 nan 1.000000 0.0350 0.0410 0.9190 137.3430
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
