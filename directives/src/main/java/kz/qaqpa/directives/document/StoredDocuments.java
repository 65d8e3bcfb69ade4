package kz.qaqpa.directives.document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * Facts read back from a directive's stored document — one the intake parsed and accepted — where
 * only the document keeps them: whether it asked for its domain names' suspension, and whether it
 * restricted access. The field names are the parser's.
 */
public final class StoredDocuments {

    /** {@code domainSuspension: true}: the registry is asked to suspend the directive's domain names. */
    static final String SUSPENSION = "domainSuspension";
    /** {@code restrictAccess: false}: a suspension that restricts nothing. */
    static final String RESTRICT_ACCESS = "restrictAccess";

    private static final ObjectMapper JSON = new ObjectMapper();

    private StoredDocuments() {
    }

    /** Whether the stored directive asked for its domain names' suspension. */
    public static boolean suspendsDomains(byte[] document) {
        return read(document).path(SUSPENSION).asBoolean(false);
    }

    /** Whether the stored directive restricted access: every one but a suspension that said {@code restrictAccess: false}. */
    public static boolean restrictsAccess(byte[] document) {
        return read(document).path(RESTRICT_ACCESS).asBoolean(true);
    }

    private static JsonNode read(byte[] document) {
        try {
            return JSON.readTree(document);
        } catch (IOException e) {
            return JSON.missingNode(); // a stored document is one the intake parsed
        }
    }
}
