package kz.qaqpa.directives.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Commits the work of callers that arrive together in one transaction: a group commit.
 *
 * <p>Why: every directive the intake accepts moves the same head rows (the change log's serial, the
 * Merkle log's edge, the audit chain), so intakes run one after the other whatever the pool's size,
 * each holding those rows through its commit — a WAL flush on PostgreSQL, an fsync of the file on the
 * embedded store. One transaction for what arrived meanwhile pays that once for many.
 *
 * <p>How: leader and followers, with no thread of its own. A caller queues its work; if no batch is
 * running it becomes the leader, takes what is queued (up to {@code maxBatch}, oldest first) and runs
 * it in one {@link Database#inTransaction transaction}, each work behind its own savepoint: a work
 * that throws is rolled back to its savepoint, alone, and its caller gets the exception; the others
 * are committed. Only after the commit — on the disk, as {@link Database#inTransaction} promises — is
 * any caller answered; if the commit fails, every caller of the batch gets that failure and nothing of
 * the batch is stored. Callers that queued meanwhile wait, and one of them leads the next batch.
 *
 * <p>Cost: a batch of one is exactly one transaction, with no savepoint; a larger batch adds one
 * {@code SAVEPOINT} per work and saves a commit per work. Work runs on the leader's thread, so
 * repositories inside it take part in the batch's transaction as they would in their own.
 */
public final class GroupCommit {

    private final Database database;
    private final int maxBatch;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition finished = lock.newCondition();
    private final ArrayDeque<Work<?>> queued = new ArrayDeque<>();
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong committed = new AtomicLong();
    private boolean leading;

    public GroupCommit(Database database, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1: " + maxBatch);
        }
        this.database = database;
        this.maxBatch = maxBatch;
    }

    /**
     * Runs {@code work} in a transaction shared with the work of other callers, and returns once that
     * transaction is committed and on the disk.
     *
     * @throws RuntimeException what {@code work} threw (nothing of it is stored), or why the shared
     *                          transaction failed (nothing of it is stored either)
     */
    public <T> T inTransaction(Function<Connection, T> work) {
        Work<T> mine = new Work<>(work);
        lock.lock();
        try {
            queued.add(mine);
        } finally {
            lock.unlock();
        }
        while (true) {
            List<Work<?>> batch;
            lock.lock();
            try {
                while (!mine.done && leading) {
                    finished.awaitUninterruptibly();
                }
                if (mine.done) {
                    return mine.outcome();
                }
                leading = true;
                batch = new ArrayList<>(Math.min(maxBatch, queued.size()));
                while (batch.size() < maxBatch && !queued.isEmpty()) {
                    batch.add(queued.poll());
                }
            } finally {
                lock.unlock();
            }
            // Another loop only when more were queued ahead of this caller than one batch holds.
            try {
                run(batch);
            } finally {
                lock.lock();
                try {
                    batch.forEach(taken -> taken.done = true);
                    leading = false;
                    finished.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /** Works queued for the next batch, for the intake's metrics. */
    public int waiting() {
        lock.lock();
        try {
            return queued.size();
        } finally {
            lock.unlock();
        }
    }

    /** Transactions committed or attempted, for the intake's metrics. */
    public long transactions() {
        return transactions.get();
    }

    /** Works committed, for the intake's metrics: this over {@link #transactions()} is the mean batch. */
    public long committed() {
        return committed.get();
    }

    private void run(List<Work<?>> batch) {
        transactions.incrementAndGet();
        try {
            if (batch.size() == 1) {
                batch.get(0).runAlone(database);
            } else {
                database.inTransaction(connection -> {
                    for (Work<?> work : batch) {
                        work.runBehindSavepoint(connection);
                    }
                    return null;
                });
            }
            committed.addAndGet(batch.stream().filter(work -> work.failure == null).count());
        } catch (RuntimeException | Error e) {
            // Not committed: whatever a work returned is void, and its caller learns why.
            batch.forEach(work -> work.failure = e);
        }
    }

    private static final class Work<T> {

        final Function<Connection, T> work;
        // Written by the leader, then done set under the lock; read by the caller under the lock.
        T result;
        Throwable failure;
        boolean done;

        Work(Function<Connection, T> work) {
            this.work = work;
        }

        void runAlone(Database database) {
            result = database.inTransaction(work);
        }

        void runBehindSavepoint(Connection connection) {
            Savepoint savepoint;
            try {
                savepoint = connection.setSavepoint();
            } catch (SQLException e) {
                throw new DatabaseUnavailableException("cannot set a savepoint: " + e.getMessage(), e);
            }
            try {
                result = work.apply(connection);
            } catch (RuntimeException e) {
                failure = e;
                try {
                    connection.rollback(savepoint);
                } catch (SQLException rollback) {
                    rollback.addSuppressed(e);
                    throw new DatabaseUnavailableException("cannot roll a refused work back to its savepoint: "
                            + rollback.getMessage(), rollback);
                }
            }
        }

        T outcome() {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            return result;
        }
    }
}
