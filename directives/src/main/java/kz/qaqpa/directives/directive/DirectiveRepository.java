package kz.qaqpa.directives.directive;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.Optional;

/**
 * Stored directives. Compiled for PostgreSQL; H2 runs the same SQL in PostgreSQL mode, so one
 * repository serves both databases.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface DirectiveRepository extends CrudRepository<StoredDirective, Long> {

    Optional<StoredDirective> findByAuthorityBinAndNumber(String authorityBin, String number);

    List<StoredDirective> findByNumber(String number);

    /** Cancels an active directive; 0 when it was not active any more (someone else cancelled it). */
    @Query("UPDATE directive SET status = 'CANCELLED', cancelled_by_id = :restoreId WHERE id = :id AND status = 'ACTIVE'")
    long cancel(long id, long restoreId);

    @Query("UPDATE directive SET blocklist_serial = :serial WHERE id = :id")
    long setBlocklistSerial(long id, long serial);

    /** Directives, newest first, filtered by number and status; a null filter matches everything. */
    @Query("""
            SELECT d.* FROM directive d
            WHERE (CAST(:number AS VARCHAR) IS NULL OR d.number = :number)
              AND (CAST(:status AS VARCHAR) IS NULL OR d.status = :status)
            ORDER BY d.id DESC
            LIMIT :limit OFFSET :offset""")
    List<StoredDirective> search(@Nullable String number, @Nullable String status, int limit, long offset);

    /** As {@link #search}, and naming a target whose key has one of these SHA-256 hashes. */
    @Query("""
            SELECT d.* FROM directive d
            WHERE (CAST(:number AS VARCHAR) IS NULL OR d.number = :number)
              AND (CAST(:status AS VARCHAR) IS NULL OR d.status = :status)
              AND EXISTS (SELECT 1 FROM directive_target t
                          WHERE t.directive_id = d.id AND t.key_sha256 IN (:keySha256s))
            ORDER BY d.id DESC
            LIMIT :limit OFFSET :offset""")
    List<StoredDirective> searchByTarget(@Nullable String number, @Nullable String status, List<String> keySha256s,
                                         int limit, long offset);

    /**
     * The keys of a directive's targets that some other active RESTRICT also names: the targets
     * that are restricted with or without it.
     */
    @Query("""
            SELECT t.target_key FROM directive_target t
            WHERE t.directive_id = :directiveId
              AND EXISTS (SELECT 1 FROM directive_target o JOIN directive d ON d.id = o.directive_id
                          WHERE o.key_sha256 = t.key_sha256 AND o.target_key = t.target_key
                            AND d.id <> :directiveId AND d.action = 'RESTRICT' AND d.status = 'ACTIVE')
            ORDER BY t.position""")
    List<String> keysRestrictedElsewhere(long directiveId);
}
