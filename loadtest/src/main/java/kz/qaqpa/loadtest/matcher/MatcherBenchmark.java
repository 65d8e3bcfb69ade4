package kz.qaqpa.loadtest.matcher;

import java.util.concurrent.TimeUnit;
import kz.qaqpa.blocklist.matcher.Matcher;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Domain look-ups per second on one thread (one core), on lists of 100,000 and 1,000,000 names,
 * with a stream of 4M queries of which 10 % are restricted — far more distinct names than any
 * cache holds, as on a resolver.
 *
 * <pre>mvn -q -pl loadtest exec:exec -Dbenchmark=org.openjdk.jmh.Main -Dargs="MatcherBenchmark"</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class MatcherBenchmark {

    private static final int QUERIES = 1 << 22;

    @Param({"100000", "1000000"})
    int entries;

    private Matcher matcher;
    private String[] queries;
    private int next;

    @Setup
    public void setUp() {
        matcher = SyntheticBlocklist.build(entries);
        queries = SyntheticBlocklist.queries(entries, QUERIES, 42);
    }

    @Benchmark
    public int matchDomain() {
        return matcher.matchDomain(queries[next++ & (QUERIES - 1)]);
    }
}
