/**
 * Load generators and JMH benchmarks that measure Qaqpa against the bars of SPEC §5: matcher
 * look-ups, DNS throughput and latency beside dnsdist, propagation latency, intake. Results go to
 * BENCHMARKS.md with the command, machine and date. No benchmark exists yet.
 */
package kz.qaqpa.loadtest;
