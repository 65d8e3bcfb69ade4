package kz.qaqpa.directives.directive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.data.exceptions.DataAccessException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import kz.qaqpa.directives.store.Database;
import kz.qaqpa.directives.store.ThrowAwayDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the directive store promises, on every database Qaqpa runs on. */
abstract class DirectiveRepositoryContract {

    private static final String AUTHORITY = "990740000021";
    private static final String OTHER_AUTHORITY = "100140011059";

    private ThrowAwayDatabase throwAway;
    private Database database;
    private DirectiveRepository directives;

    abstract ThrowAwayDatabase newDatabase();

    @BeforeEach
    void openMigratedDatabase() {
        throwAway = newDatabase();
        database = Database.open(throwAway.settings(), new SimpleMeterRegistry());
        directives = database.repository(DirectiveRepository.class);
    }

    @AfterEach
    void dropDatabase() throws Exception {
        database.close();
        throwAway.close();
    }

    @Test
    void storedDirectiveIsFoundByItsAuthorityAndNumber() {
        StoredDirective saved = directives.save(restrict(AUTHORITY, "12-3/456"));

        assertThat(saved.id()).isNotNull();
        StoredDirective found = directives.findByAuthorityBinAndNumber(AUTHORITY, "12-3/456").orElseThrow();
        assertThat(found).usingRecursiveComparison().isEqualTo(saved);
        assertThat(directives.findByAuthorityBinAndNumber(AUTHORITY, "12-3/457")).isEmpty();
    }

    @Test
    void numberAlreadyUsedByTheSameAuthorityIsRefusedAndTheFirstDirectiveKept() {
        StoredDirective first = directives.save(restrict(AUTHORITY, "77"));

        assertThatThrownBy(() -> directives.save(restrict(AUTHORITY, "77")))
                .isInstanceOf(DataAccessException.class);

        assertThat(directives.count()).isEqualTo(1);
        assertThat(directives.findByAuthorityBinAndNumber(AUTHORITY, "77").orElseThrow())
                .usingRecursiveComparison().isEqualTo(first);
    }

    @Test
    void sameNumberFromAnotherAuthorityIsAnotherDirective() {
        directives.save(restrict(AUTHORITY, "77"));
        directives.save(restrict(OTHER_AUTHORITY, "77"));

        assertThat(directives.count()).isEqualTo(2);
    }

    @Test
    void reopeningAMigratedDatabaseKeepsItsDirectives() {
        StoredDirective saved = directives.save(restrict(AUTHORITY, "1"));
        database.close();

        database = Database.open(throwAway.settings(), new SimpleMeterRegistry());
        directives = database.repository(DirectiveRepository.class);

        assertThat(directives.findById(saved.id()).orElseThrow()).usingRecursiveComparison().isEqualTo(saved);
    }

    @Test
    void reachableWhileOpenAndNotAfterClose() {
        assertThat(database.isReachable()).isTrue();
        database.close();
        assertThat(database.isReachable()).isFalse();
    }

    static StoredDirective restrict(String authority, String number) {
        // Databases keep microseconds; the round trip must be exact.
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return new StoredDirective(null, authority, "Authority", number, Action.RESTRICT,
                now.minus(1, ChronoUnit.DAYS), "art. 41-1", DirectiveStatus.ACTIVE, null, null, null, 0,
                "{}".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3}, "ab".repeat(32),
                "CN=signer", "1f", now, now, "test", null, null, null, null);
    }
}
