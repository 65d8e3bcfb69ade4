package kz.qaqpa.directives.schedule;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * The background schedules of the gateway's features (delivery, notices, probes, pruning, CRL
 * watch, health, NOTIFY) and their workers: each feature on daemon threads of its own name, so that
 * a slow task delays only its own feature, a thread dump names who is busy, and none of them keeps
 * a stopping JVM alive.
 */
public final class Schedules {

    private Schedules() {
    }

    /** A scheduler running on one daemon thread called {@code threadName}. */
    public static ScheduledExecutorService daemon(String threadName) {
        return Executors.newSingleThreadScheduledExecutor(daemonThreads(threadName));
    }

    /** Daemon threads called {@code threadName}, for a feature's pool of workers. */
    public static ThreadFactory daemonThreads(String threadName) {
        return runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        };
    }
}
