package kz.qaqpa.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import kz.qaqpa.directives.signature.DirectiveKind;

/**
 * The PEM files that say whose directive signatures are believed.
 *
 * @param trustAnchors      CA certificates signer certificates must chain to
 * @param authorisedSigners the certificates allowed to sign directives of the content authority
 *                          ({@link DirectiveKind#CONTENT})
 * @param scopedSigners     certificates allowed to sign the kinds of directive given with each file, and only those
 * @param crls              certificate revocation lists to honour, read again when their files change
 * @param crlGrace          how long past its {@code nextUpdate} a CRL may be before the gateway
 *                          reports not ready (a revocation made since could be missing)
 */
public record TrustFiles(List<Path> trustAnchors, List<Path> authorisedSigners, Map<Path, Set<DirectiveKind>> scopedSigners,
                         List<Path> crls, Duration crlGrace) {

    public static final Setting<List<Path>> TRUST_ANCHORS = Setting.withDefault("trust-anchors", "FILE[,FILE]",
            Parse::readableFiles, List.<Path>of(),
            "PEM CA certificates directive signers must chain to (default: a demo PKI in embedded mode).");
    public static final Setting<List<Path>> AUTHORISED_SIGNERS = Setting.withDefault("authorised-signers", "FILE[,FILE]",
            Parse::readableFiles, List.<Path>of(),
            "PEM certificates allowed to sign directives of the content authority: RESTRICTION and RESTORATION.");
    public static final Setting<Map<Path, Set<DirectiveKind>>> SIGNER_SCOPES = Setting.withDefault("signer-scopes",
            "FILE=KIND[+KIND][,...]", TrustFiles::scopes, Map.<Path, Set<DirectiveKind>>of(),
            "PEM certificates allowed to sign only the kinds named (RESTRICTION, RESTORATION, DOMAIN_SUSPENSION).");
    public static final Setting<List<Path>> CRL = Setting.withDefault("crl", "FILE", Parse::readableFiles, List.<Path>of(),
            "A CRL to honour; repeat for several.");
    public static final Setting<Duration> CRL_GRACE = Setting.of("crl-grace", "DURATION", Parse::duration, "1h",
            "How long past its nextUpdate a CRL may be before the gateway reports not ready.");
    public static final Duration DEFAULT_CRL_GRACE = CRL_GRACE.defaultValue();

    public TrustFiles {
        trustAnchors = List.copyOf(trustAnchors);
        authorisedSigners = List.copyOf(authorisedSigners);
        scopedSigners = Map.copyOf(scopedSigners);
        crls = List.copyOf(crls);
    }

    public TrustFiles(List<Path> trustAnchors, List<Path> authorisedSigners, List<Path> crls) {
        this(trustAnchors, authorisedSigners, Map.of(), crls, DEFAULT_CRL_GRACE);
    }

    /** With signers configured with the kinds of directive they may sign, too. */
    public TrustFiles withScopedSigners(Map<Path, Set<DirectiveKind>> scoped) {
        return new TrustFiles(trustAnchors, authorisedSigners, scoped, crls, crlGrace);
    }

    /** {@code FILE=KIND[+KIND]}, comma-separated: each file readable, each kind known, a file once. */
    static Map<Path, Set<DirectiveKind>> scopes(String text) {
        Map<Path, Set<DirectiveKind>> scopes = new LinkedHashMap<>();
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.lastIndexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("'" + entry.strip() + "' is not FILE=KIND[+KIND]");
            }
            Set<DirectiveKind> kinds = EnumSet.noneOf(DirectiveKind.class);
            for (String kind : entry.substring(equals + 1).split("\\+")) {
                try {
                    kinds.add(DirectiveKind.valueOf(kind.strip().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("'" + kind.strip() + "' is not a kind of directive: "
                            + Arrays.toString(DirectiveKind.values()), e);
                }
            }
            List<Path> file = Parse.readableFiles(entry.substring(0, equals));
            if (file.size() != 1 || scopes.put(file.get(0), Set.copyOf(kinds)) != null) {
                throw new IllegalArgumentException("'" + entry.strip() + "' names no file, or a file twice");
            }
        }
        return Map.copyOf(scopes);
    }

    public static TrustFiles none() {
        return new TrustFiles(List.of(), List.of(), List.of());
    }

    public boolean isEmpty() {
        return trustAnchors.isEmpty() && authorisedSigners.isEmpty() && scopedSigners.isEmpty();
    }
}
