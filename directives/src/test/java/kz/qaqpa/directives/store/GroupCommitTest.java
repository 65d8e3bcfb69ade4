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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Works queued while a batch runs are stored in batches of at most the size given, none lost or run twice. */
class GroupCommitTest {

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
        database.close();
        throwAway.close();
    }

    @Test
    void moreQueuedThanABatchHoldsAreStoredInSeveralBatchesAndARefusedOneAloneIsLeftOut() throws Exception {
        GroupCommit commits = new GroupCommit(database, 2);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            Future<String> first = pool.submit(() -> commits.inTransaction(connection -> {
                running.countDown();
                awaitQuietly(release);
                return insert(connection, "w0");
            }));
            assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
            List<Future<String>> queued = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                String name = "w" + i;
                queued.add(pool.submit(() -> commits.inTransaction(connection -> {
                    if (name.equals("w3")) {
                        insert(connection, name);
                        throw new IllegalStateException("w3 refused after its row was written");
                    }
                    return insert(connection, name);
                })));
                int waiting = i;
                await().atMost(Duration.ofSeconds(30)).until(() -> commits.waiting() == waiting);
            }
            release.countDown();

            assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("w0");
            for (int i : new int[] {0, 1, 3, 4}) {
                assertThat(queued.get(i).get(30, TimeUnit.SECONDS)).isEqualTo("w" + (i + 1));
            }
            assertThatThrownBy(() -> queued.get(2).get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(IllegalStateException.class).hasMessageContaining("w3 refused");
        } finally {
            release.countDown();
            pool.shutdownNow();
        }

        assertThat(rows()).containsExactlyInAnyOrder("w0", "w1", "w2", "w4", "w5");
        assertThat(commits.transactions()).as("w0; then w1 and w2, w3 and w4, w5").isEqualTo(4);
        assertThat(commits.committed()).isEqualTo(5);
        assertThat(commits.waiting()).isZero();
    }

    @Test
    void aBatchThatCannotCommitFailsEveryWorkInItAndStoresNone() throws Exception {
        GroupCommit commits = new GroupCommit(database, 8);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<String> first = pool.submit(() -> commits.inTransaction(connection -> {
                running.countDown();
                awaitQuietly(release);
                return insert(connection, "alone");
            }));
            assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
            Future<String> stored = pool.submit(() -> commits.inTransaction(connection -> insert(connection, "b1")));
            await().atMost(Duration.ofSeconds(30)).until(() -> commits.waiting() == 1);
            // The second work of the batch closes the connection: nothing can be committed after it.
            Future<String> breaking = pool.submit(() -> commits.inTransaction(connection -> {
                insert(connection, "b2");
                try {
                    connection.close();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
                return "b2";
            }));
            await().atMost(Duration.ofSeconds(30)).until(() -> commits.waiting() == 2);
            release.countDown();

            assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("alone");
            assertThatThrownBy(() -> stored.get(30, TimeUnit.SECONDS)).as("b1 was done, but not committed")
                    .isInstanceOf(ExecutionException.class);
            assertThatThrownBy(() -> breaking.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }

        assertThat(rows()).containsExactly("alone");
        assertThat(commits.committed()).isEqualTo(1);
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
