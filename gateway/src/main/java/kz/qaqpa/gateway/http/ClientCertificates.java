package kz.qaqpa.gateway.http;

import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Mutual TLS by role: the TLS layer has already checked that a presented client certificate chains
 * to one of the configured CAs and is valid; this decides whether it is the right one for the
 * caller — issued by the authority's CA for the authority, by the operators' CA with the operator's
 * id as its subject CN for an operator. A role with no CA configured needs no certificate.
 */
public final class ClientCertificates {

    private final List<X509Certificate> authorityCas;
    private final List<X509Certificate> operatorCas;

    private ClientCertificates(List<X509Certificate> authorityCas, List<X509Certificate> operatorCas) {
        this.authorityCas = List.copyOf(authorityCas);
        this.operatorCas = List.copyOf(operatorCas);
    }

    public static ClientCertificates notRequired() {
        return new ClientCertificates(List.of(), List.of());
    }

    /** Reads the CA files; an unreadable one is an {@link IllegalArgumentException} naming it. */
    public static ClientCertificates load(Optional<Path> authorityCa, Optional<Path> operatorCa) {
        return new ClientCertificates(authorityCa.map(ClientCertificates::read).orElse(List.of()),
                operatorCa.map(ClientCertificates::read).orElse(List.of()));
    }

    /** Whether this connection may act as the authority (always, when no authority CA is configured). */
    public boolean isAuthority(RoutingContext ctx) {
        return authorityCas.isEmpty() || leaf(ctx).filter(leaf -> issuedBy(leaf, authorityCas)).isPresent();
    }

    /** Refuses the request unless its connection may act as the authority. */
    public void requireAuthority(RoutingContext ctx) {
        if (authorityCas.isEmpty()) {
            return;
        }
        X509Certificate leaf = leaf(ctx).orElseThrow(() -> missing("the authority"));
        if (!issuedBy(leaf, authorityCas)) {
            throw new ProblemException(ProblemType.FORBIDDEN, "the client certificate is not the authority's");
        }
    }

    /**
     * The subject CN of the connection's certificate when the authority's CA issued it (an
     * official's name); empty when no authority CA is configured or the connection has no such one.
     */
    public Optional<String> authoritySubject(RoutingContext ctx) {
        if (authorityCas.isEmpty()) {
            return Optional.empty();
        }
        return leaf(ctx).filter(leaf -> issuedBy(leaf, authorityCas)).map(ClientCertificates::commonName)
                .filter(name -> !name.isEmpty());
    }

    /** Refuses the request unless its connection carries the operator's own certificate. */
    public void requireOperator(RoutingContext ctx, String operatorId) {
        if (operatorCas.isEmpty()) {
            return;
        }
        X509Certificate leaf = leaf(ctx).orElseThrow(() -> missing("operators"));
        if (!issuedBy(leaf, operatorCas) || !operatorId.equals(commonName(leaf))) {
            throw new ProblemException(ProblemType.FORBIDDEN,
                    "the client certificate is not operator " + operatorId + "'s (its subject CN must be the operator id)");
        }
    }

    private static ProblemException missing(String who) {
        return new ProblemException(ProblemType.CLIENT_CERTIFICATE_REQUIRED,
                "calls by " + who + " need a client certificate (mutual TLS)");
    }

    private static Optional<X509Certificate> leaf(RoutingContext ctx) {
        if (!ctx.request().isSSL()) {
            return Optional.empty();
        }
        try {
            List<Certificate> chain = ctx.request().connection().peerCertificates();
            return chain == null || chain.isEmpty() || !(chain.get(0) instanceof X509Certificate leaf)
                    ? Optional.empty() : Optional.of(leaf);
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    private static boolean issuedBy(X509Certificate leaf, List<X509Certificate> cas) {
        for (X509Certificate ca : cas) {
            if (leaf.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
                try {
                    leaf.verify(ca.getPublicKey());
                    return true;
                } catch (GeneralSecurityException e) {
                    // same name, another key: not this CA
                }
            }
        }
        return false;
    }

    private static String commonName(X509Certificate certificate) {
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (InvalidNameException e) {
            return "";
        }
        return "";
    }

    private static List<X509Certificate> read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certificates.add((X509Certificate) certificate);
            }
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException(file + " holds no certificate");
            }
            return certificates;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read certificates from " + file + ": " + e.getMessage(), e);
        }
    }
}
