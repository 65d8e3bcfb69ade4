package kz.qaqpa.loadtest.dns;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs dnsperf (Debian's {@code dnsperf} package) against one server and reads what it printed:
 * the run's answers, the per-second rates ({@code -S 1}) and, in verbose mode ({@code -v}, which
 * prints one line per answer), every answer's latency and response code.
 *
 * <p>The run's rate is its answers over the seconds it sent for, not dnsperf's own "queries per
 * second", which divides by the time to the last packet received — an answer that came after
 * dnsperf gave its query up ({@code -t 2}) included. Our node answers SERVFAIL when the upstream
 * has not answered a query within its upstream timeout (2 s by default, as dnsperf's), so a query
 * whose upstream answer was lost near the end of sending got its answer just after dnsperf gave it
 * up: the run stretched by up to 2 s (16.5 s for 15 s of sending) and its rate fell by as much.
 * dnsdist sends nothing for such a query. {@link Result#late()} counts those answers.
 */
final class Dnsperf {

    /**
     * What one run measured: {@code qps} the answers per second of sending, {@code runSeconds} dnsperf's
     * own run time (to the last packet it received), {@code late} the answers that came after
     * dnsperf had given their query up. Latencies (nanoseconds, sorted) only when run verbose.
     */
    record Result(double qps, double runSeconds, long sent, long completed, long lost, long late, double maxLatencyMillis,
                  List<Double> perSecond, List<Long> latencies, long restrictedNoError, long restrictedAnswered) {
    }

    /** How long dnsperf waits for an answer before it counts the query lost ({@code -t}). */
    static final int TIMEOUT_SECONDS = 2;

    private static final Pattern RUN_TIME = Pattern.compile("Run time \\(s\\):\\s+([\\d.]+)");
    private static final Pattern SENT = Pattern.compile("Queries sent:\\s+(\\d+)");
    private static final Pattern COMPLETED = Pattern.compile("Queries completed:\\s+(\\d+)");
    private static final Pattern LOST = Pattern.compile("Queries lost:\\s+(\\d+)");
    private static final Pattern MAX = Pattern.compile("Average Latency \\(s\\):.*max ([\\d.]+)\\)");
    private static final Pattern INTERVAL = Pattern.compile("^\\d+\\.\\d+: ([\\d.]+)$");
    /** How dnsperf says an answer came after it had given its query up. */
    private static final String LATE = "Warning: received a response with an unexpected (maybe timed out) id";
    private static final Pattern ANSWER = Pattern.compile("^> (\\S+) (\\S+) \\S+ ([\\d.]+)$");

    private Dnsperf() {
    }

    /**
     * One run of {@code seconds} against 127.0.0.1:port, pinned to {@code cpus}; {@code maxQps} 0 for
     * as fast as it goes. Verbose runs record every answer, and count the answers NOERROR to a name
     * in {@code restricted}.
     */
    static Result run(Path queries, int port, String cpus, int seconds, int maxQps, boolean verbose, Set<String> restricted)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("taskset", "-c", cpus, "dnsperf", "-s", "127.0.0.1",
                "-p", String.valueOf(port), "-d", queries.toString(), "-l", String.valueOf(seconds), "-S", "1",
                "-c", "4", "-q", "256", "-t", String.valueOf(TIMEOUT_SECONDS)));
        if (maxQps > 0) {
            command.addAll(List.of("-Q", String.valueOf(maxQps)));
        }
        if (verbose) {
            command.add("-v");
        }
        // dnsperf writes to a file, read once it has exited, not to a pipe read while it runs: a pipe's
        // reader that pauses (this JVM also runs the gateway, whose collections pause it for
        // hundreds of milliseconds) blocks dnsperf's writes once the pipe's 64 KB are full, and
        // dnsperf then neither sends nor times answers: a dip in its per-second rate and a worst
        // latency as long as the pause, with the server under test answering all along.
        Path output = Files.createTempFile(queries.toAbsolutePath().getParent(), "dnsperf-", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (process.waitFor() != 0) {
                throw new IOException("dnsperf exited with " + process.exitValue() + ":\n"
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
            return read(output, seconds, restricted);
        } finally {
            Files.deleteIfExists(output); // 10,000 lines a second: tens of megabytes a run
        }
    }

    /** What dnsperf wrote to {@code output} in a run of {@code seconds}. */
    private static Result read(Path output, int seconds, Set<String> restricted) throws IOException {
        List<Double> perSecond = new ArrayList<>();
        List<Long> latencies = new ArrayList<>();
        long restrictedNoError = 0;
        long restrictedAnswered = 0;
        long late = 0;
        StringBuilder summary = new StringBuilder();
        try (BufferedReader out = Files.newBufferedReader(output, StandardCharsets.UTF_8)) {
            String line;
            while ((line = out.readLine()) != null) {
                Matcher answer = ANSWER.matcher(line);
                if (answer.matches()) {
                    latencies.add(Math.round(Double.parseDouble(answer.group(3)) * 1e9));
                    String name = answer.group(2).endsWith(".") ? answer.group(2).substring(0, answer.group(2).length() - 1)
                            : answer.group(2);
                    if (restricted.contains(name)) {
                        restrictedAnswered++;
                        if (answer.group(1).equals("NOERROR")) {
                            restrictedNoError++;
                        }
                    }
                    continue;
                }
                Matcher interval = INTERVAL.matcher(line);
                if (interval.matches()) {
                    perSecond.add(Double.parseDouble(interval.group(1)));
                    continue;
                }
                if (line.startsWith(LATE)) {
                    late++;
                    continue;
                }
                summary.append(line).append('\n');
            }
        }
        String text = summary.toString();
        Collections.sort(latencies);
        long completed = (long) number(COMPLETED, text);
        return new Result(completed / (double) seconds, number(RUN_TIME, text), (long) number(SENT, text), completed,
                (long) number(LOST, text), late, number(MAX, text) * 1e3, perSecond, latencies, restrictedNoError,
                restrictedAnswered);
    }

    private static double number(Pattern pattern, String text) throws IOException {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            throw new IOException("dnsperf printed no " + pattern + ":\n" + text);
        }
        return Double.parseDouble(matcher.group(1));
    }
}
