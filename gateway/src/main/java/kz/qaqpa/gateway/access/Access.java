package kz.qaqpa.gateway.access;

import java.time.Clock;
import java.util.Optional;
import kz.qaqpa.directives.access.OfficialSessions;
import kz.qaqpa.directives.access.Officials;
import kz.qaqpa.directives.audit.AuditLog;
import kz.qaqpa.directives.store.Database;
import kz.qaqpa.gateway.config.GatewayConfig;
import kz.qaqpa.gateway.http.Authentication;

/**
 * Who may do what: the officials' register and their console sessions, the access log, and the API's
 * way to look officials up ({@link Authentication.OfficialAccounts}).
 */
public final class Access {

    private final Officials officials;
    private final OfficialSessions sessions;
    private final AccessLog accessLog;

    private Access(Officials officials, OfficialSessions sessions, AccessLog accessLog) {
        this.officials = officials;
        this.sessions = sessions;
        this.accessLog = accessLog;
    }

    public static Access start(GatewayConfig config, Database database, Clock clock) {
        AuditLog audit = new AuditLog(clock);
        return new Access(new Officials(database, audit, clock),
                new OfficialSessions(database, audit, clock, config.http().consoleIdle()), new AccessLog(database, clock));
    }

    public Officials officials() {
        return officials;
    }

    public OfficialSessions sessions() {
        return sessions;
    }

    public AccessLog accessLog() {
        return accessLog;
    }

    public OfficialHandlers handlers() {
        return new OfficialHandlers(officials);
    }

    /** Officials as the API's guards look them up: enabled ones only. */
    public Authentication.OfficialAccounts accounts() {
        return new Authentication.OfficialAccounts() {
            @Override
            public Optional<kz.qaqpa.directives.access.Official> byToken(String token) {
                return officials.byToken(token);
            }

            @Override
            public Optional<kz.qaqpa.directives.access.Official> byName(String name) {
                return officials.find(name).filter(official -> !official.disabled());
            }

            @Override
            public boolean isOfficialToken(String token) {
                return Officials.isOfficialToken(token);
            }
        };
    }
}
