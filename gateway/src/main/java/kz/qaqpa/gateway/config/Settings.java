package kz.qaqpa.gateway.config;

import java.util.List;

/**
 * Every setting of the gateway and the filtering node, in the order the README lists them. Each is
 * declared once, beside the record it fills ({@link Setting}); this is only their index, from which
 * the command-line options, the keys a configuration file may hold and the environment variables
 * are made, and against which the README's configuration table is checked.
 */
public final class Settings {

    public static final List<Setting<?>> ALL = List.of(
            GatewayConfig.HTTP_HOST, GatewayConfig.HTTP_PORT, GatewayConfig.DATA_DIR, GatewayConfig.DB_URL,
            GatewayConfig.DB_USER, GatewayConfig.DB_PASSWORD, GatewayConfig.DB_PASSWORD_FILE,
            GatewayConfig.CLUSTER_NAME, GatewayConfig.CLUSTER_ADDRESS, GatewayConfig.HAZELCAST_PORT,
            GatewayConfig.CLUSTER_MEMBERS, GatewayConfig.ADMIN_TOKEN, GatewayConfig.ADMIN_TOKEN_FILE,
            DeliverySettings.SECRETS_KEY_FILE, GatewayConfig.SHUTDOWN_GRACE, TrustFiles.TRUST_ANCHORS,
            TrustFiles.AUTHORISED_SIGNERS, TrustFiles.SIGNER_SCOPES, TrustFiles.CRL, TrustFiles.CRL_GRACE, IntakeLimits.MAX_DIRECTIVE_BYTES,
            IntakeLimits.MAX_TARGETS, IntakeLimits.WIDEST_IPV4_PREFIX, IntakeLimits.WIDEST_IPV6_PREFIX,
            IntakeLimits.SHARED_INFRASTRUCTURE_FILE, FilterNodeSettings.ENABLED, FilterNodeSettings.DNS_HOST,
            FilterNodeSettings.DNS_PORT, FilterNodeSettings.UPSTREAM, FilterNodeSettings.UPSTREAM_TIMEOUT,
            FilterNodeSettings.NEGATIVE_TTL, FilterNodeSettings.UPSTREAM_TCP, FilterNodeSettings.UPSTREAM_0X20,
            FilterNodeSettings.CLIENT_IN_FLIGHT, FilterNodeSettings.SINKHOLE_A, FilterNodeSettings.SINKHOLE_AAAA,
            Retention.KEEP_CHANGES, Retention.KEEP_FOR, Retention.KEEP_APPELLANTS, DeliverySettings.GATEWAY_KEY,
            DeliverySettings.GATEWAY_CERTIFICATE, DeliverySettings.TIMEOUT, DeliverySettings.DEAD_AFTER,
            DeliverySettings.ACK_OVERDUE_RESTRICT, DeliverySettings.ACK_OVERDUE_RESTORE,
            DeliverySettings.RECIPIENTS_FILE, FeedSettings.RPZ_ORIGIN, FeedSettings.XFR_HOST, FeedSettings.XFR_PORT,
            FeedSettings.XFR_ALLOW, FeedSettings.XFR_NOTIFY, FeedSettings.XFR_TSIG_KEYS, FeedSettings.STH_INTERVAL,
            FeedSettings.MAX_STALENESS, AppealSettings.ORDER_WORKING_DAYS, AppealSettings.SMTP_HOST,
            AppealSettings.SMTP_PORT, AppealSettings.SMTP_TLS, AppealSettings.SMTP_STARTTLS,
            AppealSettings.SMTP_USER, AppealSettings.SMTP_PASSWORD, AppealSettings.SMTP_PASSWORD_FILE,
            AppealSettings.SMTP_FROM, AppealSettings.PUBLIC_URL, AppealSettings.AUTHORITY_EMAIL,
            ProbeSettings.DEADLINE, ProbeSettings.MAX_BYTES, ProbeSettings.ALLOW_PORTS, ProbeSettings.ALLOW_NETWORKS,
            ProbeSettings.PROXY, ProbeSettings.USER_AGENT, SuspensionSettings.WHOIS_SERVER,
            SuspensionSettings.WHOIS_DEADLINE, RateLimits.LOOKUPS, RateLimits.APPEALS,
            HttpSecurity.METRICS_PORT, HttpSecurity.HEAD_TIMEOUT, HttpSecurity.TLS_CERTIFICATE, HttpSecurity.TLS_KEY,
            HttpSecurity.AUTHORITY_CLIENT_CA, HttpSecurity.OPERATOR_CLIENT_CA, HttpSecurity.CONSOLE_IDLE,
            AppealSettings.CALENDAR_FILE);

    private Settings() {
    }
}
