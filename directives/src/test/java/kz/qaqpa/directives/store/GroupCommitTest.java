package kz.qaqpa.directives.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Works queued while a batch runs are stored in batches of at most the size given, none lost or run twice. */
class GroupCommitTest {

    private final ExecutorService pool = Executors.newCachedThreadPool();
    /** Lets the work that leads the first batch finish. */
    private final CountDownLatch release = new CountDownLatch(1);
    private ThrowAwayDatabase throwAway;
    private Database database;

    @BeforeEach
    void open() throws SQLException {
        throwAway = ThrowAwayDatabase.h2();
        database = Database.open(throwAway.settings(), new SimpleMeterRegistry());
        try (Connection connection = database.dataSource().getConnection(); Statement create = connection.createStatement()) {
            create.execute("CREATE TABLE work_done (name VARCHAR(20) PRIMARY KEY)");
        }
    }

    @AfterEach
    void close() throws Exception {
        release.countDown();
        pool.shutdownNow();
        database.close();
        throwAway.close();
    }

    @Test
    void moreQueuedThanABatchHoldsAreStoredInSeveralBatchesAndARefusedOneAloneIsLeftOut() throws Exception {
        GroupCommit commits = new GroupCommit(database, 2);
        Future<String> first = storingUntil(commits, "w0");
        List<Future<String>> queued = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            String name = "w" + i;
            queued.add(queue(commits, connection -> {
                if (name.equals("w3")) {
                    insert(connection, name);
                    throw new IllegalStateException("w3 refused after its row was written");
                }
                return insert(connection, name);
            }));
        }
        release.countDown();

        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("w0");
        for (int i : new int[] {0, 1, 3, 4}) {
            assertThat(queued.get(i).get(30, TimeUnit.SECONDS)).isEqualTo("w" + (i + 1));
        }
        assertThatThrownBy(() -> queued.get(2).get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IllegalStateException.class).hasMessageContaining("w3 refused");

        assertThat(rows()).containsExactlyInAnyOrder("w0", "w1", "w2", "w4", "w5");
        assertThat(commits.transactions()).as("w0; then w1 and w2, w3 and w4, w5").isEqualTo(4);
        assertThat(commits.committed()).isEqualTo(5);
        assertThat(commits.waiting()).isZero();
    }

    @Test
    void aBatchThatCannotCommitFailsEveryWorkInItAndStoresNone() throws Exception {
        GroupCommit commits = new GroupCommit(database, 8);
        Future<String> first = storingUntil(commits, "alone");
        Future<String> stored = queue(commits, connection -> insert(connection, "b1"));
        // The second work of the batch closes the connection: nothing can be committed after it.
        Future<String> breaking = queue(commits, connection -> {
            insert(connection, "b2");
            try {
                connection.close();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return "b2";
        });
        release.countDown();

        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("alone");
        assertThatThrownBy(() -> stored.get(30, TimeUnit.SECONDS)).as("b1 was done, but not committed")
                .isInstanceOf(ExecutionException.class);
        assertThatThrownBy(() -> breaking.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);

        assertThat(rows()).containsExactly("alone");
        assertThat(commits.committed()).isEqualTo(1);
    }

    /** A work that, once it is being stored (and so leads its batch), waits for {@link #release}. */
    private Future<String> storingUntil(GroupCommit commits, String name) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        Future<String> work = pool.submit(() -> commits.inTransaction(connection -> {
            running.countDown();
            awaitQuietly(release);
            return insert(connection, name);
        }));
        assertThat(running.await(30, TimeUnit.SECONDS)).as(name + " is being stored").isTrue();
        return work;
    }

    /** Queues {@code work} behind the batch being stored, and returns once it waits. */
    private Future<String> queue(GroupCommit commits, Function<Connection, String> work) {
        int before = commits.waiting();
        Future<String> queued = pool.submit(() -> commits.inTransaction(work));
        await().atMost(Duration.ofSeconds(30)).until(() -> commits.waiting() == before + 1);
        return queued;
    }

    private static String insert(Connection connection, String name) {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO work_done (name) VALUES (?)")) {
            insert.setString(1, name);
            insert.executeUpdate();
            return name;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> rows() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
             ResultSet rows = connection.createStatement().executeQuery("SELECT name FROM work_done")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
