package kz.qaqpa.loadtest.matcher;

import java.nio.charset.StandardCharsets;
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
 * <p>Two ways of handing over the query: {@code coldStrings} reads each from its own String object
 * scattered over the heap (two extra cache misses a query, the worst case); {@code hotBuffer} reads
 * it from one contiguous buffer, as a DNS node does with the name it has just decoded from a packet.
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

    @Param({"100000", "1000000", "10000000"})
    int entries;

    private Matcher matcher;
    private String[] queries;
    private byte[] buffer;
    private int[] starts;
    private final AsciiView view = new AsciiView();
    private int next;

    @Setup
    public void setUp() {
        matcher = SyntheticBlocklist.build(entries);
        queries = SyntheticBlocklist.queries(entries, QUERIES, 42);
        starts = new int[QUERIES + 1];
        int length = 0;
        for (int i = 0; i < QUERIES; i++) {
            starts[i] = length;
            length += queries[i].length();
        }
        starts[QUERIES] = length;
        buffer = new byte[length];
        for (int i = 0; i < QUERIES; i++) {
            byte[] ascii = queries[i].getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(ascii, 0, buffer, starts[i], ascii.length);
        }
    }

    @Benchmark
    public int coldStrings() {
        return matcher.matchDomain(queries[next++ & (QUERIES - 1)]);
    }

    @Benchmark
    public int hotBuffer() {
        int query = next++ & (QUERIES - 1);
        return matcher.matchDomain(view.of(buffer, starts[query], starts[query + 1]));
    }

    /** An ASCII name inside a byte buffer, read in place. */
    static final class AsciiView implements CharSequence {
        private byte[] bytes;
        private int start;
        private int length;

        AsciiView of(byte[] source, int from, int to) {
            bytes = source;
            start = from;
            length = to - from;
            return this;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public char charAt(int index) {
            return (char) (bytes[start + index] & 0xff);
        }

        @Override
        public CharSequence subSequence(int from, int to) {
            return new String(bytes, start + from, to - from, StandardCharsets.US_ASCII);
        }

        @Override
        public String toString() {
            return subSequence(0, length).toString();
        }
    }
}
