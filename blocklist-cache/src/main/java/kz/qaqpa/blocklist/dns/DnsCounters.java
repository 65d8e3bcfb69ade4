package kz.qaqpa.blocklist.dns;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the node's DNS service answered, counted for Prometheus: {@code qaqpa_dns_answers_total} by
 * {@code answer}, and {@code qaqpa_dns_upstream_answers_dropped_total} for answers from the upstream's
 * side that no query in flight was waiting for (late, or forged). A count is one uncontended add on
 * the answering thread; the registry reads the sums when scraped.
 */
public final class DnsCounters {

    /** How a client's query was answered; one count per answer sent. */
    public enum Answer {
        /** NXDOMAIN or the sinkhole: the name, or an address the upstream gave, is restricted. */
        RESTRICTED,
        /** The upstream's answer, relayed. */
        RELAYED,
        /** REFUSED: the node holds no verified list (yet, or any longer). */
        NOT_READY,
        /** FORMERR: not one question, or a name the node cannot judge. */
        MALFORMED,
        /** NOTIMP: an opcode other than QUERY. */
        NOT_IMPLEMENTED,
        /** SERVFAIL: the upstream did not answer in time, or could not be reached. */
        UPSTREAM_TIMEOUT,
        /** SERVFAIL: the upstream answered something else or something unreadable, or closed the connection. */
        UPSTREAM_FAILED,
        /** SERVFAIL: too many queries in flight, from this client or from all. */
        OVERLOADED
    }

    private final Map<Answer, LongAdder> answers = new EnumMap<>(Answer.class);
    private final LongAdder dropped = new LongAdder();

    public DnsCounters() {
        for (Answer answer : Answer.values()) {
            answers.put(answer, new LongAdder());
        }
    }

    void answered(Answer answer) {
        answers.get(answer).increment();
    }

    void dropped() {
        dropped.increment();
    }

    /** How many queries were answered so. */
    public long count(Answer answer) {
        return answers.get(answer).sum();
    }

    /** How many answers from the upstream's side were dropped. */
    public long droppedAnswers() {
        return dropped.sum();
    }

    /** Registers the counters; every answer's series exists from the start, at 0. */
    public DnsCounters bindTo(MeterRegistry registry) {
        answers.forEach((answer, count) -> FunctionCounter.builder("qaqpa_dns_answers", count, LongAdder::sum)
                .tag("answer", answer.name().toLowerCase(Locale.ROOT))
                .description("DNS queries the filtering node answered, by how").register(registry));
        FunctionCounter.builder("qaqpa_dns_upstream_answers_dropped", dropped, LongAdder::sum)
                .description("Answers from the upstream's side no query in flight waited for (late, or forged)")
                .register(registry);
        return this;
    }
}
